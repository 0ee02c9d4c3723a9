"""The one place that says how a case may move (domain.md §5).

- `NEXT_STEP`: the ladder of steps; a case only climbs one rung at a time.
- `STEP_DEADLINE_SETTING`: how many days (a town setting) the next rung may take after the
  date of the current one. A case is overdue when that many days have passed without it.
- `KIND_ESCALATION`: a suspected dropout not back in time becomes a dropout.
- `RESOLUTION_RULES`: what each resolution must carry before a case may close (动态销号).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from liangji.dropout.models import CaseKind, CaseStatus, CaseStep, NoticeKind
from liangji.registers.choices import Resolution
from liangji.registers.town_settings import TownSettings

NEXT_STEP: dict[str, str | None] = {
    CaseStep.REPORTED: CaseStep.HOME_VISIT,
    CaseStep.HOME_VISIT: CaseStep.PERSUASION,
    CaseStep.PERSUASION: CaseStep.WRITTEN_REPORT,
    CaseStep.WRITTEN_REPORT: CaseStep.RETURN_NOTICE,
    CaseStep.RETURN_NOTICE: CaseStep.DEADLINE_NOTICE,
    CaseStep.DEADLINE_NOTICE: CaseStep.ADMIN_MEASURES,
    CaseStep.ADMIN_MEASURES: None,
}

STEP_DEADLINE_SETTING: dict[str, str] = {
    CaseStep.REPORTED: "dropout.home_visit_days",
    CaseStep.HOME_VISIT: "dropout.persuasion_days",
    CaseStep.PERSUASION: "dropout.report_within_days",
    CaseStep.WRITTEN_REPORT: "dropout.notice_issue_days",
    # The guardians have the notice's period to bring the child back before the next rung.
    CaseStep.RETURN_NOTICE: "dropout.notice_return_days",
    CaseStep.DEADLINE_NOTICE: "dropout.deadline_notice_days",
}

# Reaching these steps issues the notice (its return period is the step's deadline setting).
NOTICE_OF_STEP: dict[str, str] = {
    CaseStep.RETURN_NOTICE: NoticeKind.RETURN,
    CaseStep.DEADLINE_NOTICE: NoticeKind.DEADLINE,
}

KIND_ESCALATION: dict[str, tuple[str, str]] = {
    # from kind: (to kind, setting: days after the first day of absence)
    CaseKind.SUSPECTED: (CaseKind.DROPPED_OUT, "dropout.dropout_after_days"),
}


class DropoutError(Exception):
    """A write the case cannot take; the message says in Chinese what is wrong and what to do."""


class TransitionRefused(DropoutError):
    """The move is not allowed from where the case stands."""


def step_allowed(*, status: str, step: str, to_step: str) -> bool:
    return status == CaseStatus.OPEN and NEXT_STEP.get(step) == to_step


def step_check(*, status: str, step: str, to_step: str) -> None:
    if status != CaseStatus.OPEN:
        raise TransitionRefused("个案已销号；如需继续处理，请先重新打开。")
    if NEXT_STEP.get(step) != to_step:
        expected = NEXT_STEP.get(step)
        if expected is None:
            raise TransitionRefused(f"“{CaseStep(step).label}”已是最后一步，只能销号。")
        raise TransitionRefused(
            f"当前步骤是“{CaseStep(step).label}”，下一步只能是“{CaseStep(expected).label}”，"
            f"不能直接进入“{CaseStep(to_step).label}”。"
        )


def step_deadline_days(settings: TownSettings, step: str) -> int | None:
    key = STEP_DEADLINE_SETTING.get(step)
    return int(settings.values[key]) if key else None


def step_deadline(
    settings: TownSettings, step: str, step_date: datetime.date
) -> datetime.date | None:
    days = step_deadline_days(settings, step)
    return step_date + datetime.timedelta(days=days) if days is not None else None


def is_overdue(
    *,
    settings: TownSettings,
    status: str,
    step: str,
    step_date: datetime.date,
    today: datetime.date,
) -> bool:
    """Overdue: the deadline of the next step has passed and the case is still at this step."""
    deadline = step_deadline(settings, step, step_date)
    return status == CaseStatus.OPEN and deadline is not None and today > deadline


@dataclass(frozen=True)
class ResolutionRule:
    """What a resolution needs on file. `fields` are DropoutCase fields that must be filled."""

    fields: tuple[str, ...]
    needs_attachment: bool
    evidence: str  # what the attachment must be, shown on the form
    closes: bool = True


RESOLUTION_RULES: dict[str, ResolutionRule] = {
    Resolution.RETURNED: ResolutionRule(
        ("resolution_school",), needs_attachment=False, evidence="返校后由学校确认（学籍复学）"
    ),
    Resolution.HOME_TEACHING: ResolutionRule(
        ("resolution_school", "resolution_note"),
        needs_attachment=True,
        evidence="残疾证或医院诊断证明、送教上门协议",
    ),
    Resolution.TRANSFERRED: ResolutionRule(
        ("resolution_school",), needs_attachment=True, evidence="接收学校出具的转学（接收）证明"
    ),
    Resolution.DECEASED: ResolutionRule(
        ("resolution_note",), needs_attachment=True, evidence="死亡证明或户籍注销证明"
    ),
    Resolution.REGISTRATION_ERROR: ResolutionRule(
        ("registration_error", "resolution_note"),
        needs_attachment=True,
        evidence="村（居）委会或派出所出具的证明",
    ),
    Resolution.ELSEWHERE: ResolutionRule(
        ("resolution_region", "resolution_school"),
        needs_attachment=True,
        evidence="就读学校出具的在读证明",
    ),
    Resolution.OVER_AGE: ResolutionRule(
        ("resolution_note",), needs_attachment=False, evidence="出生日期证明已满义务教育年龄"
    ),
    # Still out is the state of an open case, not a way to close one.
    Resolution.STILL_OUT: ResolutionRule((), needs_attachment=False, evidence="", closes=False),
}

# Over age: past compulsory schooling (义务教育法 第十一条: nine years from age 6–7) means 16
# completed years on the day the case closes.
OVER_AGE_YEARS = 16
