import hashlib
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from send_qa.core.models import Period, ensure_academic_year
from send_qa.reports.models import Report, Version


def a_report(term_name: str = "Autumn term 2025/26", *, drafted: bool = False) -> Report:
    """The term's report; `drafted`: as if its narrative had already been drafted from the
    evidence, so the first opening of its page changes nothing."""
    ensure_academic_year(2025)
    term = Period.objects.terms().get(name=term_name)
    report = Report.objects.get_or_create(term=term, defaults={"period_covered": term.name})[0]
    if drafted and report.drafted_at is None:
        report.drafted_at = timezone.now()
        report.save()
    return report


def a_compiled_version(report: Report, *, number: int, released: bool = False) -> Version:
    """A version with a small PDF on disk, as a compilation would leave it."""
    body = b"%PDF-1.4 test report"
    name = f"reports/test-{report.pk}-{number}-{Version.objects.count()}.pdf"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return Version.objects.create(
        report=report,
        number=number,
        status=Version.Status.DONE,
        file=name,
        checksum=hashlib.sha256(body).hexdigest(),
        size=len(body),
        finished_at=timezone.now(),
        released_at=timezone.now() if released else None,
    )
