"""Who may do what, and where: the ONE place for it.

A user holds roles in units (`Membership`). Each role grants capabilities; each grant covers
either the whole subtree under the unit (SUBTREE) or the unit itself only (UNIT). Visibility
follows the same rule: a user sees the subtrees of the units they hold any role in.

Views answer 404 outside the user's scope (the same as "does not exist") and 403 inside the
scope without the capability. System administrators (superusers) see and may do everything.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    """The roles a user holds in a unit (`Membership.role`); `ROLE_GRANTS` says what each may do.

    Defined here, with the grants, so that the models' scoping (`visible_to`) can use this
    module without it reading the models: it imports none.
    """

    LEADER = "leader", "Lãnh đạo"
    OFFICER = "officer", "Cán bộ thi đua"
    REVIEWER = "reviewer", "Cán bộ Nội vụ (thường trực Hội đồng TĐKT)"
    COUNCIL_MEMBER = "council_member", "Thành viên Hội đồng TĐKT"
    VIEWER = "viewer", "Người xem"


class Cap(StrEnum):
    VIEW = "view"
    MANAGE_AGENCIES = "manage_agencies"  # add/edit agencies and villages under a unit
    MANAGE_BLOCS = "manage_blocs"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_MEMBERSHIPS = "manage_memberships"
    VIEW_HISTORY = "view_history"
    DRAFT_DOCUMENTS = "draft_documents"  # draft and preview the unit's official documents
    ISSUE_DOCUMENTS = "issue_documents"  # number, sign and issue them (văn thư / lãnh đạo)
    # Campaigns and registrations (apps campaigns, pledges)
    LAUNCH_CAMPAIGN = "launch_campaign"  # launch, close, cancel: the leader signs the plan
    MANAGE_CAMPAIGN = "manage_campaign"  # draft and run the campaign's steps
    SUBMIT_REGISTRATION = "submit_registration"  # draft and submit the unit's registration
    APPROVE_REGISTRATION = "approve_registration"  # the unit's leader approves it inside the unit
    ACCEPT_REGISTRATION = "accept_registration"  # the issuing level accepts or returns it
    REPORT_PROGRESS = "report_progress"  # progress reports, evidence and unit reviews
    MANAGE_AWARD_HISTORY = "manage_award_history"  # record or import past awards, ratings
    PROPOSE_AWARDS = "propose_awards"  # draft and submit nominations (đề nghị khen thưởng)
    REVIEW_NOMINATIONS = "review_nominations"  # Nội vụ: receive, return, check, council agenda
    DECIDE_AWARDS = "decide_awards"  # the conferring leader: approve without council, sign
    VOTE_IN_COUNCIL = "vote_in_council"  # cast a ballot in a council session one is seated in
    ANSWER_CLEARANCE = "answer_clearance"  # a body asked for its opinion on nominees answers
    # Giao ước thi đua of blocs (app pledges)
    MANAGE_PLEDGE = "manage_pledge"  # the bloc head's officer: drafts, opens, scores the bloc
    SIGN_PLEDGE = "sign_pledge"  # a member unit's leader signs the pledge for the unit
    REVIEW_BLOC_SCORES = "review_bloc_scores"  # Nội vụ of the organiser: verifies, publishes
    # Periodic reports (app reports)
    CONFIGURE_REPORTS = "configure_reports"  # the leader sets the unit's report cadence
    GENERATE_REPORTS = "generate_reports"  # regenerate a unit's periodic report by hand
    # The unit's own leadership: overdue work below it is escalated to it, its periodic report
    # is addressed to it, it makes the unit's API keys and webhooks.
    LEAD_UNIT = "lead_unit"


class Scope(StrEnum):
    UNIT = "unit"
    SUBTREE = "subtree"


ROLE_GRANTS: dict[str, dict[Cap, Scope]] = {
    Role.LEADER: {
        Cap.VIEW: Scope.SUBTREE,
        Cap.VIEW_HISTORY: Scope.SUBTREE,
        Cap.MANAGE_AGENCIES: Scope.UNIT,
        Cap.MANAGE_BLOCS: Scope.UNIT,
        Cap.MANAGE_PEOPLE: Scope.UNIT,
        Cap.MANAGE_MEMBERSHIPS: Scope.UNIT,
        Cap.DRAFT_DOCUMENTS: Scope.UNIT,
        Cap.ISSUE_DOCUMENTS: Scope.UNIT,
        Cap.LAUNCH_CAMPAIGN: Scope.UNIT,
        Cap.MANAGE_CAMPAIGN: Scope.UNIT,
        Cap.APPROVE_REGISTRATION: Scope.UNIT,
        Cap.MANAGE_AWARD_HISTORY: Scope.UNIT,
        Cap.PROPOSE_AWARDS: Scope.UNIT,
        Cap.DECIDE_AWARDS: Scope.UNIT,
        Cap.VOTE_IN_COUNCIL: Scope.UNIT,
        Cap.ANSWER_CLEARANCE: Scope.UNIT,
        Cap.SIGN_PLEDGE: Scope.UNIT,
        Cap.CONFIGURE_REPORTS: Scope.UNIT,
        Cap.GENERATE_REPORTS: Scope.UNIT,
        Cap.LEAD_UNIT: Scope.UNIT,
    },
    Role.OFFICER: {
        Cap.VIEW: Scope.SUBTREE,
        Cap.VIEW_HISTORY: Scope.SUBTREE,
        Cap.MANAGE_AGENCIES: Scope.UNIT,
        Cap.MANAGE_BLOCS: Scope.UNIT,
        Cap.MANAGE_PEOPLE: Scope.UNIT,
        Cap.DRAFT_DOCUMENTS: Scope.UNIT,
        Cap.ISSUE_DOCUMENTS: Scope.UNIT,
        Cap.MANAGE_CAMPAIGN: Scope.UNIT,
        Cap.SUBMIT_REGISTRATION: Scope.UNIT,
        Cap.ACCEPT_REGISTRATION: Scope.UNIT,
        Cap.REPORT_PROGRESS: Scope.UNIT,
        Cap.MANAGE_AWARD_HISTORY: Scope.UNIT,
        Cap.PROPOSE_AWARDS: Scope.SUBTREE,
        Cap.ANSWER_CLEARANCE: Scope.UNIT,
        Cap.MANAGE_PLEDGE: Scope.UNIT,
        Cap.GENERATE_REPORTS: Scope.UNIT,
    },
    Role.REVIEWER: {
        Cap.VIEW: Scope.SUBTREE,
        Cap.VIEW_HISTORY: Scope.SUBTREE,
        Cap.MANAGE_BLOCS: Scope.SUBTREE,
        Cap.MANAGE_PEOPLE: Scope.SUBTREE,
        Cap.ACCEPT_REGISTRATION: Scope.SUBTREE,
        Cap.MANAGE_AWARD_HISTORY: Scope.SUBTREE,
        Cap.REVIEW_NOMINATIONS: Scope.SUBTREE,
        Cap.REVIEW_BLOC_SCORES: Scope.SUBTREE,
        Cap.GENERATE_REPORTS: Scope.SUBTREE,
    },
    Role.COUNCIL_MEMBER: {
        Cap.VIEW: Scope.SUBTREE,
        Cap.VOTE_IN_COUNCIL: Scope.UNIT,
    },
    Role.VIEWER: {
        Cap.VIEW: Scope.SUBTREE,
    },
}


def grants_of(membership) -> dict[Cap, Scope]:
    """What one of a user's memberships grants: its role's grants, or, for a service token
    acting for a unit (`api.tokens`), the narrower set chosen when the token was made."""
    chosen = getattr(membership, "grants", None)
    return chosen if chosen is not None else ROLE_GRANTS[membership.role]


def sees_everything(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def reads_only(user) -> bool:
    """A signed-in user whose every role grants nothing but reading (the viewer, xem)."""
    if not user.is_authenticated or sees_everything(user):
        return False
    memberships = memberships_of(user)
    return bool(memberships) and all(
        set(grants_of(membership)) <= {Cap.VIEW} for membership in memberships
    )


def memberships_of(user) -> list:
    """The user's roles (`Membership` rows with their unit), loaded once per user object (i.e.
    once per request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_portal_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("unit"))
        user._portal_memberships = cached
    return cached


def view_roots(user) -> list[str] | None:
    """The paths of the branches `user` may see, none inside another (sorted); None when the
    user sees everything. Kept sums per branch (`awards.models.tallies`) add up over these."""
    if sees_everything(user):
        return None
    roots = {m.unit.path for m in memberships_of(user) if Cap.VIEW in grants_of(m)}
    # A root inside another root adds nothing; drop it to keep the SQL short.
    return sorted(p for p in roots if not any(p != o and p.startswith(o) for o in roots))


def unit_scope(user, path_field: str) -> Q:
    """A filter on `path_field` (a Unit path, e.g. "issuer__path") to what `user` may see."""
    roots = view_roots(user)
    if roots is None:
        return Q()
    if not roots:
        return Q(pk__in=[])
    condition = Q()
    for path in roots:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def can(user, cap: Cap, unit) -> bool:
    """Whether `user` may exercise `cap` on `unit`."""
    if sees_everything(user):
        return True
    for membership in memberships_of(user):
        scope = grants_of(membership).get(cap)
        if scope is Scope.UNIT and membership.unit_id == unit.pk:
            return True
        if scope is Scope.SUBTREE and unit.path.startswith(membership.unit.path):
            return True
    return False


def holds_in_unit(user, cap: Cap, unit) -> bool:
    """Whether one of `user`'s own roles grants `cap` on `unit` — a system administrator's
    reach over everything does not count (a giao ước is signed by the unit's own leader), nor
    does a service token's grant (a token acts for a unit; it is nobody's role there)."""
    return any(
        (scope := ROLE_GRANTS.get(m.role, {}).get(cap)) is not None
        and (
            (scope is Scope.UNIT and m.unit_id == unit.pk)
            or (scope is Scope.SUBTREE and unit.path.startswith(m.unit.path))
        )
        for m in memberships_of(user)
    )


def leads_unit(user, unit) -> bool:
    """Whether `user` is the unit's own leader (not an administrator acting for it): who makes
    the unit's API keys and webhooks, which act in its name outside the portal."""
    return any(
        grants_of(m).get(Cap.LEAD_UNIT) is Scope.UNIT and m.unit_id == unit.pk
        for m in memberships_of(user)
    )


def require(user, cap: Cap, unit) -> None:
    """Raise PermissionDenied (403) unless `user` may exercise `cap` on `unit`."""
    if not can(user, cap, unit):
        raise denied()


def denied() -> PermissionDenied:
    return PermissionDenied("Bạn không có quyền thực hiện thao tác này tại đơn vị này.")


def may_answer_clearance(user, clearance) -> bool:
    """A request for another body's opinion on nominees is answered by that body's officers
    and leaders when it is a unit of the portal, or recorded from the paper reply by the
    asking level's Nội vụ."""
    if can(user, Cap.REVIEW_NOMINATIONS, clearance.asking_unit):
        return True
    return clearance.body_unit_id is not None and can(
        user, Cap.ANSWER_CLEARANCE, clearance.body_unit
    )


def holds_anywhere(user, *caps: Cap) -> bool:
    """Whether `user` may exercise any of `caps` on at least one unit (a section of the portal
    meant for one duty: its menu entry and its list page)."""
    if sees_everything(user):
        return True
    return any(cap in grants_of(m) for m in memberships_of(user) for cap in caps)


def require_anywhere(user, *caps: Cap) -> None:
    """Raise PermissionDenied (403) unless `user` holds one of `caps` in some unit."""
    if not holds_anywhere(user, *caps):
        raise PermissionDenied("Mục này dành cho cán bộ được phân quyền tương ứng.")


class Holding(NamedTuple):
    """One person holding a capability on a unit, and the unit whose role grants it."""

    user_id: int
    via_unit_id: int
    via_path: str
    via_name: str


def holdings(cap: Cap, units: Iterable, *, nearest: bool = False) -> dict[int, tuple[Holding, ...]]:
    """Who holds `cap` on each of `units` by their roles (ROLE_GRANTS), as `can` decides it:
    a UNIT grant in the unit itself, a SUBTREE grant in it or any unit above it. One query for
    all the units. `nearest` keeps, per unit, only the holders of the closest such unit (the
    Nội vụ of a commune is its own, else the city's, not also the province's).

    Only people count: an administrator's reach over everything and a service token's grants
    make nobody a holder (reminders and papers go to those whose duty it is)."""
    units = list(units)
    paths = {unit.pk: unit.path for unit in units}
    if not paths:
        return {}
    by_scope = {
        scope: [role for role, grants in ROLE_GRANTS.items() if grants.get(cap) is scope]
        for scope in Scope
    }
    above = {path for unit in units for path in [*unit.ancestor_paths(), unit.path]}
    condition = Q(pk__in=[])
    if by_scope[Scope.UNIT]:
        condition |= Q(role__in=by_scope[Scope.UNIT], unit_id__in=list(paths))
    if by_scope[Scope.SUBTREE]:
        condition |= Q(role__in=by_scope[Scope.SUBTREE], unit__path__in=above)
    in_unit: dict[int, list[Holding]] = {}
    over_subtree: dict[str, list[Holding]] = {}
    for role, user_id, unit_id, path, name in (
        apps.get_model("portal", "Membership")
        .objects.filter(condition, user__is_active=True)
        .values_list("role", "user_id", "unit_id", "unit__path", "unit__name")
    ):
        holding = Holding(user_id, unit_id, path, name)
        if ROLE_GRANTS[role][cap] is Scope.UNIT:
            in_unit.setdefault(unit_id, []).append(holding)
        else:
            over_subtree.setdefault(path, []).append(holding)
    result = {}
    for unit in units:
        held = in_unit.get(unit.pk, []) + [
            h for path in [*unit.ancestor_paths(), unit.path] for h in over_subtree.get(path, [])
        ]
        if nearest and held:
            closest = max(len(h.via_path) for h in held)
            held = [h for h in held if len(h.via_path) == closest]
        result[unit.pk] = tuple(sorted(set(held)))
    return result


def holder_ids(cap: Cap, units: Iterable, *, nearest: bool = False) -> dict[int, tuple[int, ...]]:
    """`holdings` as the user ids per unit, each once, in id order."""
    return {
        pk: tuple(sorted({h.user_id for h in held}))
        for pk, held in holdings(cap, units, nearest=nearest).items()
    }


def holders(cap: Cap, unit, *, nearest: bool = False) -> models.QuerySet:
    """The users who hold `cap` on `unit` (see `holdings`): whom a duty's reminder, escalation
    or paper goes to. `user in holders(cap, unit)` agrees with `can(user, cap, unit)` for every
    user but administrators."""
    ids = holder_ids(cap, [unit], nearest=nearest)[unit.pk]
    return get_user_model().objects.filter(pk__in=ids).order_by("pk")


def copying_units(user) -> list:
    """The units whose văn thư `user` is, each of which may copy (sao y, sao lục, trích sao)
    any issued document `user` sees (Decree 30, Art. 25–27): copies are made by the văn thư."""
    return units_where(user, Cap.ISSUE_DOCUMENTS)


def may_copy_documents(user) -> bool:
    return holds_anywhere(user, Cap.ISSUE_DOCUMENTS)


def units_where(user, cap: Cap) -> list:
    """The units where `user` holds `cap` directly (the roots of their grants)."""
    return [m.unit for m in memberships_of(user) if cap in grants_of(m)]


def cap_scope(user, cap: Cap, path_field: str = "path") -> Q:
    """A filter on `path_field` to the units where `user` may exercise `cap` (as `can`)."""
    if sees_everything(user):
        return Q()
    condition = Q(pk__in=[])
    for membership in memberships_of(user):
        scope = grants_of(membership).get(cap)
        if scope is Scope.SUBTREE:
            condition |= Q(**{f"{path_field}__startswith": membership.unit.path})
        elif scope is Scope.UNIT:
            condition |= Q(**{path_field: membership.unit.path})
    return condition


def cap_branches(user, cap: Cap) -> tuple[list[str], list[str]] | None:
    """The unit paths where `user` may exercise `cap`, as `cap_scope` reads them: (branches,
    each the unit and all below it; units, each the unit alone), none lying within a branch
    listed. None: everywhere. A total kept per branch answers the scope from these rows."""
    if sees_everything(user):
        return None
    held = [(grants_of(m).get(cap), m.unit.path) for m in memberships_of(user)]
    branches = {path for scope, path in held if scope is Scope.SUBTREE}
    branches = {p for p in branches if not any(p != o and p.startswith(o) for o in branches)}
    units = {
        path
        for scope, path in held
        if scope is Scope.UNIT and not any(path.startswith(o) for o in branches)
    }
    return sorted(branches), sorted(units)


def sees_where_it_may(user, cap: Cap) -> bool:
    """Whether every unit where `user` may exercise `cap` lies within what the user may see
    (`unit_scope`): then `cap_scope` alone is the scope, and a total kept per unit can answer it
    (a service token may hold a right without the reading one)."""
    if sees_everything(user):
        return True
    memberships = memberships_of(user)
    seen = [m.unit.path for m in memberships if Cap.VIEW in grants_of(m)]
    return all(
        any(m.unit.path.startswith(root) for root in seen)
        for m in memberships
        if grants_of(m).get(cap) in (Scope.UNIT, Scope.SUBTREE)
    )


def can_manage_unit_record(user, unit) -> bool:
    """Editing or closing a unit is an act of the unit above it; a root only by administrators."""
    if unit.parent_id is None:
        return sees_everything(user)
    return can(user, Cap.MANAGE_AGENCIES, unit.parent)


def _same_name(a: str, b: str) -> bool:
    def norm(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())

    return bool(a) and norm(a) == norm(b)


def may_carry_signed_paper(
    user, issuer, signer_name: str, signer_user_id: int | None, signer_unit=None
) -> bool:
    """Who fetches a paper to sign with their own certificate and brings it back signed: the
    person recorded as signer (by their account), or, for a giao ước member's representative
    printed by name only, a leader of that name who may sign giao ước for that very member
    (`signer_unit`: SIGN_PLEDGE held there by their own role, so an official of the same name
    in another unit, or on a paper that does not say whose turn it is, is refused); or the
    issuer's văn thư who carries the file for them. What counts is the certificate in the file,
    which the portal checks."""
    if not user.is_authenticated:
        return False
    if can(user, Cap.ISSUE_DOCUMENTS, issuer):
        return True
    if signer_user_id is not None:
        return signer_user_id == user.pk
    return (
        signer_unit is not None
        and _same_name(getattr(user, "full_name", ""), signer_name)
        and holds_in_unit(user, Cap.SIGN_PLEDGE, signer_unit)
    )
