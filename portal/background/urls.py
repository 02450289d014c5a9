from django.urls import path

from portal.background import views

urlpatterns = [
    # The notification centre
    path("thong-bao/", views.notification_list, name="notification_list"),
    path("thong-bao/chuong/", views.notification_bell, name="notification_bell"),
    path(
        "thong-bao/<int:notification_id>/da-doc/",
        views.notification_read,
        name="notification_read",
    ),
    path("thong-bao/da-doc-tat-ca/", views.notification_read_all, name="notification_read_all"),
    path("thong-bao/cai-dat/", views.notification_preferences, name="notification_preferences"),
    # Background jobs
    path("cong-viec/", views.job_list, name="job_list"),
    path("cong-viec/xuat-don-vi/", views.job_export_units, name="job_export_units"),
    path("cong-viec/<int:job_id>/", views.job_detail, name="job_detail"),
    path("cong-viec/<int:job_id>/tien-do/", views.job_progress, name="job_progress"),
    path("cong-viec/<int:job_id>/ket-qua/", views.job_result, name="job_result"),
    path("cong-viec/<int:job_id>/chay-lai/", views.job_retry, name="job_retry"),
]
