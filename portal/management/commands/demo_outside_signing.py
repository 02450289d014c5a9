"""Demo (TEST-ONLY certificates) of a paper signed outside the portal: the ward chairman's
Quyết định signed by "his" test token, uploaded, numbered, countersigned by the ward's
certificate; prints its /xac-minh/ address and both signatures' verdicts."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.documents import demo_tokens, outside_flow, signing
from portal.documents.content import verification_url
from portal.errors import RuleViolation
from portal.models import CodeScheme, Unit

DEMO_WARD = "26080"  # Phường Long Khánh (portal.demo.WARD_LONG_KHANH)


class Command(BaseCommand):
    help = (
        "Ký số ngoài cổng (bản trình diễn, chứng thư THỬ NGHIỆM): Chủ tịch phường ký Quyết định "
        "bằng token thử nghiệm, văn thư cấp số, cơ quan ký số; in địa chỉ trang xác minh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--don-vi", default=DEMO_WARD, help="mã đơn vị (mặc định phường mẫu)")

    def handle(self, *args, **options):
        unit = (
            Unit.objects.filter(code=options["don_vi"])
            .exclude(code_scheme=CodeScheme.LOCAL)
            .first()
            or Unit.objects.filter(code=options["don_vi"]).first()
        )
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['don_vi']} (hãy chạy load_demo).")
        if settings.DEBUG and settings.DOCUMENT_SIGNING_P12:
            signing.ensure_demo_certificate(
                settings.DOCUMENT_SIGNING_P12, passphrase=settings.DOCUMENT_SIGNING_PASSPHRASE
            )
        if not settings.DOCUMENT_TRUST_ANCHORS_DIR:
            raise CommandError(
                "Chưa đặt DOCUMENT_TRUST_ANCHORS_DIR: bản trình diễn ghi CA thử nghiệm vào thư "
                "mục đó (với DEBUG=1 mặc định là var/demo-ca)."
            )
        keys, anchors = demo_tokens.demo_folders()
        try:
            document = demo_tokens.sign_demo_decision(unit, key_folder=keys, anchors_folder=anchors)
        except RuleViolation as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"{document} – {outside_flow.ORIGINAL_KINDS[outside_flow.original_kind(document)]}\n"
            f"Xác minh: {verification_url(document.verification_code)}\n"
        )
        for verdict in outside_flow.verdict_of(document)["signatures"]:
            state = "hợp lệ" if verdict["ok"] else f"KHÔNG hợp lệ ({verdict['note']})"
            self.stdout.write(f"  Chữ ký của {verdict['holder']}: {state}\n")
