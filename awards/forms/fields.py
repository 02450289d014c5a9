"""What the awards forms share: the catalogue item picker."""

from __future__ import annotations

from django import forms

from awards.models import AwardForm, EmulationTitle, Item


def item_from_choice(value: str) -> Item:
    kind, _, pk = value.partition("-")
    model = EmulationTitle if kind == "title" else AwardForm
    try:
        return model.objects.get(pk=int(pk))
    except (ValueError, model.DoesNotExist) as error:
        raise forms.ValidationError("Danh hiệu, hình thức không hợp lệ.") from error


def item_choices() -> list:
    return [
        ("Danh hiệu thi đua", [(f"title-{t.pk}", t.name) for t in EmulationTitle.objects.all()]),
        ("Hình thức khen thưởng", [(f"form-{f.pk}", f.name) for f in AwardForm.objects.all()]),
    ]
