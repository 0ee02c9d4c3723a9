"""The upload form of the import page."""

from __future__ import annotations

from typing import Any

from django import forms

from liangji.imports.reader import ACCEPTED_SUFFIXES

MAX_WORKBOOK_BYTES = 200 * 1024 * 1024


class ImportUploadForm(forms.Form):
    # Only what the importer reads (reader.ACCEPTED_SUFFIXES): an .xls or .ods would be taken
    # here and refused later, after the upload.
    workbook = forms.FileField(
        label="工作簿（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )
    school_year = forms.IntegerField(
        label="学年（起始年份）",
        min_value=1990,
        max_value=2100,
        help_text="例如 2024 表示 2024—2025学年",
    )
    skip_invalid = forms.BooleanField(
        label="跳过有错误的行，导入其余的行", required=False,
        help_text="不勾选时，文件中只要有一处错误就整体拒绝",
    )  # fmt: skip

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if not upload.name.lower().endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(
                "请上传 Excel 工作簿（.xlsx）；.xls、.ods 等请先在 Excel/WPS 中“另存为”.xlsx，"
                "也可先用“下载模板”获取标准格式。"
            )
        if upload.size > MAX_WORKBOOK_BYTES:
            raise forms.ValidationError("文件超过 200 MB，请按学年或按村拆分后再上传。")
        return upload
