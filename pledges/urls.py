from django.urls import path

from pledges import views
from pledges.covenants import score_views
from pledges.covenants import views as covenant_views

app_name = "pledges"

urlpatterns = [
    path("phong-trao/<int:campaign_id>/tien-do/", views.cascade, name="cascade"),
    path("phong-trao/<int:campaign_id>/dang-ky/", views.registration_list, name="list"),
    path("phong-trao/<int:campaign_id>/dang-ky/moi/", views.registration_start, name="start"),
    path("phong-trao/<int:campaign_id>/so-ket/", views.review_list, name="reviews"),
    path("phong-trao/<int:campaign_id>/so-ket/moi/", views.review_open, name="review_open"),
    path(
        "phong-trao/<int:campaign_id>/so-ket/bao-cao/",
        views.review_report,
        name="review_report",
    ),
    path("dang-ky/<int:registration_id>/", views.registration_detail, name="detail"),
    path("dang-ky/<int:registration_id>/nhiem-vu/", views.registration_tasks, name="tasks"),
    path("dang-ky/<int:registration_id>/chuyen/", views.registration_transition, name="transition"),
    path("dang-ky/<int:registration_id>/excel/", views.registration_export, name="export"),
    path("dang-ky/<int:registration_id>/nhap-excel/", views.registration_import, name="import"),
    path("nhiem-vu/<int:task_id>/bao-cao/", views.task_report, name="report"),
    path("minh-chung/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("so-ket/<int:review_id>/", views.review_edit, name="review"),
    path("don-vi/<int:unit_id>/thi-dua/", views.unit_tasks, name="unit_tasks"),
    path("cong-khai/phong-trao/", views.public_campaigns, name="public"),
]

# The giao ước of blocs and its scoring (pledges/covenants/views.py; the score table:
# score_views.py).
urlpatterns += [
    path("cum-khoi/<int:bloc_id>/giao-uoc/", covenant_views.bloc_pledges, name="bloc_pledges"),
    path("don-vi/<int:unit_id>/cum-khoi/", covenant_views.organiser_blocs, name="organiser_blocs"),
    path("giao-uoc/<int:pledge_id>/", covenant_views.pledge_detail, name="pledge"),
    path("giao-uoc/<int:pledge_id>/sua/", covenant_views.pledge_edit, name="pledge_edit"),
    path("giao-uoc/<int:pledge_id>/chuyen/", covenant_views.pledge_action, name="pledge_action"),
    path("giao-uoc/<int:pledge_id>/ban-quet/", covenant_views.pledge_scan, name="pledge_scan"),
    path("giao-uoc/<int:pledge_id>/bang-diem/", score_views.score_table, name="score_table"),
    path("giao-uoc/<int:pledge_id>/ket-qua/", covenant_views.results, name="results"),
    path(
        "giao-uoc/<int:pledge_id>/ket-qua/excel/",
        covenant_views.results_export,
        name="results_export",
    ),
    path("phieu-cham/<int:scoresheet_id>/", covenant_views.score_sheet, name="sheet"),
]
