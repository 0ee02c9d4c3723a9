"""The notices of 控辍保学 in the 两基档案 (catalogue B3-1, B3-2): registered with the archive's
generator registry in AppConfig.ready(), and filed the moment a notice PDF is generated. A spot
check's evidence chain shows a person's dropout cases through `dropout_chain_section`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse

from liangji.archive.registry import GeneratedFile, register_generator
from liangji.archive.services import archive_file_generated
from liangji.archive.spotchecks import ChainLine, ChainSection, register_chain_section
from liangji.dropout.models import CaseEntry, EntryKind, Notice, NoticeKind
from liangji.dropout.notices import notice_pdf
from liangji.dropout.selectors import cases_visible
from liangji.registers.models import Person, SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


ENTRY_OF_KIND = {NoticeKind.RETURN: "B3-1", NoticeKind.DEADLINE: "B3-2"}


def notice_figures(notice: Notice) -> dict[str, Any]:
    """What the notice states, as filed: the consistency check compares it with the case."""
    return {
        "儿童": notice.case.child_name,
        "发文字号": notice.number,
        "发文日期": notice.issued_on.isoformat(),
        "返校期限": notice.return_by.isoformat(),
    }


def _title(notice: Notice) -> str:
    return f"{notice.get_kind_display()}（{notice.case.child_name}，{notice.number}）"


def notice_file(*, notice: Notice, content: bytes, user: Actor) -> None:
    """File a generated notice PDF under its catalogue entry, for the case's town."""
    archive_file_generated(
        user=user,
        unit=notice.town,
        school_year=notice.case.school_year,
        entry_code=ENTRY_OF_KIND[NoticeKind(notice.kind)],
        title=_title(notice),
        filename=f"{notice.get_kind_display()}_{notice.case.child_name}_{notice.number}.pdf",
        content=content,
        figures=notice_figures(notice),
        key=notice.number,
        generator=f"dropout.notices.{notice.kind}",
    )


def _notices(kind: str, unit: Unit, school_year: SchoolYear) -> list[Notice]:
    return list(
        Notice.objects.filter(town=unit, kind=kind, case__school_year=school_year)
        .select_related("case__town", "case__village", "case__school", "case__school_year", "town")
        .order_by("issued_on", "id")
    )


def _generate(kind: str) -> Any:
    def generate(*, user: Actor, unit: Unit, school_year: SchoolYear) -> list[GeneratedFile]:
        return [
            GeneratedFile(
                title=_title(n),
                filename=f"{n.get_kind_display()}_{n.case.child_name}_{n.number}.pdf",
                content=notice_pdf(n),
                figures=notice_figures(n),
                key=n.number,
            )
            for n in _notices(kind, unit, school_year)
        ]

    return generate


def _figures(kind: str) -> Any:
    def figures(*, unit: Unit, school_year: SchoolYear) -> dict[str, dict[str, Any]]:
        return {n.number: notice_figures(n) for n in _notices(kind, unit, school_year)}

    return figures


def _entry_text(entry: CaseEntry) -> str:
    """A step climbed reads as the step (家访), anything else as its kind and step."""
    what = entry.get_step_display()
    if entry.kind != EntryKind.ADVANCED:
        what = f"{entry.get_kind_display()}（{what}）"
    said = "，".join(part for part in (entry.actors, entry.outcome) if part)
    return f"{what}：{said}" if said else what


def dropout_chain_section(*, user: Any, person: Person) -> ChainSection | None:
    """The person's 控辍保学 cases as the user may see them: each case opened, its steps
    (劝返 records, changes of state) and its notices; None when the person has none."""
    cases = list(
        cases_visible(user)
        .filter(Q(person=person) | Q(enrollment__person=person))
        .select_related("school_year")
        .order_by("opened_on", "id")
    )
    if not cases:
        return None
    lines = [
        ChainLine(
            c.opened_on.isoformat(),
            f"{c.school_year} 立案：{c.get_kind_display()}，原因：{c.get_reason_display()}"
            f"（现状：{c.get_status_display()}）",
            reverse("dropout:case_detail", args=[c.pk]),
        )
        for c in cases
    ]
    entries = CaseEntry.objects.filter(case__in=cases).exclude(kind=EntryKind.OPENED)
    lines += [
        ChainLine(
            e.date.isoformat(),
            _entry_text(e),
            reverse("dropout:case_detail", args=[e.case_id]),
        )
        for e in entries.order_by("date", "id")
    ]
    notices = Notice.objects.filter(case__in=cases).order_by("issued_on", "id")
    lines += [
        ChainLine(
            n.issued_on.isoformat(),
            f"{n.get_kind_display()} {n.number}（返校期限 {n.return_by.isoformat()}）",
            reverse("dropout:notice_download", args=[n.pk, "pdf"]),
        )
        for n in notices
    ]
    return ChainSection("控辍保学个案", sorted(lines, key=lambda line: line.date))


def generators_register() -> None:
    for kind, entry_code in ENTRY_OF_KIND.items():
        register_generator(
            f"dropout.notices.{kind}",
            entry_code,
            NoticeKind(kind).label,
            _generate(kind),
            figures=_figures(kind),
        )
    register_chain_section("dropout", dropout_chain_section)
