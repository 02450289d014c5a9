"""A paper signed outside the portal, with the leader's own certificate, is checked on return.

A test CA made here stands in for the government CA, and pyHanko stands in for the signer's
desktop tool. The produced paper is a real PDF from WeasyPrint.
"""

from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from portal.documents import outside_signing
from portal.documents.outside_signing import check_signed_upload, same_person_name
from portal.errors import RuleViolation

NOW = datetime.datetime.now(datetime.UTC)
LEADER = "Nguyễn Văn An"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer_name, issuer_key, public_key, *, ca, not_before, not_after):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


class FakeGovernmentCA:
    def __init__(self, name: str, folder):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.name = _name(name)
        self.cert = _certificate(
            self.name,
            self.name,
            self.key,
            self.key.public_key(),
            ca=True,
            not_before=NOW - datetime.timedelta(days=3650),
            not_after=NOW + datetime.timedelta(days=3650),
        )
        self.folder = folder
        self.pem = folder / f"{abs(hash(name))}-ca.pem"
        self.pem.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def signer(self, holder: str, *, valid_days: tuple[int, int] = (-30, 365)):
        """A pyHanko signer holding a certificate for `holder` issued by this CA."""
        from pyhanko.sign import signers

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _certificate(
            _name(holder),
            self.name,
            self.key,
            key.public_key(),
            ca=False,
            not_before=NOW + datetime.timedelta(days=valid_days[0]),
            not_after=NOW + datetime.timedelta(days=valid_days[1]),
        )
        stem = self.folder / f"signer-{abs(hash((holder, valid_days)))}"
        key_file = stem.with_suffix(".key")
        cert_file = stem.with_suffix(".crt.pem")
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return signers.SimpleSigner.load(
            str(key_file), str(cert_file), ca_chain_files=[str(self.pem)]
        )


def sign(data: bytes, signer, field: str = "ChuKyLanhDao") -> bytes:
    """What the signer's desktop tool does: an incremental PAdES signature over the file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    def run() -> bytes:
        out = BytesIO()
        signers.PdfSigner(
            signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES),
            signer=signer,
        ).sign_pdf(IncrementalPdfFileWriter(BytesIO(data)), output=out)
        return out.getvalue()

    # pyHanko runs its coroutine with asyncio.run, which refuses a thread whose event loop is
    # running, as the browser journeys leave it in a test worker: sign in a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def produce(text: str = "QUYẾT ĐỊNH Về việc tặng Giấy khen") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


@pytest.fixture(scope="module")
def anchors_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("anchors")


@pytest.fixture(scope="module")
def ca(anchors_dir):
    return FakeGovernmentCA("CA thử nghiệm của Chính phủ", anchors_dir)


@pytest.fixture(scope="module")
def produced():
    return produce()


@pytest.fixture
def anchors(settings, anchors_dir, ca):
    settings.DOCUMENT_TRUST_ANCHORS_DIR = str(anchors_dir)
    return outside_signing.trust_anchors()


def _refusal(produced_pdf: bytes, uploaded: bytes, signers=(LEADER,)) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        check_signed_upload(produced_pdf, uploaded, signers=list(signers))
    return caught.value


def test_the_produced_paper_signed_by_the_leader_is_accepted(anchors, ca, produced):
    uploaded = sign(produced, ca.signer(LEADER))
    result = check_signed_upload(produced, uploaded, signers=[LEADER])
    (signature,) = result.signatures
    assert signature.holder == LEADER and signature.name_matches
    assert result.mismatches == []


def test_the_agency_countersignature_keeps_the_leader_signature_valid(anchors, ca, produced):
    leader_signed = sign(produced, ca.signer(LEADER))
    countersigned = sign(
        leader_signed, ca.signer("Ủy ban nhân dân phường Xuân Trung"), "ChuKyCoQuan"
    )
    result = check_signed_upload(
        produced, countersigned, signers=[LEADER, "Ủy ban nhân dân phường Xuân Trung"]
    )
    assert [s.holder for s in result.signatures] == [LEADER, "Ủy ban nhân dân phường Xuân Trung"]


def test_a_paper_whose_content_was_changed_before_signing_is_refused(anchors, ca, produced):
    other = sign(produce("QUYẾT ĐỊNH Về việc tặng Bằng khen"), ca.signer(LEADER))
    refusal = _refusal(produced, other)
    assert refusal.code == "signed_upload_not_produced"
    assert "không phải bản văn bản cổng đã xuất" in refusal.message


def test_bytes_appended_after_the_signature_are_refused(anchors, ca, produced):
    uploaded = sign(produced, ca.signer(LEADER)) + b"\n% them vao sau khi ky\n"
    refusal = _refusal(produced, uploaded)
    assert refusal.code == "signed_upload_not_whole_file"
    assert "không bao trùm toàn bộ tệp" in refusal.message


def test_a_byte_changed_under_the_signature_is_refused(anchors, ca, produced):
    uploaded = bytearray(sign(produced, ca.signer(LEADER)))
    # The signature field's name: covered by the signature, and a changed letter leaves the
    # file readable.
    at = uploaded.index(b"/T (ChuKyLanhDao)", len(produced)) + len(b"/T (ChuKyLanhDa")
    uploaded[at] = ord("e")
    refusal = _refusal(produced, bytes(uploaded))
    assert refusal.code == "signed_upload_not_intact"
    assert "không còn nguyên vẹn" in refusal.message


def test_an_expired_certificate_is_refused(anchors, ca, produced):
    uploaded = sign(produced, ca.signer(LEADER, valid_days=(-400, -1)))
    refusal = _refusal(produced, uploaded)
    assert refusal.code == "signed_upload_expired"
    assert "đã hết hạn ngày" in refusal.message and LEADER in refusal.message


def test_a_certificate_from_an_unknown_authority_is_refused(anchors, produced, tmp_path):
    stranger_ca = FakeGovernmentCA("CA không được tin cậy", tmp_path)
    refusal = _refusal(produced, sign(produced, stranger_ca.signer(LEADER)))
    assert refusal.code == "signed_upload_untrusted"
    assert "không do tổ chức chứng thực được tin cậy cấp" in refusal.message


def test_without_trust_anchors_nothing_is_accepted(settings, ca, produced, tmp_path):
    settings.DOCUMENT_TRUST_ANCHORS_DIR = str(tmp_path / "none")
    refusal = _refusal(produced, sign(produced, ca.signer(LEADER)))
    assert refusal.code == "signed_upload_no_anchors"


def test_a_stranger_certificate_needs_the_clerk_confirmation(anchors, ca, produced):
    uploaded = sign(produced, ca.signer("Trần Thị Bình"))
    result = check_signed_upload(produced, uploaded, signers=[LEADER])
    (mismatch,) = result.mismatches
    assert mismatch.holder == "Trần Thị Bình" and mismatch.expected == LEADER


def test_an_unsigned_or_unchanged_upload_is_refused(anchors, produced):
    assert _refusal(produced, produced).code == "signed_upload_unsigned"


def test_a_three_member_giao_uoc_is_signed_in_turn_and_verified_in_order(anchors, ca, produced):
    members = ["Lê Văn Thành", "Phạm Thị Hoa", "Đỗ Minh Đức"]
    data = produced
    for number, member in enumerate(members, start=1):
        before = data
        data = sign(data, ca.signer(member), f"ChuKyThanhVien{number}")
        turn = check_signed_upload(before, data, signers=[member])  # each upload in turn
        assert turn.signatures[0].holder == member
    result = check_signed_upload(produced, data, signers=members)  # and all three at the end
    assert [s.holder for s in result.signatures] == members
    assert all(s.name_matches for s in result.signatures)
    wrong_order = check_signed_upload(produced, data, signers=list(reversed(members)))
    assert len(wrong_order.mismatches) == 2


def test_a_missing_member_signature_is_refused(anchors, ca, produced):
    data = sign(produced, ca.signer("Lê Văn Thành"), "ChuKyThanhVien1")
    refusal = _refusal(produced, data, signers=("Lê Văn Thành", "Phạm Thị Hoa"))
    assert refusal.code == "signed_upload_count"


@pytest.mark.parametrize(
    ("on_certificate", "recorded", "same"),
    [
        ("NGUYỄN VĂN AN", "Nguyễn Văn An", True),
        ("Nguyễn  Văn An", "Nguyễn Văn An", True),
        ("Nguye\u0302\u0303n Văn An", "Nguyễn Văn An", True),  # decomposed, NFC-equal
        ("Nguyễn Văn Ân", "Nguyễn Văn An", False),  # accents are part of the name
        ("Nguyen Van An", "Nguyễn Văn An", False),
    ],
)
def test_names_are_compared_as_vietnamese_is_written(on_certificate, recorded, same):
    assert same_person_name(on_certificate, recorded) is same


def test_the_check_works_where_an_event_loop_runs(anchors, ca, produced):
    """An ASGI server, or a browser test earlier in the same worker, leaves a running loop."""
    import asyncio

    async def upload_arrives():
        uploaded = sign(produced, ca.signer(LEADER))
        return check_signed_upload(produced, uploaded, signers=[LEADER])

    # In a thread of its own: a browser journey earlier in the worker (run before this test,
    # which uses no database) leaves the main thread's loop running, and asyncio.run refuses it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        checked = pool.submit(lambda: asyncio.run(upload_arrives())).result()
    assert checked.signatures[0].name_matches
