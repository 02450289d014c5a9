"""Benchmark: the portal's WeasyPrint renderer against LibreOffice converting our own .docx.

    python -m tests.bench.documents [--rounds N] [--certificates N]

Prints the median warm time of a 3-page Kế hoạch and of a batch of certificates for both
renderers, and their ratio (LibreOffice time / portal time: above 1 means the portal is faster).
A benchmark, not a test: nothing is asserted. The documents are in-memory snapshots, so no
database is needed. LibreOffice (`soffice`, Debian's libreoffice-writer-nogui) runs headless
with its own profile, warmed once before timing.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from pypdf import PdfReader  # noqa: E402

from awards import jobs  # noqa: E402
from portal import documents  # noqa: E402
from portal.documents.demo import awardee_rows, plan_body  # noqa: E402
from portal.models import DocumentKind, DocumentStatus, OfficialDocument  # noqa: E402

ISSUED_ON = datetime.date(2026, 1, 2)


def snapshot(kind: str, **fields) -> OfficialDocument:
    """An issued document held in memory: rendering reads only the snapshot."""
    values = {
        "kind": kind,
        "status": DocumentStatus.ISSUED,
        "issuer_name": "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI",
        "issuer_abbreviation": "UBND",
        "place_name": "Đồng Nai",
        "issued_on": ISSUED_ON,
        "signer_name": "Nguyễn Thị Hương Giang",
        "signer_capacity": "TM.",
        "signer_authority": "ỦY BAN NHÂN DÂN",
        "signer_position": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "template_version": documents.TEMPLATE_VERSION,
        "verification_code": "BENCH23456",
    }
    values.update(fields)
    return OfficialDocument(**values)


def three_page_plan() -> OfficialDocument:
    return snapshot(
        DocumentKind.PLAN,
        number="05",
        symbol="KH-UBND",
        summary="Phát động phong trào thi đua năm 2026",
        body=plan_body(3),
        recipients=["Các sở, ban, ngành tỉnh", "UBND các xã, phường", "Lưu: VT, NV"],
    )


def certificate_layout() -> OfficialDocument:
    return snapshot(
        DocumentKind.HONOUR_CERTIFICATE,
        body=[{"type": "certificate", "decision": "Quyết định số 163/QĐ-UBND ngày 25/11/2026"}],
        signer_name="Võ Tấn Đức",
        signer_capacity="",
        signer_authority="",
        signer_position="CHỦ TỊCH",
    )


def certificate_rows(count: int) -> list[documents.CertificateRow]:
    return [
        documents.CertificateRow(
            awardee=f"Bà {row[1]}",
            detail=f"{row[2]}, {row[3]}",
            achievement="Đã có thành tích xuất sắc trong phong trào thi đua năm 2026",
            book_number=str(1000 + index),
            # Each certificate carries its code and the QR code of its public page, as the
            # real job prints them (the .docx gets the same QR images).
            verification_code=f"BK{index:06d}",
        )
        for index, row in enumerate(awardee_rows(count))
    ]


def median_time(action: Callable[[], object], rounds: int) -> float:
    action()  # warm: fonts, templates, the stylesheet, LibreOffice's profile
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def soffice_converter(docx: bytes, workdir: Path) -> Callable[[], bytes]:
    source = workdir / "document.docx"
    source.write_bytes(docx)
    profile = (workdir / "profile").as_uri()

    def convert() -> bytes:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(workdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=900,
        )
        return (workdir / "document.pdf").read_bytes()

    return convert


def pages(data: bytes) -> int:
    return len(PdfReader(BytesIO(data)).pages)


def measure(rounds: int = 5, certificates: int = 500) -> list[dict]:
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer-nogui")
    plan = three_page_plan()
    layout = certificate_layout()
    rows = certificate_rows(certificates)
    cases = [
        (
            "Kế hoạch (PDF)",
            lambda: documents.render_pdf(plan),
            documents.render_docx(plan),
            rounds,
        ),
        (
            f"{certificates} Bằng khen",
            lambda: documents.render_certificates(rows, layout=layout),
            documents.render_certificates_docx(rows, layout=layout),
            max(1, rounds // 2),
        ),
        (
            f"{certificates} Bằng khen, as the job prints them (chunks of {jobs.CHUNK})",
            lambda: jobs.certificates_pdf(rows, layout, lambda done, total: None),
            documents.render_certificates_docx(rows, layout=layout),
            max(1, rounds // 2),
        ),
    ]
    results = []
    for name, portal_render, docx, case_rounds in cases:
        with tempfile.TemporaryDirectory(prefix="bench-soffice-") as tmp:
            convert = soffice_converter(docx, Path(tmp))
            portal_pages = pages(portal_render())
            office_pages = pages(convert())
            portal_s = median_time(portal_render, case_rounds)
            office_s = median_time(convert, case_rounds)
        results.append(
            {
                "case": name,
                "portal_s": portal_s,
                "libreoffice_s": office_s,
                "ratio": office_s / portal_s,
                "portal_pages": portal_pages,
                "libreoffice_pages": office_pages,
            }
        )
    return results


def report(results: list[dict]) -> str:
    lines = [
        f"{'case':<52} {'portal (s)':>11} {'LibreOffice (s)':>16} {'ratio LO/portal':>16}"
        f" {'pages':>12}",
    ]
    for r in results:
        lines.append(
            f"{r['case']:<52} {r['portal_s']:>11.3f} {r['libreoffice_s']:>16.3f}"
            f" {r['ratio']:>16.2f} {r['portal_pages']:>5} / {r['libreoffice_pages']:<5}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--certificates", type=int, default=500)
    args = parser.parse_args(argv)
    print("Median warm render time, portal (WeasyPrint) vs LibreOffice (soffice .docx → .pdf)")
    print(report(measure(args.rounds, args.certificates)))


def run(context) -> None:
    """Section of `make bench` (tests/bench/run.py)."""
    print("\n## Official documents")
    main([])


if __name__ == "__main__":
    main()
