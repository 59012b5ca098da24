"""Named queries other parts of the portal (dashboard, termly report) read KPIs through."""

import datetime
from collections import Counter

from kpis.models import Indicator
from kpis.rules import Rag
from kpis.scorecard import scorecard_rows


def rag_summary(*, as_at: datetime.date) -> dict:
    """How many active indicators are green, amber or red, and how many are exceptions."""
    rows = scorecard_rows(Indicator.objects.active(), as_at=as_at, suppress=True)
    counts = Counter(row.rag for row in rows)
    return {
        "measured": sum(1 for row in rows if row.latest is not None),
        "green": counts[Rag.GREEN],
        "amber": counts[Rag.AMBER],
        "red": counts[Rag.RED],
        "exceptions": sum(1 for row in rows if row.is_exception),
    }
