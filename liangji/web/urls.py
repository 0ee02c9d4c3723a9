from django.urls import path

from liangji.accounts import views as account_views
from liangji.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
    path("users/", account_views.user_list, name="user_list"),
    path("users/new/", account_views.user_create, name="user_create"),
    path("users/<int:pk>/", account_views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", account_views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/unlock/", account_views.user_unlock, name="user_unlock"),
    path("school-year/", views.school_year_select, name="school_year_select"),
]
