"""The indicator page, its people, the 校验表 and the 四查三比对 in the browser's pages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liangji.audit.models import AuditAction, AuditEntry
from liangji.querycount import data_statements
from liangji.registers import testing as b
from liangji.registers.tests.pdfs import pdf_assert_readable
from liangji.reports.tests.conftest import World
from liangji.reports.tests.xlsx import xlsx_has_formula, xlsx_rows


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["liangji_school_year"] = 2023
    session.save()
    return client


def test_the_office_sees_every_unit_and_the_gap_in_children(world: World) -> None:
    response = _client(world.cast.alice).get(reverse("reports:indicators"))
    assert response.status_code == 200
    names = [row.unit.name for row in response.context["table"].rows]
    assert names[:5] == ["青山镇", "东村", "西村", "青山中学", "青山小学"]
    town = response.context["table"].rows[0]
    primary = next(c for c in town.cells if c and c.code == "primary_enrollment")
    # 张小明, 王小二 (东村) and 李小红 (西村) are 7–12; 王小二 has no roll.
    assert (primary.numerator, primary.denominator, primary.met, primary.shortfall) == (
        2,
        3,
        False,
        1,
    )
    assert "差 1 人" in response.content.decode()


def test_a_warm_indicator_page_reads_kept_figures_in_a_fixed_number_of_queries(
    world: World,
) -> None:
    client = _client(world.cast.alice)
    url = reverse("reports:indicators")
    assert client.get(url).status_code == 200  # computes and keeps the year's figures
    with CaptureQueriesContext(connection) as one_year:
        assert client.get(url).status_code == 200
    # Two earlier school years on record: the trend shows three years, each computed once.
    b.school_year(2021)
    b.school_year(2022)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as three_years:
        response = client.get(url)
    assert response.context["trend"]["years"] == ["2021—2022", "2022—2023", "2023—2024"]
    statements = data_statements(three_years)
    assert len(statements) == len(data_statements(one_year)) == 14, statements
    # Nothing is counted again: the figures come from the cache of indicators.figures.
    assert not any("COUNT(CASE" in sql for sql in statements)


def test_a_village_cadre_sees_only_her_village(world: World) -> None:
    response = _client(world.cast.vera).get(reverse("reports:indicators"))
    assert [row.unit.name for row in response.context["table"].rows] == ["东村"]


def test_the_cell_links_to_exactly_the_people_behind_the_gap(world: World) -> None:
    url = reverse("reports:indicator_people")
    query = f"?code=primary_enrollment&unit={world.cast.east.pk}"
    response = _client(world.cast.alice).get(url + query)
    assert [r.name for r in response.context["rows"]] == ["王小二"]
    # 西村 is not vera's: the same answer as a unit that does not exist.
    other = _client(world.cast.vera).get(
        url + f"?code=primary_enrollment&unit={world.cast.west.pk}"
    )
    assert other.status_code == 404


def test_ids_are_masked_until_revealed_and_the_reveal_is_audited(world: World) -> None:
    url = reverse("reports:indicator_people")
    client = _client(world.cast.alice)
    shown = client.get(url + "?code=junior_completion_17&unit=").content.decode()
    assert "511802201503011234" not in shown
    query = f"?code=primary_enrollment&unit={world.cast.east.pk}"
    masked = client.get(url + query).content.decode()
    assert "王小二" in masked
    data = {"code": "primary_enrollment", "unit": str(world.cast.east.pk), "reveal": "1"}
    client.post(url, data)
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL, entity="Report").count() == 1


def test_the_indicator_table_exports_to_excel_as_text_and_is_audited(world: World) -> None:
    response = _client(world.cast.alice).get(reverse("reports:indicators") + "?format=xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response.content)
    assert rows[0][0] == "青山镇两基指标一览表（一）：入学率"
    assert rows[4][:4] == ["青山镇", "镇", "66.67%", "2/3"]
    assert rows[-1][0].startswith("填表人")
    assert not xlsx_has_formula(response.content)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, entity="Report").count() == 1


def test_a_hostile_name_stays_text_in_the_people_export(world: World) -> None:
    world.xiaoer.person.name = '=HYPERLINK("http://evil","点我")'
    world.xiaoer.person.save()
    url = reverse("reports:indicator_people")
    query = f"?code=primary_enrollment&unit={world.cast.east.pk}&format=xlsx"
    content = _client(world.cast.alice).get(url + query).content
    rows = xlsx_rows(content)
    assert rows[3][1] == '=HYPERLINK("http://evil","点我")'
    assert not xlsx_has_formula(content)


def test_the_crosscheck_page_lists_the_schools(world: World) -> None:
    response = _client(world.cast.alice).get(reverse("reports:crosscheck"))
    rows = response.context["rows"]
    junior = next(r for r in rows if r.school == "青山中学")
    assert (junior.roll_at_start, junior.event_dropouts) == (1, 1)


def test_the_pdf_of_the_indicator_table_has_its_title(world: World) -> None:
    from pypdf import PdfReader

    response = _client(world.cast.alice).get(reverse("reports:indicators") + "?format=pdf")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "青山镇两基指标一览表（一）：入学率" in text
    assert "第 1 页" in text
    pdf_assert_readable(response.content, "两基指标一览表")  # in the bundled font


@pytest.mark.parametrize("page", ["reports:home", "reports:reconciliation"])
def test_the_other_pages_answer(world: World, page: str) -> None:
    assert _client(world.cast.alice).get(reverse(page)).status_code == 200


def test_a_village_cadre_downloads_her_village_table_and_not_the_town(world: World) -> None:
    client = _client(world.cast.vera)
    url = reverse("reports:report_download", args=["enrollment"])
    own = client.get(url + f"?unit={world.cast.east.pk}&format=xlsx")
    assert own.status_code == 200
    rows = xlsx_rows(own.content)
    assert [r[0] for r in rows[4:6]] == ["东村", "合计"]
    assert client.get(url + f"?unit={world.cast.town.pk}&format=xlsx").status_code == 404
    assert client.get(url + f"?unit={world.cast.west.pk}&format=xlsx").status_code == 404
    # Without a unit: her own village.
    assert xlsx_rows(client.get(url + "?format=xlsx").content)[4][0] == "东村"


def test_every_statistical_table_downloads_for_the_town(world: World) -> None:
    client = _client(world.cast.alice)
    for name in ["population-0-17", "enrollment", "dropout", "completion", "disabled",
                 "migrant", "illiteracy", "schools"]:  # fmt: skip
        url = reverse("reports:report_download", args=[name]) + "?format=xlsx"
        response = client.get(url)
        assert response.status_code == 200, name
        assert not xlsx_has_formula(response.content)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, entity="Report").count() == 8


def test_a_roster_download_masks_ids_unless_asked_and_allowed(world: World) -> None:
    url = reverse("reports:report_download", args=["roster-children"])
    query = f"?unit={world.cast.east.pk}&format=xlsx"
    masked = xlsx_rows(_client(world.cast.alice).get(url + query).content)
    assert "5118**********1234" in [r[5] for r in masked]
    whole = xlsx_rows(_client(world.cast.alice).get(url + query + "&full_ids=1").content)
    assert "511802201503011234" in [r[5] for r in whole]
    assert AuditEntry.objects.filter(summary__contains="含完整身份证号").count() == 1
    # The leader may not reveal: the box is ignored.
    led = xlsx_rows(_client(world.cast.lee).get(url + query + "&full_ids=1").content)
    assert "5118**********1234" in [r[5] for r in led]


def test_a_roster_pdf_and_the_set_of_tables_are_generated_in_the_background(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liangji.reports import services
    from liangji.reports.models import ReportJob

    started: list[int] = []
    monkeypatch.setattr(services, "report_job_start", lambda job: started.append(job.pk))
    client = _client(world.cast.vera)
    url = reverse("reports:report_download", args=["roster-children"])
    response = client.get(url + f"?unit={world.cast.east.pk}&format=pdf")
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reports:job_detail", args=[job.pk])
    assert (job.report, job.unit, job.user, started) == (
        "roster-children",
        world.cast.east,
        world.cast.vera,
        [job.pk],
    )
    tables = reverse("reports:report_download", args=["tables"])
    assert client.get(tables + f"?unit={world.cast.east.pk}&format=xlsx").status_code == 302
    # The job runs with the scope of the user who asked: her village's tables only.
    job = services.report_job_run(ReportJob.objects.get(report="tables"))
    rows = xlsx_rows(Path(job.file_path).read_bytes())
    assert rows[0][0] == "0—17周岁人口及受教育状况统计表" and rows[1][0].startswith(
        "填报单位：东村"
    )
