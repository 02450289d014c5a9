from django.urls import path

from awards import views

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
