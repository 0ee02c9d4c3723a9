from django.urls import path

from liangji.indicators import views

app_name = "indicators"

urlpatterns = [
    # Work lists
    path("worklist/", views.worklist, name="worklist"),
    path("worklist/assign/", views.worklist_assign, name="worklist_assign"),
    path("worklist/resolve/", views.worklist_resolve, name="worklist_resolve"),
    path("worklist/export/", views.worklist_export, name="worklist_export"),
]
