"""Signing as leaders really sign (#17): the paper handed out, signed outside with the leader's
own certificate (pyHanko standing in for the tool, a CA made here for the government CA),
brought back, numbered by the văn thư and countersigned by the agency, then verified."""

from __future__ import annotations

import datetime
import re
from io import BytesIO

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied

from portal.documents import outside_flow, outside_pdf, signers, signing
from portal.documents.demo import make_decision
from portal.models import DocumentKind, OfficialDocument, Role
from tests.factories import make_member
from tests.portal.outside_drafts import giao_uoc_draft
from tests.portal.test_outside_signing import FakeGovernmentCA, sign
from tests.refusals import refused


@pytest.fixture(scope="module")
def anchors_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("flow-anchors")


@pytest.fixture(scope="module")
def ca(anchors_dir):
    return FakeGovernmentCA("CA thử nghiệm (quy trình ký ngoài cổng)", anchors_dir)


@pytest.fixture
def trusted(settings, anchors_dir, ca):
    settings.DOCUMENT_TRUST_ANCHORS_DIR = str(anchors_dir)
    return ca


@pytest.fixture
def agency(settings, tmp_path):
    path = signing.ensure_demo_certificate(tmp_path / "agency.p12")
    settings.DOCUMENT_SIGNING_P12 = str(path)
    settings.DOCUMENT_SIGNING_PASSPHRASE = signing.DEMO_PASSPHRASE
    return path


@pytest.fixture
def decision(world):
    """The ward chairman's Quyết định, its signer the person holding the post."""
    fields = signers.signature(world.ward, datetime.date.today()).draft_fields()
    return make_decision(world.ward, actor=world.ward_officer, awardees=3, **fields)


def _text(pdf: bytes) -> str:
    with pdfplumber.open(BytesIO(pdf)) as document:
        return document.pages[0].extract_text()


def _as_seen(pdf: bytes) -> list[dict]:
    """Page 1's characters as a reader's viewer draws them: the form fields' appearances
    (the văn thư's number and date) flattened into the page by PDFium, then read by
    pdfplumber, each with its font and size."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(pdf)
    page = document[0]
    flattened = pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)
    assert flattened == pdfium_c.FLATTEN_SUCCESS
    out = BytesIO()
    document.save(out)
    with pdfplumber.open(BytesIO(out.getvalue())) as flattened:
        return flattened.pages[0].chars


def _line(chars: list[dict], text: str) -> list[dict]:
    """The visible characters (no spaces) of the line holding `text` (written without spaces):
    those whose vertical middle is within 4 pt of one another, left to right."""
    rows: list[list[dict]] = []
    visible = sorted((c for c in chars if c["text"].strip()), key=lambda c: c["top"] + c["bottom"])
    for char in visible:
        middle = (char["top"] + char["bottom"]) / 2
        if rows and abs(middle - (rows[-1][0]["top"] + rows[-1][0]["bottom"]) / 2) <= 4:
            rows[-1].append(char)
        else:
            rows.append([char])
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        if text in "".join(c["text"] for c in row):
            return row
    found = ["".join(c["text"] for c in row) for row in rows[:12]]
    raise AssertionError(f"no line reads {text!r}: {found}")


def _run(row: list[dict], before: str, text: str) -> list[dict]:
    """The characters spelling `text` right after `before` in `row`."""
    start = "".join(c["text"] for c in row).index(before + text) + len(before)
    return row[start : start + len(text)]


def _signed_by_chair(world, decision, ca, holder=None):
    paper = outside_flow.prepare_signing_paper(decision, actor=world.ward_leader)
    data = outside_flow.paper_to_sign(paper)
    token = ca.signer(holder or world.ward_chair.full_name)
    return data, sign(data, token)


def test_the_paper_to_sign_is_final_with_number_and_day_blank(world, decision, trusted):
    paper = outside_flow.prepare_signing_paper(decision, actor=world.ward_leader)
    text = _text(outside_flow.paper_to_sign(paper))
    assert "DỰ THẢO" not in text
    assert re.search(r"Số:\s+/QĐ-UBND", text)
    assert re.search(r"ngày\s+tháng\s+năm \d{4}", text)
    decision.refresh_from_db()
    assert f"Mã xác minh: {decision.verification_code}" in text
    # Laid out once: fetching it again hands out the same bytes.
    again = outside_flow.prepare_signing_paper(decision, actor=world.ward_leader)
    assert again.produced_sha256 == paper.produced_sha256


def test_signed_upload_is_accepted_numbered_and_countersigned(world, decision, trusted, agency):
    _, signed = _signed_by_chair(world, decision, trusted)
    paper = outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    assert [s["holder"] for s in paper.signatures] == ["Võ Văn Phường"]
    assert not paper.needs_confirmation
    issued = outside_flow.issue_signed_document(decision, actor=world.ward_officer)
    assert issued.is_issued and issued.number
    with issued.pdf.open("rb") as handle:
        final = handle.read()
    assert final.startswith(signed)  # the leader's file, plus one incremental update
    # The number and the date as a reader sees them, where the decree puts them (Phụ lục I,
    # II.3.c and II.4.c): "Số: 05/QĐ-UBND" upright, size 13; the day and month in the italic
    # date line, size 14, "ngày 05 tháng 12 năm 2026" (a day under 10 and January, February
    # with a leading zero), on the same line as the number.
    today = datetime.date.today()
    seen = _as_seen(final)
    number_line = _line(seen, f"Số:{issued.number}/QĐ-UBND")
    for char in _run(number_line, "Số:", issued.number):
        assert char["fontname"].endswith("Times-Roman") and round(char["size"]) == 13
    day, month = f"{today.day:02d}", f"{today.month:02d}" if today.month < 3 else str(today.month)
    date_line = _line(seen, f"ngày{day}tháng{month}năm{today.year}")
    for char in _run(date_line, "ngày", day) + _run(date_line, f"ngày{day}tháng", month):
        assert char["fontname"].endswith("Times-Italic") and round(char["size"]) == 14
    assert abs(number_line[0]["bottom"] - date_line[0]["bottom"]) < 4
    verdicts = outside_pdf.read_signatures(final, outside_flow._anchors())
    assert [v.holder for v in verdicts] == ["Võ Văn Phường", "Chứng thư thử nghiệm (demo)"]
    assert all(v.ok for v in verdicts)
    verdict = outside_flow.verdict_of(issued)
    assert verdict["all_ok"] and verdict["file_matches"]
    assert outside_flow.original_kind(issued) == "countersigned"


def test_without_an_agency_certificate_the_leader_signed_file_is_the_original(
    world, decision, trusted
):
    _, signed = _signed_by_chair(world, decision, trusted)
    outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    issued = outside_flow.issue_signed_document(decision, actor=world.ward_officer)
    verdict = outside_flow.verdict_of(issued)
    assert [s["holder"] for s in verdict["signatures"]] == ["Võ Văn Phường"]
    assert verdict["all_ok"]
    assert outside_flow.original_kind(issued) == "leader_signed"


def test_tampering_with_a_byte_of_the_issued_file_is_reported(world, decision, trusted, agency):
    _, signed = _signed_by_chair(world, decision, trusted)
    outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    issued = outside_flow.issue_signed_document(decision, actor=world.ward_officer)
    with issued.pdf.open("rb") as handle:
        data = bytearray(handle.read())
    position = data.index(b"/Contents", 200) - 40  # inside the first revision's objects
    data[position] = ord("X") if data[position] != ord("X") else ord("Y")
    with open(issued.pdf.path, "wb") as handle:
        handle.write(bytes(data))
    verdict = outside_flow.verdict_of(OfficialDocument.objects.get(pk=issued.pk))
    assert not verdict["file_matches"]
    assert not verdict["all_ok"]
    assert not all(s["ok"] for s in verdict["signatures"])


def test_a_paper_changed_before_signing_is_refused(world, decision, trusted):
    data, _ = _signed_by_chair(world, decision, trusted)
    changed = data.replace(b"/Producer", b"/Pxoducer", 1)
    assert changed != data
    forged = sign(changed, trusted.signer(world.ward_chair.full_name))
    with refused("signed_upload_not_produced"):
        outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=forged)
    assert outside_flow.current_signing(decision).signatures == []


def test_a_stranger_certificate_needs_the_clerk_confirmation(world, decision, trusted, agency):
    _, signed = _signed_by_chair(world, decision, trusted, holder="Trần Văn Lạ")
    paper = outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    assert paper.needs_confirmation
    with refused("certificate_name_mismatch"):
        outside_flow.issue_signed_document(decision, actor=world.ward_officer)
    with refused("certificate_override_reason_required"):
        outside_flow.confirm_signer(decision, actor=world.ward_officer, reason="  ")
    with pytest.raises(PermissionDenied):  # another ward's officer
        outside_flow.confirm_signer(decision, actor=world.outsider, reason="Không phải việc")
    outside_flow.confirm_signer(
        decision, actor=world.ward_officer, reason="Chứng thư cấp theo tên khai sinh"
    )
    paper.refresh_from_db()
    last = paper.history.first()
    assert last.confirmation_reason == "Chứng thư cấp theo tên khai sinh"
    assert last.history_user == world.ward_officer
    assert outside_flow.issue_signed_document(decision, actor=world.ward_officer).is_issued


def test_an_expired_certificate_is_refused(world, decision, trusted):
    paper = outside_flow.prepare_signing_paper(decision, actor=world.ward_leader)
    data = outside_flow.paper_to_sign(paper)
    expired = trusted.signer(world.ward_chair.full_name, valid_days=(-400, -10))
    with refused("signed_upload_expired"):
        outside_flow.accept_signed_upload(
            decision, actor=world.ward_leader, data=sign(data, expired)
        )


def test_bytes_appended_after_the_signature_are_refused(world, decision, trusted):
    _, signed = _signed_by_chair(world, decision, trusted)
    with refused("signed_upload_not_whole_file"):
        outside_flow.accept_signed_upload(
            decision, actor=world.ward_leader, data=signed + b"\n% appended\n"
        )


def test_only_the_signer_or_the_clerk_carries_the_paper(world, decision, trusted):
    with pytest.raises(PermissionDenied):
        outside_flow.prepare_signing_paper(decision, actor=world.outsider)
    with pytest.raises(PermissionDenied):
        outside_flow.prepare_signing_paper(decision, actor=world.leader)  # another unit's
    assert outside_flow.prepare_signing_paper(decision, actor=world.ward_officer)
    _, signed = _signed_by_chair(world, decision, trusted)
    with pytest.raises(PermissionDenied):
        outside_flow.accept_signed_upload(decision, actor=world.outsider, data=signed)
    with pytest.raises(PermissionDenied):
        outside_flow.issue_signed_document(decision, actor=world.outsider)


def test_an_edited_draft_must_be_signed_again(world, decision, trusted):
    from portal import documents

    _, signed = _signed_by_chair(world, decision, trusted)
    documents.update_draft(decision, actor=world.ward_officer, summary="Về việc khác")
    with refused("draft_changed_since_export"):
        outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)


def test_a_three_member_giao_uoc_is_signed_three_times_and_verified(world, trusted, agency):
    """As the pledges app lays a giao ước out (tests/pledges/test_covenant_outside_signing.py
    runs it from the pledge): the parties' blocks, then the head's beside "Nơi nhận"; each
    member signs into their own field, in the order printed."""
    from portal import documents

    parties = ["Hà Văn An", "Nguyễn Văn Lãnh"]
    members = [*parties, "Võ Văn Phường"]
    pledge = documents.create_draft(
        DocumentKind.PLEDGE,
        issuer=world.ward,
        actor=world.ward_officer,
        title="Giao ước thi đua năm 2026",
        summary="Giao ước thi đua năm 2026 của Cụm thi đua số 1",
        body=[{"type": "paragraph", "text": "Các đơn vị cùng giao ước thi đua."}],
        signer_name="Võ Văn Phường",
        signer_position="TM. ỦY BAN NHÂN DÂN\nPHƯỜNG XUÂN TRUNG\nCHỦ TỊCH",
        recipients=["Các đơn vị thuộc cụm", "Lưu: VT"],
        co_signers=[{"title": f"Đại diện đơn vị {i}", "name": n} for i, n in enumerate(parties, 1)],
    )
    assert outside_flow.expected_signers(pledge) == members
    paper = outside_flow.prepare_signing_paper(pledge, actor=world.ward_officer)
    data = outside_flow.paper_to_sign(paper)
    fields = ["ChuKyThanhVien1", "ChuKyThanhVien2", outside_pdf.LEADER_FIELD]
    for turn, (name, field) in enumerate(zip(members, fields, strict=True)):
        signed = sign(data, trusted.signer(name), field=field)
        if turn < 2:
            with refused("signatures_missing"):
                outside_flow.issue_signed_document(pledge, actor=world.ward_officer)
        paper = outside_flow.accept_signed_upload(pledge, actor=world.ward_officer, data=signed)
        assert [s["expected"] for s in paper.signatures] == members[: turn + 1]
        assert outside_flow.paper_to_sign(paper) == signed
        data = signed
    assert not paper.needs_confirmation
    issued = outside_flow.issue_signed_document(pledge, actor=world.ward_officer)
    verdict = outside_flow.verdict_of(issued)
    assert [s["holder"] for s in verdict["signatures"]] == [
        *members,
        "Chứng thư thử nghiệm (demo)",
    ]
    assert verdict["all_ok"]


def test_a_giao_uoc_member_signing_out_of_turn_needs_confirmation(world, trusted):
    pledge = giao_uoc_draft(world)
    paper = outside_flow.prepare_signing_paper(pledge, actor=world.ward_officer)
    # The head signs first, on the party's turn: the portal names whom it expected.
    signed = sign(outside_flow.paper_to_sign(paper), trusted.signer("Võ Văn Phường"), field="X1")
    paper = outside_flow.accept_signed_upload(pledge, actor=world.ward_officer, data=signed)
    assert [(s["holder"], s["expected"]) for s in paper.mismatches] == [
        ("Võ Văn Phường", "Hà Văn An")
    ]


def test_each_giao_uoc_member_leader_carries_their_own_turn(world, trusted):
    from tests.pledges.covenant_fixtures import sibling_leader

    leader = sibling_leader(world)  # Đặng Văn An, leader of the sibling ward
    pledge = giao_uoc_draft(
        world,
        {"title": "Đại diện", "name": "Đặng Văn An", "unit": world.sibling_ward.pk},
        signer=world.ward_chair,
    )
    with pytest.raises(PermissionDenied):  # another unit's leader, of another name
        outside_flow.prepare_signing_paper(pledge, actor=world.leader)
    # The same name leading another unit is not Xuân An's representative.
    namesake = make_member(world.district, Role.LEADER, "ct_longkhanh_an", "Đặng Văn An")
    assert not outside_flow.takes_part(namesake, pledge)
    with pytest.raises(PermissionDenied):
        outside_flow.prepare_signing_paper(pledge, actor=namesake)
    paper = outside_flow.prepare_signing_paper(pledge, actor=leader)
    signed = sign(outside_flow.paper_to_sign(paper), trusted.signer("Đặng Văn An"), field="A")
    paper = outside_flow.accept_signed_upload(pledge, actor=leader, data=signed)
    with pytest.raises(PermissionDenied):  # his turn is over: the head's comes next
        outside_flow.prepare_signing_paper(pledge, actor=leader)
    data = outside_flow.paper_to_sign(
        outside_flow.prepare_signing_paper(pledge, actor=world.ward_leader)
    )
    second = sign(data, trusted.signer("Võ Văn Phường"), field=outside_pdf.LEADER_FIELD)
    paper = outside_flow.accept_signed_upload(pledge, actor=world.ward_leader, data=second)
    assert [s["holder"] for s in paper.signatures] == ["Đặng Văn An", "Võ Văn Phường"]
    assert not paper.needs_confirmation


def test_a_letter_signed_outside_keeps_its_address_block_on_the_record(world, trusted):
    """Issuing after an outside signature writes the record as the portal's own issue does:
    box 13 of a Công văn is snapshotted (as printed on the paper the leader signed)."""
    from portal import documents

    world.ward.address = "Số 1 đường Hùng Vương, phường Xuân Trung"
    world.ward.phone = "0251 3877 123"
    world.ward.save()
    fields = signers.signature(world.ward, datetime.date.today()).draft_fields()
    letter = documents.create_draft(
        DocumentKind.OFFICIAL_LETTER,
        issuer=world.ward,
        actor=None,
        summary="V/v báo cáo kết quả phong trào",
        addressees=["Sở Nội vụ"],
        body="Nội dung công văn.",
        recipients=["Như trên", "Lưu: VT"],
        **fields,
    )
    paper = outside_flow.prepare_signing_paper(letter, actor=world.ward_leader)
    printed = _text(outside_flow.paper_to_sign(paper))
    assert "Số 1 đường Hùng Vương, phường Xuân Trung" in printed
    signed = sign(outside_flow.paper_to_sign(paper), trusted.signer(world.ward_chair.full_name))
    outside_flow.accept_signed_upload(letter, actor=world.ward_leader, data=signed)
    issued = outside_flow.issue_signed_document(letter, actor=world.ward_officer)
    assert issued.issuer_contact == [
        "Số 1 đường Hùng Vương, phường Xuân Trung",
        "ĐT: 0251 3877 123",
    ]
    assert issued.issuer_name and issued.number


@pytest.mark.parametrize(
    ("kind", "symbol"),
    [
        (DocumentKind.DIRECTIVE, "CT-UBND"),
        (DocumentKind.PLAN, "KH-UBND"),
        (DocumentKind.SUBMISSION, "TTr-UBND"),
        (DocumentKind.OFFICIAL_LETTER, "UBND"),
    ],
)
def test_each_kind_is_signed_outside_and_reads_its_number_and_date(
    world, trusted, agency, kind, symbol
):
    """Both ways work on the same kinds (the Quyết định and the Giao ước above): the paper
    of each kind is signed by the chairman, numbered and countersigned, and a reader sees the
    number in box 3 and the day and month in box 4, on one line, as the decree sets them."""
    from portal import documents

    today = datetime.date.today()
    addressees = (
        ["Sở Nội vụ"] if kind in (DocumentKind.SUBMISSION, DocumentKind.OFFICIAL_LETTER) else []
    )
    draft = documents.create_draft(
        kind,
        issuer=world.ward,
        actor=world.ward_officer,
        summary="Về việc tổ chức phong trào thi đua năm 2026",
        addressees=addressees,
        body="Nội dung văn bản.",
        recipients=["Như trên", "Lưu: VT"],
        **documents.post_signature(kind, world.ward, today, None),
    )
    paper = outside_flow.prepare_signing_paper(draft, actor=world.ward_leader)
    signed = sign(outside_flow.paper_to_sign(paper), trusted.signer(world.ward_chair.full_name))
    outside_flow.accept_signed_upload(draft, actor=world.ward_leader, data=signed)
    issued = outside_flow.issue_signed_document(draft, actor=world.ward_officer)
    with issued.pdf.open("rb") as handle:
        final = handle.read()
    seen = _as_seen(final)
    number_line = _line(seen, f"Số:{issued.number}/{symbol}")
    day, month = f"{today.day:02d}", f"{today.month:02d}" if today.month < 3 else str(today.month)
    date_line = _line(seen, f"ngày{day}tháng{month}năm{today.year}")
    assert abs(number_line[0]["bottom"] - date_line[0]["bottom"]) < 4
    verdict = outside_flow.verdict_of(issued)
    assert [s["holder"] for s in verdict["signatures"]] == [
        "Võ Văn Phường",
        "Chứng thư thử nghiệm (demo)",
    ]
    assert verdict["all_ok"]
