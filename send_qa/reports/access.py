"""Who reads which version of the report (seed 000, Appendix B): SENDOPS everything; the board
versions 2 and 3 once released; every signed-in user version 3 once released. Nobody else sees
drafts."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from send_qa.core.models import User
from send_qa.reports.models import Report, Version
from send_qa.reports.roles import BOARD_PAPER_READERS, REPORT_MANAGERS


def versions_visible_to(user: User) -> QuerySet[Version]:
    versions = Version.objects.filter(status=Version.Status.DONE)
    if user.has_role(*REPORT_MANAGERS):
        return versions
    released = versions.filter(released_at__isnull=False)
    if user.has_role(*BOARD_PAPER_READERS):
        return released.filter(number__in=[Version.Number.BOARD, Version.Number.WIDE])
    return released.filter(number=Version.Number.WIDE)


def reports_visible_to(user: User) -> QuerySet[Report]:
    if user.has_role(*REPORT_MANAGERS):
        return Report.objects.all()
    return Report.objects.filter(Q(versions__in=versions_visible_to(user))).distinct()


def report_to_view(user: User, report_uuid: UUID | str) -> Report:
    return get_object_or_404(reports_visible_to(user).select_related("term"), uuid=report_uuid)


def version_to_manage(user: User, version_uuid: UUID | str) -> Version:
    """Any version, finished or not, for SENDOPS, who compile, retry and release them."""
    if not user.has_role(*REPORT_MANAGERS):
        raise PermissionDenied("Only SENDOPS compile and release the report.")
    return get_object_or_404(Version.objects.select_related("report"), uuid=version_uuid)


def version_to_read(user: User, version_uuid: UUID | str) -> Version:
    version = versions_visible_to(user).filter(uuid=version_uuid).select_related("report").first()
    if version is None:
        raise Http404("No such report")
    return version
