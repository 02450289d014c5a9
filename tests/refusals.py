"""Asserting a refusal by its code: a test names the rule that refused, not its wording."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from portal.errors import RuleViolation


@contextmanager
def refused(code: str) -> Iterator[pytest.ExceptionInfo[RuleViolation]]:
    """Expect the block to be refused by the rule `code`; any other refusal fails the test."""
    with pytest.raises(RuleViolation) as info:
        yield info
    assert info.value.code == code, f"refused by {info.value.code!r} ({info.value.message})"
