"""15–50 周岁人口非文盲率 (L01) is a one-vote veto item: the literacy rate is an indicator of
the universalisation level (domain.md §3, §6) like the others of 普及程度."""

from django.db import migrations


def literacy_veto(apps, schema_editor):
    Item = apps.get_model("inspection", "StandardItem")
    Item.objects.filter(code="L01").update(veto=True)


def literacy_not_veto(apps, schema_editor):
    Item = apps.get_model("inspection", "StandardItem")
    Item.objects.filter(code="L01").update(veto=False)


class Migration(migrations.Migration):
    dependencies = [("inspection", "0002_default_standard")]

    operations = [migrations.RunPython(literacy_veto, literacy_not_veto)]
