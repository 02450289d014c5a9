"""The catalogue page: every title and award form with its rules and money on a day."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from awards.models import AwardForm, BaseSalary, Decider, EmulationTitle, Item, RecipientKind
from awards.rules.money import format_vnd, priced
from awards.rules.rulebook import Rulebook
from portal import access
from portal.access import Cap


@dataclass
class CatalogueRow:
    item: Item
    money: list[tuple[str, str, bool]]
    deciders: list[str]
    authority_articles: str
    vote: str


def _rows(items, rulebook: Rulebook | None, base: BaseSalary | None) -> list[CatalogueRow]:
    rows = []
    for item in items:
        money = []
        if rulebook is not None and base is not None:
            for kind in item.recipient_kinds():
                amount = priced(rulebook, base, item, kind)
                if amount is None:
                    money.append((RecipientKind(kind).label, "—", False))
                else:
                    money.append(
                        (RecipientKind(kind).label, format_vnd(amount.amount), amount.is_unverified)
                    )
        authority = rulebook.authority(item) if rulebook else []
        vote = rulebook.vote(item) if rulebook else None
        rows.append(
            CatalogueRow(
                item=item,
                money=money,
                deciders=[Decider(rule.decider).label for rule in authority],
                authority_articles="; ".join(dict.fromkeys(rule.article for rule in authority)),
                vote=(
                    vote.requirement
                    + (", bỏ phiếu kín" if vote.secret_ballot else "")
                    + f" ({vote.article})"
                    + (" — chưa xác minh" if vote.is_unverified else "")
                )
                if vote
                else "",
            )
        )
    return rows


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    home = next(iter(access.units_where(request.user, Cap.VIEW)), None)
    rulebook = Rulebook.for_day(today, home)
    base = BaseSalary.in_force_on(today)
    context = {
        "today": today,
        "rulebook": rulebook,
        "base": base,
        "titles": _rows(EmulationTitle.objects.filter(is_active=True), rulebook, base),
        "forms": _rows(AwardForm.objects.filter(is_active=True), rulebook, base),
    }
    return render(request, "awards/catalogue.html", context)
