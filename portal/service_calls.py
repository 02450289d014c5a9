"""How a view calls a service: a refused business rule becomes a message or a form error.

Views call their services through one of these two, so no view repeats a `try/except
RuleViolation` of its own, and a refusal always reaches the user in the service's own words.
A refusal that lists several bad rows (an import refused as a whole) carries them in `errors`;
each is shown after the refusal's message.

Pages that act on many records at once (the Nội vụ queue's bulk actions, a Công văn about the
ticked dossiers) pass `denied_too=True`: one record out of the user's reach is then told like a
refusal, on the page the user is working on, instead of turning the whole page into a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from portal.errors import RuleViolation

REFUSED = object()


def _caught(denied_too: bool) -> tuple[type[Exception], ...]:
    return (RuleViolation, PermissionDenied) if denied_too else (RuleViolation,)


def _lines(error: Exception, prefix: str) -> tuple[str, ...]:
    message = getattr(error, "message", None) or str(error)
    return (prefix + message, *getattr(error, "errors", ()))


def attempt(form, service: Callable[..., Any], *args, denied_too: bool = False, **kwargs) -> Any:
    """Call one service; a refusal becomes a form error and the input stays on the page."""
    try:
        return service(*args, **kwargs)
    except _caught(denied_too) as error:
        for line in _lines(error, ""):
            form.add_error(None, line)
        return REFUSED


def attempt_and_tell(
    request: HttpRequest,
    service: Callable[..., Any],
    *args,
    done: str = "",
    refused_prefix: str = "",
    denied_too: bool = False,
    **kwargs,
) -> Any:
    """Call one service; a refusal becomes an error message (after `refused_prefix`, which
    says what was refused), success the message `done`.

    Returns the service's result, or REFUSED: the caller decides where the user goes next.
    """
    try:
        result = service(*args, **kwargs)
    except _caught(denied_too) as error:
        for line in _lines(error, refused_prefix):
            messages.error(request, line)
        return REFUSED
    if done:
        messages.success(request, done)
    return result
