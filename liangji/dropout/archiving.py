"""The notices of 控辍保学 in the 两基档案 (catalogue B3-1, B3-2): registered with the archive's
generator registry in AppConfig.ready(), and filed the moment a notice PDF is generated."""

from __future__ import annotations

from typing import Any

from liangji.archive.registry import GeneratedFile, register_generator
from liangji.archive.services import archive_file_generated
from liangji.dropout.models import Notice, NoticeKind
from liangji.dropout.notices import notice_pdf
from liangji.registers.models import SchoolYear, Unit

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


def notice_file(*, notice: Notice, content: bytes, user: Any) -> None:
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
    def generate(*, user: Any, unit: Unit, school_year: SchoolYear) -> list[GeneratedFile]:
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


def generators_register() -> None:
    for kind, entry_code in ENTRY_OF_KIND.items():
        register_generator(
            f"dropout.notices.{kind}",
            entry_code,
            NoticeKind(kind).label,
            _generate(kind),
            figures=_figures(kind),
        )
