"""Races on the documents engine's own row lock: one draft issued by two callers at once.

PostgreSQL only (tests/races.py). How a lock-free variant was shown to fail: docs/testing.md.
"""

from __future__ import annotations

from portal.errors import RuleViolation
from portal.models import OfficialDocument
from tests.portal.test_documents import issue, notice
from tests.races import at_once, kinds, needs_row_locks, race

pytestmark = race


def test_a_draft_issued_twice_at_once_is_issued_once_with_one_number(world):
    """Without the document's lock both callers find it a draft: each takes a number from the
    register, the second overwriting the first's, and a number is lost from the series."""
    needs_row_locks()
    draft = notice(world.province)

    outcomes = at_once(lambda: issue(draft), lambda: issue(draft))

    assert kinds(outcomes) == ["RuleViolation", "won"]
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert refused.message == f"Văn bản đã được ban hành: {winner}."
    issued = OfficialDocument.objects.get(pk=draft.pk)
    assert (issued.number_and_symbol, issued.sha256) == ("01/TB-UBND", winner.sha256)
    assert issue(notice(world.province)).number_and_symbol == "02/TB-UBND"
