"""Who may do what with the risk register, declared once. SENDOPS manage the risks; the board
reads them. The menu, the view decorators, `Risk.objects.visible_to` and the evidence an action
is raised from read these names."""

from send_qa.core.navigation import NavItem
from send_qa.core.roles import Role

RISK_MANAGERS = frozenset({Role.SENDOPS})  # add, change and close risks
RISK_READERS = RISK_MANAGERS | frozenset({Role.BOARD})  # the register, a risk and the matrix

NAV_ITEMS = (
    NavItem(
        85,
        "Risk register",
        "risks:risk_list",
        RISK_READERS,
        "Actions and risks",
        "Risks to the SEND improvement work, scored and owned.",
    ),
)
