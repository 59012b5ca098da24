"""The board-facing scorecard, its exports, and a page per indicator. Small numbers are
suppressed on every page here and in every export (they leave SENDOPS)."""

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from benchmarks.queries import area_breakdowns, authority, feed_for, own_area
from kpis import follow_up as raising
from kpis.access import indicator_by_code, may_write_exception_note
from kpis.cache import cached
from kpis.charts import Series, trend_chart
from kpis.comparators import BENCHMARK_HEADER, PUBLISHED_NOTE, benchmark_rows
from kpis.feed import SCORECARD_HEADER, scorecard_table_rows
from kpis.models import (
    Area,
    Comparator,
    ExceptionNote,
    Indicator,
    Measurement,
    Recalculation,
    Scorecard,
    target_in_force,
)
from kpis.roles import KPI_MANAGERS, SCORECARD_READERS
from kpis.rules import DIRECTION_LABELS, RAG_LABELS, Benchmark, Shown, judged
from kpis.scorecard import (
    AsAt,
    breakdown_topics,
    comparisons_used,
    grouped,
    scorecard_as_at,
    scorecard_rows,
    standing_counts,
    values_not_yet_shown,
)
from send_qa.core.access import SignedInRequest, opaque_id, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.follow_up import follow_ups
from send_qa.core.models import Period
from send_qa.core.tables import table_download


def _as_at(request: SignedInRequest) -> AsAt:
    """The chosen term's end (today while it is in progress), else the end of the last
    finished term: `kpis.scorecard.scorecard_as_at`, as the home page and the report."""
    term = Period.objects.chosen_term(request.GET.get("term", ""))
    return scorecard_as_at(term, on=timezone.localdate())


def _chosen(request: SignedInRequest) -> Scorecard | None:
    asked = _asked_by_uuid(request, "scorecard")
    return Scorecard.objects.filter(uuid=asked).first() if asked else None


def _indicators(scorecard: Scorecard | None) -> list[Indicator]:
    """The saved scorecard's indicators in its order, or every active indicator."""
    if scorecard is not None:
        return [
            entry.indicator
            for entry in scorecard.entries.select_related("indicator", "indicator__owner")
        ]
    return list(Indicator.objects.active().select_related("owner"))


def _asked_by_uuid(request: SignedInRequest, name: str) -> str:
    """A query parameter naming a record by its opaque id, or "" for anything else."""
    return opaque_id(request.GET.get(name, ""))


def _asked_breakdown(request: SignedInRequest, topics: list[str]) -> str:
    """The breakdown asked for, when it is one the indicators shown are published by; else ""
    (no breakdown), so only a topic the data has reaches the queries and the cache key."""
    asked = request.GET.get("breakdown", "")
    return asked if asked in topics else ""


class _Asked:
    """What a scorecard request asks for, each read once, and only when the cache does not
    hold the page already."""

    def __init__(self, request: SignedInRequest) -> None:
        self.request = request

    @cached_property
    def as_at(self) -> AsAt:
        return _as_at(self.request)

    @cached_property
    def chosen(self) -> Scorecard | None:
        return _chosen(self.request)

    @cached_property
    def indicators(self) -> list[Indicator]:
        return _indicators(self.chosen)


@role_required(*SCORECARD_READERS)
@require_http_methods(["GET"])
def scorecard(request: SignedInRequest) -> HttpResponse:
    by = "priority" if request.GET.get("group") == "priority" else "oba"
    term, chosen = _asked_by_uuid(request, "term"), _asked_by_uuid(request, "scorecard")
    today = timezone.localdate()
    asked = _Asked(request)

    def topics() -> list[str]:
        return cached(
            ("scorecard-topics", today, term, chosen),
            lambda: breakdown_topics(asked.indicators, as_at=asked.as_at.day),
        )

    # Without a breakdown asked for, a warm page is one round trip to the cache.
    breakdown = _asked_breakdown(request, topics()) if request.GET.get("breakdown") else ""
    # The topic is the DfE's words (spaces, any case): in the key by its digest, exactly.
    topic_key = hashlib.sha256(breakdown.encode()).hexdigest()[:16] if breakdown else ""
    page = cached(
        ("scorecard-page", today, term, chosen, by, topic_key),
        lambda: _scorecard_page(request, asked, by=by, topics=topics(), breakdown=breakdown),
    )
    is_sendops = request.user.has_role(*KPI_MANAGERS)
    return render(
        request,
        "kpis/scorecard.html",
        {
            **page,
            "intro": page["intro_for_sendops" if is_sendops else "intro"],
            "is_sendops": is_sendops,
            "recalculating": is_sendops and Recalculation.objects.waiting().exists(),
        },
    )


def _scorecard_page(
    request: SignedInRequest, asked: _Asked, *, by: str, topics: list[str], breakdown: str
) -> dict[str, Any]:
    """Everything on the scorecard page that is the same for everyone of a role who may read
    it (no forms, nothing personal): what is cached until KPI data or the terms change. The
    date it is as at follows from today, the term asked for and the terms (all in the key or
    the data version), so the key names it."""
    as_at, chosen, indicators = asked.as_at, asked.chosen, asked.indicators
    term = as_at.term
    summary, tables, exception_list, has_exceptions = _scorecard_parts(
        indicators, as_at=as_at.day, by=by, breakdown=breakdown
    )
    today = timezone.localdate()
    terms = Period.objects.terms_for_choice(today).filter(start__lte=today)
    parameters = {
        "term": _asked_by_uuid(request, "term"),
        "scorecard": _asked_by_uuid(request, "scorecard"),
    }
    intro = {
        "as_at": as_at,
        "summary": summary,
        "not_yet_shown": values_not_yet_shown(indicators, as_at=as_at.day),
        "term_options": _options(
            [
                (
                    option.uuid,
                    f"{option.name} (in progress)" if option.contains(today) else option.name,
                )
                for option in terms
            ],
            term.uuid if term else None,
        ),
        "scorecard_options": _options(
            [(option.uuid, option.name) for option in Scorecard.objects.all()],
            chosen.uuid if chosen else None,
        ),
        "chosen": chosen,
        "by": by,
        "breakdown_options": _options([(t, t) for t in topics], breakdown),
        "has_breakdowns": bool(topics),
        "breakdown": breakdown,
        "query": urlencode(
            {
                **{k: v for k, v in parameters.items() if v},
                "group": by,
                **({"breakdown": breakdown} if breakdown else {}),
            }
        ),
    }
    return {
        "tables": tables,
        "exception_list": exception_list,
        "has_exceptions": has_exceptions,
        "chosen": {"name": chosen.name} if chosen else None,
        "intro": render_to_string("kpis/_scorecard_intro.html", {**intro, "is_sendops": False}),
        "intro_for_sendops": render_to_string(
            "kpis/_scorecard_intro.html", {**intro, "is_sendops": True}
        ),
    }


def _options(choices: list[tuple[object, str]], selected: object) -> SafeString:
    """The <option>s of a menu, the chosen one selected."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


def _scorecard_parts(
    indicators: list[Indicator], *, as_at: datetime.date, by: str, breakdown: str = ""
) -> tuple[str, str, str, bool]:
    """The scorecard's summary strip, its tables and its list of exceptions, as HTML that is
    the same for everyone who may read the scorecard (no forms, nothing personal): what is
    cached."""
    rows = scorecard_rows(indicators, as_at=as_at, suppress=True, breakdown=breakdown)
    notes = {
        note.measurement_id: note
        for note in _exception_notes([r.latest.pk for r in rows if r.is_exception and r.latest])
    }
    exceptions = [
        (row, notes.get(row.latest.pk) if row.latest else None) for row in rows if row.is_exception
    ]
    labels = {"rag_labels": RAG_LABELS, "direction_labels": DIRECTION_LABELS}
    groups = grouped(rows, by=by)
    summary = render_to_string(
        "kpis/_scorecard_summary.html", {"groups": groups, "standings": standing_counts(rows)}
    )
    tables = render_to_string(
        "kpis/_scorecard_tables.html",
        {
            "groups": groups,
            "comparisons": comparisons_used(rows),
            "breakdown": breakdown,
            **labels,
        },
    )
    exception_list = render_to_string(
        "kpis/_scorecard_exceptions.html", {"exceptions": exceptions, **labels}
    )
    return (
        mark_safe(summary),  # noqa: S308
        mark_safe(tables),  # noqa: S308
        mark_safe(exception_list),  # noqa: S308
        bool(exceptions),
    )


def _exception_notes(ids: Iterable[int]) -> QuerySet[ExceptionNote]:
    return ExceptionNote.objects.filter(measurement_id__in=ids)


@role_required(*SCORECARD_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "scorecard")
def scorecard_export(request: SignedInRequest, fmt: str) -> HttpResponse:
    shown = _as_at(request)
    as_at = shown.day
    chosen = _chosen(request)
    indicators = _indicators(chosen)
    breakdown = _asked_breakdown(request, breakdown_topics(indicators, as_at=as_at))
    rows = scorecard_table_rows(
        scorecard_rows(indicators, as_at=as_at, suppress=True, breakdown=breakdown),
        breakdown=breakdown,
    )
    name = f"scorecard-{slugify(chosen.name) if chosen else 'all'}-{as_at.isoformat()}"
    about = [chosen.name if chosen else "Scorecard: all indicators", shown.heading]
    if breakdown:
        about.append(f"Broken down by: {breakdown}")
    return table_download(
        SCORECARD_HEADER, rows, filename=name, fmt=fmt, sheet="Scorecard", about=about
    )


@role_required(*SCORECARD_READERS)
@require_http_methods(["GET"])
def indicator_list(request: SignedInRequest) -> HttpResponse:
    is_sendops = request.user.has_role(*KPI_MANAGERS)
    return render(
        request,
        "kpis/indicator_list.html",
        {
            "indicators": Indicator.objects.active().select_related("owner"),
            "retired": Indicator.objects.retired() if is_sendops else Indicator.objects.none(),
            "is_sendops": is_sendops,
        },
    )


def _published_rows(
    indicator: Indicator, periods: dict[tuple[datetime.date, datetime.date], dict[str, Any]]
) -> list[dict[str, Any]]:
    """This area's published figures (newest first) with their comparators, beside the value
    the portal holds for the same period: both shown, labelled."""
    rows = []
    for c in Comparator.objects.headline().filter(indicator=indicator).order_by("-period_start"):
        held = periods.get((c.period_start, c.period_end), {}).get("local")
        published = indicator.shown_figure(
            c.value,
            status=c.status,
            numerator=c.numerator,
            denominator=c.denominator,
            suppress=True,
        )
        rows.append(
            {
                "comparator": c,
                "published": published,
                # Rank and quartile only beside a figure that is shown (kpis.rules.judged).
                "rank": judged(Benchmark(c.rank, c.of, c.quartile), published)
                if c.rank and c.of
                else None,
                "held": indicator.shown(held, suppress=True) if held else None,
                "held_is_published": bool(held and held.source_note.startswith(PUBLISHED_NOTE)),
                "england": indicator.shown_figure(
                    c.england, status=c.england_status, suppress=True
                ),
                "region": indicator.shown_figure(c.region, status=c.region_status, suppress=True),
                "mean": indicator.shown_figure(c.neighbour_mean, suppress=True),
                "median": indicator.shown_figure(c.neighbour_median, suppress=True),
            }
        )
    return rows


def _breakdown_rows(indicator: Indicator) -> list[dict[str, Any]]:
    """This area's published figures split by the DfE file's own breakdowns, per period (newest
    first) and breakdown topic, each printed as any published figure is: the DfE's markers as
    theirs, and a count of children under the threshold withheld (`Indicator.shown_figure`)."""
    return [
        {
            "label": period.label,
            "topics": [
                (
                    topic,
                    [
                        (
                            figure.breakdown,
                            indicator.shown_figure(
                                figure.value.value,
                                status=figure.value.status,
                                numerator=figure.numerator.value,
                                denominator=figure.denominator.value,
                                suppress=True,
                            ),
                        )
                        for figure in figures
                    ],
                )
                for topic, figures in period.topics.items()
            ],
        }
        for period in area_breakdowns(indicator.code)
    ]


@role_required(*SCORECARD_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "benchmarks of an indicator", "code")
def benchmark_export(request: SignedInRequest, code: str, fmt: str) -> HttpResponse:
    """An indicator's comparators, one row per period: this area's, or (`?area=`) any
    authority's by its ONS code or DfE number."""
    indicator = indicator_by_code(code)
    asked = request.GET.get("area", "").strip()
    place = authority(asked) if asked else own_area()
    if place is None:
        raise Http404("No such authority")
    return table_download(
        BENCHMARK_HEADER,
        benchmark_rows(indicator, place),
        filename=f"benchmarks-{indicator.code.lower()}-{place.code}",
        fmt=fmt,
        sheet="Benchmarks",
        about=[f"Published comparators: {indicator.name}", f"Area: {place.name}"],
    )


@role_required(*SCORECARD_READERS)
@require_http_methods(["GET"])
def indicator_detail(request: SignedInRequest, code: str) -> HttpResponse:
    indicator = indicator_by_code(code)
    measurements = list(
        Measurement.objects.filter(indicator=indicator)
        .exclude(area__startswith="la:")
        .order_by("period_start", "period_end", "area")
    )
    periods: dict[tuple[datetime.date, datetime.date], dict[str, Any]] = {}
    for m in measurements:
        entry = periods.setdefault(
            (m.period_start, m.period_end), {"label": m.label, "areas": {}, "local": None}
        )
        entry["areas"][m.area] = m
        if m.area == Area.LOCAL:
            entry["local"] = m
    ordered = list(periods.values())
    targets = list(indicator.targets.all())

    def value(m: Measurement | None) -> Shown | None:
        return None if m is None else indicator.shown(m, suppress=True)

    rows: list[dict[str, Any]] = []
    for entry in ordered:
        measured = entry["local"] or next(iter(entry["areas"].values()))
        target = target_in_force(targets, on=measured.period_end)
        rows.append(
            {
                "label": entry["label"],
                "local": value(entry["local"]),
                "england": value(entry["areas"].get(Area.ENGLAND)),
                "region": value(entry["areas"].get(Area.REGION)),
                "neighbours": value(entry["areas"].get(Area.STATISTICAL_NEIGHBOURS)),
                "target": target,
                "commentary": entry["local"].commentary if entry["local"] else "",
                "measurement": entry["local"],
            }
        )
    series = [
        Series("This area", [r["local"].value if r["local"] else None for r in rows], "local"),
        Series(
            "England", [r["england"].value if r["england"] else None for r in rows], "benchmark"
        ),
        Series("Region", [r["region"].value if r["region"] else None for r in rows], "benchmark"),
        Series(
            "Statistical neighbours",
            [r["neighbours"].value if r["neighbours"] else None for r in rows],
            "benchmark",
        ),
        Series("Target", [r["target"].value if r["target"] else None for r in rows], "target"),
    ]
    series = [s for s in series if any(p is not None for p in s.points)]
    chart = (
        trend_chart([r["label"] for r in rows], series, title=indicator.name, unit=indicator.unit)
        if rows
        else ""
    )
    return render(
        request,
        "kpis/indicator_detail.html",
        {
            "indicator": indicator,
            "published": _published_rows(indicator, periods),
            "breakdowns": _breakdown_rows(indicator),
            "fed_by": feed_for(indicator.code),
            "rows": list(reversed(rows)),
            "chart": chart,
            "targets": targets,
            "is_sendops": request.user.has_role(*KPI_MANAGERS),
            "may_comment": may_write_exception_note(request.user, indicator),
            **_actions_raised(request, indicator, measurements),
        },
    )


def _actions_raised(
    request: SignedInRequest, indicator: Indicator, measurements: list[Measurement]
) -> dict[str, Any]:
    """The actions raised from any of this area's values of the indicator, and the reference
    of the latest when it is red or declining (so SENDOPS may raise one from it)."""
    local = [m for m in measurements if m.area == Area.LOCAL]
    refs = [raising.exception_ref(indicator.code, m.period_start, m.period_end) for m in local]
    raised = follow_ups(raising.KIND, refs, request.user)
    row = raising.latest_row(indicator)
    latest = row.latest if row is not None else None
    latest_ref = (
        raising.exception_ref(indicator.code, latest.period_start, latest.period_end)
        if latest is not None and row is not None and row.is_exception
        else ""
    )
    return {
        "raised": [item for ref in refs for item in raised.get(ref, [])],
        "exception_ref": latest_ref,
        "exception_kind": raising.KIND,
    }
