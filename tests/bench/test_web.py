"""The web bench's arithmetic, without a server: the order of the loads in a round, each page's
ratio against its anchor's loads around it, the rounds' spread, and the verdict against #16."""

from __future__ import annotations

import pytest

from tests.bench.web import (
    ANCHOR_OF,
    Page,
    _record_round,
    bracketed_ratios,
    pages,
    schedule,
    spread,
    verdict,
)

FACTS = {"campaign": 1, "province": 2, "registration_unit": 3, "pledge": 4}


def test_every_page_lies_between_two_loads_of_its_own_anchor_at_most_two_loads_away():
    rows = pages(FACTS)
    order = schedule(rows)
    judged = [index for index, row in enumerate(rows) if row.anchor]
    assert sorted(i for i in order if rows[i].anchor) == judged  # each page once a round
    assert order.count(0) == 1  # the bare view has no pages
    for position, index in enumerate(order):
        if not rows[index].anchor:
            continue
        anchor = ANCHOR_OF[rows[index].anchor]
        assert anchor in order[max(0, position - 2) : position]
        assert anchor in order[position + 1 : position + 3]
    # 19 pages and their anchors 13 times, the bare view once: what the docstring's 20 minutes
    # for the full run count on.
    assert len(order) == 33


def test_a_few_chosen_pages_are_still_bracketed_by_their_anchors():
    rows = [row for row in pages(FACTS) if not row.anchor or row.label == "Nội vụ queue"]
    assert schedule(rows) == [0, 1, 2, 4, 2, 3]


def test_a_page_is_compared_with_the_geometric_mean_of_its_anchor_before_and_after():
    # The anchor doubles between its loads (drift): the page, at their geometric mean, is 1×.
    timeline = [(1, 100.0), (5, 200.0), (6, 100.0), (1, 400.0), (2, 50.0), (7, 40.0), (2, 0.0)]
    ratios = bracketed_ratios(timeline, {5: 1, 6: 1, 7: 2})
    assert ratios[5] == pytest.approx(1.0)
    assert ratios[6] == pytest.approx(0.5)
    # A failed load of the anchor (0 req/s) is left out: the page has the one before.
    assert ratios[7] == pytest.approx(0.8)
    assert bracketed_ratios([(5, 90.0)], {5: 1}) == {}  # no anchor load in the round


def test_each_round_keeps_its_ratios_and_the_growth_from_its_own_loads():
    rows = [Page("anchor", "/a/", ""), Page("anchor: units", "/u/", ""), Page("p", "/p/", "units")]
    rounds = [
        {1: [(1, 200.0), (2, 180.0), (1, 200.0)], 10: [(1, 100.0), (2, 90.0), (1, 100.0)]},
        {1: [(1, 100.0), (2, 70.0), (1, 100.0)], 10: [(1, 50.0), (2, 35.0), (1, 50.0)]},
    ]
    for timeline in rounds:
        _record_round(rows, timeline)
    page = rows[2]
    assert page.ratios[1] == pytest.approx([0.9, 0.7])
    assert page.ratios[10] == pytest.approx([0.9, 0.7])
    assert page.growths == pytest.approx([2.0, 2.0])
    assert rows[1].growths == pytest.approx([2.0, 2.0])
    assert spread(page.ratios[1]) == "0.70–0.90"
    assert spread([]) == ""


@pytest.mark.parametrize(
    ("ratios", "growths", "expected"),
    [
        ([0.82, 0.85, 0.9], [1.0], "met"),
        ([0.78, 0.85, 0.9], [1.0], "noise"),  # the median meets 0.8, one round does not
        ([0.7, 0.75, 0.9], [1.0], "noise"),  # the median misses, one round meets it
        ([0.7, 0.75, 0.79], [1.0], "short"),  # no round meets it
        ([0.82, 0.85, 0.9], [1.2, 1.25, 1.35], "noise"),
        ([0.82, 0.85, 0.9], [1.35, 1.4, 1.5], "short"),  # slows down with the data, every round
    ],
)
def test_the_verdict_tells_a_real_shortfall_from_drift(ratios, growths, expected):
    page = Page("p", "/p/", "units", ratios={1: ratios, 10: [1.0]}, growths=growths)
    assert verdict(page, [1, 10]) == expected


def test_the_cascade_is_held_to_the_aggregate_and_rows_outside_16_get_no_verdict():
    cascade = Page("cascade", "/c/", "agg2", ratios={1: [0.95, 0.97, 0.99]})
    assert verdict(cascade, [1]) == "short"
    chrome = Page("chrome", "/c/", "units", False, ratios={1: [0.5]})
    assert verdict(chrome, [1]) == ""
    assert verdict(Page("anchor", "/a/", ""), [1]) == ""
