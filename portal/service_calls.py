"""How a view calls a service: a refused business rule becomes a message or a form error.

Views call their services through one of these two, so no view repeats a `try/except
RuleViolation` of its own, and a refusal always reaches the user in the service's own words.
A refusal that lists several bad rows (an import refused as a whole) carries them in `errors`;
each is shown after the refusal's message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from portal.errors import RuleViolation

REFUSED = object()


def attempt(form, service: Callable[..., Any], *args, **kwargs) -> Any:
    """Call one service; a refusal becomes a form error and the input stays on the page."""
    try:
        return service(*args, **kwargs)
    except RuleViolation as error:
        for line in (error.message, *getattr(error, "errors", ())):
            form.add_error(None, line)
        return REFUSED


def attempt_and_tell(
    request: HttpRequest,
    service: Callable[..., Any],
    *args,
    done: str = "",
    refused_prefix: str = "",
    **kwargs,
) -> Any:
    """Call one service; a refusal becomes an error message (after `refused_prefix`, which
    says what was refused), success the message `done`.

    Returns the service's result, or REFUSED: the caller decides where the user goes next.
    """
    try:
        result = service(*args, **kwargs)
    except RuleViolation as error:
        for line in (refused_prefix + error.message, *getattr(error, "errors", ())):
            messages.error(request, line)
        return REFUSED
    if done:
        messages.success(request, done)
    return result
