"""扫盲单位标准 (L05) judged from the literacy app's data: among people born after 1 Oct 1949
and aged 15 or over (minus those who lost the ability to learn), non-illiterates ≥ 95 % rural /
98 % urban, and the relapse rate under 5 % (《扫除文盲工作条例》, domain.md §4)."""

from django.db import migrations, models

CODE = "L05"


def add_unit_standard(apps, schema_editor):
    Aspect = apps.get_model("inspection", "StandardAspect")
    Item = apps.get_model("inspection", "StandardItem")
    aspect = Aspect.objects.filter(name="扫除青壮年文盲").first()
    if aspect is None or Item.objects.filter(code=CODE).exists():
        return
    order = (Item.objects.filter(aspect=aspect).aggregate(models.Max("order"))["order__max"] or 0)
    Item.objects.create(
        aspect=aspect,
        code=CODE,
        order=order + 1,
        name="基本扫除文盲单位标准",
        requirement=(
            "1949年10月1日以后出生、15周岁以上人口(不含丧失学习能力者)中非文盲比例"
            "农村达到95%、城镇达到98%以上,复盲率低于5%"
        ),
        judged_by="扫盲",
        evidence="扫盲对象花名册、测验记录、脱盲证书存根、复查记录",
        applies_to_town=True,
        applies_to_village=True,
        applies_to_school=False,
        veto=False,
    )


def remove_unit_standard(apps, schema_editor):
    apps.get_model("inspection", "StandardItem").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("inspection", "0003_literacy_veto")]

    operations = [
        migrations.AlterField(
            model_name="standarditem",
            name="judged_by",
            field=models.CharField(
                choices=[
                    ("指标", "自动:普及程度指标"),
                    ("经费", "自动:教育经费登记(三个增长)"),
                    ("校舍", "自动:校舍登记(D级危房)"),
                    ("隐患", "自动:安全隐患登记"),
                    ("教师", "自动:教师登记(学历合格)"),
                    ("扫盲", "自动:扫盲单位标准(非文盲率、复盲率)"),
                    ("自查", "自查判定"),
                ],
                max_length=4,
                verbose_name="判定方式",
            ),
        ),
        migrations.RunPython(add_unit_standard, remove_unit_standard),
    ]
