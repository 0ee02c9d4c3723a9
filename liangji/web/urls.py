from django.urls import path

from liangji.web.views import dashboard, imports, registers, worklist, years

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("school-year/", dashboard.school_year_select, name="school_year_select"),
    # Registers
    path("people/", registers.person_list, name="person_list"),
    path("people/<int:pk>/", registers.person_detail, name="person_detail"),
    path("people/<int:pk>/reveal-id/", registers.person_reveal_id, name="person_reveal_id"),
    path("records/<int:pk>/edit/", registers.person_record_edit, name="person_record_edit"),
    path(
        "records/<int:pk>/<slug:kind>/", registers.person_record_event, name="person_record_event"
    ),
    path("households/", registers.household_list, name="household_list"),
    path("rolls/", registers.enrollment_list, name="enrollment_list"),
    path("rolls/<int:pk>/event/", registers.enrollment_event, name="enrollment_event"),
    # Work lists
    path("worklist/", worklist.worklist, name="worklist"),
    path("worklist/assign/", worklist.worklist_assign, name="worklist_assign"),
    path("worklist/resolve/", worklist.worklist_resolve, name="worklist_resolve"),
    path("worklist/export/", worklist.worklist_export, name="worklist_export"),
    # Import in the browser
    path("imports/", imports.import_list, name="import_list"),
    path("imports/template/", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/errors/", imports.import_error_report, name="import_error_report"),
    # School-year approval
    path("years/", years.year_list, name="year_list"),
    path("years/submit/", years.year_submit, name="year_submit"),
    path("years/review/<int:unit_pk>/", years.year_review, name="year_review"),
    path("years/lock/", years.year_lock, name="year_lock"),
    path("years/unlock/", years.year_unlock, name="year_unlock"),
]
