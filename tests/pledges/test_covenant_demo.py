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
    # One block per member: the head's beside "Nơi nhận", the other's above; each names the
    # person chairing the member, not the account that signed in the portal.
    blocks = [pledge.document.signer_name, *(b["name"] for b in pledge.document.co_signers)]
    assert sorted(blocks) == sorted([world.ward_chair.full_name, world.sibling_chair.full_name])
    ranking = RankingEntry.objects.filter(table__pledge=pledge).order_by("rank")
    assert [e.rank for e in ranking] == [1, 2]
    assert BlocAwardProposal.objects.filter(entry__table__pledge=pledge).count() == 2
    assert pledge.score_table.sheets.filter(scores__changes__reason__gt="").exists()
    again = io.StringIO()
    covenant_demo.load(stdout=again)
    assert "không có thay đổi" in again.getvalue()
    assert Pledge.objects.count() == 1
