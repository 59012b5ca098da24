"""Teams and periods get an opaque id for the portal's addresses (the `?team=` and `?term=`
filters). Three steps, as a unique default cannot be added to existing rows at once: add the
column empty, give each row its own id (and its history rows the same one), then make it
required and unique."""

import uuid

from django.db import migrations, models


def give_each_team_and_period_an_id(apps, schema_editor):
    for name in ("Team", "Period"):
        model = apps.get_model("core", name)
        history = apps.get_model("core", f"Historical{name}")
        for record in model.objects.filter(uuid__isnull=True).only("pk"):
            new = uuid.uuid4()
            model.objects.filter(pk=record.pk).update(uuid=new)
            history.objects.filter(id=record.pk).update(uuid=new)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_access_event_admin_actions")]

    operations = [
        migrations.AddField(
            model_name="team", name="uuid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.AddField(
            model_name="historicalteam",
            name="uuid",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.AddField(
            model_name="period", name="uuid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.AddField(
            model_name="historicalperiod",
            name="uuid",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.RunPython(give_each_team_and_period_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="team",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="period",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
