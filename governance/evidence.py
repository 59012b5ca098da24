"""A meeting's decisions and recommendations as evidence that raises actions
(``board_decision`` in send_qa/core/follow_up.py)."""

from django.urls import reverse

from governance.models import Decision, Meeting
from send_qa.core.access import opaque_id
from send_qa.core.follow_up import Evidence
from send_qa.core.models import Period, User

KIND = "board_decision"
LABEL = "A decision or recommendation of a meeting"


def describe(ref: str, user: User) -> Evidence | None:
    ref = opaque_id(ref)
    decision = (
        Decision.objects.filter(meeting__in=Meeting.objects.visible_to(user), uuid=ref)
        .select_related("meeting")
        .first()
        if ref
        else None
    )
    if decision is None:
        return None
    meeting = decision.meeting
    term = Period.objects.current_term(on=meeting.date)
    return Evidence(
        kind=KIND,
        ref=str(decision.uuid),
        title=f"{meeting}: {decision.get_kind_display().lower()}",
        words=decision.text,
        url=reverse("governance:meeting_detail", kwargs={"meeting_uuid": meeting.uuid}),
        term=term.name if term else "",
        concern=None,
    )
