from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from portal import job_views, notification_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("quan-tri/", admin.site.urls),
    path("suc-khoe/", views.health, name="health"),
    # Notification centre and background jobs
    path("thong-bao/", notification_views.notification_list, name="notification_list"),
    path("thong-bao/chuong/", notification_views.notification_bell, name="notification_bell"),
    path(
        "thong-bao/<int:notification_id>/da-doc/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "thong-bao/da-doc-tat-ca/",
        notification_views.notification_read_all,
        name="notification_read_all",
    ),
    path(
        "thong-bao/cai-dat/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path("cong-viec/", job_views.job_list, name="job_list"),
    path("cong-viec/xuat-don-vi/", job_views.job_export_units, name="job_export_units"),
    path("cong-viec/<int:job_id>/", job_views.job_detail, name="job_detail"),
    path("cong-viec/<int:job_id>/tien-do/", job_views.job_progress, name="job_progress"),
    path("cong-viec/<int:job_id>/ket-qua/", job_views.job_result, name="job_result"),
    path("cong-viec/<int:job_id>/chay-lai/", job_views.job_retry, name="job_retry"),
]
