import io

from pledges.covenants import demo as covenant_demo
from pledges.models import BlocAwardProposal, Pledge, RankingEntry
from pledges.workflow import PledgeStatus


def test_demo_signs_pledges_and_publishes_one_blocs_ranking_with_proposals(world):
    out = io.StringIO()
    covenant_demo.load(stdout=out)
    pledge = Pledge.objects.get(bloc=world.bloc, year=2026)
    assert pledge.status == PledgeStatus.SCORED
    assert pledge.signatures.count() == 2
    assert len(pledge.document.co_signers) == 2
    ranking = RankingEntry.objects.filter(table__pledge=pledge).order_by("rank")
    assert [e.rank for e in ranking] == [1, 2]
    assert BlocAwardProposal.objects.filter(entry__table__pledge=pledge).count() == 2
    assert pledge.score_table.sheets.filter(scores__changes__reason__gt="").exists()
    again = io.StringIO()
    covenant_demo.load(stdout=again)
    assert "không có thay đổi" in again.getvalue()
    assert Pledge.objects.count() == 1
