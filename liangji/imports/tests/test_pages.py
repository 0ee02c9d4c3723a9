"""Import pages without a browser: the upload starts the importer's detached process, which
works on the same database (SQLite file or PostgreSQL) and leaves its result on the job."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from liangji.accounts.testing import cast_create
from liangji.imports.models import ImportJob
from liangji.registers.tests.register import workbook_write


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_checked_in_the_background_and_waits_for_confirmation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", _database_url())
    cast = cast_create()
    client = Client()
    client.force_login(cast.alice)
    workbook = workbook_write(tmp_path / "正确.xlsx", bad=False)
    upload = SimpleUploadedFile("正确.xlsx", workbook.read_bytes())
    response = client.post("/imports/", {"workbook": upload, "school_year": "2024"})
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    deadline = time.monotonic() + 90
    while job.state not in {"待确认", "已拒绝", "失败"} and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.state == "待确认", job.message
    page = client.get(f"/imports/{job.pk}/progress/").content.decode()
    assert "预检完成，还没有写入数据" in page
    assert "确认导入" in page


def test_a_file_that_is_not_a_workbook_is_refused_with_the_reason(db: None) -> None:
    cast = cast_create()
    client = Client()
    client.force_login(cast.alice)
    for name in ["名单.docx", "名单.xls", "名单.ods"]:  # the importer reads .xlsx/.xlsm only
        upload = SimpleUploadedFile(name, b"not a workbook")
        page = client.post("/imports/", {"workbook": upload, "school_year": "2024"})
        assert "请上传 Excel 工作簿（.xlsx）" in page.content.decode()
    assert 'accept=".xlsx,.xlsm"' in client.get("/imports/").content.decode()
    assert not ImportJob.objects.exists()


def test_job_messages_name_the_file_as_uploaded(tmp_path: Path, db: None) -> None:
    from liangji.imports.services import import_job_run

    cast = cast_create()
    stored = workbook_write(tmp_path / "upload-7f3a9c.xlsx", bad=True)
    job = ImportJob.objects.create(
        file_path=str(stored), original_name="东村名册.xlsx", school_year=2024, user=cast.alice
    )

    job = import_job_run(job, confirm=False)

    assert job.state == "已拒绝"
    assert "东村名册.xlsx" in job.message and "upload-7f3a9c" not in job.message


def test_a_crashed_job_says_so_in_chinese(
    tmp_path: Path, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liangji.imports import services

    def crash(**kwargs: object) -> None:
        raise KeyError("internal")

    monkeypatch.setattr(services, "workbook_import", crash)
    cast = cast_create()
    job = ImportJob.objects.create(
        file_path=str(tmp_path / "upload-1.xlsx"), original_name="东村名册.xlsx",
        school_year=2024, user=cast.alice,
    )  # fmt: skip

    job = services.import_job_run(job, confirm=False)

    assert job.state == "失败"
    assert job.message == (
        "导入东村名册.xlsx时出错，没有写入任何数据。详情已记入系统日志，请联系系统管理员。"
    )
