"""Before a board pack, the owner of every red or declining indicator is asked to explain it:
what is happening, what we are doing, when it will improve (seed 000)."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.urls import reverse

from kpis.models import ExceptionNote, Indicator, Measurement
from kpis.scorecard import Row, scorecard_rows
from send_qa.core.emails import email_send
from send_qa.core.models import User


def exceptions_missing_commentary(*, as_at: datetime.date) -> list[tuple[Row, Measurement]]:
    """Each red or declining row with the latest measurement its owner has not yet explained."""
    exceptions = [
        (row, row.latest)
        for row in scorecard_rows(
            Indicator.objects.active().select_related("owner"), as_at=as_at, suppress=False
        )
        if row.is_exception and row.latest is not None
    ]
    explained = set(
        ExceptionNote.objects.filter(
            measurement_id__in=[latest.pk for _, latest in exceptions]
        ).values_list("measurement_id", flat=True)
    )
    return [(row, latest) for row, latest in exceptions if latest.pk not in explained]


def commentary_requests_send(*, as_at: datetime.date) -> int:
    """Email each owner the exceptions they have not yet explained; returns emails sent."""
    by_owner: dict[User, list[tuple[Row, Measurement]]] = defaultdict(list)
    for row, latest in exceptions_missing_commentary(as_at=as_at):
        if row.indicator.owner and row.indicator.owner.is_active:
            by_owner[row.indicator.owner].append((row, latest))
    for owner, rows in by_owner.items():
        context = {
            "owner": owner,
            "rows": [
                (
                    row,
                    settings.SITE_URL
                    + reverse(
                        "kpis:exception_note",
                        kwargs={
                            "code": row.indicator.code,
                            "period_start": latest.period_start,
                            "period_end": latest.period_end,
                        },
                    ),
                )
                for row, latest in rows
            ],
            "service_name": settings.SERVICE_NAME,
        }
        email_send("exception_request", owner.email, context)
    return len(by_owner)
