"""The launching paper carries the author's own words: trích yếu, labels, parts, bases."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from campaigns import services, tasks
from campaigns.documents import body as launch_body
from campaigns.models import Campaign, LaunchForm
from campaigns.services import BasisInput, split_items
from portal import documents
from portal.access import Role
from tests.campaign_fixtures import make_campaign
from tests.campaigns.test_views import _form_data
from tests.factories import make_member
from tests.former_units import former_district
from tests.refusals import refused


def _scan() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


LABELLED = [
    "Thứ nhất, đẩy mạnh tuyên truyền.",
    "a) Thi đua hoàn thành chỉ tiêu.",
    "- Thi đua cải cách hành chính.",
    "1. Thi đua chuyển đổi số.",
    "Không nhãn, in nguyên như vậy.",
]


def test_items_keep_the_authors_labels_and_are_never_numbered_on_top(city):
    campaign = make_campaign(city.district, city.city_officer, items=LABELLED, document=False)
    labels = [item.label for item in campaign.items.all()]
    assert labels == ["Thứ nhất,", "a)", "-", "1.", ""]
    printed = [block["text"] for block in launch_body(campaign)]
    for item in LABELLED:
        assert item in printed
    assert not any(text.startswith(("1. Thứ", "2. a)", "3. -")) for text in printed)


def test_an_item_of_several_paragraphs_is_set_apart_by_blank_lines():
    text = "1. Thi đua thứ nhất.\nĐoạn tiếp theo của nội dung 1.\n\n2. Thi đua thứ hai."
    assert split_items(text) == [
        "1. Thi đua thứ nhất.\nĐoạn tiếp theo của nội dung 1.",
        "2. Thi đua thứ hai.",
    ]
    assert split_items("Một\nHai") == ["Một", "Hai"]


def test_the_summary_is_offered_by_default_and_the_authors_summary_is_kept(city):
    offered = make_campaign(
        city.district, city.city_officer, launch_form=LaunchForm.DIRECTIVE, document=False
    )
    assert offered.summary == f"Về việc phát động {offered.title}"
    written = make_campaign(
        city.district,
        city.city_officer,
        summary="Về tăng cường công tác thi đua, khen thưởng năm 2026",
    )
    services.launch_campaign(written, actor=city.city_leader)
    written.refresh_from_db()
    assert written.document.summary == "Về tăng cường công tác thi đua, khen thưởng năm 2026"


def test_a_directive_prints_no_basis_block_and_nothing_the_author_did_not_write(city):
    preamble = "Thực hiện Chỉ thị số 41-CT/TW ngày 02/01/2025 của Ban Bí thư, Chủ tịch chỉ thị:"
    campaign = make_campaign(
        city.district,
        city.city_officer,
        launch_form=LaunchForm.DIRECTIVE,
        preamble=preamble,
        purpose="",
        solutions="",
        organisation="",
        rewards="",
        closing="Đề nghị các đơn vị nghiêm túc thực hiện./.",
        items=["1. Thi đua một.", "2. Thi đua hai."],
    )
    services.launch_campaign(campaign, actor=city.city_leader)
    campaign.refresh_from_db()
    body = campaign.document.body
    assert [block["text"] for block in body] == [
        preamble,
        "1. Thi đua một.",
        "2. Thi đua hai.",
        "Đề nghị các đơn vị nghiêm túc thực hiện./.",
    ]
    assert all(block["type"] != "basis" for block in body)


def test_a_part_heading_the_author_writes_is_printed_as_a_heading(city):
    campaign = make_campaign(
        city.district,
        city.city_officer,
        purpose="I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích",
        document=False,
    )
    blocks = launch_body(campaign)
    heading = next(b for b in blocks if b["text"] == "I. MỤC ĐÍCH, YÊU CẦU")
    assert heading["type"] == "heading"


def test_a_law_or_a_party_resolution_is_a_basis_without_number_or_date(city):
    campaign = make_campaign(
        city.district,
        city.city_officer,
        document=False,
        bases=[
            BasisInput(type_word="Luật", summary="Thi đua, khen thưởng"),
            BasisInput(text="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XI"),
            BasisInput(
                type_word="Quyết định",
                document_number="1234/QĐ-UBND",
                issued_on=datetime.date(2023, 12, 5),
                issuer_name="Ủy ban nhân dân tỉnh Đồng Nai",
                summary="về việc ban hành Quy chế thi đua, khen thưởng",
            ),
        ],
    )
    assert [b.citation() for b in campaign.bases.all()] == [
        "Luật Thi đua, khen thưởng",
        "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XI",
        "Quyết định số 1234/QĐ-UBND ngày 05/12/2023 của Ủy ban nhân dân tỉnh Đồng Nai"
        " về việc ban hành Quy chế thi đua, khen thưởng",
    ]


def test_a_basis_row_with_missing_fields_is_refused_by_its_row_number(city, draft_campaign):
    with refused("basis_row") as refusal:
        services.update_campaign(
            draft_campaign,
            actor=city.city_officer,
            bases=[
                BasisInput(type_word="Luật", summary="Thi đua, khen thưởng"),
                BasisInput(issued_on=datetime.date(2024, 1, 1), issuer_name="Quốc hội"),
                BasisInput(type_word="Quyết định"),
            ],
        )
    assert "dòng 2" in refusal.value.message and "dòng 3" in refusal.value.message
    assert "dòng 1" not in refusal.value.message
    assert draft_campaign.bases.count() == 1  # the saved bases are untouched


def test_a_refused_basis_row_keeps_everything_typed_in_the_form(client, city):
    client.force_login(city.city_officer)
    data = _form_data(
        city,
        **{
            "bases-TOTAL_FORMS": "2",
            "bases-1-issued_on": "01/01/2024",
            "preamble": "Đoạn mở đầu do tác giả viết.",
        },
    )
    response = client.post(reverse("campaigns:create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "dòng 2" in page
    assert "Đoạn mở đầu do tác giả viết." in page
    assert "ban Bí thư" in page.lower() or "Ban Bí thư" in page
    assert not Campaign.objects.exists()


def test_any_number_of_bases_go_in_on_one_screen(client, city):
    client.force_login(city.city_officer)
    data = _form_data(city, **{"bases-TOTAL_FORMS": "7"})
    for index in range(1, 7):
        data[f"bases-{index}-type_word"] = "Kế hoạch"
        data[f"bases-{index}-document_number"] = f"{index}/KH-UBND"
    client.post(reverse("campaigns:create"), data)
    assert Campaign.objects.get().bases.count() == 7


def test_the_add_row_button_returns_the_next_row_and_the_new_total(client, city):
    client.force_login(city.city_officer)
    response = client.get(reverse("campaigns:basis_row"), {"bases-TOTAL_FORMS": "3"})
    page = response.content.decode()
    assert 'name="bases-3-type_word"' in page
    assert "Căn cứ dòng 4" in page
    assert 'name="bases-TOTAL_FORMS" value="4"' in page and "hx-swap-oob" in page


def test_referenced_campaigns_are_kept_as_the_exact_strings(client, city):
    client.force_login(city.city_officer)
    names = "Phong trào thi đua “Dân vận khéo”\nCả nước thi đua xây dựng nông thôn mới"
    client.post(reverse("campaigns:create"), _form_data(city, referenced_campaigns=names))
    assert Campaign.objects.get().referenced_campaigns == names.split("\n")


# Dates and the issuing body of the time


def test_the_signer_sets_the_launch_date_under_the_registers_rule(city):
    campaign = make_campaign(city.district, city.city_officer)
    signed = timezone.localdate() - datetime.timedelta(days=3)
    services.launch_campaign(campaign, actor=city.city_leader, launched_on=signed)
    campaign.refresh_from_db()
    assert campaign.launched_on == signed
    assert campaign.document.issued_on == signed
    later = make_campaign(city.district, city.city_officer, title="Phong trào khác")
    with refused("date_backwards"):
        services.launch_campaign(
            later, actor=city.city_leader, launched_on=signed - datetime.timedelta(days=1)
        )
    later.refresh_from_db()
    assert later.status == "draft"


def test_a_future_launch_date_is_refused(city):
    campaign = make_campaign(city.district, city.city_officer)
    with refused("date_future"):
        services.launch_campaign(
            campaign,
            actor=city.city_leader,
            launched_on=timezone.localdate() + datetime.timedelta(days=1),
        )


def _former_campaign(former, **fields):
    values = dict(
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        registration_due=datetime.date(2024, 2, 28),
        midterm_review_due=None,
        final_review_due=datetime.date(2024, 12, 15),
        target_mode="subtree",
        document=False,
    )
    values.update(fields)
    return make_campaign(former.district, former.officer, **values)


def test_a_former_district_launches_on_its_recorded_directive_with_its_communes_of_then(city):
    former = former_district(city)
    campaign = _former_campaign(former, launch_form=LaunchForm.DIRECTIVE)
    recorded = documents.record_document(
        "directive",
        issuer=former.district,
        actor=former.leader,
        number_and_symbol="02/CT-UBND",
        issued_on=datetime.date(2024, 1, 15),
        summary="Về việc phát động phong trào thi đua năm 2024",
        scan=_scan(),
    )
    services.launch_campaign(campaign, actor=former.leader, document=recorded)
    campaign.refresh_from_db()
    assert campaign.document == recorded and campaign.launched_on == datetime.date(2024, 1, 15)
    units = {target.unit for target in campaign.targets.all()}
    assert units == {former.commune, former.township}


def test_a_recorded_paper_of_another_kind_or_unit_cannot_launch(city):
    former = former_district(city)
    campaign = _former_campaign(former, launch_form=LaunchForm.DIRECTIVE)
    plan = documents.record_document(
        "plan",
        issuer=former.district,
        actor=former.leader,
        number_and_symbol="05/KH-UBND",
        issued_on=datetime.date(2024, 1, 15),
        summary="Kế hoạch",
        scan=_scan(),
    )
    with refused("launch_document_kind"):
        services.launch_campaign(campaign, actor=former.leader, document=plan)


def test_a_former_district_issues_its_past_plan_but_not_after_dissolution(city):
    former = former_district(city)
    campaign = _former_campaign(former, document=True)
    with refused("issuer_dissolved") as refusal:
        services.launch_campaign(campaign, actor=former.leader)
    assert "Xã Xuân Lộc" in refusal.value.message
    services.launch_campaign(campaign, actor=former.leader, launched_on=datetime.date(2024, 1, 10))
    campaign.refresh_from_db()
    assert campaign.document.issuer_name == "ỦY BAN NHÂN DÂN\nHUYỆN XUÂN LỘC"
    assert campaign.targets.count() == 2


def test_a_former_districts_bloc_takes_the_members_of_its_year(city):
    former = former_district(city)
    campaign = _former_campaign(former, target_mode="blocs", target_blocs=[former.bloc])
    campaign.target_blocs.set([former.bloc])
    units = services.resolve_targets(campaign, datetime.date(2024, 3, 1))
    assert units == [former.commune, former.township]
    assert services.resolve_targets(campaign, datetime.date(2025, 9, 1)) == []


@pytest.mark.parametrize("rows", [2, 20])
def test_the_campaign_editor_holds_its_budget_whatever_the_number_of_bases(
    client, city, rows, django_assert_max_num_queries
):
    campaign = make_campaign(
        city.district,
        city.city_officer,
        document=False,
        bases=[
            BasisInput(type_word="Kế hoạch", document_number=f"{i}/KH-UBND") for i in range(rows)
        ],
    )
    client.force_login(city.city_officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("campaigns:edit", args=[campaign.pk]))
    assert response.content.decode().count("Căn cứ dòng") == rows + 1


def test_the_record_page_holds_its_budget(client, city, django_assert_max_num_queries):
    client.force_login(city.city_leader)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("document_record"))
    assert response.status_code == 200


# A launch entered as history calls nobody to act today


def _with_mail(*users):
    for user in users:
        user.email = f"{user.username}@thidua.gov.vn"
        user.save()


def test_a_former_districts_campaign_launched_on_its_recorded_paper_mails_nobody(
    city, mailoutbox, django_capture_on_commit_callbacks
):
    former = former_district(city)
    commune_leader = make_member(former.commune, Role.LEADER, "ct_xuanhiep", "Lê Văn Xã")
    _with_mail(commune_leader, former.leader, former.officer)
    campaign = _former_campaign(former, launch_form=LaunchForm.DIRECTIVE)
    recorded = documents.record_document(
        "directive",
        issuer=former.district,
        actor=former.leader,
        number_and_symbol="02/CT-UBND",
        issued_on=datetime.date(2024, 1, 15),
        summary="Về việc phát động phong trào thi đua năm 2024",
        scan=_scan(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign(campaign, actor=former.leader, document=recorded)
    campaign.refresh_from_db()
    assert campaign.status == "launched" and campaign.targets.count() == 2
    assert mailoutbox == []
    # Even run by hand, the notice reaches no unit closed since: nobody there acts on it.
    assert tasks.notify_campaign_launched(campaign.pk) == 0


def test_a_running_campaign_launched_on_a_recorded_paper_is_announced_with_its_paper_and_date(
    city, mailoutbox, django_capture_on_commit_callbacks
):
    _with_mail(city.ward_officer)
    signed = timezone.localdate() - datetime.timedelta(days=2)
    campaign = make_campaign(
        city.district, city.city_officer, document=False, launch_form=LaunchForm.DIRECTIVE
    )
    recorded = documents.record_document(
        "directive",
        issuer=city.district,
        actor=city.city_leader,
        number_and_symbol="12-CT/TU",
        issued_on=signed,
        summary="Về việc phát động phong trào thi đua",
        scan=_scan(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign(campaign, actor=city.city_leader, document=recorded)
    assert [m.to[0] for m in mailoutbox] == [city.ward_officer.email]
    assert f"bằng Chỉ thị số 12-CT/TU ngày {signed:%d/%m/%Y}" in mailoutbox[0].body


def test_a_campaign_whose_period_is_over_is_launched_without_mail(
    city, mailoutbox, django_capture_on_commit_callbacks
):
    _with_mail(city.ward_officer, city.ward_leader)
    year = timezone.localdate().year - 1
    campaign = make_campaign(
        city.district,
        city.city_officer,
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        registration_due=datetime.date(year, 2, 1),
        midterm_review_due=None,
        final_review_due=datetime.date(year, 12, 15),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign(
            campaign, actor=city.city_leader, launched_on=datetime.date(year, 1, 5)
        )
    assert services.launched_as_history(campaign, timezone.localdate())
    assert mailoutbox == []


def test_a_recorded_paper_of_another_unit_or_of_another_campaign_cannot_launch(city):
    former = former_district(city)
    campaign = _former_campaign(former, launch_form=LaunchForm.DIRECTIVE)

    def directive(issuer, actor, number):
        return documents.record_document(
            "directive",
            issuer=issuer,
            actor=actor,
            number_and_symbol=number,
            issued_on=datetime.date(2024, 1, 15),
            summary="Về việc phát động phong trào thi đua năm 2024",
            scan=_scan(),
        )

    provinces = directive(city.province, city.leader, "01/CT-UBND")
    with refused("launch_document_foreign"):
        services.launch_campaign(campaign, actor=former.leader, document=provinces)
    own = directive(former.district, former.leader, "02/CT-UBND")
    services.launch_campaign(campaign, actor=former.leader, document=own)
    second = _former_campaign(former, launch_form=LaunchForm.DIRECTIVE, title="Phong trào khác")
    with refused("launch_document_taken"):
        services.launch_campaign(second, actor=former.leader, document=own)
    second.refresh_from_db()
    assert second.status == "draft" and second.document is None
