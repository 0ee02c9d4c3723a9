"""Years locked before settings were kept per school year get their settings now: the town's
settings in force at the upgrade, so that a setting changed afterwards does not move them."""

from django.db import migrations

# registers.choices.TOWN_KINDS, written out: a migration does not import application code.
TOWN_KINDS = ("镇", "乡", "街道")


def freeze(apps, schema_editor):
    SchoolYear = apps.get_model("registers", "SchoolYear")
    Unit = apps.get_model("registers", "Unit")
    TownSetting = apps.get_model("registers", "TownSetting")
    YearTownSettings = apps.get_model("registers", "YearTownSettings")
    for year in SchoolYear.objects.filter(locked=True):
        for town in Unit.objects.filter(kind__in=TOWN_KINDS):
            stored = dict(TownSetting.objects.filter(town=town).values_list("key", "value"))
            YearTownSettings.objects.get_or_create(
                school_year=year, town=town, defaults={"values": stored}
            )


class Migration(migrations.Migration):
    dependencies = [("registers", "0005_year_town_settings")]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
