"""Who a unit's periodic report goes to: its addressees on the paper, and the reviewers the
digest announces it to. Shared by the generation (`reports.services`) and the digest's source
(`reports.reminders`), so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass

from portal import access
from portal.access import Cap
from portal.models import Unit


@dataclass(frozen=True)
class Recipients:
    """Who a unit's report goes to: its leaders, and the Nội vụ of the level above."""

    leader_ids: tuple[int, ...]
    reviewer_ids: tuple[int, ...]
    addressees: tuple[str, ...]


def recipients_of(unit: Unit) -> Recipients:
    """The unit's leadership and the Nội vụ reviewers of the nearest level above that has some
    (the standing body of the province often acts for the levels between); a root unit's
    report goes to its own Nội vụ. Who they are is the grant table's (`access.holdings`)."""
    leaders = access.holder_ids(Cap.LEAD_UNIT, [unit])[unit.pk]
    above = unit.parent if unit.parent_id else unit
    reviewing = access.holdings(Cap.REVIEW_NOMINATIONS, [above], nearest=True)[above.pk]
    addressees = [f"Lãnh đạo {unit.name}"]
    reviewers: tuple[int, ...] = ()
    if reviewing:
        reviewers = tuple(sorted({h.user_id for h in reviewing}))
        addressees.append(
            f"Cơ quan thường trực Hội đồng Thi đua – Khen thưởng {reviewing[0].via_name}"
        )
    return Recipients(leader_ids=leaders, reviewer_ids=reviewers, addressees=tuple(addressees))
