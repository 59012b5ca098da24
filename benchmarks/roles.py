"""Who may read and change published comparator data, declared once. The figures are
published statistics about whole authorities; SENDOPS import them, choose the comparator set and
say which authority the portal is; everyone who reads the scorecard reads the comparators on it
(kpis/roles.py)."""

from send_qa.core.navigation import NavItem
from send_qa.core.roles import Role

BENCHMARK_MANAGERS = frozenset({Role.SENDOPS})  # DfE files, neighbour lists, the own group
AREA_SETTERS = frozenset({Role.ADMIN, Role.SENDOPS})  # which authority the portal is

# SENDOPS reach "This area" from the comparator data page; admins, who do not see that page,
# from the menu.
NAV_ITEMS = (
    NavItem(
        75,
        "Comparator data",
        "benchmarks:index",
        BENCHMARK_MANAGERS,
        "Scorecard and data",
        "National and statistical neighbour figures from DfE files.",
    ),
    NavItem(
        115,
        "This area",
        "benchmarks:own_area",
        frozenset({Role.ADMIN}),
        "Administration",
        "Which local authority this portal is for.",
    ),
)
