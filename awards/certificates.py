"""Verification codes of the Giấy khen / Bằng khen the portal prints for a decision's awardees.

Each award recorded by an issued decision gets its own code on its `AwardRecord` (the record
that stands for the award and is marked when it is revoked). The code is printed with a QR
code on the certificate and looked up on the documents engine's public page `/xac-minh/<code>/`
through the hook `portal.documents.verify.register_code_lookup`: citizens verify documents and
certificates in one place, and portal does not import awards.

Codes use the documents' alphabet (no 0/O, 1/I) but are 8 characters where documents have 10,
so the two kinds of code can never be taken for each other.
"""

from __future__ import annotations

import datetime
import secrets

from portal.documents import VERIFICATION_ALPHABET
from portal.documents.verify import CodeLookup

CERTIFICATE_CODE_LENGTH = 8
BACKFILL_REASON = "awards.record.certificate_code_backfilled"


def _candidates(count: int) -> set[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(
            "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH))
        )
    return codes


def new_certificate_codes(count: int, *, model=None) -> list[str]:
    """`count` distinct codes no award holds yet, checked in one query per round."""
    if model is None:
        from .models import AwardRecord as model
    codes: set[str] = set()
    while len(codes) < count:
        fresh = _candidates(count - len(codes)) - codes
        taken = set(
            model.objects.filter(certificate_code__in=fresh).values_list(
                "certificate_code", flat=True
            )
        )
        codes |= fresh - taken
    return sorted(codes)


def backfill_certificate_codes(record_model, historical_model=None) -> int:
    """Give a code to every award decided in the portal (it has a dossier) that lacks one.

    Written with the models the migration passes in; with `historical_model`, each change also
    gets its history row, as the service writes would. Returns how many records got a code.
    """
    records = list(
        record_model.objects.filter(certificate_code="", nomination__isnull=False).order_by("pk")
    )
    for record, code in zip(
        records, new_certificate_codes(len(records), model=record_model), strict=True
    ):
        record.certificate_code = code
    record_model.objects.bulk_update(records, ["certificate_code"], batch_size=500)
    if historical_model is not None and records:
        now = datetime.datetime.now(datetime.UTC)
        historical_model.objects.bulk_create(
            [
                historical_model(
                    **{
                        field.attname: getattr(record, field.attname)
                        for field in record_model._meta.concrete_fields
                    },
                    history_date=now,
                    history_type="~",
                    history_change_reason=BACKFILL_REASON,
                )
                for record in records
            ],
            batch_size=500,
        )
    return len(records)


def lookup_certificate(code: str) -> CodeLookup | None:
    """The public verification of a certificate code, in one query (None: not a certificate).

    Shows only what the public decision page shows of an awardee (name, unit, award), never
    birth year, ethnicity or money; the person holding the paper already reads as much.
    """
    from .models import AwardRecord

    if len(code) != CERTIFICATE_CODE_LENGTH:
        return None
    record = (
        AwardRecord.objects.select_related(
            "person__unit", "unit", "title", "award_form", "decision_issuer"
        )
        .filter(certificate_code=code)
        .first()
    )
    if record is None:
        return None
    return CodeLookup(
        template="awards/public/certificate_verify.html",
        context={"record": record, "code": code},
        title=f"Xác minh bằng, giấy khen {code}",
    )
