"""Self-check reports (A2-4) and supervision 通报 (A2-6) in the 两基档案: registered with the
archive's generator registry in AppConfig.ready(), and filed whenever one is generated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liangji.archive.registry import GeneratedFile, register_generator
from liangji.archive.services import archive_file_generated
from liangji.archive.spotchecks import register_mismatch_handler
from liangji.indicators.report import IndicatorReport
from liangji.inspection import rules
from liangji.inspection.models import SelfCheck, SupervisionVisit
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


SELF_CHECK_ENTRY = "A2-4"
BULLETIN_ENTRY = "A2-6"


def self_check_figures(
    self_check: SelfCheck, indicator_report: IndicatorReport | None
) -> dict[str, Any]:
    """The indicator values the report shows, {indicator: {unit: value}}."""
    outcomes = (
        rules.universalisation_results(indicator_report).get(self_check.unit_id, [])
        if indicator_report is not None
        else []
    )
    unit = self_check.unit.name
    return {o.name: {unit: None if o.value is None else str(o.value)} for o in outcomes}


def self_check_key(self_check: SelfCheck) -> str:
    return f"自查第{self_check.round}轮"


def self_check_title(self_check: SelfCheck) -> str:
    return f"{self_check.unit.name}自查报告（第{self_check.round}轮）"


def self_check_file(
    *,
    self_check: SelfCheck,
    indicator_report: IndicatorReport | None,
    content: bytes,
    user: Actor | None,
) -> None:
    archive_file_generated(
        user=user,
        unit=self_check.unit,
        school_year=self_check.school_year,
        entry_code=SELF_CHECK_ENTRY,
        title=self_check_title(self_check),
        filename=f"{self_check.unit.name}{self_check.school_year.year}自查报告第{self_check.round}轮.docx",
        content=content,
        figures=self_check_figures(self_check, indicator_report),
        key=self_check_key(self_check),
        generator="inspection.self_check_report",
    )


def bulletin_file(
    *, visit: SupervisionVisit, number: str, content: bytes, user: Actor | None
) -> None:
    archive_file_generated(
        user=user,
        unit=visit.town,
        school_year=visit.school_year,
        entry_code=BULLETIN_ENTRY,
        title=f"督查通报 {number}",
        filename=f"{visit.town.name}{visit.visited_on:%Y%m%d}督查通报.docx",
        content=content,
        figures=bulletin_figures(visit),
        key=number,
        generator="inspection.bulletin",
    )


def bulletin_figures(visit: SupervisionVisit) -> dict[str, Any]:
    findings = visit.findings.select_related("unit")
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.unit.name] = counts.get(finding.unit.name, 0) + 1
    return {"发现问题数": counts}


def _report(unit: Unit, school_year: SchoolYear) -> IndicatorReport | None:
    from liangji.inspection.selectors import indicator_report_for

    town = unit.town
    if town is None:
        return None
    return indicator_report_for(town=town, school_year=school_year, unit_ids=[unit.pk])


def _self_checks(unit: Unit, school_year: SchoolYear) -> list[SelfCheck]:
    return list(
        SelfCheck.objects.filter(unit=unit, school_year=school_year)
        .select_related("unit", "school_year")
        .order_by("round")
    )


def self_checks_generate(*, user: Any, unit: Unit, school_year: SchoolYear) -> list[GeneratedFile]:
    from liangji.inspection.documents import self_check_report_docx

    checks = _self_checks(unit, school_year)
    report = _report(unit, school_year) if checks else None
    return [
        GeneratedFile(
            title=self_check_title(check),
            filename=f"{unit.name}{school_year.year}自查报告第{check.round}轮.docx",
            content=self_check_report_docx(
                self_check=check, indicator_report=report, user=user, archive=False
            ),
            figures=self_check_figures(check, report),
            key=self_check_key(check),
        )
        for check in checks
    ]


def self_checks_figures(*, unit: Unit, school_year: SchoolYear) -> dict[str, dict[str, Any]]:
    checks = _self_checks(unit, school_year)
    report = _report(unit, school_year) if checks else None
    return {self_check_key(c): self_check_figures(c, report) for c in checks}


def _visits(unit: Unit, school_year: SchoolYear) -> list[SupervisionVisit]:
    return list(
        SupervisionVisit.objects.filter(town=unit, school_year=school_year)
        .select_related("town", "school_year")
        .order_by("visited_on", "id")
    )


def bulletins_generate(*, user: Any, unit: Unit, school_year: SchoolYear) -> list[GeneratedFile]:
    from liangji.inspection.documents import bulletin_docx, bulletin_number

    files = []
    for visit in _visits(unit, school_year):
        number = bulletin_number(visit)
        files.append(
            GeneratedFile(
                title=f"督查通报 {number}",
                filename=f"{unit.name}{visit.visited_on:%Y%m%d}督查通报.docx",
                content=bulletin_docx(visit=visit, user=user, archive=False),
                figures=bulletin_figures(visit),
                key=number,
            )
        )
    return files


def bulletins_figures(*, unit: Unit, school_year: SchoolYear) -> dict[str, dict[str, Any]]:
    from liangji.inspection.documents import bulletin_number

    return {bulletin_number(v): bulletin_figures(v) for v in _visits(unit, school_year)}


def generators_register() -> None:
    register_mismatch_handler("inspection.rectification", spot_check_mismatch)
    register_generator(
        "inspection.self_check_report",
        SELF_CHECK_ENTRY,
        "自查报告",
        self_checks_generate,
        figures=self_checks_figures,
    )
    register_generator(
        "inspection.bulletin",
        BULLETIN_ENTRY,
        "督查通报",
        bulletins_generate,
        figures=bulletins_figures,
    )


def spot_check_mismatch(*, item: Any, user: Any) -> None:
    """A 不符 verdict of an archive spot check opens a rectification task of the unit, under
    the item "两基档案规范齐全" (P11) when the standard has it. Called by the archive inside the
    verdict's transaction, so verdict, finding and task commit together."""
    from django.utils import timezone

    from liangji.inspection.models import StandardItem
    from liangji.inspection.services.rectification import finding_record

    check = item.spot_check
    finding_record(
        unit=check.unit,
        description=f"档案抽查不符：{item.person.name}（{item.note}）",
        severity="一般",
        found_on=timezone.localdate(),
        school_year=check.school_year,
        user=user,
        item=StandardItem.objects.filter(code="P11").first(),
    )
