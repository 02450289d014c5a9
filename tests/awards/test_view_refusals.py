"""The two refusals the award pages make before calling a service: a signer or a closing the
page's form cannot read. Each names its rule like a service's refusal, and the page shows it as
the service's would (through portal.service_calls)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import AwardDecision, CouncilSession
from awards.views import council as council_views
from awards.views import decisions as decision_views
from tests.awards.nomination_helpers import TODAY, council_of, decided
from tests.refusals import refused


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def test_a_signer_who_is_not_a_leader_of_the_unit_is_refused_and_shown(world, client):
    decision = decided(world).decision
    signer = decision.document.signer_id
    # Not one of the leaders the form offers (the engine's signer_not_leader checks the day).
    with refused("signer_not_offered"):
        decision_views.MOVE_SERVICES["set_signer"](
            decision, world.reviewer, {"signer": str(world.person.pk)}
        )
    client.force_login(world.reviewer)
    response = client.post(
        reverse("awards:decision_act", kwargs={"decision_id": decision.pk, "step": "nguoi-ky"}),
        {"signer": str(world.person.pk)},
        follow=True,
    )
    assert "Người ký phải là lãnh đạo đơn vị đang giữ chức vụ." in response.content.decode()
    assert AwardDecision.objects.get(pk=decision.pk).document.signer_id == signer


def test_a_closing_time_the_page_cannot_read_is_refused_and_the_session_stays_open(world, client):
    c = council_of(world, world.ward, size=3)
    with refused("session_closing_invalid"):
        council_views.MOVE_SERVICES["close"](c.session, world.reviewer, {"ends_at": "25:99"})
    client.force_login(world.reviewer)
    response = client.post(
        reverse("awards:session_act", kwargs={"session_id": c.session.pk, "step": "dong"}),
        {"ends_at": "25:99"},
        follow=True,
    )
    assert "giờ kết thúc theo dạng giờ:phút" in response.content.decode()
    assert CouncilSession.objects.get(pk=c.session.pk).status == "open"
