from django.urls import path

from liangji.web.views import dashboard

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("school-year/", dashboard.school_year_select, name="school_year_select"),
]
