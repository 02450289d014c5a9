"""Demo giao ước for `manage.py load_demo`: every bloc of the province with a head this year
signs its pledge (the first one also issued as a Giao ước document), and the first bloc has
its scoring published: self-assessments, the head's and Nội vụ's scores with reasons, the
suy tôn vote, the ranking and the proposals for the awards workflow. A second run adds nothing.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from campaigns.demo import leader_of, officer_of
from pledges.covenants import proposals, ranking, scoring, signing
from pledges.covenants.signing import CommitmentInput
from pledges.models import CriterionKind, Formula, Pledge
from pledges.workflow import ScoreStage
from portal import access
from portal.access import Cap
from portal.models import Bloc, BlocTerm, User

COMMITMENTS = (
    ("I. Nhiệm vụ chính trị", "Hoàn thành và vượt các chỉ tiêu kinh tế - xã hội năm được giao."),
    ("II. Cải cách hành chính", "100% hồ sơ thủ tục hành chính được giải quyết đúng hạn."),
    ("III. Xây dựng Đảng, đoàn thể", "Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên."),
    ("IV. Công tác thi đua", "Đăng ký, báo cáo thi đua đúng thời hạn; phát hiện điển hình."),
)


def load(*, stdout: TextIO) -> None:
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        stdout.write("Giao ước thi đua mẫu: bỏ qua (chưa có quản trị viên).\n")
        return
    year = timezone.localdate().year
    terms = list(
        BlocTerm.objects.filter(year=year, bloc__is_active=True)
        .select_related("bloc__organiser", "head")
        .order_by("bloc__name")
    )
    fresh = [t for t in terms if not Pledge.objects.filter(bloc=t.bloc, year=year).exists()]
    if not fresh:
        stdout.write("Giao ước thi đua mẫu: không có thay đổi.\n")
        return
    scored = 0
    with transaction.atomic():
        for index, term in enumerate(fresh):
            if term.bloc.members.filter(left_on__isnull=True).count() < 2:
                continue
            pledge = _signed_pledge(term, admin, year, issue=index == 0)
            if index == 0:
                _scored(pledge, admin)
                scored += 1
    stdout.write(
        f"Giao ước thi đua mẫu: {len(fresh)} giao ước đã ký, {scored} cụm/khối đã công bố "
        "kết quả chấm điểm.\n"
    )


def _signed_pledge(term: BlocTerm, admin: User, year: int, *, issue: bool) -> Pledge:
    officer = officer_of(term.head, admin)
    pledge = signing.draft_pledge(
        term.bloc,
        actor=officer,
        year=year,
        preamble=(
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022; căn cứ Kế hoạch phát "
            f"động thi đua năm {year} của Ủy ban nhân dân tỉnh, các đơn vị thành viên "
            f"{term.bloc.name} thống nhất ký kết giao ước thi đua với các nội dung sau."
        ),
        commitments=[CommitmentInput(group=g, text=t) for g, t in COMMITMENTS],
        ceremony_on=timezone.localdate().replace(month=1, day=15),
        ceremony_place=term.head.name,
        witnesses="Đại diện Sở Nội vụ; Ban Thi đua - Khen thưởng",
    )
    signing.open_pledge(pledge, actor=officer)
    for member in pledge.members.select_related("unit"):
        signer = leader_of(member.unit, admin)
        # A unit without a leader in the demo: the administrator records its paper signature,
        # with a scan, as the portal lets an administrator do and nothing more.
        own = access.holds_in_unit(signer, Cap.SIGN_PLEDGE, member.unit)
        signing.sign_pledge(
            pledge, actor=signer, unit=member.unit, paper_scan=None if own else _paper_scan()
        )
    signing.put_pledge_in_force(pledge, actor=officer)
    if issue:
        signing.issue_pledge_document(pledge, actor=officer)
    return pledge


def _paper_scan() -> bytes:
    """A one-page PDF standing for the scan of a signature put on paper."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _reviewer(bloc: Bloc, admin: User) -> User:
    return access.holders(Cap.REVIEW_BLOC_SCORES, bloc.organiser, nearest=True).first() or admin


def _scored(pledge: Pledge, admin: User) -> None:
    officer = officer_of(pledge.head, admin)
    reviewer = _reviewer(pledge.bloc, admin)
    table = scoring.create_score_table(pledge, actor=officer)
    ratio = scoring.add_criterion(
        table,
        actor=officer,
        group="I. Nhiệm vụ chính trị",
        text="Tỷ lệ hoàn thành các chỉ tiêu kinh tế - xã hội",
        max_points=Decimal(40),
        formula=Formula.RATIO,
        evidence_required="Báo cáo kết quả thực hiện chỉ tiêu có xác nhận của Chi cục Thống kê",
        commitment=pledge.commitments.first(),
    )
    models = scoring.add_criterion(
        table,
        actor=officer,
        group="IV. Công tác thi đua",
        text="Mô hình mới, cách làm hay được công nhận",
        max_points=Decimal(20),
        formula=Formula.PER_ITEM,
        points_per_item=Decimal(5),
    )
    manual = scoring.add_criterion(
        table,
        actor=officer,
        group="II. Cải cách hành chính",
        text="Chất lượng giải quyết thủ tục hành chính",
        max_points=Decimal(30),
        formula=Formula.MANUAL,
    )
    late = scoring.add_criterion(
        table,
        actor=officer,
        group="V. Điểm trừ",
        text="Mỗi báo cáo gửi chậm",
        max_points=Decimal(5),
        formula=Formula.PER_ITEM,
        points_per_item=Decimal(1),
        kind=CriterionKind.PENALTY,
    )
    scoring.set_tie_breakers(table, actor=officer, order=[ratio, models, None])
    scoring.publish_score_table(table, actor=officer)
    sheets = list(table.sheets.select_related("unit").order_by("unit__path"))
    for index, sheet in enumerate(sheets):
        scoring.save_self_assessment(
            sheet,
            actor=officer_of(sheet.unit, admin),
            entries={
                ratio.pk: (Decimal(100 - 4 * index), "Báo cáo số liệu thống kê năm"),
                models.pk: (Decimal(3 - index % 3), ""),
                manual.pk: (Decimal(28 - index), ""),
                late.pk: (Decimal(index % 2), ""),
            },
            submit=True,
        )
    for index, sheet in enumerate(sheets):
        if index == 1:
            score = sheet.scores.get(criterion=manual)
            scoring.score_criterion(
                score,
                actor=officer,
                stage=ScoreStage.HEAD,
                value=Decimal(24),
                reason="Còn 3 hồ sơ trễ hạn theo số liệu Cổng dịch vụ công",
                expected_version=score.version,
            )
        scoring.complete_scoring(sheet, actor=officer, stage=ScoreStage.HEAD)
        if index == 2:
            score = sheet.scores.get(criterion=models)
            scoring.score_criterion(
                score,
                actor=reviewer,
                stage=ScoreStage.REVIEWER,
                value=Decimal(1),
                reason="Chỉ 1 mô hình có quyết định công nhận",
                expected_version=score.version,
            )
        scoring.complete_scoring(sheet, actor=reviewer, stage=ScoreStage.REVIEWER)
    ballots = len(sheets)
    leader = max(sheets, key=lambda s: s.total)
    ranking.record_honour_vote(
        table,
        actor=officer,
        ballots_issued=ballots,
        ballots_valid=ballots,
        counts={leader.unit_id: ballots - 1},
    )
    ranking.publish_results(table, actor=reviewer)
    proposals.propose_leading_members(table, actor=officer)
