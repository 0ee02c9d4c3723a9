from django.urls import path

from liangji.registers.views import people, years

app_name = "registers"

urlpatterns = [
    path("people/", people.person_list, name="person_list"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/reveal-id/", people.person_reveal_id, name="person_reveal_id"),
    path("records/<int:pk>/edit/", people.person_record_edit, name="person_record_edit"),
    path("records/<int:pk>/<slug:kind>/", people.person_record_event, name="person_record_event"),
    path("households/", people.household_list, name="household_list"),
    path("rolls/", people.enrollment_list, name="enrollment_list"),
    path("rolls/<int:pk>/event/", people.enrollment_event, name="enrollment_event"),
    # School-year approval
    path("years/", years.year_list, name="year_list"),
    path("years/submit/", years.year_submit, name="year_submit"),
    path("years/review/<int:unit_pk>/", years.year_review, name="year_review"),
    path("years/lock/", years.year_lock, name="year_lock"),
    path("years/unlock/", years.year_unlock, name="year_unlock"),
]
