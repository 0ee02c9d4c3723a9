"""The literacy files of the 两基档案: the 扫盲对象花名册 (catalogue B4-1) and the 脱盲证书存根
(B4-2), registered with the archive's generator registry in AppConfig.ready(); a certificate
is filed the moment its PDF is generated. A spot check's evidence chain shows a person's
literacy record (class, tests, certificate, re-test) through `literacy_chain_section`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse

from liangji.archive.registry import GeneratedFile, register_generator
from liangji.archive.services import archive_file_generated
from liangji.archive.spotchecks import ChainLine, ChainSection, register_chain_section
from liangji.indicators.context import context_for
from liangji.indicators.report import IndicatorError
from liangji.literacy.certificates import certificate_pdf
from liangji.literacy.models import Certificate, ClassMember, Retest, TestResult
from liangji.literacy.selectors import (
    LedgerRow,
    LostAbilityRow,
    classes_visible,
    ledger_counts,
    ledger_rows,
    literacy_scope_q,
    lost_ability_rows,
)
from liangji.registers.models import Person, SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


CERTIFICATE_ENTRY = "B4-2"
LEDGER_ENTRY = "B4-1"
LEDGER = "扫盲对象花名册"


def certificate_figures(certificate: Certificate) -> dict[str, Any]:
    """What the certificate states, as filed: the consistency check compares it with the data."""
    return {
        "姓名": certificate.person.name,
        "证书编号": certificate.number,
        "脱盲日期": certificate.passed_on.isoformat(),
        "发证日期": certificate.issued_on.isoformat(),
    }


def _title(certificate: Certificate) -> str:
    return f"脱盲证书（{certificate.person.name}，{certificate.number}）"


def _filename(certificate: Certificate) -> str:
    return f"脱盲证书_{certificate.person.name}_{certificate.number}.pdf"


def certificate_file(*, certificate: Certificate, content: bytes, user: Actor | None) -> None:
    archive_file_generated(
        user=user,
        unit=certificate.town,
        school_year=certificate.school_year,
        entry_code=CERTIFICATE_ENTRY,
        title=_title(certificate),
        filename=_filename(certificate),
        content=content,
        figures=certificate_figures(certificate),
        key=certificate.number,
        generator="literacy.certificates",
    )


def _certificates(unit: Unit, school_year: SchoolYear) -> list[Certificate]:
    return list(
        Certificate.objects.filter(town=unit, school_year=school_year)
        .select_related("person", "village", "town", "result", "school_year")
        .order_by("year", "serial")
    )


def _generate(*, user: Any, unit: Unit, school_year: SchoolYear) -> list[GeneratedFile]:
    return [
        GeneratedFile(
            title=_title(c),
            filename=_filename(c),
            content=certificate_pdf(c),
            figures=certificate_figures(c),
            key=c.number,
        )
        for c in _certificates(unit, school_year)
    ]


def _figures(*, unit: Unit, school_year: SchoolYear) -> dict[str, dict[str, Any]]:
    return {c.number: certificate_figures(c) for c in _certificates(unit, school_year)}


def _ledger(unit: Unit, school_year: SchoolYear) -> tuple[list[LedgerRow], list[LostAbilityRow]]:
    """The ledger of a town, or of one village (the archive's caller checked the scope)."""
    if unit.town is None:
        return [], []
    try:
        ctx = context_for(school_year=school_year.year, town=unit.town)
    except IndicatorError:  # no register for the year
        return [], []
    villages = None if unit.is_town else {unit.pk}
    return ledger_rows(ctx=ctx, village_ids=villages), lost_ability_rows(
        ctx=ctx, village_ids=villages
    )


def ledger_figures_of(unit: Unit, rows: list[LedgerRow], lost: list[LostAbilityRow]) -> Any:
    return {"人数": {unit.name: len(rows)}, "状态": ledger_counts(rows), "丧失学习能力": len(lost)}


def _ledger_generate(*, user: Any, unit: Unit, school_year: SchoolYear) -> list[GeneratedFile]:
    from liangji.literacy.exports import ledger_export  # it imports this module (certificates)

    rows, lost = _ledger(unit, school_year)
    if not rows and not lost:
        return []
    export = ledger_export(user=user, town=unit, school_year=school_year.year, rows=rows, lost=lost)
    return [
        GeneratedFile(
            title=f"{unit.name}{school_year.year}学年{LEDGER}",
            filename=f"{unit.name}{school_year.year}{LEDGER}.xlsx",
            content=export.content,
            figures=ledger_figures_of(unit, rows, lost),
            key=LEDGER,
        )
    ]


def _ledger_figures(*, unit: Unit, school_year: SchoolYear) -> dict[str, dict[str, Any]]:
    rows, lost = _ledger(unit, school_year)
    return {LEDGER: ledger_figures_of(unit, rows, lost)} if rows or lost else {}


def literacy_chain_section(*, user: Any, person: Person) -> ChainSection | None:
    """The person's 扫盲 record as the user may see it: classes joined, test results, the
    certificate and its re-test; None when the person has none."""
    members = list(
        ClassMember.objects.filter(klass__in=classes_visible(user), person=person)
        .select_related("klass__village")
        .order_by("joined_on", "id")
    )
    results = list(
        TestResult.objects.filter(member__in=members)
        .select_related("test__klass")
        .order_by("test__date", "id")
    )
    certificates = list(
        Certificate.objects.filter(literacy_scope_q(user), person=person).order_by("passed_on")
    )
    retests = list(
        Retest.objects.filter(certificate__in=certificates).select_related("certificate")
    )
    lines = [
        ChainLine(
            m.joined_on.isoformat(),
            f"加入扫盲班 {m.klass.village.name}·{m.klass.name}"
            f"（{m.klass.get_status_display()}，计划 {m.klass.planned_hours} 课时）",
            reverse("literacy:class_detail", args=[m.klass_id]),
        )
        for m in members
    ]
    lines += [
        ChainLine(
            r.test.date.isoformat(),
            f"识字测验（{r.test.klass.name}）：识字 {r.characters_known}/{r.standard}，"
            f"{'通过' if r.passed else '未通过'}",
        )
        for r in results
    ]
    lines += [
        ChainLine(
            c.issued_on.isoformat(),
            f"脱盲证书 {c.number}（脱盲日期 {c.passed_on.isoformat()}）",
            reverse("literacy:certificate_download", args=[c.pk, "pdf"]),
        )
        for c in certificates
    ]
    lines += [
        ChainLine(
            t.date.isoformat(),
            f"脱盲复查（证书 {t.certificate.number}）：识字 {t.characters_known}/{t.standard}，"
            f"{'巩固' if t.passed else '复盲'}",
        )
        for t in retests
    ]
    if not lines:
        return None
    return ChainSection("扫盲记录", sorted(lines, key=lambda line: line.date))


def generators_register() -> None:
    register_generator(
        "literacy.certificates", CERTIFICATE_ENTRY, "脱盲证书存根", _generate, figures=_figures
    )
    register_generator(
        "literacy.ledger",
        LEDGER_ENTRY,
        LEDGER,
        _ledger_generate,
        figures=_ledger_figures,
        unit_levels={"town", "village"},
    )
    register_chain_section("literacy", literacy_chain_section)
