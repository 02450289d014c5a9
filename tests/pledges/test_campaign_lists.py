"""The campaign's lists count their rows with the campaign for the issuing level, and the
reviews list reads each kind's part of a page on its own (#16): the totals are those of
`visible_to(user)`, and the reviews' pages hold its rows sorted on (kind, unit path), a page
across the two kinds included, with each review's exemplars and proposals counted."""

import datetime
import re

import pytest
from django.urls import reverse

from campaigns.models import ReviewKind
from pledges.models import AwardProposal, Exemplar, ProposedAward, Registration, UnitReview
from pledges.workflow import RegistrationStatus
from portal.models import UnitKind
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def _shown(client, campaign, page: int) -> list[int]:
    response = client.get(reverse("pledges:reviews", args=[campaign.pk]), {"trang": page})
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'href="/so-ket/(\d+)/"', response.content.decode())]


def test_review_pages_follow_kind_then_unit_path_across_kinds(client, city, city_campaign):
    w, campaign = city, city_campaign
    # 30 wards more and the city's own units: 35 reviews of each kind, a page of 50 ends inside
    # the second kind. Created out of tree order, so the ids alone would not give the order.
    units = [make_unit(w.district, UnitKind.WARD, f"Phường {n:02}") for n in range(30, 0, -1)]
    units += [w.ward, w.sibling_ward, w.ward_office, w.ward_secretariat, w.district]
    for kind in (ReviewKind.MIDTERM, ReviewKind.FINAL):
        for unit in units:
            UnitReview.objects.create(campaign=campaign, unit=unit, kind=kind)
    counted = UnitReview.objects.get(campaign=campaign, unit=w.ward, kind=ReviewKind.MIDTERM)
    for n in range(3):
        Exemplar.objects.create(review=counted, kind="advanced", name=f"Gương {n}", description=".")
    # Sent at 20:00 UTC on 1 March: 2 March on the local calendar (UTC+7).
    sent = datetime.datetime(2026, 3, 1, 20, 0, tzinfo=datetime.UTC)
    UnitReview.objects.filter(pk=counted.pk).update(submitted_at=sent)
    proposed = UnitReview.objects.get(campaign=campaign, unit=w.ward, kind=ReviewKind.FINAL)
    for _ in range(2):
        AwardProposal.objects.create(
            review=proposed, award=ProposedAward.values[0], unit=w.ward, achievement="."
        )
    for user, pages in ((w.city_officer, [1, 2]), (w.leader, [1, 2]), (w.ward_officer, [1])):
        client.force_login(user)
        expected = list(
            UnitReview.objects.visible_to(user)
            .filter(campaign=campaign)
            .order_by("kind", "unit__path")
            .values_list("pk", flat=True)
        )
        shown = [_shown(client, campaign, page) for page in pages]
        if user == w.ward_officer:
            assert len(expected) == 6  # the ward and its two offices, of each kind
        else:
            assert [len(rows) for rows in shown[:2]] == [50, 20]
        assert [pk for rows in shown[:2] for pk in rows] == expected
    assert shown[0] == expected  # the ward officer's one page
    # Past the end, the last page (as every list).
    client.force_login(w.city_officer)
    assert _shown(client, campaign, 9) == _shown(client, campaign, 2)
    pages = "".join(
        client.get(reverse("pledges:reviews", args=[campaign.pk]), {"trang": page}).content.decode()
        for page in (1, 2)
    )
    for review, day, counts in ((counted, "02/03/2026", (3, 0)), (proposed, "", (0, 2))):
        row = re.search(rf'href="/so-ket/{review.pk}/".*?</tr>', pages, re.S)
        cells = "".join(f'<td class="text-end">{n}</td>' for n in counts)
        assert f"<td>{day}</td>{cells}" in row.group(0)


def test_registration_totals_are_the_rows_the_user_sees(client, city, city_campaign):
    w, campaign = city, city_campaign
    units = [make_unit(w.district, UnitKind.WARD, f"Phường {n:02}") for n in range(60)]
    units += [w.ward, w.ward_office, w.sibling_ward]
    for unit in units:
        Registration.objects.create(campaign=campaign, unit=unit)
    Registration.objects.filter(unit=w.ward_office).update(status=RegistrationStatus.SUBMITTED)
    url = reverse("pledges:list", args=[campaign.pk])
    cases = [(w.city_officer, {}), (w.leader, {}), (w.ward_officer, {}), (w.admin, {})]
    cases += [(w.city_officer, {"status": RegistrationStatus.SUBMITTED})]
    cases += [(w.city_officer, {"q": "phuong 0"})]
    for user, filters in cases:
        client.force_login(user)
        expected = Registration.objects.visible_to(user).filter(campaign=campaign)
        if "status" in filters:
            expected = expected.filter(status=filters["status"])
        expected = expected.search(filters.get("q", ""))
        response = client.get(url, filters)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == expected.count(), (user, filters)
    assert response.context["page"].paginator.count == 10  # Phường 00 to 09
