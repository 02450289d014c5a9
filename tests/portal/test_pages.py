"""The organisation pages, thinly: what each page shows to whom; writes reach the services."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from django.urls import reverse

from portal import services
from portal.models import BlocMember, BlocTerm, Membership, Person, Role, Unit, UnitKind
from tests.factories import make_user


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_home_lists_the_officials_units_roles_and_what_they_may_manage(world, as_user):
    page = as_user(world.ward_officer).get(reverse("home")).content.decode()
    assert "Phường Xuân Trung" in page
    assert "Cán bộ thi đua" in page
    assert reverse("unit_detail", args=[world.ward.pk]) in page
    assert reverse("unit_create", args=[world.ward.pk]) in page
    # Officers do not grant roles; leaders do.
    assert reverse("membership_grant", args=[world.ward.pk]) not in page
    leader_page = as_user(world.ward_leader).get(reverse("home")).content.decode()
    assert reverse("membership_grant", args=[world.ward.pk]) in leader_page


def test_tree_starts_at_the_users_own_unit_with_children_counts(world, as_user):
    page = as_user(world.ward_officer).get(reverse("unit_browser")).content.decode()
    assert "<title>Đơn vị – Cổng thi đua</title>" in page
    assert "Phường Xuân Trung" in page
    assert "Thành phố Long Khánh" not in page
    province_page = as_user(world.leader).get(reverse("unit_browser")).content.decode()
    assert "Tỉnh Đồng Nai" in province_page
    assert '<summary class="small">2 đơn vị trực thuộc<span' in province_page


def test_tree_expands_one_level_through_htmx(world, as_user):
    response = as_user(world.leader).get(
        reverse("unit_children", args=[world.district.pk]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Phường Xuân Trung" in page and "Phường Xuân An" in page
    assert reverse("unit_children", args=[world.ward.pk]) in page  # Xuân Trung has a child


def test_closed_children_are_hidden_from_the_tree_unless_asked_for(world, as_user):
    services.close_unit(
        world.ward_office,
        actor=world.ward_leader,
        closed_on=datetime.date(2025, 6, 30),
        reason="Sáp nhập",
    )
    client = as_user(world.leader)
    url = reverse("unit_children", args=[world.ward.pk])
    assert "Phòng Văn hóa" not in client.get(url).content.decode()
    assert "Phòng Văn hóa" in client.get(url, {"cu": "on"}).content.decode()


@pytest.mark.parametrize(
    "query", ["xuan trung", "Xuân Trung", "XUÂN TRUNG", unicodedata.normalize("NFD", "Xuân Trung")]
)
def test_search_ignores_accents_case_and_unicode_form(world, as_user, query):
    page = as_user(world.officer).get(reverse("unit_browser"), {"q": query}).content.decode()
    assert "1 đơn vị khớp" in page
    assert reverse("unit_detail", args=[world.ward.pk]) in page


def test_search_stays_inside_the_users_scope(world, as_user):
    page = as_user(world.outsider).get(reverse("unit_browser"), {"q": "xuan"}).content.decode()
    assert "Phường Xuân An" in page
    assert "Xuân Trung" not in page


def test_search_results_are_paginated_and_htmx_gets_only_the_results(world, as_user, settings):
    settings.LIST_PAGE_SIZE = 25
    for number in range(30):
        services.create_unit(
            world.ward, actor=world.ward_officer, kind=UnitKind.OFFICE, name=f"Tổ công tác {number}"
        )
    client = as_user(world.ward_officer)
    first = client.get(reverse("unit_browser"), {"q": "to cong tac"})
    assert "30 đơn vị khớp" in first.content.decode()
    assert "Trang 1/2" in first.content.decode()
    second = client.get(
        reverse("unit_browser"), {"q": "to cong tac", "trang": 2}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in second.content.decode()
    assert second.content.decode().count('class="list-group-item list-group-item-action"') == 5
    assert "HX-Request" in second["Vary"]


def test_unit_page_shows_children_blocs_members_people_and_history(world, as_user):
    client = as_user(world.leader)
    page = client.get(reverse("unit_detail", args=[world.ward.pk])).content.decode()
    assert "<title>Phường Xuân Trung – Cổng thi đua</title>" in page
    assert "Phòng Văn hóa - Xã hội" in page  # an agency
    # The secondary sections load after the page (htmx), or by following the link without JS.
    details_url = reverse("unit_details", args=[world.ward.pk])
    assert f'hx-get="{details_url}" hx-trigger="load"' in page
    assert f'<a class="small" href="{details_url}">' in page
    assert "Huỳnh Thị Thu" not in page
    details = client.get(details_url).content.decode()  # the page of its own, without JS
    assert "<html" in details and "Phường Xuân Trung" in details
    fragment = client.get(details_url, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]
    for body in (details, fragment.content.decode()):
        assert "Cụm thi đua số 1" in body  # member of
        assert "Huỳnh Thị Thu" in body and "Cán bộ thi đua" in body  # a membership
        assert "Nguyễn Thị Hồng" in body  # a person
        assert "Lịch sử thay đổi" in body and "Thêm đơn vị" in body  # history with its reason


def test_unit_page_splits_administrative_children_from_agencies(world, as_user):
    page = as_user(world.leader).get(reverse("unit_detail", args=[world.province.pk]))
    assert [c.name for c in page.context["administrative_children"]] == ["Thành phố Long Khánh"]
    assert [c.name for c in page.context["agency_children"]] == ["Sở Nội vụ"]
    details = as_user(world.leader).get(reverse("unit_details", args=[world.province.pk]))
    assert [b.name for b in details.context["organised_blocs"]] == ["Cụm thi đua số 1"]


def test_history_shows_who_when_what_changed_and_why(world, as_user):
    services.update_unit(world.ward_office, actor=world.ward_leader, phone="0251 3 123 456")
    services.close_unit(
        world.ward_office,
        actor=world.ward_leader,
        closed_on=datetime.date(2025, 6, 30),
        reason="Sáp nhập vào Phòng Văn hóa - Khoa học",
    )
    response = as_user(world.ward_officer).get(reverse("unit_details", args=[world.ward_office.pk]))
    closed, updated, created = response.context["history"]
    assert closed.who == world.ward_leader
    assert closed.reason == "Giải thể, sáp nhập"
    assert closed.note == "Sáp nhập vào Phòng Văn hóa - Khoa học"
    assert [(c.label, c.old, c.new) for c in closed.changes] == [
        ("Hiệu lực đến", "—", "30/06/2025")
    ]
    assert [(c.label, c.new) for c in updated.changes] == [("Điện thoại", "0251 3 123 456")]
    assert ("Đơn vị cấp trên", "Phường Xuân Trung") in [(c.label, c.new) for c in created.changes]
    page = response.content.decode()
    assert "Võ Văn Phường" in page and "30/06/2025" in page


def test_history_is_hidden_from_those_without_the_capability(world, as_user):
    response = as_user(world.viewer).get(reverse("unit_details", args=[world.ward.pk]))
    assert response.context["history"] is None
    assert "Lịch sử thay đổi" not in response.content.decode()
    page = as_user(world.viewer).get(reverse("unit_detail", args=[world.ward.pk]))
    assert "lịch sử thay đổi" not in page.content.decode()  # the link does not promise it
    assert as_user(world.viewer).get(reverse("unit_history", args=[world.ward.pk])).status_code == (
        403
    )


def test_full_history_page_is_paginated(world, as_user, settings):
    settings.LIST_PAGE_SIZE = 25
    for number in range(30):
        services.update_unit(world.ward_office, actor=world.ward_leader, phone=f"0251 {number}")
    client = as_user(world.ward_officer)
    url = reverse("unit_history", args=[world.ward_office.pk])
    first = client.get(url)
    assert len(first.context["entries"]) == 25
    last = client.get(url, {"trang": 2})
    assert [e.action for e in last.context["entries"]][-1] == "Tạo mới"
    # The page's first entry is diffed against the row on the page before it.
    change = last.context["entries"][0].changes[0]
    assert (change.old, change.new) == ("0251 3", "0251 4")


def test_people_list_searches_without_accents(world, as_user):
    page = as_user(world.ward_officer).get(
        reverse("unit_people", args=[world.ward.pk]), {"q": "nguyen thi hong"}
    )
    assert [p.full_name for p in page.context["page"]] == ["Nguyễn Thị Hồng"]


def test_officer_adds_an_agency_with_normalised_text(world, as_user):
    response = as_user(world.ward_officer).post(
        reverse("unit_create", args=[world.ward.pk]),
        {"kind": UnitKind.OFFICE, "name": "  Phòng  Tư pha\u0301p ", "abbreviation": " TP "},
    )
    unit = Unit.objects.get(name="Phòng Tư pháp")
    assert response.status_code == 302
    assert response["Location"] == reverse("unit_detail", args=[unit.pk])
    assert unit.abbreviation == "TP" and unit.parent == world.ward
    assert unit.history.first().history_user == world.ward_officer


def test_villages_are_offered_only_under_a_commune(world, as_user):
    ward_form = as_user(world.ward_officer).get(reverse("unit_create", args=[world.ward.pk]))
    assert UnitKind.VILLAGE in dict(ward_form.context["form"].fields["kind"].choices)
    province_form = as_user(world.officer).get(reverse("unit_create", args=[world.province.pk]))
    assert UnitKind.VILLAGE not in dict(province_form.context["form"].fields["kind"].choices)


def test_a_refused_rule_keeps_the_users_input(world, as_user):
    services.create_unit(
        world.ward, actor=world.ward_officer, kind=UnitKind.OFFICE, name="Phòng A", code="X1"
    )
    response = as_user(world.ward_officer).post(
        reverse("unit_create", args=[world.ward.pk]),
        {"kind": UnitKind.OFFICE, "name": "Phòng Tài chính", "code": "X1", "address": "Số 1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mã đơn vị đã được dùng" in page
    assert 'value="Phòng Tài chính"' in page and 'value="Số 1"' in page
    assert not Unit.objects.filter(name="Phòng Tài chính").exists()


def test_invalid_input_is_shown_again_with_field_errors(world, as_user):
    response = as_user(world.ward_officer).post(
        reverse("unit_create", args=[world.ward.pk]),
        {"kind": UnitKind.OFFICE, "name": "   ", "email": "khong-hop-le", "phone": "0251"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "email"}
    assert 'value="0251"' in response.content.decode()


def test_management_pages_answer_403_inside_the_scope_without_the_capability(world, as_user):
    client = as_user(world.viewer)
    for name, pk in [
        ("unit_create", world.ward.pk),
        ("unit_update", world.ward.pk),
        ("unit_close", world.ward.pk),
        ("bloc_create", world.ward.pk),
        ("person_create", world.ward.pk),
        ("membership_grant", world.ward.pk),
        ("bloc_update", world.bloc.pk),
        ("bloc_member_add", world.bloc.pk),
        ("bloc_term_set", world.bloc.pk),
        ("person_update", world.person.pk),
        ("person_move", world.person.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 403, name
        assert client.post(reverse(name, args=[pk]), {}).status_code == 403, name
    assert client.post(reverse("bloc_rotate", args=[world.bloc.pk])).status_code == 403


def test_unit_grant_does_not_allow_editing_the_unit_itself(world, as_user):
    # A ward officer adds agencies under the ward, but the ward's own record belongs to the level
    # above it.
    client = as_user(world.ward_officer)
    assert client.get(reverse("unit_update", args=[world.ward.pk])).status_code == 403
    page = client.get(reverse("unit_detail", args=[world.ward.pk])).content.decode()
    assert reverse("unit_update", args=[world.ward.pk]) not in page


def test_editing_an_administrative_unit_keeps_its_national_code(world, as_user):
    response = as_user(world.leader).post(
        reverse("unit_update", args=[world.district.pk]),
        {"name": "Thành phố Long Khánh", "code": "99999", "address": "  Đường Hùng Vương "},
    )
    assert response.status_code == 302
    world.district.refresh_from_db()
    assert world.district.code == "732" and world.district.address == "Đường Hùng Vương"


def test_closing_a_unit_from_its_page(world, as_user):
    client = as_user(world.ward_leader)
    url = reverse("unit_close", args=[world.ward_office.pk])
    refused = client.post(url, {"closed_on": "31/02/2025", "reason": "Sáp nhập"})
    assert "closed_on" in refused.context["form"].errors
    response = client.post(url, {"closed_on": "30/06/2025", "reason": "Sáp nhập"})
    assert response.status_code == 302
    world.ward_office.refresh_from_db()
    assert world.ward_office.valid_to == datetime.date(2025, 6, 30)


def test_officer_creates_and_edits_a_bloc(world, as_user):
    client = as_user(world.officer)
    response = client.post(
        reverse("bloc_create", args=[world.province.pk]),
        {"kind": "bloc", "name": " Khối các sở ", "description": "Dòng 1\r\n  Dòng 2  "},
    )
    bloc = world.province.blocs.get(name="Khối các sở")
    assert response["Location"] == reverse("bloc_detail", args=[bloc.pk])
    assert bloc.description == "Dòng 1\nDòng 2"
    duplicate = client.post(
        reverse("bloc_create", args=[world.province.pk]), {"kind": "bloc", "name": "Khối các sở"}
    )
    assert "đã có cụm, khối" in duplicate.content.decode()
    client.post(
        reverse("bloc_update", args=[bloc.pk]),
        {"kind": "bloc", "name": "Khối các sở, ngành", "rotation_rule": "elected"},
    )
    bloc.refresh_from_db()
    assert (bloc.name, bloc.rotation_rule, bloc.is_active) == (
        "Khối các sở, ngành",
        "elected",
        False,
    )


def test_bloc_members_terms_and_rotation(world, as_user):
    client = as_user(world.officer)
    url = reverse("bloc_member_add", args=[world.bloc.pk])
    candidates = client.get(url).context["form"].fields["unit"].queryset
    assert world.ward not in candidates and world.home_affairs in candidates
    client.post(url, {"unit": world.home_affairs.pk, "joined_on": "01/01/2026"})
    member = BlocMember.objects.get(bloc=world.bloc, unit=world.home_affairs)
    assert member.joined_on == datetime.date(2026, 1, 1) and member.position == 3

    client.post(
        reverse("bloc_term_set", args=[world.bloc.pk]),
        {"year": 2027, "head": world.home_affairs.pk, "deputy": world.ward.pk},
    )
    assert BlocTerm.objects.get(bloc=world.bloc, year=2027).head == world.home_affairs

    response = client.post(reverse("bloc_rotate", args=[world.bloc.pk]), {"year": 2028})
    assert response.status_code == 302
    term = BlocTerm.objects.get(bloc=world.bloc, year=2028)
    assert (term.head, term.deputy) == (world.ward, world.sibling_ward)

    client.post(reverse("bloc_member_remove", args=[member.pk]), {"left_on": "31/12/2026"})
    member.refresh_from_db()
    assert member.left_on == datetime.date(2026, 12, 31)
    page = client.get(reverse("bloc_detail", args=[world.bloc.pk])).content.decode()
    assert "đã rời từ 31/12/2026" in page


def test_rotation_refused_shows_the_reason(world, as_user):
    bloc = services.create_bloc(world.province, actor=world.officer, kind="bloc", name="Khối mới")
    response = as_user(world.officer).post(
        reverse("bloc_rotate", args=[bloc.pk]), {"year": 2027}, follow=True
    )
    assert "ít nhất hai thành viên" in response.content.decode()


def test_bloc_member_sees_the_bloc_but_not_its_management(world, as_user):
    page = as_user(world.ward_officer).get(reverse("bloc_detail", args=[world.bloc.pk]))
    assert page.status_code == 200
    assert not page.context["may_manage"] and page.context["history"] is None


def test_people_are_created_edited_and_moved(world, as_user):
    client = as_user(world.reviewer)
    client.post(
        reverse("person_create", args=[world.ward.pk]),
        {"full_name": " Lê  Văn Tám ", "gender": "male", "birth_year": "1990", "ethnicity": "Kinh"},
    )
    person = Person.objects.get(full_name="Lê Văn Tám")
    refused = client.post(
        reverse("person_update", args=[person.pk]),
        {
            "full_name": "Lê Văn Tám",
            "gender": "male",
            "ethnicity": "Kinh",
            "is_manager": "on",
            "is_direct_worker": "on",
        },
    )
    assert "vừa là lãnh đạo" in refused.content.decode()
    client.post(
        reverse("person_update", args=[person.pk]),
        {"full_name": "Lê Văn Tám", "gender": "male", "ethnicity": "Tày", "position": "Tổ trưởng"},
    )
    client.post(reverse("person_move", args=[person.pk]), {"to_unit": world.sibling_ward.pk})
    person.refresh_from_db()
    assert (person.ethnicity, person.position, person.unit) == (
        "Tày",
        "Tổ trưởng",
        world.sibling_ward,
    )
    detail = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Chuyển đơn vị công tác" in detail and "Phường Xuân An" in detail


def test_leader_grants_and_revokes_a_role(world, as_user):
    newcomer = make_user("moi", full_name="Bùi Văn Mới")
    client = as_user(world.ward_leader)
    url = reverse("membership_grant", args=[world.ward.pk])
    unknown = client.post(url, {"username": "khongco", "role": Role.VIEWER})
    assert "Không có tài khoản" in unknown.content.decode()
    client.post(url, {"username": " MOI ", "role": Role.VIEWER})
    membership = Membership.objects.get(user=newcomer, unit=world.ward)
    again = client.post(url, {"username": "moi", "role": Role.VIEWER})
    assert "đã có vai trò" in again.content.decode()
    revoke_url = reverse("membership_revoke", args=[membership.pk])
    assert "Bùi Văn Mới" in client.get(revoke_url).content.decode()
    client.post(revoke_url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_bloc_page_links_only_to_units_the_member_may_open(world, as_user):
    page = as_user(world.ward_officer).get(reverse("bloc_detail", args=[world.bloc.pk]))
    body = page.content.decode()
    assert reverse("unit_detail", args=[world.ward.pk]) in body
    assert "Phường Xuân An" in body
    assert reverse("unit_detail", args=[world.sibling_ward.pk]) not in body
    assert reverse("unit_detail", args=[world.province.pk]) not in body
