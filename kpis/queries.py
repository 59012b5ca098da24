"""Named queries other parts of the portal (dashboard, termly report) read KPIs through."""

import datetime
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING

from kpis.models import Indicator
from kpis.rules import Rag
from kpis.scorecard import scorecard_rows

if TYPE_CHECKING:
    from kpis.scorecard import Group, Row


def rag_summary(*, as_at: datetime.date) -> dict[str, int]:
    """How many active indicators are green, amber or red, and how many are exceptions."""
    rows = scorecard_rows(
        Indicator.objects.active(),
        as_at=as_at,
        suppress=True,
        points=2,
        charts=False,
        benchmarks=False,
    )
    counts = Counter(row.rag for row in rows)
    return {
        "measured": sum(1 for row in rows if row.latest is not None),
        "green": counts[Rag.GREEN],
        "amber": counts[Rag.AMBER],
        "red": counts[Rag.RED],
        "exceptions": sum(1 for row in rows if row.is_exception),
    }


def scorecard_for_report(*, as_at: datetime.date) -> "tuple[list[Group], list[Row]]":
    """The scorecard's rows as the board sees them (small numbers suppressed), grouped by OBA
    category, and the AUDIT_GOOD target in force."""
    from kpis.scorecard import grouped

    rows = scorecard_rows(
        Indicator.objects.active().select_related("owner"), as_at=as_at, suppress=True
    )
    return grouped(rows, by="oba"), rows


def target_value(code: str, *, on: datetime.date) -> Decimal | None:
    from kpis.models import Target

    target = (
        Target.objects.filter(indicator__code=code, period_start__lte=on, period_end__gte=on)
        .order_by("period_end")
        .first()
    )
    return target.value if target else None
