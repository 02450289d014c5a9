from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("bao-cao-dinh-ky/", views.report_list, name="list"),
    path("bao-cao-dinh-ky/<int:report_id>/", views.report_detail, name="detail"),
    path("bao-cao-dinh-ky/<int:report_id>/pdf/", views.report_pdf, name="pdf"),
    path("bao-cao-dinh-ky/<int:report_id>/excel/", views.report_xlsx, name="xlsx"),
    path("bao-cao-dinh-ky/<int:report_id>/tao-lai/", views.report_regenerate, name="regenerate"),
    path("don-vi/<int:unit_id>/bao-cao-dinh-ky/", views.unit_reports, name="unit_list"),
    path("don-vi/<int:unit_id>/lich-bao-cao/", views.unit_schedule, name="schedule"),
]
