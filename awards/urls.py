from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("danh-muc/", views.catalogue, name="catalogue"),
    path("ca-nhan/<int:person_id>/", views.person_history, name="person_history"),
    path("don-vi/<int:unit_id>/", views.unit_history, name="unit_history"),
    path("nhap-lich-su/", views.import_history, name="import_history"),
    path("nhap-lich-su/mau.xlsx", views.import_template, name="import_template"),
]
