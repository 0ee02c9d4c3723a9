from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0003_import_job_overwrite_edits"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="overwrite_keys",
            field=models.JSONField(blank=True, default=list, verbose_name="以文件覆盖的冲突"),
        ),
    ]
