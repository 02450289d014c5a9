"""Service tokens: made by the unit's leader on the unit's page, shown once, stored hashed,
never carrying more than the leader holds, revocable, each use logged; the rate limits."""

from __future__ import annotations

import datetime
import hashlib
import json

import pytest
from django.utils import timezone

from api import tokens
from api.models import ServiceToken, TokenUse
from tests.api.conftest import bearer, make_token
from tests.refusals import refused


def _form(**overrides):
    data = {
        "name": "Phần mềm nhân sự",
        "capabilities": ["view", "propose_awards"],
        "expires_on": (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d/%m/%Y"),
    }
    data.update(overrides)
    return data


def test_the_leader_makes_a_token_on_the_units_page_and_sees_it_once(world, client):
    client.force_login(world.ward_leader)
    url = f"/don-vi/{world.ward.pk}/khoa-api/"
    response = client.post(url, _form())
    assert response.status_code == 200
    secret = response.context["created"].secret
    assert secret in response.content.decode()
    token = ServiceToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(list(ServiceToken.objects.values()), default=str)
    assert token.capabilities == ["propose_awards", "view"]
    assert token.history.first().history_change_reason == "api.token.created"
    again = client.get(url)
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_only_the_units_leader_makes_tokens(world, client):
    client.force_login(world.ward_officer)
    assert client.get(f"/don-vi/{world.ward.pk}/khoa-api/").status_code == 403
    client.force_login(world.outsider)
    assert client.get(f"/don-vi/{world.ward.pk}/khoa-api/").status_code == 404
    with pytest.raises(Exception, match="không có quyền"):
        make_token(world.ward_officer, world.ward, "view")


def test_a_token_never_carries_more_than_its_maker_holds(world):
    with refused("token_capability_not_offered"):
        make_token(world.ward_leader, world.ward, "manage_memberships")
    with refused("token_validity_too_long"):
        make_token(world.ward_leader, world.ward, "view", days=400)
    secret = make_token(world.ward_leader, world.ward, "view")
    principal = tokens.principal_for(tokens.find_token(secret))
    from portal import access
    from portal.access import Cap

    assert access.can(principal, Cap.VIEW, world.ward)
    assert not access.can(principal, Cap.PROPOSE_AWARDS, world.ward)
    assert not access.can(principal, Cap.VIEW, world.sibling_ward)
    assert not access.can(principal, Cap.VIEW, world.province)


def test_a_token_needs_a_name_and_an_expiry_after_today(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with refused("token_name_required"):
        tokens.create_service_token(
            world.ward, actor=world.ward_leader, name="  ", capabilities=[], expires_on=tomorrow
        )
    with refused("expiry_not_future"):
        make_token(world.ward_leader, world.ward, "view", days=0)
    assert not ServiceToken.objects.exists()


def test_a_revoked_token_is_not_revoked_twice(world):
    make_token(world.ward_leader, world.ward, "view")
    token = ServiceToken.objects.get()
    tokens.revoke_service_token(token, actor=world.ward_leader)
    revoked_at = ServiceToken.objects.get().revoked_at
    with refused("token_already_revoked"):
        tokens.revoke_service_token(token, actor=world.ward_leader)
    assert ServiceToken.objects.get().revoked_at == revoked_at


def test_a_leader_who_left_takes_the_tokens_rights_along(world, client):
    secret = make_token(world.ward_leader, world.ward, "view")
    assert client.get("/api/v1/units", **bearer(secret)).status_code == 200
    world.ward_leader.memberships.all().delete()
    body = json.loads(client.get("/api/v1/units", **bearer(secret)).content)
    assert body["items"] == []


def test_every_use_is_logged_and_revocation_is_on_the_page(world, client):
    secret = make_token(world.ward_leader, world.ward, "view")
    client.get("/api/v1/units", **bearer(secret))
    client.get("/api/v1/units/999999", **bearer(secret))
    uses = list(TokenUse.objects.order_by("at").values_list("path", "status"))
    assert uses == [("/api/v1/units", 200), ("/api/v1/units/999999", 404)]
    token = ServiceToken.objects.get()
    assert token.last_used_at is not None
    client.force_login(world.ward_leader)
    client.post(f"/khoa-api/{token.pk}/thu-hoi/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/units", **bearer(secret)).status_code == 401


def test_rate_limits_answer_429_in_vietnamese(world, client, settings):
    settings.API_RATE_LIMITS = {"authenticated": "3/m", "anonymous": "2/m"}
    secret = make_token(world.ward_leader, world.ward, "view")
    answers = [client.get("/api/v1/units", **bearer(secret)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    answers = [client.get("/api/v1/public/decisions").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    refused = client.get("/api/v1/public/decisions")
    body = json.loads(refused.content)
    assert body == {
        "code": "rate_limited",
        "message": "Quá nhiều yêu cầu trong thời gian ngắn, vui lòng thử lại sau.",
        "field": None,
    }
    assert int(refused["Retry-After"]) > 0
    other = make_token(world.ward_leader, world.ward, "view")
    assert client.get("/api/v1/units", **bearer(other)).status_code == 200


def test_errors_have_one_shape(world, client):
    secret = make_token(world.ward_leader, world.ward, "view")
    body = json.loads(client.get("/api/v1/units?limit=0", **bearer(secret)).content)
    assert body == {"code": "invalid", "message": "limit phải từ 1 đến 200.", "field": "limit"}
    body = json.loads(client.get("/api/v1/units?year=abc", **bearer(secret)).content)
    assert body["code"] == "invalid" and body["field"] == "year"


def test_the_unit_page_links_its_api_pages_for_its_own_leader_only(world, client):
    url = f"/don-vi/{world.ward.pk}/"
    links = (
        f'href="/don-vi/{world.ward.pk}/khoa-api/"',
        f'href="/don-vi/{world.ward.pk}/webhook/"',
    )
    client.force_login(world.ward_leader)
    page = client.get(url).content.decode()
    assert all(link in page for link in links)
    # The province's leader sees the ward's page but does not act in the ward's name; the
    # ward's officer and viewer do not make its keys either.
    for other in (world.leader, world.ward_officer, world.viewer, world.admin):
        client.force_login(other)
        response = client.get(url)
        assert response.status_code == 200
        assert not any(link in response.content.decode() for link in links), other


def test_a_capability_the_maker_does_not_hold_in_the_unit_is_refused(world, monkeypatch):
    from portal import access
    from portal.access import Cap, Role

    # As the portal defines the leader, managing the unit's roles lets them hold (by giving it)
    # any role's grant there; a leader narrowed to not issuing papers nor managing roles may
    # not give a token the issuing capability.
    narrowed = {
        cap: scope
        for cap, scope in access.ROLE_GRANTS[Role.LEADER].items()
        if cap not in (Cap.MANAGE_MEMBERSHIPS, Cap.ISSUE_DOCUMENTS)
    }
    monkeypatch.setitem(access.ROLE_GRANTS, Role.LEADER, narrowed)
    with refused("token_capability_not_held") as refusal:
        make_token(world.ward_leader, world.ward, "view", "issue_documents")
    assert "Ghi nhận văn bản đã ký ngoài cổng" in refusal.value.message
    assert not ServiceToken.objects.exists()
    make_token(world.ward_leader, world.ward, "view", "propose_awards")


def test_a_token_acts_with_what_its_maker_holds_today(world):
    from portal import access
    from portal.access import Cap, Role

    secret = make_token(world.ward_leader, world.ward, "view", "report_progress")
    principal = tokens.principal_for(tokens.find_token(secret))
    assert access.can(principal, Cap.REPORT_PROGRESS, world.ward)
    # The unit's own scope only: never its parent's, never beyond the unit for a UNIT grant.
    assert not access.can(principal, Cap.REPORT_PROGRESS, world.ward_office)
    assert not access.can(principal, Cap.REPORT_PROGRESS, world.district)
    world.ward_leader.memberships.filter(unit=world.ward).update(role=Role.VIEWER)
    principal = tokens.principal_for(tokens.find_token(secret))
    assert access.can(principal, Cap.VIEW, world.ward)
    assert not access.can(principal, Cap.REPORT_PROGRESS, world.ward)


def test_a_token_is_nobodys_own_role_and_reads_only_by_its_own_grants(world):
    """A token acts for its unit with the grants chosen for it: it makes nobody the unit's own
    holder of a right (who signs a giao ước, who sits in the council), and it is a reader only
    when those grants read only — whatever role its maker holds."""
    from portal import access
    from portal.access import Cap

    assert access.holds_in_unit(world.ward_leader, Cap.VIEW, world.ward)
    writer = tokens.principal_for(
        tokens.find_token(make_token(world.ward_leader, world.ward, "view", "report_progress"))
    )
    assert access.can(writer, Cap.REPORT_PROGRESS, world.ward)
    assert not access.holds_in_unit(writer, Cap.REPORT_PROGRESS, world.ward)
    assert not access.holds_in_unit(writer, Cap.VIEW, world.ward)
    assert not access.reads_only(writer)
    reader = tokens.principal_for(
        tokens.find_token(make_token(world.ward_leader, world.ward, "view"))
    )
    assert access.reads_only(reader)
    assert not access.reads_only(world.ward_leader)


def test_behind_the_proxy_each_anonymous_client_has_its_own_count(db, client, settings):
    """Behind the TLS proxy every request comes from the proxy's address: the anonymous rate is
    counted per client address the trusted proxy forwarded, not for everyone at once."""
    settings.API_RATE_LIMITS = {"authenticated": "3/m", "anonymous": "2/m"}
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    def get(address: str) -> int:
        url = "/api/v1/public/campaigns"
        return client.get(url, HTTP_X_FORWARDED_FOR=address, **proxy).status_code

    assert [get("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert get("198.51.100.9") == 200
    # A client cannot pick its own count by sending a header: the proxy's entry is the last.
    assert get("198.51.100.50, 203.0.113.7") == 429
