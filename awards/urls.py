from django.urls import path

from awards import clearance_views, nomination_views, quota_views, views

app_name = "awards"

ENTRY_SLUGS = {
    "award": "khen-thuong",
    "rating": "xep-loai",
    "discipline": "ky-luat",
    "freeze": "tam-dung",
    "initiative": "sang-kien",
}

urlpatterns = [
    path("danh-muc/", views.catalogue, name="catalogue"),
    path("ca-nhan/<int:person_id>/", views.person_history, name="person_history"),
    path("don-vi/<int:unit_id>/", views.unit_history, name="unit_history"),
    path("nhap-lich-su/", views.import_history, name="import_history"),
    path("tam-dung/<int:freeze_id>/ket-thuc/", views.end_freeze, name="end_freeze"),
    path("nhap-lich-su/mau.xlsx", views.import_template, name="import_template"),
]

for kind, slug in ENTRY_SLUGS.items():
    urlpatterns += [
        path(
            f"ca-nhan/<int:person_id>/ghi-nhan/{slug}/",
            views.record_for_person,
            {"kind": kind},
            name=f"person_record_{kind}",
        ),
        path(
            f"don-vi/<int:unit_id>/ghi-nhan/{slug}/",
            views.record_for_unit,
            {"kind": kind},
            name=f"unit_record_{kind}",
        ),
    ]

# The nomination workflow (đề nghị khen thưởng → quyết định) and its public pages.
urlpatterns += [
    path("de-nghi/", nomination_views.nomination_list, name="nomination_list"),
    path(
        "don-vi/<int:unit_id>/de-nghi-moi/",
        nomination_views.nomination_create,
        name="nomination_create",
    ),
    path("don-vi/<int:unit_id>/trinh/", nomination_views.batch_submit, name="batch_submit"),
    path(
        "giao-uoc/<int:pledge_id>/de-nghi/",
        nomination_views.bloc_nominations,
        name="bloc_nominations",
    ),
    path(
        "so-ket/<int:review_id>/de-nghi/",
        nomination_views.review_nominations,
        name="review_nominations",
    ),
    path(
        "de-nghi/<int:nomination_id>/", nomination_views.nomination_detail, name="nomination_detail"
    ),
    path(
        "de-nghi/<int:nomination_id>/sua/", nomination_views.nomination_edit, name="nomination_edit"
    ),
    path(
        "de-nghi/<int:nomination_id>/minh-chung/",
        nomination_views.nomination_evidence,
        name="nomination_evidence",
    ),
    path(
        "de-nghi/<int:nomination_id>/<slug:action>/",
        nomination_views.nomination_action,
        name="nomination_action",
    ),
    path("noi-vu/", nomination_views.queue, name="queue"),
    path(
        "noi-vu/ket-qua-trung-uong/",
        nomination_views.central_outcomes,
        name="central_outcomes",
    ),
    path("xin-y-kien/", clearance_views.clearance_list, name="clearance_list"),
    path("xin-y-kien/moi/", clearance_views.clearance_create, name="clearance_create"),
    path(
        "xin-y-kien/<int:clearance_id>/",
        clearance_views.clearance_detail,
        name="clearance_detail",
    ),
    path(
        "xin-y-kien/<int:clearance_id>/tra-loi/",
        clearance_views.clearance_answer,
        name="clearance_answer",
    ),
    path(
        "xin-y-kien/<int:clearance_id>/rut/",
        clearance_views.clearance_withdraw,
        name="clearance_withdraw",
    ),
    path("hoi-dong/", nomination_views.session_list, name="session_list"),
    path(
        "don-vi/<int:unit_id>/hoi-dong-moi/",
        nomination_views.session_create,
        name="session_create",
    ),
    path("hoi-dong/<int:session_id>/", nomination_views.session_detail, name="session_detail"),
    path(
        "hoi-dong/<int:session_id>/<slug:step>/",
        nomination_views.session_act,
        name="session_act",
    ),
    path("quyet-dinh/", nomination_views.decision_list, name="decision_list"),
    path("quyet-dinh/<int:decision_id>/", nomination_views.decision_detail, name="decision_detail"),
    path(
        "quyet-dinh/<int:decision_id>/<slug:step>/",
        nomination_views.decision_act,
        name="decision_act",
    ),
    path(
        "phong-trao/<int:campaign_id>/chi-tieu/",
        quota_views.campaign_quotas,
        name="campaign_quotas",
    ),
    path(
        "chi-tieu/<int:quota_id>/bo/",
        quota_views.campaign_quota_remove,
        name="campaign_quota_remove",
    ),
    path("thong-ke/", nomination_views.statistics_page, name="statistics"),
    path("thong-ke/xuat.xlsx", nomination_views.statistics_export, name="statistics_export"),
    path("cong-khai/lay-y-kien/", nomination_views.public_comments, name="public_comments"),
    path("cong-khai/quyet-dinh/", nomination_views.public_decisions, name="public_decisions"),
    path(
        "cong-khai/quyet-dinh/<str:code>/",
        nomination_views.public_decision,
        name="public_decision",
    ),
]
