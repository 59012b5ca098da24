"""Advice services and checklist templates get an opaque id for their addresses. Three steps,
as a unique default cannot be added to existing rows at once: add the column empty, give each
row its own id (and its history rows the same one), then make it required and unique.

Published templates refuse save(), but the historical models used here have no such guard
and the ids are written with update() in any case."""

import uuid

from django.db import migrations, models

MODELS = ("AdviceService", "ChecklistTemplate")


def give_each_row_an_id(apps, schema_editor):
    for name in MODELS:
        Model = apps.get_model("audits", name)
        Historical = apps.get_model("audits", f"Historical{name}")
        for row in Model.objects.filter(uuid__isnull=True).only("pk"):
            new = uuid.uuid4()
            Model.objects.filter(pk=row.pk).update(uuid=new)
            Historical.objects.filter(id=row.pk).update(uuid=new)


def _fields(model_name: str) -> list:
    return [
        migrations.AddField(
            model_name=model_name, name="uuid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.AddField(
            model_name=f"historical{model_name}",
            name="uuid",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
    ]


def _unique(model_name: str) -> migrations.AlterField:
    return migrations.AlterField(
        model_name=model_name,
        name="uuid",
        field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
    )


class Migration(migrations.Migration):
    dependencies = [("audits", "0004_audit_list_order")]

    operations = [
        *_fields("adviceservice"),
        *_fields("checklisttemplate"),
        migrations.RunPython(give_each_row_an_id, migrations.RunPython.noop),
        _unique("adviceservice"),
        _unique("checklisttemplate"),
    ]
