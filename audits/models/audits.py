"""Audits of EHC plans (or advice, or any subject) against a published template version."""

import datetime
import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import dateformat, timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audits.models.figures import TermFigures
from audits.models.plans import Plan
from audits.models.templates import ChecklistTemplate, TemplateItem, TemplateSection
from audits.roles import AUDIT_ASSIGNEES, AUDIT_MANAGERS, CASEWORKERS
from audits.scoring import AuditResult, audit_result
from audits.statuses import Tag, audit_status, grade_shown
from send_qa.core.concurrency import rows_version, version_check
from send_qa.core.models import Period, User


class AuditQuerySet(models.QuerySet["Audit"]):
    def visible_to(self, user: User) -> "AuditQuerySet":
        """SENDOPS see all but people's skills self-audits; auditors the audits assigned to
        them; caseworkers their team's. A skills self-audit is its respondent's alone."""
        own = Q(respondent=user)
        if user.has_role(*AUDIT_MANAGERS):
            return self.filter(Q(respondent__isnull=True) | own)
        conditions = own
        if user.has_role(*AUDIT_ASSIGNEES):
            conditions |= Q(auditor=user)
        if user.has_role(*CASEWORKERS) and user.team_id:
            # Moderation re-audits are anonymised: only their own moderator sees them.
            conditions |= Q(plan__team_id=user.team_id) & ~Q(purpose=Audit.Purpose.MODERATION)
        return self.filter(conditions)

    def of_plans(self) -> "AuditQuerySet":
        """Audits of EHC plans as such (not advice, not moderation re-audits)."""
        return self.filter(
            template__subject=ChecklistTemplate.Subject.EHCP,
            purpose__in=[Audit.Purpose.AUDIT, Audit.Purpose.PEER_MODERATION],
        )

    def of_cases(self) -> "AuditQuerySet":
        """Audits of a plan or its advice: the audit list and worklists (not the Local Offer
        checks or the skills self-audits, which have no plan)."""
        return self.filter(plan__isnull=False)

    def submitted(self) -> "AuditQuerySet":
        return self.filter(status=Audit.Status.SUBMITTED)

    def open(self) -> "AuditQuerySet":
        return self.exclude(status=Audit.Status.SUBMITTED)

    def to_do(self, user: User, term: Period | None) -> "AuditQuerySet":
        """A person's worklist (`to_do_condition`): the home page's count and the top of
        "Your audits"."""
        return self.filter(to_do_condition(user, term))

    @transaction.atomic
    def assign(
        self,
        *,
        plans: Iterable[Plan],
        auditor: User,
        template: ChecklistTemplate,
        term: Period | None,
        by: User | None,
    ) -> tuple[list["Audit"], list[Plan]]:
        """Create an audit of each plan for the auditor; returns (created, skipped).

        A plan that already has an audit against the same checklist in the same term is
        skipped, so that selecting it twice never makes a second, competing audit.
        """
        plans = list(plans)
        taken = set(
            self.filter(plan__in=plans, template__name=template.name, term=term).values_list(
                "plan_id", flat=True
            )
        )
        skipped = [plan for plan in plans if plan.pk in taken]
        # Bulk writes skip model signals, so the helper writes each audit's "created" history.
        created = bulk_create_with_history(
            [
                Audit(
                    plan=plan,
                    template=template,
                    subject=template.subject,
                    auditor=auditor,
                    term=term,
                    assigned_by=by,
                )
                for plan in plans
                if plan.pk not in taken
            ],
            Audit,
            default_user=by,
        )
        TermFigures.objects.changed([term.pk if term else None])  # bulk writes send no signal
        return created, skipped

    def start_local_offer_check(
        self, *, template: ChecklistTemplate, by: User, term: Period | None, title: str
    ) -> "Audit":
        """A compliance check of the Local Offer as a whole, scored by the one who starts it."""
        if template.subject != ChecklistTemplate.Subject.LOCAL_OFFER:
            raise ValidationError("That checklist is not a Local Offer compliance check.")
        return self.create(
            template=template, auditor=by, assigned_by=by, term=term, title=title.strip()
        )

    @transaction.atomic
    def send_self_audits(
        self,
        *,
        template: ChecklistTemplate,
        people: Iterable[User],
        title: str,
        term: Period | None,
        by: User,
    ) -> tuple[list["Audit"], list[User]]:
        """One skills self-audit per person for the round `title`; returns (created, skipped).

        Someone who already has a self-audit in this round (open or submitted) is skipped, so
        sending the round again reaches only those it has not reached yet.
        """
        if template.subject != ChecklistTemplate.Subject.WORKFORCE:
            raise ValidationError("That checklist is not a skills self-audit.")
        title = title.strip()
        people = list({person.pk: person for person in people}.values())
        taken = set(
            self.filter(respondent__in=people, title=title).values_list("respondent_id", flat=True)
        )
        skipped = [person for person in people if person.pk in taken]
        created = bulk_create_with_history(
            [
                Audit(
                    template=template,
                    subject=template.subject,
                    respondent=person,
                    auditor=person,
                    title=title,
                    term=term,
                    assigned_by=by,
                )
                for person in people
                if person.pk not in taken
            ],
            Audit,
            default_user=by,
        )
        return created, skipped


def to_do_condition(user: User, term: Period | None) -> Q:
    """An audit of a plan given to `user` and not submitted, of this term, an earlier one (not
    finished then) or none: the person's work to do now. A later term's is not due yet."""
    due = Q()
    if term is not None:
        due = Q(term__isnull=True) | Q(term__start__lte=term.start)
    open_statuses = [Audit.Status.NOT_STARTED, Audit.Status.IN_PROGRESS]
    return Q(auditor=user, plan__isnull=False, status__in=open_statuses) & due


class Audit(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    class Purpose(models.TextChoices):
        AUDIT = "audit", "Audit"
        PEER_MODERATION = "peer_moderation", "Peer moderation"
        MODERATION = "moderation", "Multi-agency moderation"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        related_name="audits",
        null=True,
        blank=True,
        help_text="The plan audited; none for a Local Offer check or a skills self-audit.",
    )
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="audits")
    subject = models.CharField(
        max_length=20,
        choices=ChecklistTemplate.Subject.choices,
        default=ChecklistTemplate.Subject.EHCP,
        help_text="The checklist's subject, copied so the database can check what it is about.",
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_audits",
        help_text="For a skills self-audit: the person rating themself (its only reader).",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="A Local Offer check's title, or the round a skills self-audit was sent in.",
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.AUDIT)
    advice = models.ForeignKey(
        "audits.Advice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        help_text="For an audit of professional advice: the advice scored.",
    )
    sampled_plan = models.ForeignKey(
        "audits.SampledPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        help_text="For a moderation re-audit: the plan as sampled (moderators see its code only).",
    )
    term = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        related_name="audits",
        null=True,
        blank=True,
        limit_choices_to={"kind": Period.Kind.TERM},
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audits"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    overall_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    final_comments = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reopen_reason = models.TextField(blank=True)
    revision = models.PositiveIntegerField(
        default=0, help_text="Goes up with every save; a save based on an older one is refused."
    )
    # Results, stored at every save so lists and findings need no recomputation.
    points = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(max_length=60, blank=True)
    good_or_better = models.BooleanField(null=True, blank=True)
    section_scores = models.JSONField(
        default=dict, blank=True, help_text="Section code -> [points, maximum] at the last save."
    )
    # Past results brought in from the council's own records (audits/result_import.py): kept
    # as the council recorded them, read-only, never re-scored; counted like any submitted audit.
    imported_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was imported from past results; empty if scored here.",
    )
    audited_on = models.DateField(
        null=True, blank=True, help_text="The date audited as the past results give it, if they do."
    )
    recorded_auditor = models.CharField(
        max_length=200, blank=True, help_text="The auditor as the past results name them."
    )
    history = HistoricalRecords(excluded_fields=["revision"])

    objects = AuditQuerySet.as_manager()
    loaded_term_id: int | None = None  # see from_db
    loaded_status: str | None = None  # see from_db

    class Meta:
        ordering = ["-assigned_at"]
        indexes = [
            models.Index(fields=["status", "term"]),
            models.Index(fields=["auditor", "status"]),
            # The audit list's order: its first page is read from the index, not a sort.
            models.Index(fields=["-assigned_at", "id"], name="audit_list_order"),
        ]
        constraints = [
            # What an audit is about follows from its checklist's subject: a plan (EHCP and
            # advice); the Local Offer as a whole; one person rating themself.
            models.CheckConstraint(
                condition=(
                    Q(
                        subject__in=[
                            ChecklistTemplate.Subject.EHCP,
                            ChecklistTemplate.Subject.ADVICE,
                        ],
                        plan__isnull=False,
                        respondent__isnull=True,
                    )
                    | Q(
                        subject=ChecklistTemplate.Subject.LOCAL_OFFER,
                        plan__isnull=True,
                        respondent__isnull=True,
                    )
                    | Q(
                        subject=ChecklistTemplate.Subject.WORKFORCE,
                        plan__isnull=True,
                        respondent__isnull=False,
                        auditor=models.F("respondent"),
                    )
                ),
                name="audit_about_what_its_checklist_is",
            ),
            models.UniqueConstraint(
                fields=["respondent", "title"],
                condition=Q(respondent__isnull=False),
                name="one_self_audit_per_person_per_round",
            ),
        ]

    def __str__(self) -> str:
        if self.plan_id is None:
            return self.reference
        return f"Audit of {self.reference} ({self.template.name})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:  # the checklist's subject, which the constraint checks
            self.subject = self.template.subject
        super().save(*args, **kwargs)

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> "Audit":
        audit = super().from_db(db, field_names, values, **kwargs)
        # The term it was read with: a save that moves it changes that term's figures too.
        audit.loaded_term_id = audit.__dict__.get("term_id")
        # And its status: a save that submits or reopens it changes its plan's last audit.
        audit.loaded_status = audit.__dict__.get("status")
        return audit

    @property
    def is_anonymised(self) -> bool:
        return self.purpose == self.Purpose.MODERATION

    @property
    def is_local_offer_check(self) -> bool:
        return self.subject == ChecklistTemplate.Subject.LOCAL_OFFER

    @property
    def is_self_audit(self) -> bool:
        return self.subject == ChecklistTemplate.Subject.WORKFORCE

    @property
    def reference(self) -> str:
        """How the audited plan is named on screen: its sample code in moderation; a Local
        Offer check or a skills self-audit by its title (or its checklist's name)."""
        if self.is_anonymised and self.sampled_plan is not None:
            return self.sampled_plan.code
        if self.plan is None:
            return self.title or self.template.name
        return self.plan.case_reference

    @property
    def thing(self) -> str:
        """What the page calls this record: "audit", "check" or "self-audit"."""
        if self.is_local_offer_check:
            return "check"
        if self.is_self_audit:
            return "self-audit"
        return "audit"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_imported(self) -> bool:
        return self.imported_at is not None

    @property
    def status_tag(self) -> Tag:
        """The status in words and colour, the same on every page (`audits.statuses`)."""
        return audit_status(self.status, imported=self.is_imported)

    @property
    def grade_shown(self) -> str:
        """The grade for lists: "Not graded yet" until submitted (a running grade misleads)."""
        return grade_shown(self.grade, submitted=self.is_submitted)

    @property
    def read_only_reason(self) -> str:
        """Why the audit cannot be changed, in the users' words; "" while it can."""
        if self.is_imported:
            return AuditImported.message
        return AuditLocked.message if self.is_submitted else ""

    def _refuse_if_read_only(self) -> None:
        if self.is_imported:
            raise AuditImported()
        if self.is_submitted:
            raise AuditLocked()

    def sections_with_items(self) -> models.QuerySet[TemplateSection]:
        return self.template.sections.prefetch_related("items")

    def _checklist(self) -> list[TemplateSection]:
        """The checklist's sections and items, read once for this audit object: saving its
        answers, its overall rating and submitting it each score it, with the same checklist."""
        read = self.__dict__.get("_checklist_read")
        if read is None or read[0] != self.template_id:
            read = (self.template_id, list(self.sections_with_items()))
            self.__dict__["_checklist_read"] = read
        return read[1]

    def answers_by_item(self) -> dict[int, "Answer"]:
        return {answer.item_id: answer for answer in self.answers.all()}

    def result(
        self,
        sections: Iterable[TemplateSection] | None = None,
        answers: Mapping[int, "Answer"] | None = None,
    ) -> AuditResult:
        sections = list(sections if sections is not None else self._checklist())
        answers = answers if answers is not None else self.answers_by_item()
        return audit_result(self.template, sections, answers)

    def extra_answers(
        self, result: AuditResult, answers: Mapping[int, "Answer"]
    ) -> list[tuple[TemplateItem, list[tuple[str, str]]]]:
        """Each item with extra answers recorded (evidence, actions, a date), and those answers
        in words, in the checklist's order."""
        found = []
        for section in result.sections:
            for item in section.items:
                answer = answers.get(item.pk)
                if answer is not None and (shown := answer.extras_shown(item)):
                    found.append((item, shown))
        return found

    def edit_rows(self) -> list[models.QuerySet[Any]]:
        """The rows an audit's pages edit: the audit and its answers (send_qa/core/concurrency)."""
        return [Audit.objects.filter(pk=self.pk), Answer.objects.filter(audit_id=self.pk)]

    def edit_version(self) -> str:
        """The version a page of this audit is built from, for its hidden version field."""
        return rows_version(self.edit_rows())

    def _claim(self, version: str) -> None:
        """Refuse (EditConflict) when someone saved since the page at `version` was built;
        else take the next revision, so the audit's row changes even when only answers do."""
        version_check(self.edit_rows(), version, thing="audit")
        self.revision += 1

    @transaction.atomic
    def save_answers(
        self, *, values: Mapping[int, Mapping[str, Any]], version: str, by: User | None = None
    ) -> None:
        """Store answers (item id -> fields) for a draft, then the running results.

        A field "value" is the answer as the form writes it, stored by Answer.set_from; any
        other field (comment, extras, or a value field itself) is stored as given.
        """
        self._refuse_if_read_only()
        self._claim(version)
        sections = self._checklist()
        items = {item.pk: item for section in sections for item in section.items.all()}
        if unknown := set(values) - set(items):
            raise ValidationError(f"Items {sorted(unknown)} are not on this audit's checklist.")
        existing = {a.item_id: a for a in self.answers.filter(item_id__in=values)}
        to_create: list[Answer] = []
        to_update: list[Answer] = []
        now = timezone.now()
        for item_id, fields in values.items():
            answer = existing.get(item_id) or Answer(audit=self, item=items[item_id])
            for name, value in fields.items():
                if name == "value":
                    answer.set_from(items[item_id], value)
                else:
                    setattr(answer, name, value)
            answer.updated_at = now
            (to_update if answer.pk else to_create).append(answer)
        # Bulk writes skip model signals, so these helpers write the history rows too.
        bulk_create_with_history(to_create, Answer, default_user=by)
        bulk_update_with_history(
            to_update,
            Answer,
            [*Answer.VALUE_FIELD.values(), "not_applicable", "comment", "extras", "updated_at"],
            default_user=by,
        )
        if self.status == self.Status.NOT_STARTED:
            self.status, self.started_at = self.Status.IN_PROGRESS, timezone.now()
        self.store_result(sections)

    @transaction.atomic
    def save_overall(self, *, rating: int | None, comments: str, version: str) -> None:
        self._refuse_if_read_only()
        self._claim(version)
        self.overall_rating, self.final_comments = rating, comments
        if self.status == self.Status.NOT_STARTED:
            self.status, self.started_at = self.Status.IN_PROGRESS, timezone.now()
        self.store_result()

    def missing_answers(self, result: AuditResult | None = None) -> "MissingAnswers":
        """What must still be answered before submission, section by section."""
        result = result or self.result()
        return MissingAnswers(
            sections=[
                (section.section, list(section.subtotal.required_missing))
                for section in result.sections
                if section.subtotal.required_missing
            ],
            overall_rating=self.template.has_overall_rating and self.overall_rating is None,
        )

    @transaction.atomic
    def submit(self, *, version: str, by: User) -> None:
        self._refuse_if_read_only()
        result = self.result()
        missing = self.missing_answers(result)
        if missing:
            raise AuditIncomplete(missing)
        self._claim(version)  # so the answers scored above are the ones the page was built from
        self.status, self.submitted_at = self.Status.SUBMITTED, timezone.now()
        self.apply_result(result)
        self.save()

    @transaction.atomic
    def reopen(self, *, by: User, reason: str) -> None:
        if self.is_imported:
            raise AuditImported()
        if not self.is_submitted:
            raise ValidationError("Only a submitted audit can be reopened.")
        self.revision += 1
        self.status = self.Status.IN_PROGRESS
        self.reopened_at, self.reopened_by, self.reopen_reason = timezone.now(), by, reason
        self.save()

    def store_result(self, sections: Iterable[TemplateSection] | None = None) -> None:
        if self.is_imported:  # its results are the council's; it has no answers to score
            raise AuditImported()
        self.apply_result(self.result(sections))
        self.save()

    def apply_result(self, result: AuditResult) -> None:
        """Copy a scoring result onto the audit's stored totals (without saving)."""
        band = result.grade
        self.points = result.total.points if result.total.max_points else None
        self.max_points = result.total.max_points or None
        self.percent = result.total.percent
        self.grade = band["label"] if band else ""
        self.good_or_better = band["good_or_better"] if band else None
        self.section_scores = {
            s.section.code: [float(s.subtotal.points), float(s.subtotal.max_points)]
            for s in result.sections
            if s.subtotal.max_points
        }


class AuditLocked(Exception):
    message = "This audit has been submitted and can no longer be changed."


class AuditImported(AuditLocked):
    message = (
        "This audit was imported from the council's past results, so it cannot be changed here: "
        "its grade and scores are as the council recorded them. Import the corrected row again "
        "to change it."
    )


@dataclass(frozen=True)
class MissingAnswers:
    """The required questions not answered yet, by section in the checklist's order, and
    whether the rating of the plan as a whole is still to give."""

    sections: list[tuple[TemplateSection, list[TemplateItem]]]
    overall_rating: bool = False

    def __bool__(self) -> bool:
        return bool(self.sections) or self.overall_rating

    def __len__(self) -> int:
        return sum(len(items) for _, items in self.sections) + self.overall_rating

    @property
    def lines(self) -> list[str]:
        """Each in the user's words, as one line: "A: Is there a one page profile?"."""
        lines = [
            f"{section.code}: {item.text}" for section, items in self.sections for item in items
        ]
        return lines + (["Rate the plan as a whole"] if self.overall_rating else [])


class AuditIncomplete(ValidationError):
    def __init__(self, missing: MissingAnswers) -> None:
        super().__init__(missing.lines)
        self.missing = missing.lines
        self.by_section = missing


class AnswerQuerySet(models.QuerySet["Answer"]):
    """Answers in SQL, with the same "answered" and "not applicable" rules as Answer's methods."""

    def applicable(self) -> "AnswerQuerySet":
        """Leaves out the answers that say "not applicable"."""
        return self.filter(not_applicable=False)

    def answered(self) -> "AnswerQuerySet":
        """Answers that hold a value for their item's kind, or say "not applicable"
        (Answer.is_answered)."""
        return self.filter(Q(not_applicable=True) | _holds_value(*Answer.VALUE_FIELD))

    def with_value(self, kind: str | None = None) -> "AnswerQuerySet":
        """Applicable answers that hold a value for their item's kind (to items of `kind` when
        given): the answers findings count."""
        if kind is None:
            return self.applicable().filter(_holds_value(*Answer.VALUE_FIELD))
        # Plain conditions rather than the general OR, so the planner reads them as before.
        return self.applicable().filter(item__kind=kind).exclude(_empty(kind))


def _holds_value(*kinds: str) -> Q:
    """A value in the field that holds answers to items of each of `kinds`."""
    holds = Q(pk__in=[])
    for kind in kinds:
        holds |= Q(item__kind=kind) & ~_empty(kind)
    return holds


def _empty(kind: str) -> Q:
    """No value in the field that holds answers to items of `kind`."""
    if kind == TemplateItem.Kind.SCORE:
        return Q(score__isnull=True)
    if kind == TemplateItem.Kind.TEXT:
        return Q(text__regex=r"^\s*$")  # blank, as Answer.is_answered reads it
    return Q(**{Answer.VALUE_FIELD[kind]: ""})


class Answer(models.Model):
    """One answer to one item of an audit. The item's kind says which field holds the value;
    "not applicable" is `not_applicable` alone, whatever the kind."""

    NOT_APPLICABLE = "na"  # how forms, imports and exports write "not applicable"

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"

    # The field that holds the value of an answer to each kind of item (keyed by the kind as
    # stored, which is the text of a TemplateItem.Kind).
    VALUE_FIELD: dict[str, str] = {
        TemplateItem.Kind.SCORE: "score",
        TemplateItem.Kind.YES_NO: "yes_no",
        TemplateItem.Kind.CHOICE: "choice",
        TemplateItem.Kind.TEXT: "text",
    }

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="answers")
    score = models.SmallIntegerField(null=True, blank=True)
    yes_no = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    choice = models.CharField(max_length=50, blank=True)
    not_applicable = models.BooleanField(
        default=False, help_text="The auditor judged the item not applicable to this plan."
    )
    text = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    extras = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "item"], name="answer_unique_per_item"),
            # "Not applicable" is not_applicable, never a yes/no value.
            models.CheckConstraint(
                condition=Q(yes_no__in=["", "yes", "no"]), name="answer_yes_no_is_yes_or_no"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audit_id}/{self.item_id}"

    @classmethod
    def choices_for(cls, item: TemplateItem) -> list[tuple[str, str]]:
        """The answers an item offers, as (value, label), "not applicable" last where allowed;
        none for free text."""
        if item.kind == TemplateItem.Kind.SCORE:
            choices = [
                (str(v), f"{v} – {label}" if label else str(v)) for v, label in item.scale_points()
            ]
        elif item.kind == TemplateItem.Kind.YES_NO:
            choices = list(cls.YesNo.choices)
        elif item.kind == TemplateItem.Kind.CHOICE:
            choices = [(c["value"], c["label"]) for c in item.choices]
        else:
            return []
        if item.allow_na:
            choices.append((cls.NOT_APPLICABLE, "Not applicable"))
        return choices

    def value_for(self, item: TemplateItem) -> str | int | None:
        """The answer as forms and exports show it: NOT_APPLICABLE, or the value of the item's
        kind (None or "" when not answered)."""
        fields = ("not_applicable", self.VALUE_FIELD[item.kind])
        return self.value_in(item.kind, {name: getattr(self, name) for name in fields})

    @classmethod
    def value_in(cls, kind: str, row: Mapping[str, Any]) -> str | int | None:
        """value_for, read from a row of stored fields (`Answer.objects.values(...)` with
        not_applicable and the kind's field), for exports too big to make an Answer a row."""
        if row["not_applicable"]:
            return cls.NOT_APPLICABLE
        value: str | int | None = row[cls.VALUE_FIELD[kind]]
        return value

    def set_from(self, item: TemplateItem, raw: str | None) -> None:
        """Store a value written as forms and imports write it ("3", "yes", a choice, text, or
        NOT_APPLICABLE where the item allows it; "" for none), clearing the other kinds'."""
        self.score, self.yes_no, self.choice, self.text = None, "", "", ""
        self.not_applicable = item.allow_na and raw == self.NOT_APPLICABLE
        if self.not_applicable or raw in (None, ""):
            return
        value = int(raw) if item.kind == TemplateItem.Kind.SCORE else raw
        setattr(self, self.VALUE_FIELD[item.kind], value)

    def is_answered(self, item: TemplateItem) -> bool:
        """Answered: a value for the item's kind, or "not applicable"."""
        value = self.value_for(item)
        return bool(value.strip()) if isinstance(value, str) else value is not None

    def scale_value(self, item: TemplateItem) -> Decimal | None:
        """The answer as a number on the item's scale (yes 1, no 0, a choice's score), or None
        when it has none (not answered, not applicable, free text, a choice without a score)."""
        value = self.value_for(item)
        if self.not_applicable or value is None or value == "":
            return None
        if item.kind == TemplateItem.Kind.SCORE:
            return Decimal(value)
        if item.kind == TemplateItem.Kind.YES_NO:
            return Decimal(1 if value == self.YesNo.YES else 0)
        chosen: dict[str, Any] = next((c for c in item.choices if c["value"] == value), {})
        return None if chosen.get("score") is None else Decimal(str(chosen["score"]))

    def points_for(self, item: TemplateItem) -> tuple[Decimal, Decimal] | None:
        """(points, maximum), weighted, towards the audit's total; None when it counts for
        nothing (docs/templates.md, "Scoring")."""
        value = self.scale_value(item) if item.counts else None
        if value is None:
            return None
        return value * item.weight, item.max_points * item.weight

    def golden_points_for(self, item: TemplateItem) -> tuple[Decimal, Decimal] | None:
        """(met, asked) for a golden-thread check, whatever its weight in the total."""
        value = self.scale_value(item)
        return None if value is None else (value, item.max_points)

    @staticmethod
    def extra_cell(extra: Mapping[str, Any], value: object) -> str:
        """An extra answer as exports write it: as stored, several choices joined by "; "."""
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        return "" if value is None else str(value)

    @staticmethod
    def extra_text(extra: Mapping[str, Any], value: object) -> str:
        """An extra answer in words: a date as "1 December 2026", choices by their labels."""
        if extra.get("kind") == "date" and isinstance(value, str):
            try:
                return dateformat.format(datetime.date.fromisoformat(value), "j F Y")
            except ValueError:
                return value
        if isinstance(value, list):
            labels = {
                c if isinstance(c, str) else c["value"]: c if isinstance(c, str) else c["label"]
                for c in extra.get("choices", [])
            }
            return ", ".join(labels.get(v, str(v)) for v in value)
        return "" if value is None else str(value)

    def extras_shown(self, item: TemplateItem) -> list[tuple[str, str]]:
        """(label, words) of each extra answer recorded with the item, in the template's order:
        what the printed audit and the audit page show beside the answer."""
        return [
            (extra["label"], self.extra_text(extra, self.extras[extra["key"]]))
            for extra in item.extra_fields
            if self.extras.get(extra["key"]) not in (None, "", [])
        ]

    def display(self, item: TemplateItem) -> str:
        """The answer in words: '4 (Excellent)', 'Yes', 'Partial', 'Not applicable' or
        'Not answered'."""
        if not self.is_answered(item):
            return "Not answered"
        if self.not_applicable:
            return "Not applicable"
        if item.kind == TemplateItem.Kind.SCORE:
            label = item.scale_labels.get(str(self.score))
            return f"{self.score} ({label})" if label else str(self.score)
        if item.kind == TemplateItem.Kind.YES_NO:
            return self.get_yes_no_display()
        if item.kind == TemplateItem.Kind.CHOICE:
            return next(
                (c["label"] for c in item.choices if c["value"] == self.choice), "Not answered"
            )
        return self.text
