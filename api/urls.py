"""/api/v1/: the API's routes and the token and webhook pages of a unit."""

from django.urls import path

from api import views
from api.core import api
from api.endpoints import (  # noqa: F401  (writes adds its routes to pledges and awards)
    awards,
    campaigns,
    documents,
    exports,
    pledges,
    units,
    webhooks,
    writes,
)

api.add_router("", units.router)
api.add_router("", campaigns.router)
api.add_router("", pledges.router)
api.add_router("", awards.router)
api.add_router("", documents.router)
api.add_router("", webhooks.router)
api.add_router("", exports.router)

urlpatterns = [
    path("api/v1/", api.urls),
    path("don-vi/<int:unit_id>/khoa-api/", views.token_list, name="api_tokens"),
    path("khoa-api/<int:token_id>/thu-hoi/", views.token_revoke, name="api_token_revoke"),
    path("don-vi/<int:unit_id>/webhook/", views.webhook_list, name="api_webhooks"),
    path("webhook/<int:webhook_id>/tat/", views.webhook_switch_off, name="api_webhook_switch_off"),
]
