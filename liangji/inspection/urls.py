from django.urls import path

from liangji.inspection.views import agreements, checks, conditions, plan, readiness, standard
from liangji.inspection.views import supervision as sv

app_name = "inspection"

urlpatterns = [
    path("", plan.home, name="home"),
    path("plan/", plan.plan, name="plan"),
    path("plan/tasks/<int:pk>/", plan.task_edit, name="task_edit"),
    path("plan/phases/<int:phase_pk>/tasks/", plan.task_add, name="task_add"),
    path("plan/phases/<int:pk>/", plan.phase_edit, name="phase_edit"),
    path("organisation/", plan.organisation, name="organisation"),
    path("organisation/<int:pk>/delete/", plan.org_member_delete, name="org_member_delete"),
    path("standard/", standard.standard, name="standard"),
    path("standard/<int:pk>/", standard.standard_item_edit, name="standard_item_edit"),
    path("standard/new/", standard.standard_item_add, name="standard_item_add"),
    path("conditions/", conditions.conditions, name="conditions"),
    path("conditions/buildings/", conditions.building_add, name="building_add"),
    path("conditions/buildings/<int:pk>/", conditions.building_update, name="building_update"),
    path("conditions/hazards/", conditions.hazard_add, name="hazard_add"),
    path("conditions/hazards/<int:pk>/close/", conditions.hazard_close, name="hazard_close"),
    path("conditions/funding/", conditions.funding_add, name="funding_add"),
    path("conditions/teachers/", conditions.teacher_add, name="teacher_add"),
    path("self-checks/", checks.self_check_list, name="self_check_list"),
    path("self-checks/<int:pk>/", checks.self_check_detail, name="self_check_detail"),
    path(
        "self-checks/<int:pk>/items/<int:item_pk>/",
        checks.self_check_result,
        name="self_check_result",
    ),
    path(
        "self-checks/<int:pk>/items/<int:item_pk>/evidence/",
        checks.self_check_evidence,
        name="self_check_evidence",
    ),
    path("self-checks/<int:pk>/submit/", checks.self_check_submit, name="self_check_submit"),
    path("self-checks/<int:pk>/report.docx", checks.self_check_report, name="self_check_report"),
    path("evidence/<int:pk>/", checks.evidence_download, name="evidence_download"),
    path("supervision/", sv.visit_list, name="visit_list"),
    path("supervision/<int:pk>/", sv.visit_detail, name="visit_detail"),
    path("supervision/<int:pk>/bulletin.docx", sv.visit_bulletin, name="visit_bulletin"),
    path("rectification/", sv.rectification_list, name="rectification_list"),
    path("rectification/<int:pk>/", sv.rectification_detail, name="rectification_detail"),
    path("rectification/<int:pk>/submit/", sv.rectification_submit, name="rectification_submit"),
    path(
        "rectification/<int:pk>/evidence/",
        sv.rectification_evidence,
        name="rectification_evidence",
    ),
    path(
        "rectification/<int:pk>/verify/",
        sv.rectification_review,
        {"decision": "verify"},
        name="rectification_verify",
    ),
    path(
        "rectification/<int:pk>/reject/",
        sv.rectification_review,
        {"decision": "reject"},
        name="rectification_reject",
    ),
    path("applications/", sv.applications, name="applications"),
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/<int:pk>/assess/", agreements.agreement_assess, name="agreement_assess"),
    path("readiness/", readiness.readiness, name="readiness"),
]
