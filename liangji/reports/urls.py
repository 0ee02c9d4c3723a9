from django.urls import path

from liangji.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/people/", views.indicator_people, name="indicator_people"),
    path("crosscheck/", views.crosscheck, name="crosscheck"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("download/<slug:name>/", views.report_download, name="report_download"),
    path("documents/", views.documents, name="documents"),
    path("documents/<slug:kind>/narrative/", views.narrative_edit, name="narrative_edit"),
    path("documents/generate/", views.document_generate, name="document_generate"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
