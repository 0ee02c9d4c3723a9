from django.urls import path

from liangji.dropout import views

app_name = "dropout"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/attempt/", views.case_attempt, name="case_attempt"),
    path("cases/<int:pk>/advance/", views.case_advance, name="case_advance"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("escalate/", views.escalate, name="escalate"),
    path("absence/new/", views.absence_new, name="absence_new"),
    path("ledgers/<slug:kind>/", views.ledger, name="ledger"),
    path("reports/monthly/", views.monthly, name="monthly"),
    path("reports/review/", views.review, name="review"),
    path("notices/<int:pk>.<slug:fmt>", views.notice_download, name="notice_download"),
    path("notices/<int:pk>/service/", views.notice_service, name="notice_service"),
    path("monthly/submit/", views.monthly_submit, name="monthly_submit"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("contacts/", views.contacts, name="contacts"),
]
