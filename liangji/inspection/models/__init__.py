"""Inspection readiness: the work plan, the organisation, the standard, the registers its veto
items need, self-checks, supervision, rectification, applications and 目标责任书.

Everything belongs to a town (directly, or through a unit of the town), so that one scope rule
(`liangji.accounts.scope`) decides who sees it. One module per area; Django and the rest of the
code import the models from here.
"""

from liangji.inspection.models.agreements import (
    Accountability,
    Agreement,
    Assessment,
)
from liangji.inspection.models.checks import (
    Evidence,
    Finding,
    InspectionApplication,
    InspectionResult,
    Rectification,
    SelfCheck,
    SelfCheckResult,
    SupervisionVisit,
    evidence_upload_to,
)
from liangji.inspection.models.conditions import (
    FundingYear,
    SafetyHazard,
    SchoolBuilding,
    Teacher,
)
from liangji.inspection.models.plan import (
    OrgMember,
    PlanPhase,
    PlanTask,
    WorkPlan,
)
from liangji.inspection.models.standard import (
    StandardAspect,
    StandardItem,
)

__all__ = [
    "Accountability",
    "Agreement",
    "Assessment",
    "Evidence",
    "Finding",
    "FundingYear",
    "InspectionApplication",
    "InspectionResult",
    "OrgMember",
    "PlanPhase",
    "PlanTask",
    "Rectification",
    "SafetyHazard",
    "SchoolBuilding",
    "SelfCheck",
    "SelfCheckResult",
    "StandardAspect",
    "StandardItem",
    "SupervisionVisit",
    "Teacher",
    "WorkPlan",
    "evidence_upload_to",
]
