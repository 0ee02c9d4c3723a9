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
    assert "预检完成,还没有写入数据" in page
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
