"""Who may read and change KPIs, declared once. Scorecards are aggregates: SENDOPS and the
board read them; SENDOPS keep the indicators, values, targets and scorecards; an indicator's
owner writes its commentary, and a partner who owns an indicator (an NHS or social-care member
with the action owner's role) enters its values once SENDOPS give them the right
(kpis/access.py). The menu, the view decorators and the dashboard's panels read these names."""

from send_qa.core.navigation import NavItem
from send_qa.core.roles import Role

KPI_MANAGERS = frozenset({Role.SENDOPS})  # indicators, values, imports, targets, scorecards
SCORECARD_READERS = KPI_MANAGERS | frozenset({Role.BOARD})  # scorecards, indicators, exports
PARTNER_VALUE_ENTERERS = frozenset({Role.ACTION_OWNER})  # values of the indicators they own
VALUE_ENTERERS = KPI_MANAGERS | PARTNER_VALUE_ENTERERS  # the values page, "My indicators"

NAV_ITEMS = (
    NavItem(
        70,
        "Scorecard",
        "kpis:scorecard",
        SCORECARD_READERS,
        "Scorecard and data",
        "The KPI scorecard for a term, against targets and comparators.",
    ),
    NavItem(
        95,
        "My indicators",
        "kpis:my_indicators",
        PARTNER_VALUE_ENTERERS,
        "Scorecard and data",
        "Indicators you enter values for.",
    ),
)
