from django.db import migrations
from django.db.models import OuterRef, Subquery


def subject_from_checklist(apps, schema_editor):
    """Every audit so far gets its checklist's subject (all had a plan until now)."""
    Audit = apps.get_model("audits", "Audit")
    ChecklistTemplate = apps.get_model("audits", "ChecklistTemplate")
    subjects = ChecklistTemplate.objects.filter(pk=OuterRef("template_id")).values("subject")
    Audit.objects.update(subject=Subquery(subjects[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0012_audit_without_plan_subject_respondent_title"),
    ]

    operations = [
        migrations.RunPython(subject_from_checklist, migrations.RunPython.noop),
    ]
