"""What the demo loaded: counts only, no personal data (so no user scope is needed)."""

from __future__ import annotations

from django.db.models import Count

from liangji.registers.models import Enrollment, PersonRecord, SchoolYear


def demo_summary_lines() -> list[str]:
    """People, households and pupils per school year; people per village and pupils per school."""
    lines = []
    years = list(SchoolYear.objects.order_by("year"))
    for year in years:
        records = PersonRecord.objects.filter(school_year=year)
        people = records.count()
        households = records.values("household").distinct().count()
        pupils = Enrollment.objects.filter(school_year=year).count()
        lines.append(f"  {year}：人口 {people} 人，{households} 户，学籍 {pupils} 条")
    if not years:
        return lines
    latest = years[-1]
    villages = (
        PersonRecord.objects.filter(school_year=latest)
        .values("village__name")
        .annotate(n=Count("id"))
        .order_by("village__name")
    )
    lines.append(
        f"  {latest}各村（社区）人口："
        + "，".join(f"{v['village__name']} {v['n']}" for v in villages)
    )
    schools = (
        Enrollment.objects.filter(school_year=latest)
        .values("school__name")
        .annotate(n=Count("id"))
        .order_by("school__name")
    )
    lines.append(
        f"  {latest}各学校学籍：" + "，".join(f"{s['school__name']} {s['n']}" for s in schools)
    )
    return lines
