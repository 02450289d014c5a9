"""The demo of #17 (TEST-ONLY certificates): the ward chairman's Quyết định signed by "his"
test token outside the portal, numbered by the văn thư, countersigned by the ward's
certificate; both signatures valid on `/xac-minh/<code>/`, and a changed byte makes the page
say so."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from portal.documents import outside_flow, signing
from portal.models import OfficialDocument


def test_the_demo_signs_outside_numbers_and_countersigns(client, world, settings, tmp_path):
    settings.DOCUMENT_TRUST_ANCHORS_DIR = str(tmp_path / "demo-ca")
    settings.DOCUMENT_SIGNING_P12 = str(signing.ensure_demo_certificate(tmp_path / "ward.p12"))
    settings.DOCUMENT_SIGNING_PASSPHRASE = signing.DEMO_PASSPHRASE
    out = StringIO()
    call_command("demo_outside_signing", "--don-vi", world.ward.code, stdout=out)
    text = out.getvalue()
    assert "Bản điện tử do lãnh đạo ký số, cơ quan ký số" in text
    assert "Chữ ký của Võ Văn Phường: hợp lệ" in text
    assert "Chữ ký của Chứng thư thử nghiệm (demo): hợp lệ" in text
    assert (tmp_path / "demo-ca" / "test-ca.pem").exists()
    assert not list((tmp_path / "demo-ca").glob("*.key"))  # keys never sit among the anchors

    document = OfficialDocument.objects.get(outside_signing__isnull=False)
    page = reverse("verify_code", args=[document.verification_code])
    text = client.get(page).content.decode()  # the public page, no sign-in
    assert "Bản điện tử do lãnh đạo ký số, cơ quan ký số" in text
    assert "Đúng tệp đã đăng ký khi ban hành" in text
    assert "<b>Võ Văn Phường</b>, ký lúc" in text
    assert "<b>Chứng thư thử nghiệm (demo)</b>, ký lúc" in text
    assert text.count("hợp lệ, còn nguyên vẹn") == 2 and "KHÔNG hợp lệ" not in text
    with open(document.pdf.path, "r+b") as handle:
        data = bytearray(handle.read())
        data[len(data) // 3] ^= 0x01
        handle.seek(0)
        handle.write(bytes(data))
    # The verdict kept by the first visit is not reused: the page reads the file again.
    text = client.get(page).content.decode()
    assert "Tệp đã bị thay đổi so với bản đăng ký khi ban hành" in text
    assert "KHÔNG hợp lệ" in text
    verdict = outside_flow.verdict_of(OfficialDocument.objects.get(pk=document.pk))
    assert not verdict["file_matches"] and not verdict["all_ok"]
