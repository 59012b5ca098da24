"""Released report versions as papers for a meeting (send_qa/core/papers.py)."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from send_qa.core.access import opaque_id
from send_qa.core.models import User
from send_qa.core.papers import Paper
from send_qa.reports.access import versions_visible_to
from send_qa.reports.models import Version

KIND = "report_version"


def _paper(version: Version) -> Paper:
    released = timezone.localdate(version.released_at) if version.released_at else None
    return Paper(
        kind=KIND,
        ref=str(version.uuid),
        title=f"{version.report}: {version.get_number_display().lower()}",
        url=reverse("reports:version_pdf", kwargs={"version_uuid": version.uuid}),
        date=released,
    )


def _released(user: User) -> QuerySet[Version]:
    return (
        versions_visible_to(user)
        .filter(released_at__isnull=False)
        .select_related("report__term")
        .order_by("-released_at")
    )


def candidates(user: User) -> list[Paper]:
    """The versions released that ``user`` may read: only a released version is a paper."""
    return [_paper(version) for version in _released(user)]


def describe(ref: str, user: User) -> Paper | None:
    ref = opaque_id(ref)
    version = _released(user).filter(uuid=ref).first() if ref else None
    return _paper(version) if version else None
