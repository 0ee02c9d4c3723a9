"""The school-level entries of the default catalogue that liangji cannot generate, because it
does not hold their data, become entries to upload, each with the reason as its description.

liangji registers people by village (community), not by a school's service area, so it cannot
draw a school's population tables and rosters (Ⅰ, Ⅱ-1, Ⅱ-3, Ⅲ-1, Ⅵ); it does not compute a
graduation rate (Ⅴ-1); its literacy work is kept by town and village, not by school (Ⅶ).
Only entries still as loaded (generated, no description) change: the town office's edits stay.
"""

from django.db import migrations

POPULATION = (
    "登记册按村（社区）登记人口，系统不掌握学校服务区的人口，"
    "这份材料请学校整理后上传"
)
NOT_HELD = {
    "Ⅰ-1": POPULATION,
    "Ⅰ-2": POPULATION,
    "Ⅱ-1": POPULATION,
    "Ⅱ-3": POPULATION,
    "Ⅲ-1": POPULATION,
    "Ⅵ-1": POPULATION,
    "Ⅵ-2": POPULATION,
    "Ⅴ-1": "系统不计算毕业率（学籍只记毕业变动），这份统计表请学校整理后上传",
    "Ⅶ-1": "扫盲工作按镇和村（社区）登记，系统不按学校统计非文盲率，这份统计表请学校整理后上传",
    "Ⅶ-2": "扫盲工作按镇和村（社区）登记，系统不按学校统计脱盲巩固率，这份统计表请学校整理后上传",
}


def to_upload(apps, schema_editor):
    Entry = apps.get_model("archive", "CatalogueEntry")
    for code, reason in NOT_HELD.items():
        Entry.objects.filter(code=code, source="generated", description="").update(
            source="uploaded", description=reason
        )


def to_generated(apps, schema_editor):
    Entry = apps.get_model("archive", "CatalogueEntry")
    for code, reason in NOT_HELD.items():
        Entry.objects.filter(code=code, source="uploaded", description=reason).update(
            source="generated", description=""
        )


class Migration(migrations.Migration):
    dependencies = [("archive", "0004_spot_checks_and_jobs")]

    operations = [migrations.RunPython(to_upload, to_generated)]
