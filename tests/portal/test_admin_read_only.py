"""The records their services or PostgreSQL's triggers write are never written in the admin."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from awards.models import AwardTally, Nomination, NominationBranchTally, NominationTally
from pledges.models import CascadeDayTally, CascadeTally, Pledge
from portal.admin import NoWritesMixin
from portal.models import DocumentCopy, OfficialDocument, OutsideSigning

READ_ONLY = (
    OfficialDocument,
    DocumentCopy,
    OutsideSigning,
    Nomination,
    NominationBranchTally,
    NominationTally,
    AwardTally,
    Pledge,
    CascadeTally,
    CascadeDayTally,
)


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_a_superuser_may_not_add_change_or_delete_it_in_the_admin(model, django_user_model):
    request = RequestFactory().get("/quan-tri/")
    request.user = django_user_model(is_superuser=True, is_staff=True, is_active=True)
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, NoWritesMixin)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)
