"""A bloc's pledge at each step, on the shared world's Cụm thi đua số 1 (head: Xuân Trung).

Personas added: the leader of Xuân An ("ct_xuanan"). Xuân Trung's officer is the head's
officer; the province's Nội vụ reviewer verifies the scores.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from pledges.covenants import scoring, signing
from pledges.covenants.signing import CommitmentInput
from pledges.models import CriterionKind, Formula, Pledge, ScoreTable
from portal.models import Role, User
from tests.factories import make_member

YEAR = 2026


def sibling_leader(world: SimpleNamespace) -> User:
    existing = User.objects.filter(username="ct_xuanan").first()
    return existing or make_member(world.sibling_ward, Role.LEADER, "ct_xuanan", "Đặng Văn An")


def drafted(world: SimpleNamespace) -> Pledge:
    return signing.draft_pledge(
        world.bloc,
        actor=world.ward_officer,
        year=YEAR,
        preamble="Căn cứ Luật Thi đua, khen thưởng năm 2022; các đơn vị cùng giao ước.",
        ceremony_place="Phường Xuân Trung",
        witnesses="Đại diện Sở Nội vụ",
        commitments=[
            CommitmentInput(
                group="I. Nhiệm vụ chính trị",
                text="Hoàn thành 100% chỉ tiêu thu ngân sách.",
                target_value=Decimal(100),
                unit_of_measure="%",
            ),
            CommitmentInput(group="II. Cải cách hành chính", text="Giải quyết hồ sơ đúng hạn."),
        ],
    )


def in_force(world: SimpleNamespace) -> Pledge:
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    signing.sign_pledge(pledge, actor=world.ward_leader, unit=world.ward)
    signing.sign_pledge(pledge, actor=sibling_leader(world), unit=world.sibling_ward)
    signing.put_pledge_in_force(pledge, actor=world.ward_officer)
    pledge.refresh_from_db()
    return pledge


def scoring_table(world: SimpleNamespace, pledge: Pledge | None = None) -> ScoreTable:
    """Three criteria (one of each formula) and a penalty; tie-break: criterion 2, then vote."""
    pledge = pledge or in_force(world)
    table = scoring.create_score_table(pledge, actor=world.ward_officer)
    officer = world.ward_officer
    world.c_ratio = scoring.add_criterion(
        table,
        actor=officer,
        group="I",
        text="Tỷ lệ thu ngân sách",
        max_points=Decimal(40),
        formula=Formula.RATIO,
        evidence_required="Báo cáo thu ngân sách",
        commitment=pledge.commitments.first(),
    )
    world.c_items = scoring.add_criterion(
        table,
        actor=officer,
        group="I",
        text="Mô hình mới",
        max_points=Decimal(20),
        formula=Formula.PER_ITEM,
        points_per_item=Decimal(5),
    )
    world.c_manual = scoring.add_criterion(
        table,
        actor=officer,
        group="II",
        text="Công tác thi đua",
        max_points=Decimal(10),
        formula=Formula.MANUAL,
    )
    world.c_penalty = scoring.add_criterion(
        table,
        actor=officer,
        group="III",
        text="Báo cáo chậm",
        max_points=Decimal(5),
        formula=Formula.PER_ITEM,
        points_per_item=Decimal(1),
        kind=CriterionKind.PENALTY,
    )
    scoring.set_tie_breakers(table, actor=officer, order=[world.c_items, None])
    return table
