"""The one upload check: the type by content, the size with its limit, a random stored name;
and an executable or a web page named .pdf is refused by every upload of the project."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from awards.procedure import central, clearance, drafting
from pledges import services as pledge_services
from pledges.covenants import signing
from portal import uploads
from tests import sweep
from tests.refusals import refused

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML_AS_PDF = b"%PDF-<html><script>alert(document.cookie)</script></html>"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def _ooxml(marker: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(marker, "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, uploads.PDF),
        (_png(), uploads.IMAGE),
        (_ooxml("word/document.xml"), uploads.DOCX),
        (_ooxml("xl/workbook.xml"), uploads.XLSX),
    ],
)
def test_the_type_is_read_from_the_bytes(content, kind):
    assert uploads.sniff(upload("ten-bat-ky.bin", content)).kind == kind


@pytest.mark.parametrize(
    "content",
    [EXE, HTML_AS_PDF, b"<html></html>", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, _ooxml("a.txt")],
)
def test_what_is_not_a_kept_kind_is_refused(content):
    with refused("upload_wrong_type"):
        uploads.check_upload(upload("bao-cao.pdf", content), allowed=uploads.EVIDENCE)


def test_a_kind_the_field_does_not_allow_is_refused():
    with refused("upload_wrong_type") as refusal:
        uploads.check_upload(upload("anh.pdf", _png()), allowed=uploads.PDF_ONLY)
    assert "“anh.pdf” không phải PDF" in refusal.value.message


def test_the_size_refusal_names_the_limit():
    big = upload("ho-so.pdf", PDF[:-6] + b" " * (11 * 1024 * 1024) + b"%%EOF\n")
    with refused("upload_too_large") as refusal:
        uploads.check_upload(big, allowed=uploads.PDF_ONLY)
    assert refusal.value.message == "Tệp “ho-so.pdf” nặng 11 MB, vượt giới hạn 10 MB."


def test_an_empty_file_is_refused():
    with refused("upload_empty"):
        uploads.check_upload(upload("a.pdf", b""), allowed=uploads.PDF_ONLY)


def test_an_accepted_file_gets_a_random_name_and_keeps_the_original():
    file = upload("Báo cáo Đặng.pdf", PDF)
    found = uploads.accept_upload(file, allowed=uploads.PDF_ONLY)
    assert found.original_name == "Báo cáo Đặng.pdf"
    assert file.name.endswith(".pdf") and len(file.name) == 36
    assert uploads.accept_upload(upload("x.pdf", PDF), allowed=uploads.PDF_ONLY) != file.name


@pytest.fixture
def sweep_world(world):
    return sweep.extend_world(world)


def _every_upload(w, file):
    """Each write of the project that keeps an uploaded file, called as its page calls it."""
    yield lambda: drafting.attach_signed_report(w.ward_nomination, actor=w.ward_officer, file=file)
    yield lambda: drafting.add_evidence(
        w.ward_nomination, actor=w.ward_officer, description="Minh chứng", file=file
    )
    yield lambda: clearance.record_clearance_answer(
        w.ward_clearance, actor=w.reviewer, verdict="agreed", text="", file=file
    )
    yield lambda: central.record_central_decision(
        [w.ward_central_nomination],
        actor=w.reviewer,
        number="99/QĐ-TTg",
        signed_on=datetime.date(2026, 1, 5),
        authority="prime_minister",
        result="approved",
        file=file,
    )
    yield lambda: pledge_services.report_progress(
        w.ward_registration.tasks.first(),
        actor=w.ward_officer,
        reported_on=datetime.date.today(),
        value=1,
        narrative="Báo cáo",
        files=[file],
    )
    yield lambda: signing.upload_signed_pledge(w.ward_pledge, actor=w.ward_officer, file=file)


@pytest.mark.parametrize("content", [EXE, HTML_AS_PDF])
def test_an_executable_named_pdf_is_refused_by_every_upload(sweep_world, content):
    for call in _every_upload(sweep_world, upload("bao-cao.pdf", content)):
        with refused("upload_wrong_type"):
            call()


@pytest.mark.parametrize("content", [EXE, HTML_AS_PDF])
def test_the_upload_pages_refuse_it_in_vietnamese(world, client, content):
    client.force_login(world.officer)
    response = client.post(
        reverse("awards:import_history"), {"file": upload("lich-su.xlsx", content)}
    )
    assert response.status_code == 200
    assert "kiểm tra theo nội dung tệp" in response.content.decode()
    response = client.post(reverse("verify_upload"), {"file": upload("van-ban.pdf", content)})
    assert "kiểm tra theo nội dung tệp" in response.content.decode()
