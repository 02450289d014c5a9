"""The public's comment on a dossier open for comment."""

from __future__ import annotations

from django import forms

from portal.forms import PortalForm


class PublicCommentForm(PortalForm):
    author_name = forms.CharField(label="Họ và tên", max_length=150)
    contact = forms.CharField(label="Địa chỉ, số điện thoại", max_length=255, required=False)
    text = forms.CharField(label="Ý kiến", widget=forms.Textarea(attrs={"rows": 4}))
