from django.urls import path

from liangji.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/replace/", views.replace, name="replace"),
    path("documents/<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("versions/<int:pk>/", views.version_download, name="version_download"),
    path("records/<int:record_pk>/proof/", views.proof_upload, name="proof_upload"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("generate/", views.generate, name="generate"),
    path("export/", views.export, name="export"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("spot-checks/", views.spot_checks, name="spot_checks"),
    path("spot-checks/<int:pk>/", views.spot_check_detail, name="spot_check_detail"),
    path("spot-checks/items/<int:pk>/", views.spot_check_item, name="spot_check_item"),
]
