"""A bloc's Giao ước signed as leaders really sign (#17): the covenant's document is laid out
once, each member's leader signs it in turn with their own certificate outside the portal
(pyHanko standing in for the signing tool, a CA made here for the government CA), the portal
checks each signature in order against that member's signer, then the head's officer issues
it: the day filled in and the organiser's certificate countersigning, every member's signature
still valid. The paper path (a scan of the paper signed by hand) still issues at the portal."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pledges.covenants import signing
from pledges.workflow import PledgeStatus
from portal.documents import outside_flow, outside_pdf
from portal.documents import signing as document_signing
from portal.errors import RuleViolation
from portal.models import BlocMember, Role, UnitKind
from tests.factories import make_member, make_person, make_post, make_unit
from tests.pledges.covenant_fixtures import drafted
from tests.portal.test_outside_signing import FakeGovernmentCA, sign
from tests.refusals import refused

# The real layout: the signatures are checked against the very bytes handed out.
pytestmark = pytest.mark.usefixtures("real_pdf")


@pytest.fixture(scope="module")
def government_ca(tmp_path_factory):
    return FakeGovernmentCA("CA thử nghiệm (giao ước)", tmp_path_factory.mktemp("pledge-ca"))


@pytest.fixture
def trusted(settings, government_ca):
    settings.DOCUMENT_TRUST_ANCHORS_DIR = str(government_ca.folder)
    return government_ca


@pytest.fixture
def agency(settings, tmp_path):
    path = document_signing.ensure_demo_certificate(tmp_path / "agency.p12")
    settings.DOCUMENT_SIGNING_P12 = str(path)
    settings.DOCUMENT_SIGNING_PASSPHRASE = document_signing.DEMO_PASSPHRASE
    return path


@pytest.fixture
def three(world):
    """Cụm thi đua số 1 with a third ward, each member led by a chairman with an account:
    Xuân Trung (the head, Võ Văn Phường), Xuân An (Hà Văn An), Xuân Lập (Trịnh Văn Lập)."""
    world.third_ward = make_unit(
        world.district, UnitKind.WARD, "Phường Xuân Lập", short_name="Xuân Lập", code="26002"
    )
    BlocMember.objects.create(bloc=world.bloc, unit=world.third_ward, position=3)
    world.sibling_leader = make_member(world.sibling_ward, Role.LEADER, "ct_xa", "Hà Văn An")
    world.sibling_chair.user = world.sibling_leader
    world.sibling_chair.save()
    world.third_leader = make_member(world.third_ward, Role.LEADER, "ct_xl", "Trịnh Văn Lập")
    chair = make_person(
        world.third_ward, "Trịnh Văn Lập", gender="male", is_manager=True, user=world.third_leader
    )
    make_post(world.third_ward, chair)
    return world


def _signed_in_portal(world):
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    for leader, unit in (
        (world.ward_leader, world.ward),
        (world.sibling_leader, world.sibling_ward),
        (world.third_leader, world.third_ward),
    ):
        signing.sign_pledge(pledge, actor=leader, unit=unit)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED
    return pledge


def _action(client, pledge, action: str) -> str:
    answer = client.post(
        reverse("pledges:pledge_action", args=[pledge.pk]), {"action": action}, follow=True
    )
    return answer.content.decode()


def test_a_three_member_giao_uoc_is_signed_outside_in_turn_then_issued(
    client, three, trusted, agency
):
    world = three
    pledge = _signed_in_portal(world)
    client.force_login(world.ward_officer)  # the head's officer, as for the portal's issue
    page = _action(client, pledge, "draft_signing")
    assert "lãnh đạo các đơn vị lần lượt ký số" in page
    pledge.refresh_from_db()
    document = pledge.document
    assert document is not None and not document.is_issued
    # In the order printed: the parties' blocks, then the head's beside "Nơi nhận".
    turns = ["Hà Văn An", "Trịnh Văn Lập", "Võ Văn Phường"]
    assert outside_flow.expected_signers(document) == turns
    assert "Ký số văn bản Giao ước" in page and "Hà Văn An: chưa ký" in page

    fields = ["ChuKyThanhVien1", "ChuKyThanhVien2", outside_pdf.LEADER_FIELD]
    leaders = [world.sibling_leader, world.third_leader, world.ward_leader]
    signed = b""
    for turn, (name, field, leader) in enumerate(zip(turns, fields, leaders, strict=True)):
        client.force_login(leader)
        detail = client.get(reverse("pledges:pledge", args=[pledge.pk])).content.decode()
        assert f"Ký số (đến lượt {name})" in detail  # the pledge page offers their turn
        if turn < 2:
            # The next member follows the paper but cannot take the turn of the one before.
            client.force_login(leaders[turn + 1])
            assert "Ký số (đến lượt" not in (
                client.get(reverse("pledges:pledge", args=[pledge.pk])).content.decode()
            )
            early = client.post(reverse("outside_signing_paper", args=[document.pk]))
            assert early.status_code == 403
            with pytest.raises(RuleViolation, match="chưa được ký đủ"):
                signing.issue_signed_pledge_document(pledge, actor=world.ward_officer)
            client.force_login(leader)
        paper = client.post(reverse("outside_signing_paper", args=[document.pk]))
        assert paper.status_code == 200
        data = b"".join(paper.streaming_content) if paper.streaming else paper.content
        if signed:
            assert data == signed  # the file as the member before left it
        signed = sign(data, trusted.signer(name), field=field)
        answer = client.post(
            reverse("outside_signing_upload", args=[document.pk]),
            {"file": SimpleUploadedFile("da-ky.pdf", signed, content_type="application/pdf")},
            follow=True,
        ).content.decode()
        assert f"Đã nhận tệp có chữ ký số của {name}." in answer
    row = outside_flow.current_signing(document)
    assert [s["holder"] for s in row.signatures] == turns
    assert [s["expected"] for s in row.signatures] == turns
    assert not row.needs_confirmation

    # Another unit's officer neither sees the bloc's paper nor has a say over it.
    client.force_login(world.outsider)
    assert client.get(reverse("outside_signing", args=[document.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        signing.issue_signed_pledge_document(pledge, actor=world.outsider)
    client.force_login(world.ward_officer)
    page = _action(client, pledge, "issue_signed")
    assert "giữ nguyên chữ ký số của các đơn vị" in page
    pledge.refresh_from_db()
    issued = pledge.document
    assert issued.is_issued and issued.pk == document.pk
    # The paper names the head's officer who drafted and issued it, never "the system".
    assert (issued.created_by, issued.issued_by) == (world.ward_officer, world.ward_officer)
    with issued.pdf.open("rb") as handle:
        final = handle.read()
    assert final.startswith(signed)  # every member's file, plus the văn thư's update
    verdict = outside_flow.verdict_of(issued)
    assert [s["holder"] for s in verdict["signatures"]] == [*turns, "Chứng thư thử nghiệm (demo)"]
    assert verdict["all_ok"] and verdict["file_matches"]
    assert outside_flow.original_kind(issued) == "countersigned"
    assert pledge.history.first().history_change_reason == "pledges.pledge.document_issued"


def test_a_member_signing_out_of_order_is_checked_against_that_turn(world, three, trusted):
    pledge = _signed_in_portal(three)
    document = signing.draft_pledge_document_for_signing(pledge, actor=world.ward_officer)
    data = outside_flow.paper_to_sign(
        outside_flow.prepare_signing_paper(document, actor=world.sibling_leader)
    )
    # The head's certificate on the first turn: the portal names the member it expected.
    wrong = sign(data, trusted.signer("Võ Văn Phường"), field="ChuKyThanhVien1")
    row = outside_flow.accept_signed_upload(document, actor=world.sibling_leader, data=wrong)
    assert [(s["holder"], s["expected"]) for s in row.mismatches] == [
        ("Võ Văn Phường", "Hà Văn An")
    ]


def test_a_namesake_leading_another_unit_does_not_carry_a_members_turn(client, world, three):
    """Xuân An's turn is printed as "Hà Văn An": a leader of that name in another member of
    the bloc, or in the city above, is not Xuân An's representative (#security)."""
    pledge = _signed_in_portal(three)
    document = signing.draft_pledge_document_for_signing(pledge, actor=world.ward_officer)
    assert [u.pk for u in outside_flow.signing_units(document)] == [
        world.sibling_ward.pk,
        world.third_ward.pk,
        world.ward.pk,
    ]
    in_the_bloc = make_member(world.ward, Role.LEADER, "pct_xuantrung_an", "Hà Văn An")
    in_the_city = make_member(world.district, Role.LEADER, "ct_longkhanh_an", "Hà Văn An")
    for namesake in (in_the_bloc, in_the_city):
        assert not outside_flow.may_carry(namesake, document, None)
        assert not outside_flow.takes_part(namesake, document)
        with pytest.raises(PermissionDenied):
            outside_flow.prepare_signing_paper(document, actor=namesake)
    client.force_login(in_the_bloc)
    detail = client.get(reverse("pledges:pledge", args=[pledge.pk])).content.decode()
    assert "Ký số (đến lượt" not in detail
    # The organiser's draft is theirs neither to read nor to sign: it does not exist for them.
    for namesake in (in_the_bloc, in_the_city):
        client.force_login(namesake)
        assert client.get(reverse("outside_signing", args=[document.pk])).status_code == 404
        paper = client.post(reverse("outside_signing_paper", args=[document.pk]))
        assert paper.status_code == 404
    # Xuân An's own leader still carries it, and no signature was taken meanwhile.
    assert outside_flow.may_carry(world.sibling_leader, document, None)
    assert outside_flow.current_signing(document) is None


def test_the_paper_path_still_issues_a_giao_uoc_at_the_portal(world, three, trusted, agency):
    """A covenant signed on paper (the head uploads the scan) may still be laid out for digital
    signatures and, when a member has no certificate, be issued at the portal instead: the
    register's original is then the portal's own signed file, not a leader-signed one."""
    pledge = drafted(three)
    signing.open_pledge(pledge, actor=world.ward_officer)
    scan = SimpleUploadedFile("giao-uoc.pdf", _one_page_pdf(), content_type="application/pdf")
    signing.upload_signed_pledge(pledge, actor=world.ward_officer, file=scan)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED and pledge.scan
    document = signing.draft_pledge_document_for_signing(pledge, actor=world.ward_officer)
    with refused("pledge_document_drafted"):
        signing.draft_pledge_document_for_signing(pledge, actor=world.ward_officer)
    data = outside_flow.paper_to_sign(
        outside_flow.prepare_signing_paper(document, actor=world.sibling_leader)
    )
    outside_flow.accept_signed_upload(
        document,
        actor=world.sibling_leader,
        data=sign(data, trusted.signer("Hà Văn An"), field="ChuKyThanhVien1"),
    )
    issued = signing.issue_pledge_document(pledge, actor=world.ward_officer)
    assert issued.pk == document.pk and issued.is_issued and issued.is_signed
    assert outside_flow.original_kind(issued) == "agency_signed"
    assert outside_flow.verdict_of(issued) is None
    with refused("pledge_document_issued"):
        signing.issue_signed_pledge_document(pledge, actor=world.ward_officer)


def test_only_the_heads_manager_lays_the_giao_uoc_out_for_signing(world, three):
    pledge = _signed_in_portal(three)
    with pytest.raises(PermissionDenied):
        signing.draft_pledge_document_for_signing(pledge, actor=world.outsider)
    with refused("pledge_document_missing"):
        signing.issue_signed_pledge_document(pledge, actor=world.ward_officer)


def _one_page_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
