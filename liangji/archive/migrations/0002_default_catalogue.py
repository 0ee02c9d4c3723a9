"""The standard 两基档案 catalogue (domain.md §7): town level A 领导管理 / B 普及程度, school
level Ⅰ–Ⅶ. The town office edits it in the application; this migration only loads it into an
empty table, so running `liangji init` again never overwrites edits.

Codes are stable: other apps file their generated documents under them (`archive.registry`).
"""

from django.db import migrations

# fmt: off
T, V, S = "town", "village", "school"
UP, GEN = "uploaded", "generated"

# (code, title, unit levels, [(code, title, unit levels, required, per_year, source, proof)])
# An item groups files; a class may hold files directly (the school classes Ⅰ–Ⅶ do).
CATALOGUE = [
    ("A", "领导管理", (T, V, S), [
        ("A1", "教育情况简介", (T,), None, None, None, [
            ("A1-1", "教育情况简介", (T,), True, True, UP, ""),
            ("A1-2", "学校分布图", (T,), True, False, UP, ""),
            ("A1-3", "两基主要指标汇总表", (T,), True, True, GEN, ""),
        ]),
        ("A2", "综合材料", (T, V, S), None, None, None, [
            ("A2-1", "两基工作实施方案", (T,), True, False, UP, ""),
            ("A2-2", "领导小组及办公室成立文件", (T,), True, False, UP, ""),
            ("A2-3", "目标责任书", (T, V, S), True, True, UP, ""),
            ("A2-4", "自查报告", (T, V, S), True, True, GEN, ""),
            ("A2-5", "会议记录", (T,), True, True, UP, ""),
            ("A2-6", "督查通报", (T,), False, True, GEN, ""),
            ("A2-7", "工作台账", (T,), False, True, UP, ""),
            ("A2-8", "年度统计报表", (T,), True, True, GEN, ""),
            ("A2-9", "汇报材料", (T,), False, True, UP, ""),
        ]),
    ]),
    ("B", "普及程度", (T, V), [
        ("B1", "文化户口册", (T, V), None, None, None, [
            ("B1-1", "文化户口册", (T, V), True, True, GEN, ""),
        ]),
        ("B2", "人员证明材料", (V,), None, None, None, [
            ("B2-1", "在外就读证明", (V,), False, True, UP, "在外就读证明"),
            ("B2-2", "残疾证", (V,), False, True, UP, "残疾证"),
            ("B2-3", "免缓学批准书", (V,), False, True, UP, "免缓学批准书"),
            ("B2-4", "死亡证明", (V,), False, True, UP, "死亡证明"),
            ("B2-5", "迁出证明", (V,), False, True, UP, "迁出证明"),
            ("B2-6", "送教上门记录", (V,), False, True, UP, "送教上门记录"),
            ("B2-7", "脱盲证书", (V,), False, True, UP, "脱盲证书"),
        ]),
        ("B3", "控辍保学", (T,), None, None, None, [
            ("B3-1", "劝返回校通知书", (T,), False, True, GEN, ""),
            ("B3-2", "限期返校通知书", (T,), False, True, GEN, ""),
        ]),
        ("B4", "扫除青壮年文盲", (T, V), None, None, None, [
            ("B4-1", "扫盲对象花名册", (T, V), False, True, GEN, ""),
            ("B4-2", "脱盲证书存根", (T,), False, True, GEN, ""),
        ]),
    ]),
    ("Ⅰ", "0–17周岁人口统计", (S,), [
        ("Ⅰ-1", "0–17周岁人口统计表", (S,), True, True, GEN, ""),
        ("Ⅰ-2", "0–17周岁人口花名册", (S,), True, True, GEN, ""),
    ]),
    ("Ⅱ", "入学率", (S,), [
        ("Ⅱ-1", "入学率统计表", (S,), True, True, GEN, ""),
        ("Ⅱ-2", "在校生花名册", (S,), True, True, GEN, ""),
        ("Ⅱ-3", "在外就读学生花名册(附证明)", (S,), False, True, GEN, ""),
        ("Ⅱ-4", "毕业生花名册", (S,), True, True, GEN, ""),
    ]),
    ("Ⅲ", "残疾儿童少年", (S,), [
        ("Ⅲ-1", "残疾儿童少年花名册", (S,), True, True, GEN, ""),
        ("Ⅲ-2", "残疾证复印件", (S,), False, True, UP, ""),
    ]),
    ("Ⅳ", "辍学率", (S,), [
        ("Ⅳ-1", "辍学率统计表", (S,), True, True, GEN, ""),
        ("Ⅳ-2", "复学、转学、休学学生花名册", (S,), True, True, GEN, ""),
        ("Ⅳ-3", "死亡学生名单及死亡证明", (S,), False, True, UP, ""),
        ("Ⅳ-4", "辍学学生登记表(一生一表)", (S,), False, True, GEN, ""),
    ]),
    ("Ⅴ", "毕业率", (S,), [
        ("Ⅴ-1", "毕业率统计表", (S,), True, True, GEN, ""),
    ]),
    ("Ⅵ", "15、17周岁人口完成率", (S,), [
        ("Ⅵ-1", "15周岁人口初等教育完成率统计表", (S,), True, True, GEN, ""),
        ("Ⅵ-2", "17周岁人口初级中等教育完成率统计表", (S,), True, True, GEN, ""),
    ]),
    ("Ⅶ", "非文盲率和脱盲巩固率", (S,), [
        ("Ⅶ-1", "非文盲率统计表", (S,), False, True, GEN, ""),
        ("Ⅶ-2", "脱盲巩固率统计表", (S,), False, True, GEN, ""),
    ]),
]
# fmt: on


def catalogue_load(apps, schema_editor):
    Entry = apps.get_model("archive", "CatalogueEntry")
    if Entry.objects.exists():
        return
    position = 0

    def add(parent, level, code, title, levels, required=False, per_year=True, source=UP, proof=""):
        nonlocal position
        position += 10
        return Entry.objects.create(
            parent=parent,
            level=level,
            code=code,
            title=title,
            position=position,
            unit_levels=list(levels),
            required=bool(required),
            per_year=bool(per_year) if per_year is not None else True,
            source=source or UP,
            proof_kind=proof,
        )

    for code, title, levels, children in CATALOGUE:
        root = add(None, "class", code, title, levels)
        for child in children:
            if len(child) == 7 and isinstance(child[6], list):
                item = add(root, "item", child[0], child[1], child[2])
                for file_row in child[6]:
                    add(item, "file", *file_row)
            else:
                add(root, "file", *child)


def catalogue_unload(apps, schema_editor):
    Entry = apps.get_model("archive", "CatalogueEntry")
    for level in ("file", "item", "class"):  # leaves first: a parent is protected
        Entry.objects.filter(level=level, documents__isnull=True, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_catalogue_documents")]

    operations = [migrations.RunPython(catalogue_load, catalogue_unload)]
