from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("phong-trao/", views.campaign_list, name="list"),
    path("phong-trao/tao/", views.campaign_create, name="create"),
    path("phong-trao/can-cu/dong-moi/", views.basis_row, name="basis_row"),
    path("phong-trao/<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("phong-trao/<int:campaign_id>/sua/", views.campaign_edit, name="edit"),
    path("phong-trao/<int:campaign_id>/van-ban/", views.campaign_document, name="document"),
    path("phong-trao/<int:campaign_id>/xem-truoc.pdf", views.campaign_preview, name="preview"),
    path("phong-trao/<int:campaign_id>/chuyen/", views.campaign_transition, name="transition"),
    path("phong-trao/<int:campaign_id>/tiep-noi/", views.campaign_follow_up, name="follow_up"),
    path("cong-khai/van-ban/<str:code>/", views.public_document, name="public_document"),
]
