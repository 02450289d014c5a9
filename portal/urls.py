from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from portal import files, forms, views
from portal.views import accounts

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; the file is a static one, whose
    # hashed name is known only once collectstatic has run (hence lazy).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico")), name="favicon"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=forms.LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    # Forgotten password: a one-use link by e-mail (portal/views/accounts.py).
    path("quen-mat-khau/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The organisation tree: units, blocs, people and roles.
    path("don-vi/", views.unit_browser, name="unit_browser"),
    path("don-vi/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:unit_id>/chi-tiet/", views.unit_details, name="unit_details"),
    path("don-vi/<int:unit_id>/truc-thuoc/", views.unit_children, name="unit_children"),
    path("don-vi/<int:unit_id>/lich-su/", views.unit_history, name="unit_history"),
    path("don-vi/<int:unit_id>/ca-nhan/", views.unit_people, name="unit_people"),
    path("don-vi/<int:unit_id>/them-don-vi/", views.unit_create, name="unit_create"),
    path("don-vi/<int:unit_id>/sua/", views.unit_update, name="unit_update"),
    path("don-vi/<int:unit_id>/giai-the/", views.unit_close, name="unit_close"),
    path("don-vi/<int:unit_id>/them-cum-khoi/", views.bloc_create, name="bloc_create"),
    path("don-vi/<int:unit_id>/them-ca-nhan/", views.person_create, name="person_create"),
    path("don-vi/<int:unit_id>/phan-quyen/", views.membership_grant, name="membership_grant"),
    path("cum-khoi/<int:bloc_id>/", views.bloc_detail, name="bloc_detail"),
    path("cum-khoi/<int:bloc_id>/sua/", views.bloc_update, name="bloc_update"),
    path("cum-khoi/<int:bloc_id>/them-thanh-vien/", views.bloc_member_add, name="bloc_member_add"),
    path("cum-khoi/<int:bloc_id>/truong-pho/", views.bloc_term_set, name="bloc_term_set"),
    path("cum-khoi/<int:bloc_id>/luan-phien/", views.bloc_rotate, name="bloc_rotate"),
    path(
        "cum-khoi/thanh-vien/<int:bloc_member_id>/roi-khoi/",
        views.bloc_member_remove,
        name="bloc_member_remove",
    ),
    path("ca-nhan/<int:person_id>/", views.person_detail, name="person_detail"),
    path("ca-nhan/<int:person_id>/sua/", views.person_update, name="person_update"),
    path("ca-nhan/<int:person_id>/chuyen-don-vi/", views.person_move, name="person_move"),
    path(
        "phan-quyen/<int:membership_id>/thu-hoi/",
        views.membership_revoke,
        name="membership_revoke",
    ),
    path("", include("portal.documents.urls")),
    path("quan-tri/", admin.site.urls),
    path("suc-khoe/", views.health, name="health"),
    path("tep/<str:key>/<int:pk>/", files.private_file, name="private_file"),
    path("khen-thuong/", include("awards.urls")),
    path("", include("campaigns.urls")),
    path("", include("pledges.urls")),
    path("", include("reports.urls")),
    # Notification centre and background jobs
    path("", include("portal.background.urls")),
    # The open API (/api/v1/) and the unit's token pages
    path("", include("api.urls")),
]
