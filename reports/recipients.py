"""Who a unit's periodic report goes to: its addressees on the paper, and the reviewers the
digest announces it to. Shared by the generation (`reports.services`) and the digest's source
(`reports.reminders`), so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from portal.models import Membership, Role, Unit


@dataclass(frozen=True)
class Recipients:
    """Who a unit's report goes to: its leaders, and the Nội vụ of the level above."""

    leader_ids: tuple[int, ...]
    reviewer_ids: tuple[int, ...]
    addressees: tuple[str, ...]


def recipients_of(unit: Unit) -> Recipients:
    """The unit's leaders and the Nội vụ reviewers of the nearest level above that has some
    (the standing body of the province often acts for the levels between); a root unit's
    report goes to its own Nội vụ. Two queries."""
    ancestors = unit.ancestor_paths() or [unit.path]
    rows = list(
        Membership.objects.filter(
            Q(unit=unit, role=Role.LEADER) | Q(unit__path__in=ancestors, role=Role.REVIEWER),
            user__is_active=True,
        ).values_list("role", "user_id", "unit__path", "unit__name")
    )
    leaders = tuple(sorted({user for role, user, _, _ in rows if role == Role.LEADER}))
    reviewing = [(path, name) for role, _, path, name in rows if role == Role.REVIEWER]
    addressees = [f"Lãnh đạo {unit.name}"]
    reviewers: tuple[int, ...] = ()
    if reviewing:
        path, name = max(reviewing)
        reviewers = tuple(
            sorted({u for role, u, p, _ in rows if role == Role.REVIEWER and p == path})
        )
        addressees.append(f"Cơ quan thường trực Hội đồng Thi đua – Khen thưởng {name}")
    return Recipients(leader_ids=leaders, reviewer_ids=reviewers, addressees=tuple(addressees))
