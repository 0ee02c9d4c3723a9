"""The user chooses, conflict by conflict, what the file overwrites; everything else the users
saved in the application since the last import is kept. And an edit the file now states exactly
is no longer a conflict."""

from __future__ import annotations

import datetime
import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command, load_command_class
from django.test import Client
from python_calamine import CalamineWorkbook

from liangji.accounts.testing import Cast, cast_create
from liangji.audit.models import AuditAction, AuditEntry
from liangji.imports.conflicts import Overwrite
from liangji.imports.models import ImportJob
from liangji.imports.services import import_job_create, import_job_run, workbook_import
from liangji.imports.tests.workbooks import LI_SI_ID, PEOPLE, PUPILS, town_workbook
from liangji.registers.choices import HukouStatus, RollEventKind, RollStatus
from liangji.registers.models import Enrollment, PersonRecord
from liangji.registers.services import (
    enrollment_record_event,
    person_record_death,
    person_record_move_out,
)

pytestmark = pytest.mark.django_db

DIED = datetime.date(2024, 9, 30)
MOVED_OUT = datetime.date(2024, 10, 1)
DROPPED_OUT = datetime.date(2024, 10, 8)
ROLL_2024 = [PUPILS[0]]  # 张三 at 青山小学, 在读: row 2 of 学籍, as 张三 is row 2 of 人口


@pytest.fixture(autouse=True)
def october_2024() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2024, 10, 15, 9, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def september(tmp_path: Path) -> Path:
    """The September workbook of 青山镇, imported for 2024, then three edits in the browser:
    张三's death (人口 row 2), 李四's move-out (人口 row 4), 张三's dropout (学籍 row 2)."""
    path = town_workbook(tmp_path / "九月.xlsx", 学籍=ROLL_2024)
    assert workbook_import(path=path, school_year=2024).ok
    zhang_san, li_si = record("张三"), record("李四")
    person_record_death(record=zhang_san, died_on=DIED, expected_version=1, user=None)
    person_record_move_out(record=li_si, moved_out_on=MOVED_OUT, expected_version=1, user=None)
    enrollment_record_event(
        enrollment=roll(), kind=RollEventKind.DROPPED_OUT, date=DROPPED_OUT, user=None
    )
    return path


def record(name: str) -> PersonRecord:
    return PersonRecord.objects.get(person__name=name, school_year__year=2024)


def roll() -> Enrollment:
    return Enrollment.objects.get(name="张三", school_year__year=2024)


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("import", *arguments, stdout=out)
    return out.getvalue()


def refused(*arguments: str) -> str:
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", *arguments, stderr=err)
    return err.getvalue()


def last_import_audit() -> AuditEntry:
    return AuditEntry.objects.filter(action=AuditAction.IMPORT).latest("at", "pk")


def test_the_command_overwrites_only_the_record_named_by_its_id_number(september: Path) -> None:
    out = run(str(september), "--school-year", "2024", f"--overwrite-edits={LI_SI_ID}")

    li_si = record("李四")
    assert (li_si.hukou_status, li_si.moved_out_on) == (HukouStatus.ON_REGISTER, None)
    assert li_si.edited_at is None
    assert record("张三").died_on == DIED and record("张三").edited_at is not None
    assert (roll().status, roll().status_date) == (RollStatus.DROPPED_OUT, DROPPED_OUT)
    assert "冲突 2 处" in out
    assert "以下 1 处在系统中修改过的内容已被文件覆盖：\n  人口表第 4 行 李四（西村）" in out
    audit = last_import_audit()
    assert "按用户选择以文件覆盖系统中的修改 1 处：李四（西村）" in audit.summary
    assert audit.after is not None
    assert [(o["sheet"], o["row"], o["who"]) for o in audit.after["overwritten"]] == [
        ("人口", 4, "李四（西村）")
    ]
    assert audit.after["kept"] == 2


def test_a_row_on_both_sheets_must_name_its_sheet(september: Path) -> None:
    message = refused(str(september), "--school-year", "2024", "--overwrite-edits=2")

    assert "“2”在人口表和学籍表都有冲突；请写 人口：2 或 学籍：2" in message
    assert record("张三").died_on == DIED and roll().status == RollStatus.DROPPED_OUT

    out = run(str(september), "--school-year", "2024", "--overwrite-edits=学籍:2,4")

    assert roll().status == RollStatus.STUDYING and roll().edited_at is None
    assert record("李四").moved_out_on is None
    assert record("张三").died_on == DIED
    assert "冲突 1 处" in out and "以下 2 处在系统中修改过的内容已被文件覆盖" in out


def test_a_choice_that_is_no_conflict_is_refused_before_anything_is_written(
    september: Path,
) -> None:
    message = refused(str(september), "--school-year", "2024", "--overwrite-edits=9,张三")

    assert "“9”不是本次导入的冲突" in message
    assert "“张三”既不是身份证号也不是行号" in message
    assert record("李四").moved_out_on == MOVED_OUT


def test_the_dry_run_shows_what_the_choice_would_overwrite(september: Path) -> None:
    out = run(str(september), "--school-year", "2024", "--dry-run", "--overwrite-edits=人口:2")

    assert "以下 1 处在系统中修改过的内容将被文件覆盖：\n  人口表第 2 行 张三（东村）" in out
    assert "冲突 2 处" in out
    assert record("张三").died_on == DIED


def test_the_bare_option_still_overwrites_every_conflict(september: Path) -> None:
    out = run(str(september), "--school-year", "2024", "--overwrite-edits")

    assert record("张三").died_on is None and record("李四").moved_out_on is None
    assert roll().status == RollStatus.STUDYING
    assert "冲突" not in out.split("已被文件覆盖")[0]
    assert "以下 3 处在系统中修改过的内容已被文件覆盖" in out


def test_the_help_documents_the_choice() -> None:
    command = load_command_class("liangji.imports", "import")
    # argparse wraps the text at its width, between any two characters of Chinese.
    text = "".join(command.create_parser("liangji", "import").format_help().split())

    assert "--overwrite-edits[身份证号或行号，...]" in text
    assert "只写--overwrite-edits：全部以文件为准" in text
    assert (
        "--overwrite-edits=ID1,ID2（用等号连接）：只以文件覆盖这些冲突，按摘要中的身份证号或行号"
        in text
    )
    assert "人口：2或学籍：2" in text


def test_an_edit_the_file_now_states_is_no_longer_a_conflict(
    september: Path, tmp_path: Path
) -> None:
    """The office copied the village's death and 张三's dropout into its workbook."""
    people = [dict(PEOPLE[0], 死亡日期="2024-09-30"), *PEOPLE[1:]]
    pupils = [dict(PUPILS[0], 学籍状态="辍学", 变动日期="2024-10-08")]
    updated = town_workbook(tmp_path / "十月.xlsx", 人口=people, 学籍=pupils)

    result = workbook_import(path=updated, school_year=2024)

    assert [c.who for c in result.conflicts] == ["李四（西村）"]  # the only one still differing
    assert record("张三").died_on == DIED and record("张三").edited_at is None
    assert roll().status == RollStatus.DROPPED_OUT and roll().edited_at is None
    assert record("李四").edited_at is not None
    assert "2 条在系统中修改过的记录与文件现在一致，不再列为冲突" in "\n".join(
        result.summary_lines()
    )
    # Later imports of the office's workbook compare 张三 as any record: nothing to raise.
    again = workbook_import(path=updated, school_year=2024)
    assert [c.who for c in again.conflicts] == ["李四（西村）"] and not again.changed


def test_a_dry_run_leaves_the_mark(september: Path, tmp_path: Path) -> None:
    people = [dict(PEOPLE[0], 死亡日期="2024-09-30"), *PEOPLE[1:]]
    updated = town_workbook(tmp_path / "十月.xlsx", 人口=people, 学籍=ROLL_2024)

    workbook_import(path=updated, school_year=2024, dry_run=True)

    assert record("张三").edited_at is not None


def job_finished(job: ImportJob) -> ImportJob:
    deadline = time.monotonic() + 120
    job.refresh_from_db()
    while job.state not in {"完成", "已拒绝", "失败"} and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    return job


@pytest.fixture
def cast() -> Cast:
    """The offices first, so that the workbook's 青山镇 is theirs (not a second town)."""
    return cast_create()


@pytest.mark.django_db(transaction=True)
def test_the_preview_page_overwrites_only_the_ticked_conflicts(cast: Cast, september: Path) -> None:
    job = import_job_create(upload=september, school_year=2024, user=cast.alice)
    import_job_run(job, confirm=False)
    client = Client()
    client.force_login(cast.alice)

    page = client.get(f"/imports/{job.pk}/progress/").content.decode()

    li_si_key = f"人口记录:{record('李四').pk}"
    assert "冲突 3 处" in page
    assert page.count('name="overwrite"') == 3
    assert f'value="{li_si_key}"' in page
    assert 'name="overwrite_edits" form="confirm-form" data-select-all="overwrite"' in page

    client.post(f"/imports/{job.pk}/confirm/", {"overwrite": [li_si_key]})

    job = job_finished(job)
    assert job.state == "完成", job.message
    assert job.overwrite_keys == [li_si_key] and not job.overwrite_edits
    assert record("李四").moved_out_on is None
    assert record("张三").died_on == DIED and roll().status == RollStatus.DROPPED_OUT
    done = client.get(f"/imports/{job.pk}/").content.decode()
    assert "按您的选择，1 处已被文件覆盖，其余保留了系统中的内容" in done
    assert done.count("已按文件覆盖") == 1 and done.count("保留系统中的内容</td>") == 2
    assert last_import_audit().after["overwritten"][0]["who"] == "李四（西村）"  # type: ignore[index]


def test_the_report_says_what_was_done_with_each_conflict(september: Path) -> None:
    result = workbook_import(
        path=september, school_year=2024, overwrite=Overwrite.from_text(LI_SI_ID)
    )

    assert result.error_report is not None
    sheet = CalamineWorkbook.from_path(str(result.error_report)).get_sheet_by_name("冲突")
    rows = sheet.to_python()
    assert rows[0][4] == "处理"
    assert [(row[0], row[1], row[2], row[4]) for row in rows[1:]] == [
        ("人口", "2", "张三（东村）", "保留系统中的内容"),
        ("人口", "4", "李四（西村）", "按用户选择以文件覆盖"),
        ("学籍", "2", "张三（青山小学）", "保留系统中的内容"),
    ]


def test_a_record_missing_from_the_file_is_chosen_by_the_key_the_summary_gives(
    september: Path, tmp_path: Path
) -> None:
    without_li_si = town_workbook(
        tmp_path / "十月.xlsx", 人口=[p for p in PEOPLE if p["姓名"] != "李四"], 学籍=ROLL_2024
    )
    key = f"人口记录:{record('李四').pk}"

    kept = run(str(without_li_si), "--school-year", "2024")

    assert "人口表中没有 李四（西村 7户）：" in kept and f"（选择时写 {key}）" in kept
    assert record("李四").moved_out_on == MOVED_OUT

    run(str(without_li_si), "--school-year", "2024", f"--overwrite-edits={key}")

    assert not PersonRecord.objects.filter(person__name="李四", school_year__year=2024).exists()
    assert record("张三").died_on == DIED


def test_choices_typed_with_chinese_punctuation_are_understood(september: Path) -> None:
    run(str(september), "--school-year", "2024", "--overwrite-edits=学籍\uff1a2\uff0c4")

    assert roll().status == RollStatus.STUDYING and record("李四").moved_out_on is None
    assert record("张三").died_on == DIED
