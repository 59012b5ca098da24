"""The read-only data feed (issue 23): each endpoint serves one table an app builds for it
(`send_qa.core.feed.FeedTable`), as JSON records or CSV, a page at a time. Aggregates only,
small numbers withheld as for the board, no case references. Every read, and every refusal of
a known token, is written to the access log with the token's name."""

import datetime
import re
import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.text import slugify
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audits import queries as audit_queries
from kpis import feed as kpi_tables
from kpis import queries as kpi_queries
from send_qa.api.authentication import BearerToken, TokenScope
from send_qa.api.models import ApiToken, Scope
from send_qa.api.renderers import FeedCsvRenderer
from send_qa.api.tokens import token_used
from send_qa.core.access_log import Kind, access_record
from send_qa.core.feed import FeedTable
from send_qa.core.models import Period
from send_qa.core.tables import without_trailing_zeros
from send_qa.core.two_factor import two_factor_not_required
from wsoa import queries as wsoa_queries

DATE_WORDS = "a date as YYYY-MM-DD, like 2026-09-01"


def field_name(heading: str) -> str:
    """A column's heading as a field name: "Judged good or better (%)" is
    `judged_good_or_better_percent`, "Neighbours' median" `neighbours_median`."""
    return slugify(re.sub(r"\(%\)", " percent", heading.replace("'", ""))).replace("-", "_")


class FeedPages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 10_000

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data = {"about": self.about, "fields": self.fields, **response.data}
        return response


def _cell(value: object) -> object:
    """A number as the exports write it (no trailing zeros); anything else as it is."""
    if isinstance(value, (Decimal, float)) and not isinstance(value, bool):
        return without_trailing_zeros(value)
    return value


def _date(request: Request, name: str) -> datetime.date | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: f"Give {DATE_WORDS}, not {value!r}."}) from None


def _term(request: Request) -> Period | None:
    value = request.query_params.get("term", "").strip()
    if not value:
        return None
    terms = Period.objects.terms()
    try:
        found = terms.filter(uuid=uuid.UUID(value)).first()
    except ValueError:
        found = terms.filter(name__iexact=value).first()
    if found is None:
        raise ValidationError(
            {"term": f"No term is called {value!r}: give a name like Autumn 2026."}
        )
    return found


PERIOD_PARAMETERS = [
    OpenApiParameter(
        "period_from", datetime.date, description=f"Only from this day: {DATE_WORDS}."
    ),
    OpenApiParameter("period_to", datetime.date, description=f"Only up to this day: {DATE_WORDS}."),
]
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="The page, from 1."),
    OpenApiParameter(
        "page_size", int, description="Records a page: 100 unless given, at most 10,000."
    ),
    OpenApiParameter("format", str, enum=["json", "csv"], description="JSON (the default) or CSV."),
]


def _records_schema(name: str, header: list[str]) -> serializers.Serializer:
    """A page of the table as the schema describes it: what it is about, its field names,
    the count, the links to the pages either side and the records."""
    record = inline_serializer(
        name=name,
        fields={
            field_name(heading): serializers.JSONField(
                help_text=f"{heading}: a number, a date or text (“fewer than 5”, “withheld”)."
            )
            for heading in header
        },
    )
    return inline_serializer(
        name=f"{name}Page",
        fields={
            "about": serializers.CharField(help_text="What the table holds, as at when."),
            "fields": serializers.ListField(child=serializers.CharField()),
            "count": serializers.IntegerField(help_text="Records in every page together."),
            "next": serializers.URLField(allow_null=True, help_text="The next page, or null."),
            "previous": serializers.URLField(allow_null=True, help_text="The page before."),
            "results": record.__class__(many=True),
        },
    )


class FeedView(APIView):
    """One table of the feed. Subclasses say their scope, what the access log calls them,
    and how to build their table from the query."""

    authentication_classes = [BearerToken]
    permission_classes = [TokenScope]
    renderer_classes = [JSONRenderer, FeedCsvRenderer]
    pagination_class = FeedPages
    scope: ClassVar[str]
    record: ClassVar[str]

    def table(self, request: Request) -> FeedTable:
        raise NotImplementedError

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> None:
        if isinstance(request.auth, ApiToken):
            access_record(
                None,
                Kind.ACCESS_REFUSED,
                username=f"API token: {request.auth.name}",
                record=self.record,
                reference=str(request.auth.uuid),
                details="Its scopes do not include this table.",
            )
        super().permission_denied(request, message=message, code=code)

    def get(self, request: Request) -> Response:
        table = self.table(request)
        names = [field_name(heading) for heading in table.header]
        records = [dict(zip(names, map(_cell, row), strict=True)) for row in table.rows]
        pages = self.pagination_class()
        pages.about, pages.fields = table.about, names
        page = pages.paginate_queryset(records, request, view=self)
        token = request.auth
        assert isinstance(token, ApiToken)  # noqa: S101 - TokenScope let only a token in
        token_used(token)
        access_record(
            None,
            Kind.API_READ,
            username=f"API token: {token.name}",
            record=self.record,
            reference=str(token.uuid),
            details=request.META.get("QUERY_STRING", "")[:500],
        )
        return pages.get_paginated_response(page)

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return two_factor_not_required(login_not_required(super().as_view(**initkwargs)))


class IndicatorsView(FeedView):
    """The catalogue's active indicators: code, name, definition, unit and what is better."""

    scope, record = Scope.KPIS, "feed: indicators"

    @extend_schema(
        summary="The active indicators of the catalogue",
        parameters=PAGE_PARAMETERS,
        responses=_records_schema("Indicator", kpi_tables.INDICATOR_HEADER),
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def table(self, request: Request) -> FeedTable:
        return kpi_queries.indicators_for_feed()


class ValuesView(FeedView):
    """This area's values of each indicator, oldest first, with England, the region and the
    statistical neighbours of the same period where they are published."""

    scope, record = Scope.KPIS, "feed: values"

    @extend_schema(
        summary="This area's values, each with the published comparators of its period",
        parameters=[
            OpenApiParameter("indicator", str, description="One indicator's code, like EHCP_20WK."),
            *PERIOD_PARAMETERS,
            *PAGE_PARAMETERS,
        ],
        responses=_records_schema("Value", kpi_tables.VALUES_HEADER),
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def table(self, request: Request) -> FeedTable:
        return kpi_queries.values_for_feed(
            code=request.query_params.get("indicator", "").strip().upper(),
            period_from=_date(request, "period_from"),
            period_to=_date(request, "period_to"),
        )


class ScorecardView(FeedView):
    """The scorecard as the board sees it and its export gives it: each indicator's latest
    value, target, RAG, direction and comparators, as at the end of a term."""

    scope, record = Scope.KPIS, "feed: scorecard"

    @extend_schema(
        summary="The scorecard as the board sees it, as at the end of a term",
        parameters=[
            OpenApiParameter(
                "term",
                str,
                description="A term's name (Autumn 2026) or id; the last finished term if not given.",
            ),
            *PAGE_PARAMETERS,
        ],
        responses=_records_schema("ScorecardRow", kpi_tables.SCORECARD_HEADER),
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def table(self, request: Request) -> FeedTable:
        return kpi_queries.scorecard_for_feed(_term(request), on=timezone.localdate())


class AuditFindingsView(FeedView):
    """Each term's EHCP audits: submitted, graded, judged good or better and the average
    score; a term's figures withheld whole when fewer than 5 audits were graded."""

    scope, record = Scope.AUDITS, "feed: audit findings"

    @extend_schema(
        summary="EHCP audit findings by term (aggregates only)",
        parameters=[*PERIOD_PARAMETERS, *PAGE_PARAMETERS],
        responses=_records_schema("AuditFindings", audit_queries.AUDIT_FEED_HEADER),
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def table(self, request: Request) -> FeedTable:
        return audit_queries.findings_for_feed(
            period_from=_date(request, "period_from"), period_to=_date(request, "period_to")
        )


class ActionPlansView(FeedView):
    """Each action plan's actions by RAG status: at the start, at the last snapshot and now,
    with the plan's overdue actions."""

    scope, record = Scope.ACTIONS, "feed: action plans"

    @extend_schema(
        summary="Each action plan's actions by RAG status",
        parameters=[
            OpenApiParameter(
                "as_at", datetime.date, description=f"Overdue as at this day: {DATE_WORDS}."
            ),
            *PAGE_PARAMETERS,
        ],
        responses=_records_schema("ActionPlanStatus", wsoa_queries.ACTION_PLAN_FEED_HEADER),
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def table(self, request: Request) -> FeedTable:
        return wsoa_queries.summaries_for_feed(on=_date(request, "as_at") or timezone.localdate())


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema of the feed, open to all: it describes the tables, not their data.
    Shown in the browser, not offered as a download (a download of the portal's is a table of
    its records, and written to the access log)."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
        del response["Content-Disposition"]
        return response

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return two_factor_not_required(login_not_required(super().as_view(**initkwargs)))
