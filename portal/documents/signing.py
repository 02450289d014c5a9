"""PAdES signatures on issued documents (pyHanko) and their validation.

The signing certificate is a PKCS#12 file named by DOCUMENT_SIGNING_P12 with its passphrase in
DOCUMENT_SIGNING_PASSPHRASE; the same certificate is the trust root when validating, so a
document counts as valid only if it is intact, cryptographically valid AND chains to it
(`bottom_line`). `valid` alone is not enough: a tampered file can still report `valid=True`.

The visible appearance follows Decree 30 (Phụ lục I, §12.6 of the domain notes): the signer's
blue signature image centred in the space between the title lines and the printed name, the
agency's red seal overlapping about a third of it on the left. Without configured images,
plain ones are drawn so the demo shows the layout.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings

SIGNATURE_FIELD = "ChuKyCoQuan"
DEMO_PASSPHRASE = "demo-thidua"


def is_configured() -> bool:
    return bool(settings.DOCUMENT_SIGNING_P12) and Path(settings.DOCUMENT_SIGNING_P12).exists()


def ensure_demo_certificate(path: Path | str, *, passphrase: str = DEMO_PASSPHRASE) -> Path:
    """Create (once) a self-signed certificate for the demo at `path` (PKCS#12) and return it.

    For demonstration only: real documents are signed with a certificate from a licensed
    provider (Decree 68/2024/NĐ-CP), whose root is then the trust root.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    path = Path(path)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Cổng thi đua – khen thưởng"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Chứng thư thử nghiệm (demo)"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"thidua-demo", key, certificate, None, BestAvailableEncryption(passphrase.encode())
    )
    path.write_bytes(data)
    path.chmod(0o600)
    return path


@lru_cache(maxsize=4)
def _signer(p12_path: str, passphrase: str):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(p12_path, passphrase=passphrase.encode() or None)
    if signer is None:
        raise ValueError("Không đọc được chứng thư số (DOCUMENT_SIGNING_P12).")
    return signer


def _configured_signer():
    return _signer(settings.DOCUMENT_SIGNING_P12, settings.DOCUMENT_SIGNING_PASSPHRASE)


def _demo_signature_image():
    """A blue handwriting-like stroke on a transparent background."""
    import math

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (40 + t * 5.2, 130 - 55 * math.sin(t / 9.0) * math.cos(t / 23.0) - t * 0.25)
        for t in range(100)
    ]
    draw.line(points, fill=(20, 40, 170, 255), width=7, joint="curve")
    draw.line([(60, 175), (540, 150)], fill=(20, 40, 170, 255), width=5)
    return image


def _demo_seal_image():
    """A red round seal outline (actual seals are about 35–40 mm across)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 20, 20, 230)
    draw.ellipse((8, 8, 392, 392), outline=red, width=14)
    draw.ellipse((60, 60, 340, 340), outline=red, width=6)
    draw.regular_polygon((200, 200, 60), 5, rotation=0, fill=red)
    return image


def _load_image(path_setting: str, fallback):
    from PIL import Image

    if path_setting and Path(path_setting).exists():
        return Image.open(path_setting).convert("RGBA")
    return fallback()


def appearance_image(width_pt: float, height_pt: float):
    """The signature image centred in the box, the seal covering its left third."""
    from PIL import Image

    scale = 4  # pixels per point: about 290 dpi
    canvas = Image.new("RGBA", (int(width_pt * scale), int(height_pt * scale)), (0, 0, 0, 0))
    signature = _load_image(settings.DOCUMENT_SIGNATURE_IMAGE, _demo_signature_image)
    seal = _load_image(settings.DOCUMENT_SEAL_IMAGE, _demo_seal_image)
    sig_h = int(canvas.height * 0.8)
    sig_w = int(signature.width * sig_h / signature.height)
    signature = signature.resize((sig_w, sig_h))
    sig_x = (canvas.width - sig_w) // 2
    canvas.alpha_composite(signature, (sig_x, (canvas.height - sig_h) // 2))
    seal_d = canvas.height
    seal = seal.resize((seal_d, seal_d))
    seal_x = max(0, sig_x + sig_w // 3 - seal_d)
    canvas.alpha_composite(seal, (seal_x, 0))
    return canvas


def sign_pdf(
    data: bytes,
    *,
    box: tuple[int, tuple[float, float, float, float]] | None,
    reason: str,
    location: str,
) -> bytes:
    """Sign `data` (PAdES baseline) with the configured certificate.

    With `box` (page index, rectangle in points) the signature is visible there with the
    signer's and the seal's images; without, it is invisible (annexes in their own file).
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    return sign_pdf_with(
        IncrementalPdfFileWriter(BytesIO(data)), box=box, reason=reason, location=location
    )


def seal_image(width_pt: float, height_pt: float):
    """The agency's seal alone, filling the box: the countersignature on a paper the leader
    signed with their own certificate (its image already carries the signature)."""
    scale = 4
    side = int(min(width_pt, height_pt) * scale)
    return _load_image(settings.DOCUMENT_SEAL_IMAGE, _demo_seal_image).resize((side, side))


def sign_pdf_with(
    writer,
    *,
    box: tuple[int, tuple[float, float, float, float]] | None,
    reason: str,
    location: str,
    seal_only: bool = False,
) -> bytes:
    """Sign what `writer` (a pyHanko incremental writer) holds, with its pending changes, in
    one incremental update; `seal_only` draws the seal without a signature image."""
    from pyhanko import stamp
    from pyhanko.pdf_utils import images
    from pyhanko.sign import fields, signers

    visible = {}
    if box is not None:
        page, (x1, y1, x2, y2) = box
        draw = seal_image if seal_only else appearance_image
        visible = {
            "stamp_style": stamp.StaticStampStyle(
                background=images.PdfImage(draw(x2 - x1, y2 - y1)),
                border_width=0,
                background_opacity=1.0,
            ),
            "new_field_spec": fields.SigFieldSpec(
                SIGNATURE_FIELD, on_page=page, box=(int(x1), int(y1), int(x2), int(y2))
            ),
        }
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            reason=reason,
            location=location,
            subfilter=fields.SigSeedSubFilter.PADES,
        ),
        signer=_configured_signer(),
        **visible,
    )
    out = BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureReport:
    present: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    bottom_line: bool = False
    signer: str = ""
    signed_at: datetime.datetime | None = None
    error: str = ""
    checked_at: datetime.datetime | None = None  # when this verdict was worked out

    def as_json(self) -> dict:
        data = dataclasses.asdict(self)
        for name in ("signed_at", "checked_at"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> SignatureReport:
        dates = {
            name: datetime.datetime.fromisoformat(data[name]) if data.get(name) else None
            for name in ("signed_at", "checked_at")
        }
        return cls(**{**data, **dates})

    @property
    def label(self) -> str:
        if not self.present:
            return "Không có chữ ký số"
        if self.bottom_line:
            return "Chữ ký số hợp lệ, tài liệu còn nguyên vẹn"
        if not self.intact:
            return "Chữ ký số KHÔNG hợp lệ: nội dung tài liệu đã bị thay đổi sau khi ký"
        if not self.trusted:
            return "Chữ ký số không được tin cậy (chứng thư không thuộc cơ quan ban hành)"
        return "Chữ ký số KHÔNG hợp lệ"


def agency_certificate():
    """The agency's certificate (asn1crypto) from DOCUMENT_SIGNING_P12, or None."""
    return _configured_signer().signing_cert if is_configured() else None


def trust_root_fingerprint() -> str:
    """Which certificate validation trusts ("" when none is configured): a verdict holds only
    for the trust root it was reached with."""
    return _configured_signer().signing_cert.sha256.hex() if is_configured() else ""


def validate_pdf(data: bytes) -> SignatureReport:
    """Check every embedded signature; the file passes only if all pass `bottom_line`."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:
        return SignatureReport(present=False, error=f"Không đọc được tệp PDF: {error}")
    if not embedded:
        return SignatureReport(present=False)
    roots = [_configured_signer().signing_cert] if is_configured() else []
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    worst = None
    for signature in embedded:
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as error:
            return SignatureReport(present=True, error=str(error))
        report = SignatureReport(
            present=True,
            intact=status.intact,
            valid=status.valid,
            trusted=status.trusted,
            bottom_line=status.bottom_line,
            signer=status.signing_cert.subject.human_friendly,
            signed_at=status.signer_reported_dt,
        )
        if worst is None or not report.bottom_line:
            worst = report
    return worst
