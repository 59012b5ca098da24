"""A synthetic large county for the benchmark suite (docs/performance.md).

At scale 1: 20,000 plans; 3,000 audits a year over five years with all their answers;
10,000 advice records; 150 indicators x 60 periods x 4 areas; 300 actions with 3,000 progress
updates; and the DfE's published figures for every authority in England (`bench.published`):
the `timeliness_20_week` table imported, with the own area and its ten statistical neighbours
set and the comparators worked out, and the `annual_reviews` file written for the benchmark to
import. The demo area (users, teams, checklists, a moderation history, a WSOA) is seeded
first; the volumes are then added in bulk, answers with PostgreSQL's COPY. Made with a fixed
seed, so two builds of the same scale hold the same records.
"""

import datetime
import random
import secrets
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from audits.demo import NEED_WEIGHTS, PLACEMENT_WEIGHTS, _answers
from audits.models import (
    Advice,
    AdviceService,
    AgeBand,
    Answer,
    Audit,
    ChecklistTemplate,
    ModerationSession,
    Plan,
)
from audits.register import keep_last_audited
from audits.scoring import audit_result
from bench import published
from benchmarks.area import own_area_save
from benchmarks.ees import dfe_file_import
from benchmarks.models import Authority, Neighbour, NeighbourSet
from kpis.cache import data_changed
from kpis.comparators import comparators_refresh
from kpis.models import Frequency, Indicator, Measurement, ObaCategory, Polarity, Source, Unit
from send_qa.core.bulk import copy_create_with_history
from send_qa.core.demo import seed_core
from send_qa.core.models import Period, Team, User, academic_year_start, ensure_academic_year
from send_qa.core.roles import Role
from send_qa.reports.models import Report
from wsoa.models import Action, ActionPlan, DueDate, ProgressUpdate, RagKey, Weakness

PLANS = 20_000
AUDITS_PER_YEAR = 3_000
YEARS = 5
ADVICE = 10_000
INDICATORS = 150
PERIODS = 60
AREAS = ["local", "england", "region", "statistical_neighbours"]
ACTIONS = 300
UPDATES_PER_ACTION = 10
AUDITORS = 20
AUTHORITIES = 153
BATCH = 2_000
# The indicator whose published comparators the benchmark opens: fed by annual_reviews.
COMPARED_INDICATOR = "AR_DECISION_4WK"


@dataclass
class County:
    """Who and what the benchmark's pages are opened as and for."""

    users: dict[str, User]
    audit_uuid: str = ""
    audit_section: str = ""
    indicator_code: str = ""
    action_plan_uuid: str = ""
    report_uuid: str = ""
    moderation_session_id: int = 0
    term_name: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    dfe_files: published.Files | None = None
    compared_indicator_code: str = COMPARED_INDICATOR


def _scaled(number: int, scale: float) -> int:
    return max(1, round(number * scale))


def build(*, scale: float = 1.0, seed: int = 2026, folder: Path | None = None) -> County:
    """The county; the DfE files are written into `folder` (a new temporary folder when
    None, left for the caller to remove)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    area = seed_core(password=secrets.token_urlsafe(16))
    for path in settings.DEMO_SEEDERS:
        if path != "kpis.demo.seed":  # the benchmark makes its own, larger, KPI history
            import_string(path)(area)
    today = timezone.localdate()
    this_year = academic_year_start(today)
    for year in range(this_year - YEARS, this_year + 1):
        ensure_academic_year(year)
    auditors = _auditors(area, _scaled(AUDITORS, scale))
    with transaction.atomic():
        _plans(rng, area, _scaled(PLANS, scale) - Plan.objects.count())
    terms = list(Period.objects.terms().filter(end__lt=today).order_by("-start")[: YEARS * 3])
    per_term = _scaled(AUDITS_PER_YEAR, scale) // 3 or 1
    for term in terms:
        with transaction.atomic():
            _audits(rng, term, auditors, area.users["sendops@demo.invalid"], per_term)
    with transaction.atomic():
        _advice(rng, _scaled(ADVICE, scale) - Advice.objects.count(), today)
        indicator = _indicators(rng, _scaled(INDICATORS, scale), today)
        plan = _action_plan(rng, area, _scaled(ACTIONS, scale), UPDATES_PER_ACTION, today)
        report = _report(terms[0])
        session = _moderation_session(area, today)
    files = _published_data(folder, scale, seed)
    _scorecard_rows_stored(today)
    in_progress = (
        Audit.objects.of_plans()
        .filter(auditor=area.users["auditor@demo.invalid"])
        .exclude(status=Audit.Status.SUBMITTED)
        .select_related("template")
        .first()
    )
    _access_events(rng, _scaled(ACCESS_EVENTS, scale), today)
    statistics_fresh()
    return County(
        users=area.users,
        audit_uuid=str(in_progress.uuid),
        audit_section=in_progress.template.sections.order_by("order").first().code,
        indicator_code=indicator.code,
        action_plan_uuid=str(plan.uuid),
        report_uuid=str(report.uuid),
        moderation_session_id=session.pk,
        term_name=terms[0].name,
        dfe_files=files,
        counts={
            "plans": Plan.objects.count(),
            "audits": Audit.objects.count(),
            "answers": Answer.objects.count(),
            "advice": Advice.objects.count(),
            "indicators": Indicator.objects.count(),
            "measurements": Measurement.objects.count(),
            "actions": Action.objects.count(),
            "progress updates": ProgressUpdate.objects.count(),
            "authorities in the DfE files": len(files.authorities),
            "rows of the annual_reviews file": files.rows["annual_reviews"],
            "rows of the timeliness_20_week file (imported)": files.rows["timeliness_20_week"],
        },
    )


def _published_data(folder: Path | None, scale: float, seed: int) -> published.Files:
    """Both DfE files for every authority; the timeliness table imported, the own area and
    its ten neighbours set, and the comparators worked out (the benchmark times importing
    annual_reviews itself)."""
    count = max(published.NEIGHBOURS + 1, _scaled(AUTHORITIES, scale))
    where = folder or Path(tempfile.mkdtemp(prefix="bench-dfe-"))
    files = published.write_files(where, count=count, seed=seed)
    dfe_file_import(files.timeliness)
    own = Authority.objects.get(code=files.own.code)
    others = sorted(
        (a for a in files.authorities if a.code != own.code),
        key=lambda a: (a.code[:3] != own.code[:3], a.code),
    )
    chosen = NeighbourSet.objects.create(
        name="DfE statistical neighbours",
        model="Children's Services Statistical Neighbour Benchmarking Tool",
        release="2025",
    )
    codes = dict(Authority.objects.values_list("code", "pk"))
    Neighbour.objects.bulk_create(
        Neighbour(
            neighbour_set=chosen,
            authority=own,
            neighbour_id=codes[place.code],
            rank=rank,
            proximity=published.proximity(rank),
        )
        for rank, place in enumerate(others[: published.NEIGHBOURS], start=1)
    )
    own_area_save(own)
    comparators_refresh()
    return files


def _auditors(area, count: int) -> list[User]:
    team = Team.objects.order_by("pk").first()
    auditors = [area.users["auditor@demo.invalid"]]
    for n in range(1, count):
        user, _ = User.objects.get_or_create(
            email=f"auditor{n:02d}@bench.invalid",
            defaults={"full_name": f"Bench Auditor {n}", "team": team},
        )
        user.set_roles([Role.AUDITOR])
        auditors.append(user)
    return auditors


def _plans(rng: random.Random, area, count: int) -> None:
    if count <= 0:
        return
    today = timezone.localdate()
    teams = list(Team.objects.filter(name__startswith="EHC Team"))
    caseworker = area.users["caseworker@demo.invalid"]
    settings_names = ["Oakfield Primary School", "Riverside Academy", "Beacon Special School"]
    plans = []
    for n in range(1, count + 1):
        issued = today - datetime.timedelta(days=rng.randint(60, 3000))
        plans.append(
            Plan(
                case_reference=f"BENCH-{n:06d}",
                age_band=rng.choice(AgeBand.values),
                primary_need=rng.choices(list(NEED_WEIGHTS), weights=list(NEED_WEIGHTS.values()))[
                    0
                ],
                placement_type=rng.choices(
                    list(PLACEMENT_WEIGHTS), weights=list(PLACEMENT_WEIGHTS.values())
                )[0],
                setting_name=rng.choice(settings_names),
                team=teams[n % len(teams)],
                caseworker=caseworker if n % 7 == 0 else None,
                assessment_requested=issued - datetime.timedelta(weeks=rng.randint(14, 30)),
                plan_issued=issued,
                last_annual_review=today - datetime.timedelta(days=rng.randint(30, 400)),
                next_review_due=today + datetime.timedelta(days=rng.randint(-60, 330)),
            )
        )
    Plan.objects.bulk_create(plans, batch_size=BATCH)


def _audits(rng, term: Period, auditors: list[User], sendops: User, count: int) -> None:
    """`count` submitted audits of distinct plans in `term`, scored by the real scoring rules."""
    template = ChecklistTemplate.objects.latest_published("EHCP QA checklist")
    sections = list(template.sections.prefetch_related("items").order_by("order"))
    items = [item for section in sections for item in section.items.all()]
    plan_ids = list(Plan.objects.values_list("pk", flat=True))
    moment = timezone.make_aware(datetime.datetime.combine(term.end, datetime.time(11)))
    quality = 0.4 + 0.3 * rng.random()
    audits, answer_sets = [], []
    for plan_id in rng.sample(plan_ids, min(count, len(plan_ids))):
        values = _answers(rng, items, min(0.95, max(0.05, rng.gauss(quality, 0.15))))
        answers = {item_id: Answer(item_id=item_id, **fields) for item_id, fields in values.items()}
        audit = Audit(
            plan_id=plan_id,
            template=template,
            term=term,
            auditor=rng.choice(auditors),
            assigned_by=sendops,
            assigned_at=moment,
            status=Audit.Status.SUBMITTED,
            started_at=moment,
            submitted_at=moment,
            overall_rating=rng.randint(1, 5),
        )
        audit.apply_result(audit_result(template, sections, answers))
        audits.append(audit)
        answer_sets.append(answers)
    Audit.objects.bulk_create(audits, batch_size=BATCH)
    for audit, answers in zip(audits, answer_sets, strict=True):
        for answer in answers.values():
            answer.audit_id = audit.pk
    # As the importer writes values: COPY, with each answer's "created" history entry.
    copy_create_with_history([a for answers in answer_sets for a in answers.values()])
    keep_last_audited()  # as the importer's bulk write does, through its signal


def _advice(rng, count: int, today: datetime.date) -> None:
    if count <= 0:
        return
    services = list(AdviceService.objects.all())
    plan_ids = list(Plan.objects.values_list("pk", flat=True))
    rows = []
    for _ in range(count):
        requested = today - datetime.timedelta(days=rng.randint(0, 365 * YEARS))
        due = requested + datetime.timedelta(weeks=6)
        late = rng.random() < 0.35
        received = due + datetime.timedelta(
            days=rng.randint(1, 40) if late else -rng.randint(0, 20)
        )
        rows.append(
            Advice(
                plan_id=rng.choice(plan_ids),
                service=rng.choice(services),
                requested=requested,
                due=due,
                received=received if received <= today and rng.random() < 0.95 else None,
            )
        )
    Advice.objects.bulk_create(rows, batch_size=BATCH)


def _periods(
    frequency: str, today: datetime.date
) -> list[tuple[datetime.date, datetime.date, str]]:
    """The last PERIODS completed periods of a frequency, oldest first."""
    periods = []
    if frequency == Frequency.QUARTERLY:
        start = datetime.date(today.year, ((today.month - 1) // 3) * 3 + 1, 1)
        while len(periods) < PERIODS:
            month = start.month - 3
            previous = datetime.date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
            periods.append((previous, start - datetime.timedelta(days=1), f"Q {previous:%b %Y}"))
            start = previous
    elif frequency == Frequency.TERMLY:
        year = academic_year_start(today)
        while len(periods) < PERIODS:
            for term in reversed(ensure_academic_year(year)[1:]):
                if term.end < today and len(periods) < PERIODS:
                    periods.append((term.start, term.end, term.name))
            year -= 1
    else:
        year = academic_year_start(today) - 1
        while len(periods) < PERIODS:
            periods.append(
                (datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31), f"{year}/{year + 1}")
            )
            year -= 1
    return list(reversed(periods))


def _indicators(rng, count: int, today: datetime.date) -> Indicator:
    """The catalogue plus synthetic indicators up to `count`, each with PERIODS values in
    each of the four areas. Returns the indicator the benchmark opens."""
    from kpis.catalogue import catalogue_load

    catalogue_load()
    have = Indicator.objects.count()
    Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"BENCH_{n:03d}",
                name=f"Synthetic indicator {n}",
                definition="A synthetic indicator for the benchmark suite.",
                unit=Unit.PERCENTAGE,
                polarity=Polarity.HIGHER if n % 2 else Polarity.LOWER,
                oba_category=ObaCategory.values[n % len(ObaCategory.values)],
                source=Source.values[0],
                frequency=Frequency.QUARTERLY,
            )
            for n in range(1, count - have + 1)
        ]
    )
    Measurement.objects.all().delete()
    rows = []
    for indicator in Indicator.objects.all():
        level = rng.uniform(30, 80)
        for start, end, label in _periods(indicator.frequency, today):
            level = min(100.0, max(0.0, level + rng.gauss(0, 3)))
            for area in AREAS:
                value = Decimal(str(round(level + rng.gauss(0, 5) * (area != "local"), 1)))
                rows.append(
                    Measurement(
                        indicator=indicator,
                        period_start=start,
                        period_end=end,
                        period_label=label,
                        area=area,
                        value=max(Decimal(0), min(Decimal(100), value)),
                    )
                )
    Measurement.objects.bulk_create(rows, batch_size=BATCH)
    data_changed()
    return Indicator.objects.get(code="AUDIT_GOOD")


def _action_plan(rng, area, actions: int, updates: int, today: datetime.date) -> ActionPlan:
    key = RagKey.seed_default()
    statuses = list(key.statuses.order_by("order"))
    sendops = area.users["sendops@demo.invalid"]
    owner = area.users["action-owner@demo.invalid"]
    plan = ActionPlan.objects.create(
        name="Benchmark Written Statement of Action", rag_key=key, created_by=sendops
    )
    weaknesses = Weakness.objects.bulk_create(
        [
            Weakness(plan=plan, number=n, text=f"Area of weakness {n}", aim=f"Aim {n}")
            for n in range(1, 11)
        ]
    )
    rows = []
    for n in range(actions):
        weakness = weaknesses[n % len(weaknesses)]
        initial = rng.choice(statuses)
        rows.append(
            Action(
                weakness=weakness,
                number=f"{weakness.number}.{n // len(weaknesses) + 1}",
                improvement_area="Improvement area",
                text=f"Action {n + 1}: do the work that closes the gap.",
                success_measures="What success looks like",
                lead=owner if n % 3 == 0 else sendops,
                governance_forum="SEND Development Board",
                timescale="March 2027",
                initial_status=initial,
                status=rng.choice(statuses),
                created_on=today - datetime.timedelta(days=400),
            )
        )
    created = Action.objects.bulk_create(rows, batch_size=BATCH)
    DueDate.objects.bulk_create(
        [
            DueDate(action=action, due=today + datetime.timedelta(days=rng.randint(-120, 240)))
            for action in created
        ],
        batch_size=BATCH,
    )
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                action=action,
                date=today - datetime.timedelta(days=30 * (updates - k)),
                author=action.lead,
                narrative=f"Update {k + 1}: progress as planned.",
                status=rng.choice(statuses),
            )
            for action in created
            for k in range(updates)
        ],
        batch_size=BATCH,
    )
    return plan


def _report(term: Period) -> Report:
    report, _ = Report.objects.get_or_create(
        term=term,
        defaults={"period_covered": term.name, "author": "SEND Quality Assurance Lead"},
    )
    for name in ("working_well", "worried_about", "voices", "recommendations"):
        setattr(report, name, "- Plans are more person-centred\n- Advice arrives sooner\n" * 5)
    report.save()
    return report


def _moderation_session(area, today: datetime.date) -> ModerationSession:
    """A session to draw a sample of the whole county's active plans."""
    session = ModerationSession.objects.create(
        date=today,
        term=Period.objects.terms().filter(start__lte=today).order_by("-start").first(),
        seed=20261124,
        sample_size=30,
        pool=ModerationSession.Pool.ALL,
        created_by=area.users["sendops@demo.invalid"],
    )
    return session


ACCESS_EVENTS = 1_000_000
# (kind, share of the log, the kinds of record it names)
ACCESS_MIX = [
    ("record_viewed", 55, ["audit", "plan"]),
    ("sign_in", 10, [""]),
    ("sign_out", 7, [""]),
    ("export", 8, ["audits", "scorecard", "findings", "plans"]),
    ("report_download", 3, ["report version"]),
    ("file_download", 2, ["evidence file"]),
    ("sign_in_failed", 3, [""]),
    ("access_refused", 2, ["page"]),
    ("admin_page_viewed", 10, ["users", "teams", "checklist templates"]),
]


def _access_events(rng: random.Random, count: int, today: datetime.date) -> None:
    """`count` access events over the last YEARS years, written with COPY: the county's people
    opening its audits and plans by their opaque ids, exporting, downloading and signing in,
    and failed sign-ins with the username as typed (some mistyped)."""
    from send_qa.core.models import AccessEvent

    people = list(User.objects.values_list("pk", "email"))
    records = [str(u) for u in Audit.objects.values_list("uuid", flat=True)[:50_000]]
    records += [str(u) for u in Plan.objects.values_list("uuid", flat=True)[:50_000]]
    kinds = [kind for kind, _, _ in ACCESS_MIX]
    weights = [share for _, share, _ in ACCESS_MIX]
    names = {kind: kinds_of_record for kind, _, kinds_of_record in ACCESS_MIX}
    end = timezone.make_aware(datetime.datetime.combine(today, datetime.time(17)))
    span = YEARS * 365 * 24 * 3600
    columns = "at, user_id, username, kind, record, reference, details, address"

    def rows():
        for kind in rng.choices(kinds, weights=weights, k=count):
            at = end - datetime.timedelta(seconds=rng.randrange(span))
            record = rng.choice(names[kind])
            user_id, email = rng.choice(people)
            typed = ""
            if kind == "sign_in_failed":
                user_id, typed = None, email if rng.random() < 0.7 else f"x{email}"
            reference = rng.choice(records) if record in ("audit", "plan", "report version") else ""
            yield (at, user_id, typed, kind, record, reference, "", f"10.0.{rng.randrange(4)}.7")

    with transaction.atomic(), connection.cursor() as cursor:
        table = AccessEvent._meta.db_table
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows():
                copy.write_row(row)


def _scorecard_rows_stored(today: datetime.date) -> int:
    """The scorecard rows stored as the task does after the county's imports (the bench runs
    no worker): the scorecard reads them, as a county's does between two changes."""
    stored: int = import_string("kpis.scorecard.scorecard_rows_store")(on=today)
    return stored


def statistics_fresh() -> None:
    """The planner's statistics of the project's tables counted, and outside a transaction the
    dead row versions the build's updates left (every audited plan's last audit, every audit's
    result) cleared, as autovacuum does on a county's database between busy days: an index-only
    scan then reads the visibility map, not the table. VACUUM cannot run in a transaction (the
    tests build the county in one). The project's tables only: a bare ANALYZE also takes the
    catalogs every database shares and, in a transaction, holds their lock until it ends, so
    another test worker's ANALYZE would wait for it (`tests.conftest.built_once`)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        tables = ", ".join(
            map(connection.ops.quote_name, connection.introspection.table_names(cursor))
        )
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f"{verb} {tables}")
