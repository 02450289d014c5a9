"""Background jobs of the awards app, run by the portal's job runner (portal.background.jobs).

Printing a decision's certificates: the decision's awardees are rendered in chunks on the
layout fixed when the print was started, and the chunks are merged into one PDF. Only one
chunk's pages are laid out at a time, and the progress bar moves chunk by chunk.

Importing award history (`importing.IMPORT_JOB`): the uploaded workbook is read, every row
resolved, then all rows written in one transaction that also marks the upload imported, so a
rerun imports nothing twice. Bad rows fail the job; its result file is the workbook with an
error column.
"""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader, PdfWriter

from awards.history import importing
from awards.models import AwardDecision, HistoryImport
from awards.paperwork import certificates
from portal import documents
from portal.access import Cap
from portal.background.jobs import JobHandler, JobOutput, JobRefused, Progress, register_handler
from portal.downloads import file_name
from portal.models import Job, OfficialDocument

CHUNK = 25


def print_certificates(job: Job, progress: Progress) -> JobOutput:
    """One PDF, a page per awardee of the decision, in the annex's order."""
    decision = AwardDecision.objects.select_related("document").get(pk=job.params["decision_id"])
    layout = OfficialDocument.objects.get(pk=job.params["layout_id"])
    rows = [documents.CertificateRow(**row) for row in certificates.certificate_rows(decision)]
    total = len(rows)
    progress(0, total)
    merged = PdfWriter()
    for start in range(0, total, CHUNK):
        chunk = rows[start : start + CHUNK]
        merged.append(PdfReader(BytesIO(documents.render_certificates(chunk, layout=layout))))
        progress(start + len(chunk), total)
    # Every chunk carries the same laid-out page; keep one copy of it in the merged file.
    merged.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    merged.add_metadata({"/Producer": "Cổng thi đua – khen thưởng"})
    out = BytesIO()
    merged.write(out)
    return JobOutput(
        filename=file_name(
            "Bằng, giấy khen theo",
            decision.document.number_and_symbol or f"quyết định {decision.pk}",
            extension="pdf",
        ),
        content=out.getvalue(),
    )


def import_history(job: Job, progress: Progress) -> JobOutput:
    """Import the uploaded history workbook, all rows or none; once per upload."""
    upload = HistoryImport.objects.get(pk=job.params["import_id"])
    if upload.imported_at is not None:
        result = importing.ImportResult(awards=upload.awards, ratings=upload.ratings)
        return JobOutput(summary=importing.summary_of(result))
    try:
        with upload.file.open("rb") as file:
            result = importing.import_award_history(
                file, actor=job.created_by, progress=progress, upload=upload
            )
    except importing.ImportFailed as failure:
        with upload.file.open("rb") as file:
            report = importing.error_report(file, failure.errors)
        raise JobRefused(
            importing.failure_message(failure),
            output=JobOutput(
                filename=file_name(
                    "Lỗi nhập lịch sử khen thưởng", str(upload.pk), extension="xlsx"
                ),
                content=report,
            ),
        ) from failure
    return JobOutput(summary=importing.summary_of(result))


def register_awards_handlers() -> None:
    register_handler(
        JobHandler(
            kind=certificates.PRINT_CERTIFICATES_JOB,
            label="In bằng khen, giấy khen của quyết định",
            run=print_certificates,
            capability=Cap.REVIEW_NOMINATIONS,
        )
    )
    register_handler(
        JobHandler(
            kind=importing.IMPORT_JOB,
            label="Nhập lịch sử khen thưởng và xếp loại từ Excel",
            run=import_history,
            capability=Cap.MANAGE_AWARD_HISTORY,
        )
    )
