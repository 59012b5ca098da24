"""Demo board cycle: a year of meetings of each forum, the forward plan drawn up for it, papers
for the next Partnership Board and a couple of its decisions."""

import datetime

from django.db import transaction
from django.utils import timezone

from governance.models import Decision, Forum, ForwardPlanItem, Meeting, MeetingPaper
from governance.services import forward_plan_draw
from send_qa.core import papers
from send_qa.core.demo import DemoArea
from send_qa.core.models import academic_year_start

# forum, months (of the academic year starting September), time, place
MEETINGS = [
    (Forum.PARTNERSHIP_BOARD, (10, 12, 2, 4, 6, 7), datetime.time(14), "Civic Centre, Room 1"),
    (Forum.SENDOPS, (9, 10, 11, 1, 2, 3, 4, 5, 6, 7), datetime.time(10), "Online"),
    (Forum.MODERATION, (11, 3, 6), datetime.time(13), "Online"),
    (Forum.SCRUTINY, (11, 3, 7), datetime.time(18), "Council Chamber"),
    (Forum.JOINT_COMMISSIONING, (10, 1, 5), datetime.time(10), "Civic Centre, Room 2"),
    (Forum.HEALTH_AND_WELLBEING, (12, 6), datetime.time(15), "Council Chamber"),
]
WEEKDAY = {Forum.SENDOPS: 1, Forum.SCRUTINY: 3}  # Tuesday, Thursday; the others Wednesday


def _day(start_year: int, month: int, weekday: int) -> datetime.date:
    """The second such weekday of the month."""
    year = start_year if month >= 9 else start_year + 1
    day = datetime.date(year, month, 8)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


@transaction.atomic
def seed(area: DemoArea) -> None:
    if Meeting.objects.exists():
        return
    today = timezone.localdate()
    year = academic_year_start(today)
    sendops = area.users["sendops@demo.invalid"]
    board = area.users["board@demo.invalid"]
    for forum, months, time, place in MEETINGS:
        for month in months:
            Meeting.objects.create(
                forum=forum, date=_day(year, month, WEEKDAY.get(forum, 2)), time=time, place=place
            )
    forward_plan_draw(year)
    for item in ForwardPlanItem.objects.filter(meeting__date__lt=today):
        item.status = ForwardPlanItem.Status.PRESENTED
        item.save()  # with its history row
    boards = Meeting.objects.filter(forum=Forum.PARTNERSHIP_BOARD)
    upcoming = boards.upcoming(today).first()
    if upcoming is not None:
        for paper in papers.candidates(sendops)[:2]:
            MeetingPaper.objects.create(
                meeting=upcoming,
                kind=paper.kind,
                ref=paper.ref,
                title=paper.title,
                url=paper.url,
                paper_date=paper.date,
                added_by=sendops,
            )
    last = boards.past(today).first()
    if last is not None:
        Decision.objects.create(
            meeting=last,
            kind=Decision.Kind.RECOMMENDATION,
            text="Commission a deep dive into the timeliness of health advice for EHC needs "
            "assessments, reporting back at the next meeting.",
            recorded_by=sendops,
        )
        Decision.objects.create(
            meeting=last,
            kind=Decision.Kind.DECISION,
            text="The board accepted the termly report and agreed its key messages for "
            "families and the Joint Commissioning Group.",
            recorded_by=board,
        )
