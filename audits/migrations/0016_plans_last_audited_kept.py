"""Each plan keeps when its latest audit was submitted (issue 22): the register sorts and
filters by it from an index. Worked out here once for the plans already in the portal; from
then on `audits.register.keep_last_audited` keeps it as audits change."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def work_out_last_audited(apps, schema_editor):
    Plan = apps.get_model("audits", "Plan")
    Audit = apps.get_model("audits", "Audit")
    # As `AuditQuerySet.of_plans().submitted()` at the time of this migration.
    latest = (
        Audit.objects.filter(
            plan=OuterRef("pk"),
            template__subject="ehcp",
            purpose__in=["audit", "peer_moderation"],
            status="submitted",
        )
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    Plan.objects.update(last_audited_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0015_term_figures_kept"),
        ("core", "0011_access_log_append_only_again_on_sqlite"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="last_audited_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="plan",
            index=models.Index(
                fields=["last_audited_at", "case_reference"], name="plan_last_audited"
            ),
        ),
        migrations.RunPython(work_out_last_audited, migrations.RunPython.noop),
    ]
