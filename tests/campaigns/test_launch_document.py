import io

from pypdf import PdfReader

from campaigns import services
from campaigns.models import LaunchForm
from portal.models import DocumentKind
from tests.campaign_fixtures import make_campaign
from tests.refusals import refused


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_launch_issues_a_numbered_plan_with_bases_and_content_items(city, real_pdf):
    campaign = make_campaign(city.district, city.city_officer)
    preview = services.documents.render_preview(campaign.document)
    assert "DỰ THẢO" in _text(preview)
    services.launch_campaign(campaign, actor=city.city_leader)
    campaign.refresh_from_db()
    document = campaign.document
    assert document.is_issued
    assert document.kind == DocumentKind.PLAN
    assert document.number_and_symbol.startswith("01/KH-")
    text = " ".join(_text(document.pdf.read()).split())
    assert "KẾ HOẠCH" in text
    # The preamble the portal proposed at save (the author saw it in the form) and the labels
    # the author wrote; no heading or number of the portal's own.
    assert "Căn cứ Luật số 06/2022/QH15 ngày 15/06/2022 của Quốc hội" in text
    assert "Ủy ban nhân dân thành phố Long Khánh ban hành Kế hoạch phát động" in text
    assert "1. Thi đua thực hiện thắng lợi các chỉ tiêu kinh tế - xã hội năm 2026." in text
    assert "MỤC ĐÍCH, YÊU CẦU" not in text
    assert "Thời gian thi đua" not in text
    # Signed by the person chairing the city on the post, for its People's Committee; the
    # leader's account ("Lê Văn Thành") that launched it is no signer.
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Đặng Văn Khánh" in text
    assert "Lê Văn Thành" not in text


def test_a_directive_is_issued_as_chi_thi(city):
    campaign = make_campaign(city.district, city.city_officer, launch_form=LaunchForm.DIRECTIVE)
    services.launch_campaign(campaign, actor=city.city_leader)
    campaign.refresh_from_db()
    assert campaign.document.kind == DocumentKind.DIRECTIVE
    assert campaign.document.summary.startswith("Về việc phát động")


def test_edits_after_preparing_reach_the_issued_document(city):
    campaign = make_campaign(city.district, city.city_officer)
    services.update_campaign(
        campaign, actor=city.city_officer, items=["Thi đua chuyển đổi số toàn diện."]
    )
    services.launch_campaign(campaign, actor=city.city_leader)
    campaign.refresh_from_db()
    texts = [block["text"] for block in campaign.document.body]
    assert "Thi đua chuyển đổi số toàn diện." in texts


def test_launch_without_a_prepared_document_is_refused(city):
    campaign = make_campaign(city.district, city.city_officer, document=False)
    with refused("launch_document_not_drafted"):
        services.launch_campaign(campaign, actor=city.city_leader)
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_a_launched_campaign_keeps_its_issued_document_frozen(city, city_campaign):
    with refused("launch_document_after_draft"):
        services.prepare_launch_document(city_campaign, actor=city.city_officer)
