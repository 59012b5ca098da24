"""Audit evidence that raises improvement actions (issue 19), through `send_qa.core.follow_up`:
a weak question across a term's EHC plan audits, a moderation session's key issue or agreed
action, and an advice service's low scores over a term.

A finding "scores well" once its average reaches `SCORES_WELL` per cent of its scale; the next
term that scores it well is what tells an action page the evidence has improved.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, FloatField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.text import Truncator

from audits.advice_queries import advice_quality, advice_scoring_audits
from audits.models import AdviceService, Answer, Audit, ChecklistTemplate, TemplateItem
from audits.models.moderation import ModerationSession
from audits.roles import ADVICE_MANAGERS, AUDIT_MANAGERS, MODERATION_MANAGERS
from send_qa.core import follow_up
from send_qa.core.figures import round_half_up
from send_qa.core.follow_up import Evidence
from send_qa.core.models import Period, User
from send_qa.core.suppression import WITHHELD, Describes, figure_withheld

SCORES_WELL = Decimal(75)  # per cent of the scale

QUESTION = "audit_question"
QUESTION_LABEL = "A weak question across a term's audits"
KEY_ISSUE = "moderation_issue"
KEY_ISSUE_LABEL = "A moderation group's key issue"
AGREED_ACTION = "moderation_action"
AGREED_ACTION_LABEL = "A moderation group's agreed action"
ADVICE = "advice_service"
ADVICE_LABEL = "An advice service's scores over a term"

# Which field of a moderation session each kind reads, a line a point.
SESSION_FIELDS = {KEY_ISSUE: "themes", AGREED_ACTION: "agreed_actions"}


def _uuid(text: str) -> str:
    return text if len(text) == 36 else ""


def _term(uuid: str) -> Period | None:
    return Period.objects.terms().filter(uuid=uuid).first() if _uuid(uuid) else None


# A weak question -------------------------------------------------------------------------


def question_ref(term: Period, template_uuid: object, item_code: str) -> str:
    return f"{term.uuid}:{template_uuid}:{item_code}"


@dataclass(frozen=True)
class QuestionScore:
    answers: int
    average: Decimal | None  # the mean score
    share: Decimal | None  # as a percentage of the scale

    def text(self, scale_max: int | None) -> str:
        if self.answers == 0:
            return "No answers"
        if self.share is None or figure_withheld(
            None, self.answers, describes=Describes.SERVICE_QUALITY
        ):
            return f"{WITHHELD} (fewer answers than can be shown)"
        return f"average {self.average} of {scale_max} ({self.share}%) over {self.answers} audits"


def question_score(item: TemplateItem, term: Period) -> QuestionScore:
    """The item's average over the term's submitted EHC plan audits."""
    found = (
        Answer.objects.filter(
            audit__in=Audit.objects.of_plans().submitted().filter(term=term), item=item
        )
        .with_value(TemplateItem.Kind.SCORE)
        .aggregate(
            answers=Count("id"),
            mean=Avg(Cast(F("score"), FloatField())),
            share=Avg(Cast(F("score"), FloatField()) * 100.0 / F("item__scale_max")),
        )
    )
    answers = found["answers"] or 0
    return QuestionScore(
        answers=answers,
        average=round_half_up(found["mean"]) if found["mean"] is not None else None,
        share=round_half_up(found["share"]) if found["share"] is not None else None,
    )


def _scores_well(score: QuestionScore) -> bool:
    return score.share is not None and score.share >= SCORES_WELL


def _later_term_score(item: TemplateItem, term: Period) -> tuple[Period, QuestionScore] | None:
    """The latest later term whose audits scored the same question of the same checklist (its
    own version then), for "has it improved?"."""
    later = (
        Answer.objects.filter(
            audit__in=Audit.objects.of_plans().submitted().filter(term__start__gt=term.start),
            item__code=item.code,
            item__section__template__name=item.section.template.name,
        )
        .with_value(TemplateItem.Kind.SCORE)
        .order_by("-audit__term__start")
        .values_list("audit__term_id", "item_id")
        .first()
    )
    if later is None:
        return None
    later_term = Period.objects.get(pk=later[0])
    return later_term, question_score(TemplateItem.objects.get(pk=later[1]), later_term)


def describe_question(ref: str, user: User) -> Evidence | None:
    if not user.has_role(*AUDIT_MANAGERS):
        return None
    try:
        term_uuid, template_uuid, code = ref.split(":", 2)
    except ValueError:
        return None
    term = _term(term_uuid)
    template = (
        ChecklistTemplate.objects.filter(uuid=template_uuid).first()
        if _uuid(template_uuid)
        else None
    )
    if term is None or template is None:
        return None
    item = (
        TemplateItem.objects.select_related("section__template")
        .filter(section__template=template, code=code)
        .first()
    )
    if item is None:
        return None
    score = question_score(item, term)
    figure = f"{item.code}: {score.text(item.scale_max)}, {term.name}"
    later = _later_term_score(item, term)
    concern: bool | None = not _scores_well(score) if score.share is not None else None
    now = ""
    if later is not None:
        later_term, later_score = later
        concern = not _scores_well(later_score) if later_score.share is not None else concern
        now = f"{later_term.name}: {later_score.text(item.scale_max)}"
    return Evidence(
        kind=QUESTION,
        ref=ref,
        title=f"{template.name}, question {item.code}: {Truncator(item.text).words(14)}",
        words=(
            f"Audits in {term.name} scored question {item.code} ({item.text}) "
            f"{score.text(item.scale_max)}."
        ),
        figure=figure,
        url=f"{reverse('audits:findings')}?term={term.uuid}#weakest",
        term=term.name,
        concern=concern,
        now=now,
    )


# A moderation session's key issue or agreed action ---------------------------------------


def session_points(text: str) -> list[str]:
    """The points of a session's key issues or agreed actions: one a line, bullets dropped."""
    return [line.strip().lstrip("-•*–").strip() for line in text.splitlines() if line.strip()]


def session_ref(session: ModerationSession, number: int) -> str:
    return f"{session.uuid}:{number}"


def _describe_session(kind: str, ref: str, user: User) -> Evidence | None:
    if not user.has_role(*MODERATION_MANAGERS):
        return None
    session_uuid, _, number = ref.partition(":")
    if not (_uuid(session_uuid) and number.isdigit()):
        return None
    session = (
        ModerationSession.objects.visible_to(user)
        .select_related("term")
        .filter(uuid=session_uuid)
        .first()
    )
    if session is None:
        return None
    points = session_points(getattr(session, SESSION_FIELDS[kind]))
    index = int(number) - 1
    if not 0 <= index < len(points):
        return None
    what = "Key issue" if kind == KEY_ISSUE else "Agreed action"
    return Evidence(
        kind=kind,
        ref=ref,
        title=f"Moderation group {session.date:%-d %B %Y}: {what.lower()} {number}",
        words=points[index],
        figure=f"{what} {number} of the session on {session.date:%-d %B %Y}",
        url=reverse("audits:moderation_report", kwargs={"session_uuid": session.uuid}),
        term=session.term.name if session.term else "",
    )


def describe_key_issue(ref: str, user: User) -> Evidence | None:
    return _describe_session(KEY_ISSUE, ref, user)


def describe_agreed_action(ref: str, user: User) -> Evidence | None:
    return _describe_session(AGREED_ACTION, ref, user)


def session_point_refs(session: ModerationSession) -> dict[str, list[tuple[str, str]]]:
    """Each kind's points of a session with their references, for the session's page."""
    return {
        kind: [
            (session_ref(session, n), point)
            for n, point in enumerate(session_points(getattr(session, field)), start=1)
        ]
        for kind, field in SESSION_FIELDS.items()
    }


# An advice service's scores over a term --------------------------------------------------


def advice_ref(term: Period, service: AdviceService) -> str:
    return f"{term.uuid}:{service.uuid}"


def _advice_text(quality: dict[str, object]) -> str:
    scored = quality["scored"]
    assert isinstance(scored, int)
    if scored == 0:
        return "No advice scored"
    if figure_withheld(None, scored, describes=Describes.SERVICE_QUALITY):
        return f"{WITHHELD} (fewer reports scored than can be shown)"
    return (
        f"mean {quality['mean_percent']}% ({quality['mean_points']} of {quality['max_points']}) "
        f"over {scored} reports scored"
    )


def _advice_well(quality: dict[str, object]) -> bool | None:
    mean = quality["mean_percent"]
    if mean is None:
        return None
    assert isinstance(mean, Decimal | int | float)
    return Decimal(str(mean)) >= SCORES_WELL


def describe_advice(ref: str, user: User) -> Evidence | None:
    if not user.has_role(*ADVICE_MANAGERS):
        return None
    term_uuid, _, service_uuid = ref.partition(":")
    term = _term(term_uuid)
    service = (
        AdviceService.objects.filter(uuid=service_uuid).first() if _uuid(service_uuid) else None
    )
    if term is None or service is None:
        return None
    quality = advice_quality(advice_scoring_audits(term=term, service=service))
    well = _advice_well(quality)
    concern = None if well is None else not well
    now = ""
    for later in Period.objects.terms().filter(start__gt=term.start).order_by("-start")[:3]:
        later_quality = advice_quality(advice_scoring_audits(term=later, service=service))
        if later_quality["scored"]:
            later_well = _advice_well(later_quality)
            concern = concern if later_well is None else not later_well
            now = f"{later.name}: {_advice_text(later_quality)}"
            break
    return Evidence(
        kind=ADVICE,
        ref=ref,
        title=f"Advice from {service.name}, {term.name}",
        words=f"Advice from {service.name} requested in {term.name} scored {_advice_text(quality)}.",
        figure=f"{_advice_text(quality)}, {term.name}",
        url=f"{reverse('audits:advice_summary')}?term={term.uuid}&service={service.uuid}",
        term=term.name,
        concern=concern,
        now=now,
    )


def register() -> None:
    follow_up.register_evidence(QUESTION, QUESTION_LABEL, describe_question)
    follow_up.register_evidence(KEY_ISSUE, KEY_ISSUE_LABEL, describe_key_issue)
    follow_up.register_evidence(AGREED_ACTION, AGREED_ACTION_LABEL, describe_agreed_action)
    follow_up.register_evidence(ADVICE, ADVICE_LABEL, describe_advice)


# What the termly report's draft reads (through audits.queries) -------------------------


@dataclass(frozen=True)
class Finding:
    """One finding for the report's draft: its words with its figure, and where it lives."""

    text: str
    figure: str
    url: str
    kind: str
    ref: str


def weak_question_findings(
    weakest: list[Mapping[str, Any]], term: Period, *, limit: int = 3
) -> list[Finding]:
    """The term's weakest questions (`audits.queries.weakest_items` rows), each with its figure
    by the rule the evidence page uses; those below "scores well" only, small bases withheld."""
    found = []
    for row in weakest:
        score = QuestionScore(
            answers=row["answers"],
            average=round_half_up(row["average"]) if row["average"] is not None else None,
            share=round_half_up(row["percent"]) if row["percent"] is not None else None,
        )
        if _scores_well(score) or score.answers == 0:
            continue
        ref = question_ref(term, row["item__section__template__uuid"], row["item__code"])
        found.append(
            Finding(
                text=f"Question {row['item__code']} ({Truncator(row['item__text']).words(14)})",
                figure=score.text(row["item__scale_max"]),
                url=f"{reverse('audits:findings')}?term={term.uuid}#weakest",
                kind=QUESTION,
                ref=ref,
            )
        )
        if len(found) == limit:
            break
    return found


def key_issue_findings(sessions: list[ModerationSession]) -> list[Finding]:
    """Every key issue the term's moderation sessions recorded."""
    return [
        Finding(
            text=point,
            figure=f"moderation group, {session.date:%-d %B %Y}",
            url=reverse("audits:moderation_report", kwargs={"session_uuid": session.uuid}),
            kind=KEY_ISSUE,
            ref=session_ref(session, n),
        )
        for session in sessions
        for n, point in enumerate(session_points(session.themes), start=1)
    ]
