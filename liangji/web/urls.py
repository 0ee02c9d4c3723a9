from django.urls import path

from liangji.accounts import views as account_views
from liangji.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
    path("school-year/", views.school_year_select, name="school_year_select"),
]
