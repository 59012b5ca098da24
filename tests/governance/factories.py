import datetime

import factory

from governance.models import Decision, Forum, ForwardPlanItem, Meeting


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    forum = Forum.PARTNERSHIP_BOARD
    date = factory.Sequence(lambda n: datetime.date.today() + datetime.timedelta(days=7 + n))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    kind = Decision.Kind.RECOMMENDATION
    text = factory.Sequence(lambda n: f"Commission deep dive number {n}")


class ForwardPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForwardPlanItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Paper {n}")
