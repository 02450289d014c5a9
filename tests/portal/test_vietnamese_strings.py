"""Downloads carry Vietnamese file names in the RFC 6266 form browsers read (issue #15)."""

from __future__ import annotations

from urllib.parse import unquote

from django.http import HttpResponse
from django.urls import reverse

from portal import documents
from portal.documents.demo import make_decision
from portal.downloads import attach, file_name


def saved_name(header: str) -> str:
    """The name a browser saves under, from a Content-Disposition header."""
    assert "filename*=utf-8''" in header, header
    return unquote(header.split("filename*=utf-8''", 1)[1])


def test_a_signed_decision_keeps_its_d_with_stroke_in_the_docx_name(world, client):
    decision = documents.issue_document(
        make_decision(world.ward, actor=world.ward_leader, awardees=1), actor=world.ward_leader
    )
    assert "Đ" in decision.number_and_symbol
    client.force_login(world.ward_leader)
    response = client.get(reverse("document_docx", kwargs={"document_id": decision.pk}))
    header = response["Content-Disposition"]
    assert header.startswith("attachment;")
    assert "=?utf-8?" not in header  # no RFC 2047, which browsers ignore here
    expected = f"Quyết định {decision.number_and_symbol.replace('/', '-')}.docx"
    assert saved_name(header) == expected
    pdf = client.get(reverse("document_pdf", kwargs={"document_id": decision.pk}))
    assert saved_name(pdf["Content-Disposition"]) == expected.replace(".docx", ".pdf")


def test_a_name_made_of_words_turns_slashes_into_dashes_and_an_ascii_name_stays_plain():
    assert file_name("Kế hoạch", "12/KH-UBND", extension="pdf") == "Kế hoạch 12-KH-UBND.pdf"
    header = attach(HttpResponse(), "bao-cao.xlsx")["Content-Disposition"]
    assert header == 'attachment; filename="bao-cao.xlsx"'
    inline = attach(HttpResponse(), "Bản xem trước.pdf", inline=True)["Content-Disposition"]
    assert inline.startswith("inline;") and saved_name(inline) == "Bản xem trước.pdf"


def test_a_blank_choice_reads_chon_not_dashes(world):
    from django import forms

    from portal.models import Unit

    class Pick(forms.Form):
        unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)

    html = str(Pick())
    assert "---------" not in html
    assert html.count("— Chọn —") == 2


def test_every_change_reason_stamped_in_the_source_has_its_vietnamese_label():
    import re
    from pathlib import Path

    from portal.history import GENERIC_LABEL, REASON_LABELS, reason_label

    root = Path(__file__).resolve().parents[2]
    stamped = set()
    for app in ("portal", "campaigns", "pledges", "awards", "reports"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text()
            # Literal codes only: reason="…", _change_reason = "…", SOME_REASON = "…".
            code = r'"([a-z_]+(?:\.[a-z_]+)+)"'
            stamped |= set(re.findall(r"reason=" + code, text))
            stamped |= set(re.findall(r"_change_reason = " + code, text))
            stamped |= set(re.findall(r"[A-Z_]*REASON[A-Z_]* = " + code, text))
    assert "portal.unit.loaded" in stamped
    missing = sorted(code for code in stamped if code not in REASON_LABELS)
    assert not missing, missing
    assert reason_label("pledges.registration.approved") == "Duyệt"
    assert reason_label("awards.something.unheard_of") == GENERIC_LABEL
    assert reason_label("Ban hành 12/QĐ-UBND") == "Ban hành 12/QĐ-UBND"


def test_every_model_reads_vietnamese_in_the_admin():
    import re

    from django.apps import apps

    english = [
        f"{model._meta.label}: {model._meta.verbose_name} / {model._meta.verbose_name_plural}"
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        and any(
            re.fullmatch(r"[a-z ]+", str(name))
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural)
        )
    ]
    assert not english, english
