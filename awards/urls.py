from django.urls import path

from awards.views import (
    catalogue,
    clearance,
    council,
    decisions,
    history,
    nominations,
    public,
    queue,
    quotas,
    statistics,
)

app_name = "awards"

ENTRY_SLUGS = {
    "award": "khen-thuong",
    "rating": "xep-loai",
    "discipline": "ky-luat",
    "freeze": "tam-dung",
    "initiative": "sang-kien",
}

urlpatterns = [
    path("danh-muc/", catalogue.catalogue, name="catalogue"),
    path("ca-nhan/<int:person_id>/", history.person_history, name="person_history"),
    path("don-vi/<int:unit_id>/", history.unit_history, name="unit_history"),
    path("nhap-lich-su/", history.import_history, name="import_history"),
    path("tam-dung/<int:freeze_id>/ket-thuc/", history.end_freeze, name="end_freeze"),
    path("nhap-lich-su/mau.xlsx", history.import_template, name="import_template"),
]

for kind, slug in ENTRY_SLUGS.items():
    urlpatterns += [
        path(
            f"ca-nhan/<int:person_id>/ghi-nhan/{slug}/",
            history.record_for_person,
            {"kind": kind},
            name=f"person_record_{kind}",
        ),
        path(
            f"don-vi/<int:unit_id>/ghi-nhan/{slug}/",
            history.record_for_unit,
            {"kind": kind},
            name=f"unit_record_{kind}",
        ),
    ]

# The nomination workflow (đề nghị khen thưởng → quyết định) and its public pages.
urlpatterns += [
    path("de-nghi/", nominations.nomination_list, name="nomination_list"),
    path(
        "don-vi/<int:unit_id>/de-nghi-moi/",
        nominations.nomination_create,
        name="nomination_create",
    ),
    path("don-vi/<int:unit_id>/trinh/", nominations.batch_submit, name="batch_submit"),
    path(
        "giao-uoc/<int:pledge_id>/de-nghi/",
        nominations.bloc_nominations,
        name="bloc_nominations",
    ),
    path(
        "so-ket/<int:review_id>/de-nghi/",
        nominations.review_nominations,
        name="review_nominations",
    ),
    path("de-nghi/<int:nomination_id>/", nominations.nomination_detail, name="nomination_detail"),
    path("de-nghi/<int:nomination_id>/sua/", nominations.nomination_edit, name="nomination_edit"),
    path(
        "de-nghi/<int:nomination_id>/minh-chung/",
        nominations.nomination_evidence,
        name="nomination_evidence",
    ),
    path(
        "de-nghi/<int:nomination_id>/<slug:action>/",
        nominations.nomination_action,
        name="nomination_action",
    ),
    path("noi-vu/", queue.queue, name="queue"),
    path(
        "noi-vu/ket-qua-trung-uong/",
        queue.central_outcomes,
        name="central_outcomes",
    ),
    path("xin-y-kien/", clearance.clearance_list, name="clearance_list"),
    path("xin-y-kien/moi/", clearance.clearance_create, name="clearance_create"),
    path(
        "xin-y-kien/<int:clearance_id>/",
        clearance.clearance_detail,
        name="clearance_detail",
    ),
    path(
        "xin-y-kien/<int:clearance_id>/tra-loi/",
        clearance.clearance_answer,
        name="clearance_answer",
    ),
    path(
        "xin-y-kien/<int:clearance_id>/rut/",
        clearance.clearance_withdraw,
        name="clearance_withdraw",
    ),
    path("hoi-dong/", council.session_list, name="session_list"),
    path(
        "don-vi/<int:unit_id>/hoi-dong-moi/",
        council.session_create,
        name="session_create",
    ),
    path("hoi-dong/<int:session_id>/", council.session_detail, name="session_detail"),
    path(
        "hoi-dong/<int:session_id>/<slug:step>/",
        council.session_act,
        name="session_act",
    ),
    path("quyet-dinh/", decisions.decision_list, name="decision_list"),
    path("quyet-dinh/<int:decision_id>/", decisions.decision_detail, name="decision_detail"),
    path(
        "quyet-dinh/<int:decision_id>/<slug:step>/",
        decisions.decision_act,
        name="decision_act",
    ),
    path(
        "phong-trao/<int:campaign_id>/chi-tieu/",
        quotas.campaign_quotas,
        name="campaign_quotas",
    ),
    path(
        "chi-tieu/<int:quota_id>/bo/",
        quotas.campaign_quota_remove,
        name="campaign_quota_remove",
    ),
    path("thong-ke/", statistics.statistics_page, name="statistics"),
    path("thong-ke/don-vi/", statistics.statistics_units, name="statistics_units"),
    path("thong-ke/xuat.xlsx", statistics.statistics_export, name="statistics_export"),
    path("cong-khai/lay-y-kien/", public.public_comments, name="public_comments"),
    path("cong-khai/quyet-dinh/", public.public_decisions, name="public_decisions"),
    path(
        "cong-khai/quyet-dinh/<str:code>/",
        public.public_decision,
        name="public_decision",
    ),
]
