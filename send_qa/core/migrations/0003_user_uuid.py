"""Users get an opaque id for the portal's addresses. Three steps, as a unique default cannot
be added to existing rows at once: add the column empty, give each user their own id, then
make it required and unique."""

import uuid

from django.db import migrations, models


def give_each_user_an_id(apps, schema_editor):
    User = apps.get_model("core", "User")
    for user in User.objects.filter(uuid__isnull=True).only("pk"):
        User.objects.filter(pk=user.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("core", "0002_access_event")]

    operations = [
        migrations.AddField(
            model_name="user", name="uuid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.AddField(
            model_name="historicaluser",
            name="uuid",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.RunPython(give_each_user_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
