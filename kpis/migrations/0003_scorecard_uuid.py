"""Saved scorecards get an opaque id for their addresses. Three steps, as a unique default
cannot be added to existing rows at once: add the column empty, give each scorecard its own
id (and its history rows the same one), then make it required and unique."""

import uuid

from django.db import migrations, models


def give_each_scorecard_an_id(apps, schema_editor):
    Scorecard = apps.get_model("kpis", "Scorecard")
    HistoricalScorecard = apps.get_model("kpis", "HistoricalScorecard")
    for scorecard in Scorecard.objects.filter(uuid__isnull=True).only("pk"):
        new = uuid.uuid4()
        Scorecard.objects.filter(pk=scorecard.pk).update(uuid=new)
        HistoricalScorecard.objects.filter(id=scorecard.pk).update(uuid=new)


class Migration(migrations.Migration):
    dependencies = [("kpis", "0002_measurement_indicator_index")]

    operations = [
        migrations.AddField(
            model_name="scorecard", name="uuid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.AddField(
            model_name="historicalscorecard",
            name="uuid",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.RunPython(give_each_scorecard_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="scorecard",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
