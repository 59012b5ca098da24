"""Who may read and change KPIs, declared once. Scorecards are aggregates: SENDOPS and the
board read them; SENDOPS keep the values, targets and scorecards; an indicator's owner writes
its commentary (kpis/access.py). The menu, the view decorators and the dashboard's panels read
these names."""

from send_qa.core.navigation import NavItem
from send_qa.core.roles import Role

KPI_MANAGERS = frozenset({Role.SENDOPS})  # values, imports, targets, scorecards, commentary
SCORECARD_READERS = KPI_MANAGERS | frozenset({Role.BOARD})  # scorecards, indicators, exports

NAV_ITEMS = (NavItem(70, "Scorecard", "kpis:scorecard", SCORECARD_READERS),)
