from django.urls import path

from portal.documents import copy_pages, views
from portal.documents import outside_views as outside_signing

urlpatterns = [
    path("van-ban/", views.document_list, name="document_list"),
    path("van-ban/moi/", views.document_create, name="document_create"),
    path("van-ban/nhap/", views.document_record, name="document_record"),
    path("van-ban/<int:document_id>/", views.document_detail, name="document_detail"),
    path("van-ban/<int:document_id>/sua/", views.document_edit, name="document_edit"),
    path("van-ban/<int:document_id>/xem-truoc/", views.document_preview, name="document_preview"),
    path("van-ban/<int:document_id>/ban-hanh/", views.document_issue, name="document_issue"),
    path("van-ban/<int:document_id>/pdf/", views.document_pdf, name="document_pdf"),
    path("van-ban/<int:document_id>/phu-luc/", views.document_annex_pdf, name="document_annex_pdf"),
    path("van-ban/<int:document_id>/docx/", views.document_docx, name="document_docx"),
    path("van-ban/<int:document_id>/ban-sao/", copy_pages.document_copies, name="document_copies"),
    path(
        "van-ban/<int:document_id>/dan-trang-lai/",
        views.document_retypeset,
        name="document_retypeset",
    ),
    path(
        "van-ban/<int:document_id>/ky-so/",
        outside_signing.signing_page,
        name="outside_signing",
    ),
    path(
        "van-ban/<int:document_id>/ky-so/ban-de-ky/",
        outside_signing.paper_download,
        name="outside_signing_paper",
    ),
    path(
        "van-ban/<int:document_id>/ky-so/tai-len/",
        outside_signing.signed_upload,
        name="outside_signing_upload",
    ),
    path(
        "van-ban/<int:document_id>/ky-so/xac-nhan/",
        outside_signing.signer_confirm,
        name="outside_signing_confirm",
    ),
    path(
        "van-ban/<int:document_id>/ky-so/ban-hanh/",
        outside_signing.signed_issue,
        name="outside_signing_issue",
    ),
    path("xac-minh/", views.verify_upload, name="verify_upload"),
    path("xac-minh/<str:code>/", views.verify_code, name="verify_code"),
]
