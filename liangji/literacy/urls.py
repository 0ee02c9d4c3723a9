from django.urls import path

from liangji.literacy import views

app_name = "literacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("ledger/", views.ledger, name="ledger"),
    path("lost-ability/<int:pk>/", views.judgement_new, name="judgement_new"),
    path("shortfall/", views.shortfall, name="shortfall"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_new, name="class_new"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/members/", views.class_members, name="class_members"),
    path("classes/<int:pk>/sessions/", views.session_new, name="session_new"),
    path("classes/<int:pk>/tests/", views.test_new, name="test_new"),
    path("classes/<int:pk>/test-sheets.pdf", views.test_sheets, name="test_sheets"),
    path("classes/<int:pk>/close/", views.class_close, name="class_close"),
    path("classes/<int:pk>/teachers/", views.teacher_add, name="teacher_add"),
    path("results/<int:pk>/certificate/", views.certificate_issue, name="certificate_issue"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path(
        "certificates/<int:pk>.<slug:fmt>", views.certificate_download, name="certificate_download"
    ),
    path("retests/", views.retest_list, name="retest_list"),
    path("certificates/<int:pk>/retest/", views.retest_new, name="retest_new"),
    path("trainings/", views.training_list, name="training_list"),
]
