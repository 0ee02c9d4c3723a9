"""The literacy files of the 两基档案: the 扫盲对象花名册 (catalogue B4-1) and the 脱盲证书存根
(B4-2), registered with the archive's generator registry in AppConfig.ready(); a certificate
is filed the moment its PDF is generated."""

from __future__ import annotations

from typing import Any

from liangji.archive.registry import GeneratedFile, register_generator
from liangji.archive.services import archive_file_generated
from liangji.literacy.certificates import certificate_pdf
from liangji.literacy.models import Certificate
from liangji.registers.models import SchoolYear, Unit

CERTIFICATE_ENTRY = "B4-2"


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


def certificate_file(*, certificate: Certificate, content: bytes, user: Any) -> None:
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


def generators_register() -> None:
    register_generator(
        "literacy.certificates", CERTIFICATE_ENTRY, "脱盲证书存根", _generate, figures=_figures
    )
