"""The approval of a school year: which villages and schools have submitted, and the lock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liangji.accounts.scope import scope_for
from liangji.registers.choices import SCHOOL_KINDS, VILLAGE_KINDS
from liangji.registers.models import SchoolYear, Unit
from liangji.web.models import SubmissionState, YearSubmission


@dataclass
class UnitApproval:
    unit: Unit
    submission: YearSubmission | None

    @property
    def state(self) -> str:
        return self.submission.state if self.submission is not None else ""

    @property
    def approved(self) -> bool:
        return self.state == SubmissionState.APPROVED


def year_approvals(*, user: Any, school_year: SchoolYear) -> list[UnitApproval]:
    """Every village and school of the user's scope, with its submission for the year."""
    scope = scope_for(user)
    ids = sorted(scope.village_ids | scope.school_ids)
    units = list(
        Unit.objects.filter(pk__in=ids, kind__in=VILLAGE_KINDS | SCHOOL_KINDS)
        .select_related("parent")
        .order_by("parent__name", "kind", "name")
    )
    submissions = {
        s.unit_id: s
        for s in YearSubmission.objects.filter(
            school_year=school_year, unit_id__in=ids
        ).select_related("submitted_by", "reviewed_by")
    }
    return [UnitApproval(unit=u, submission=submissions.get(u.pk)) for u in units]
