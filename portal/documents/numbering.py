"""The numbering register: which register numbers a document, its next number, the symbol.

Each issuing unit keeps registers (sổ văn bản đi): one sequence per register per calendar year,
starting at 1 on 1 January. A register of the kind itself wins; the decree's numbered kinds
otherwise share the unit's series. The engine (portal.documents.engine) takes a number under
the register's row lock when it issues; a draft shows the number line still blank.
"""

from __future__ import annotations

import secrets

from django.db.models import Max
from django.utils import timezone

from portal.models import DocumentKind, OfficialDocument, Register, Unit
from portal.models.documents import KIND_SPECS
from portal.workflow import require_atomic

VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VERIFICATION_LENGTH = 10


def register_for(issuer: Unit, kind: str, *, create: bool = True) -> Register | None:
    """The register that numbers `kind` at `issuer`, or None when the kind goes unnumbered.

    A register of the kind itself wins; then, for kinds the decree numbers, the unit's shared
    series; else a per-kind register is opened on first use (one per type, as provinces keep).
    """
    found = {r.kind: r for r in Register.objects.filter(issuer=issuer, kind__in=[kind, ""])}
    if kind in found:
        return found[kind]
    if not KIND_SPECS[kind].numbered:
        return None
    if "" in found:
        return found[""]
    if not create:
        return None
    register, _ = Register.objects.get_or_create(
        issuer=issuer,
        kind=kind,
        defaults={"name": f"Sổ văn bản đi – {DocumentKind(kind).label}"},
    )
    return register


def symbol(register: Register | None, kind: str, issuer_abbreviation: str) -> str:
    """What follows the number: the type's abbreviation, then the issuer's (e.g. "KH-UBND")."""
    type_abbreviation = (register.type_abbreviation if register else "") or KIND_SPECS[
        kind
    ].abbreviation
    return "-".join(part for part in (type_abbreviation, issuer_abbreviation) if part)


def take_number(register: Register, year: int) -> int:
    """The next sequence of `register` in `year`; the caller holds the register's row lock."""
    require_atomic()
    last = (
        OfficialDocument.objects.filter(register=register, year=year)
        .aggregate(last=Max("sequence"))
        .get("last")
    )
    return (last or 0) + 1


def new_verification_code() -> str:
    """A fresh code for the public verification page, printed on the document."""
    while True:
        code = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))
        if not OfficialDocument.objects.filter(verification_code=code).exists():
            return code


def draft_number_line(document: OfficialDocument) -> str:
    """ "Số:      /KH-UBND" for a draft of a numbered kind: the registry fills in the number."""
    register = register_for(document.issuer, document.kind, create=False)
    if register is None and not document.spec.numbered:
        return ""
    abbreviation = document.issuing_body(
        document.issued_on or timezone.localdate()
    ).issuer_abbreviation
    return f"Số:{chr(0xA0) * 10}/{symbol(register, document.kind, abbreviation)}"
