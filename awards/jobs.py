"""Background jobs of the awards app, run by the portal's job runner (portal.background.jobs).

Printing a decision's certificates: the page of the layout fixed when the print was started is
laid out once and the decision's awardees are stamped on it, one PDF; the progress bar moves
every CHUNK awardees.

Importing award history (`importing.IMPORT_JOB`): the uploaded workbook is read, every row
resolved, then all rows written in one transaction that also marks the upload imported, so a
rerun imports nothing twice. Bad rows fail the job; its result file is the workbook with an
error column.
"""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfWriter

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
    content = certificates_pdf(rows, layout, progress)
    return JobOutput(
        filename=file_name(
            "Bằng, giấy khen theo",
            decision.document.number_and_symbol or f"quyết định {decision.pk}",
            extension="pdf",
        ),
        content=content,
    )


def certificates_pdf(
    rows: list[documents.CertificateRow], layout: OfficialDocument, progress: Progress
) -> bytes:
    """The rows' certificates as the job prints them: the page laid out once and every row
    stamped on it in one PDF, the progress reported every CHUNK rows. (Rendering chunk by chunk
    and merging took 24.5 s for 500 against 9.4 s in one pass: each chunk laid the page out and
    embedded its fonts again, and the merge compared every page's objects, #16.)"""
    total = len(rows)
    progress(0, total)
    if not rows:
        out = BytesIO()
        PdfWriter().write(out)
        return out.getvalue()
    return documents.render_certificates(
        rows, layout=layout, progress=progress, progress_every=CHUNK
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
            code="import_rows_invalid",
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
