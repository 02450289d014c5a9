"""Service tokens: made by a unit's leader, shown once, kept hashed, acting with no more than
the capabilities chosen, which never exceed what the maker holds in that unit."""

from __future__ import annotations

import copy
import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from api.models import ServiceToken, TokenUse
from portal import access
from portal.access import Cap, Scope
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import Unit, User

TOKEN_PREFIX = "td"
LONGEST_VALIDITY = datetime.timedelta(days=366)
# What a token may be given: the API's reads and writes, not the pages' administration.
OFFERED_CAPS = (
    Cap.VIEW,
    Cap.VIEW_HISTORY,
    Cap.REPORT_PROGRESS,
    Cap.PROPOSE_AWARDS,
    Cap.DRAFT_DOCUMENTS,
    Cap.ISSUE_DOCUMENTS,
)
CAP_LABELS = {
    Cap.VIEW: "Xem dữ liệu trong phạm vi đơn vị",
    Cap.VIEW_HISTORY: "Xem lịch sử khen thưởng",
    Cap.REPORT_PROGRESS: "Báo cáo tiến độ, gửi minh chứng",
    Cap.PROPOSE_AWARDS: "Lập dự thảo hồ sơ đề nghị khen thưởng",
    Cap.DRAFT_DOCUMENTS: "Soạn văn bản",
    Cap.ISSUE_DOCUMENTS: "Ghi nhận văn bản đã ký ngoài cổng",
}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def creator_scope(user, cap: Cap, unit: Unit) -> Scope | None:
    """The widest scope in which `user` holds `cap` over `unit` (None: not at all).

    A leader who manages the unit's roles (`MANAGE_MEMBERSHIPS`) could give anyone, themself
    included, any role there; what such a role would grant counts as held, so that a leader's
    token can report progress as the unit's officer does, and never reach beyond the unit's
    own roles.
    """
    held = None
    for membership in access.memberships_of(user):
        scope = access.grants_of(membership).get(cap)
        if scope is Scope.SUBTREE and unit.path.startswith(membership.unit.path):
            return Scope.SUBTREE
        if scope is not None and membership.unit_id == unit.pk:
            held = Scope.UNIT
    if access.can(user, Cap.MANAGE_MEMBERSHIPS, unit) and not access.sees_everything(user):
        delegable = [grants[cap] for grants in access.ROLE_GRANTS.values() if cap in grants]
        if Scope.SUBTREE in delegable:
            return Scope.SUBTREE
        if delegable:
            return Scope.UNIT
    return held


def may_make_tokens(user, unit: Unit) -> bool:
    """Only the unit's own leader makes its tokens (not an administrator acting for it)."""
    return access.leads_unit(user, unit)


@dataclass(frozen=True)
class NewToken:
    token: ServiceToken
    secret: str  # shown once, never stored


@transaction.atomic
def create_service_token(
    unit: Unit, *, actor, name: str, capabilities: list[str], expires_on: datetime.date
) -> NewToken:
    if not may_make_tokens(actor, unit):
        raise access.denied()
    name = " ".join(name.split())
    if not name:
        raise RuleViolation("Cần ghi tên hệ thống sẽ dùng khóa.", code="token_name_required")
    today = timezone.localdate()
    if expires_on <= today:
        raise RuleViolation("Ngày hết hạn phải sau hôm nay.", code="expiry_not_future")
    if expires_on > today + LONGEST_VALIDITY:
        raise RuleViolation("Khóa API có hiệu lực tối đa một năm.", code="token_validity_too_long")
    chosen = set(capabilities) | {Cap.VIEW}
    unknown = chosen - set(OFFERED_CAPS)
    if unknown:
        raise RuleViolation(
            f"Quyền không cấp được cho khóa API: {', '.join(sorted(unknown))}.",
            code="token_capability_not_offered",
        )
    exceeding = [c for c in chosen if creator_scope(actor, Cap(c), unit) is None]
    if exceeding:
        raise RuleViolation(
            "Không cấp cho khóa quyền mà chính bạn không có tại đơn vị: "
            + ", ".join(CAP_LABELS[Cap(c)] for c in sorted(exceeding))
            + ".",
            code="token_capability_not_held",
        )
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ServiceToken(
        unit=unit,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        capabilities=sorted(str(c) for c in chosen),
        expires_on=expires_on,
        created_by=actor,
    )
    stamp(token, actor=actor, reason="api.token.created")
    token.save()
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_service_token(token: ServiceToken, *, actor) -> ServiceToken:
    token = ServiceToken.objects.select_for_update().select_related("unit").get(pk=token.pk)
    if not may_make_tokens(actor, token.unit):
        raise access.denied()
    if token.revoked_at is not None:
        raise RuleViolation("Khóa này đã bị thu hồi.", code="token_already_revoked")
    token.revoked_at = timezone.now()
    stamp(token, actor=actor, reason="api.token.revoked")
    token.save(update_fields=["revoked_at"])
    return token


def find_token(secret: str) -> ServiceToken | None:
    """The usable token with this secret, or None (unknown, expired or revoked alike)."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = (
        ServiceToken.objects.select_related("unit", "created_by")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    return token if token.is_usable else None


@dataclass
class TokenGrant:
    """Stands where a `Membership` stands for `portal.access`: the token's unit and grants."""

    unit: Unit
    grants: dict[Cap, Scope]
    role: str = "service_token"

    @property
    def unit_id(self) -> int:
        return self.unit.pk


def principal_for(token: ServiceToken) -> User:
    """The user the token acts as: its maker, narrowed to the token's unit and capabilities,
    and to what the maker still holds there today (a leader who left takes the token's rights
    along)."""
    maker = token.created_by
    grants = {}
    for name in token.capabilities:
        scope = creator_scope(maker, Cap(name), token.unit)
        if scope is not None:
            grants[Cap(name)] = scope
    principal = copy.copy(maker)
    principal.is_superuser = False
    principal.is_staff = False
    principal._portal_memberships = [TokenGrant(unit=token.unit, grants=grants)]
    principal.service_token = token
    return principal


def log_use(token: ServiceToken, *, method: str, path: str, status: int, ip: str | None) -> None:
    now = timezone.now()
    TokenUse.objects.create(token=token, method=method, path=path[:500], status=status, ip=ip)
    ServiceToken.objects.filter(pk=token.pk).update(last_used_at=now)
