from django.urls import path

from liangji.web.views import dashboard, worklist

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("school-year/", dashboard.school_year_select, name="school_year_select"),
    # Work lists
    path("worklist/", worklist.worklist, name="worklist"),
    path("worklist/assign/", worklist.worklist_assign, name="worklist_assign"),
    path("worklist/resolve/", worklist.worklist_resolve, name="worklist_resolve"),
    path("worklist/export/", worklist.worklist_export, name="worklist_export"),
]
