from django.urls import path

from liangji.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/template/", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/errors/", views.import_error_report, name="import_error_report"),
]
