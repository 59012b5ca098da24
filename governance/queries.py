"""What other floors (the dashboard) read of meetings."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from governance.models import Forum, Meeting, MeetingPaper
from governance.roles import MEETING_MANAGERS
from send_qa.core.models import User


@dataclass(frozen=True)
class NextMeeting:
    meeting: Meeting
    papers: list[MeetingPaper]


def next_meeting(user: User, today: datetime.date) -> NextMeeting | None:
    """The next meeting ``user`` goes to, with its papers, in two queries: for SENDOPS the
    next of any forum, for a board member the next SEND Partnership Board."""
    meetings = Meeting.objects.visible_to(user).upcoming(today)
    if not user.has_role(*MEETING_MANAGERS):
        meetings = meetings.filter(forum=Forum.PARTNERSHIP_BOARD)
    meeting = meetings.prefetch_related(
        Prefetch("papers", queryset=MeetingPaper.objects.order_by("pk"))
    ).first()
    if meeting is None:
        return None
    return NextMeeting(meeting, list(meeting.papers.all()))
