from django.db import migrations, models


def edits_since_last_import(apps, schema_editor):
    """Mark the records edited in the application after the last import, from the audit log,
    so that the first re-import after this upgrade keeps them too."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    last_import = (
        AuditEntry.objects.filter(action="import").order_by("-at").values_list("at", flat=True)
    ).first()
    edits = AuditEntry.objects.filter(
        action="update", entity__in=["PersonRecord", "Enrollment"]
    ).order_by("at")
    if last_import is not None:
        edits = edits.filter(at__gt=last_import)
    models_by_entity = {
        "PersonRecord": apps.get_model("registers", "PersonRecord"),
        "Enrollment": apps.get_model("registers", "Enrollment"),
    }
    for entity, entity_id, at in edits.values_list("entity", "entity_id", "at").iterator():
        if entity_id.isdigit():
            models_by_entity[entity].objects.filter(pk=int(entity_id)).update(edited_at=at)


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0003_year_submission_from_web"),
        ("audit", "0001_audit_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="edited_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="导入后在系统中修改"),
        ),
        migrations.AddField(
            model_name="personrecord",
            name="edited_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="导入后在系统中修改"),
        ),
        migrations.RunPython(edits_since_last_import, migrations.RunPython.noop),
    ]
