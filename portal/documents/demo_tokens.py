"""TEST-ONLY certificates for the demo of papers signed outside the portal (#17).

A stand-in "government CA" and a leader's "token" (a key and certificate on disk) let the demo
show the whole flow: the ward chairman signs his Quyết định outside the portal, the văn thư
numbers it, the ward's certificate countersigns, /xac-minh/<code>/ lists both signatures.
NOTHING here is fit for real papers: a real leader's key sits on a USB token or a remote
signing service of the government CA and never reaches a server, and the real trust anchors
are the government CA's certificates. The command `demo_outside_signing` uses this module.
"""

from __future__ import annotations

import datetime
import re
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from portal.text import fold

TEST_CA_NAME = "CA THỬ NGHIỆM - KHÔNG DÙNG CHO VĂN BẢN THẬT"


def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Cổng thi đua (thử nghiệm)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer, issuer_key, public_key, *, ca: bool, days: int):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def _write_key(path: Path, key) -> None:
    from cryptography.hazmat.primitives import serialization

    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)


def ensure_test_ca(key_folder: Path, anchors_folder: Path):
    """The test CA (made once): its key in `key_folder`, its certificate in `anchors_folder`
    (the folder DOCUMENT_TRUST_ANCHORS_DIR names). Returns (key, certificate)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key_path = key_folder / "test-ca.key"
    cert_path = anchors_folder / "test-ca.pem"
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
    key_folder.mkdir(parents=True, exist_ok=True)
    anchors_folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(TEST_CA_NAME)
    certificate = _certificate(name, name, key, key.public_key(), ca=True, days=3650)
    _write_key(key_path, key)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate


def test_token(holder: str, key_folder: Path, anchors_folder: Path):
    """A pyHanko signer standing in for `holder`'s token: a certificate in their name from the
    test CA (made once per holder)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from pyhanko.sign import signers

    ca_key, ca_cert = ensure_test_ca(key_folder, anchors_folder)
    stem = key_folder / f"token-{re.sub(r'[^a-z0-9]+', '-', fold(holder).lower()).strip('-')}"
    key_path, cert_path = stem.with_suffix(".key"), stem.with_suffix(".crt.pem")
    if not (key_path.exists() and cert_path.exists()):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        certificate = _certificate(
            _name(holder), ca_cert.subject, ca_key, key.public_key(), ca=False, days=730
        )
        _write_key(key_path, key)
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    else:
        x509.load_pem_x509_certificate(cert_path.read_bytes())  # a damaged file fails here
    return signers.SimpleSigner.load(
        str(key_path), str(cert_path), ca_chain_files=[str(anchors_folder / "test-ca.pem")]
    )


def sign_with_token(data: bytes, signer, field: str = "ChuKyLanhDao") -> bytes:
    """What the leader's desktop tool does: a PAdES signature, as an incremental update, into
    the paper's empty signature field."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from portal.documents.outside_signing import _off_the_loop

    def run() -> bytes:
        out = BytesIO()
        signers.PdfSigner(
            signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES),
            signer=signer,
        ).sign_pdf(IncrementalPdfFileWriter(BytesIO(data)), output=out)
        return out.getvalue()

    return _off_the_loop(run)


def demo_folders() -> tuple[Path, Path]:
    """(where the test keys live: beside the trust anchors folder, the anchors folder)."""
    anchors = Path(settings.DOCUMENT_TRUST_ANCHORS_DIR)
    return anchors.parent / f"{anchors.name}-test-keys", anchors


def sign_demo_decision(unit, *, key_folder: Path, anchors_folder: Path, awardees: int = 5):
    """The ward chairman's Quyết định: drafted, signed by "his" test token outside the portal,
    uploaded, numbered and (with an agency certificate) countersigned. Returns the document."""
    from portal.documents import outside_flow, signers
    from portal.documents.demo import DAYS_BACK, make_decision

    today = timezone.localdate()
    # Before the demo's campaigns in the same register (portal.documents.demo.DAYS_BACK), and
    # in this year: the paper to sign prints the year.
    day = max(today - datetime.timedelta(days=DAYS_BACK), datetime.date(today.year, 1, 1))
    block = signers.signature(unit, day)
    decision = make_decision(
        unit,
        actor=None,
        awardees=awardees,
        summary="Về việc tặng Giấy khen của Chủ tịch Ủy ban nhân dân phường",
        **block.draft_fields(),
    )
    paper = outside_flow.prepare_signing_paper(decision, actor=None)
    token = test_token(block.name, key_folder, anchors_folder)
    signed = sign_with_token(outside_flow.paper_to_sign(paper), token)
    outside_flow.accept_signed_upload(decision, actor=None, data=signed)
    return outside_flow.issue_signed_document(decision, actor=None, issued_on=day)
