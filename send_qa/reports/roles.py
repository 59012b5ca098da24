"""Who reads and writes the termly report, declared once (seed 000, Appendix B): SENDOPS
everything, drafts included; the board versions 2 and 3 once released; every signed-in person
version 3 once released (send_qa/reports/access.py). The menu, the view decorators, the access
rules and the dashboard's panel read these names."""

from send_qa.core.navigation import NavItem
from send_qa.core.roles import Role

REPORT_MANAGERS = frozenset({Role.SENDOPS})  # start, edit, compile, release; every version
BOARD_PAPER_READERS = REPORT_MANAGERS | frozenset({Role.BOARD})  # version 2; the commentary

NAV_ITEMS = (NavItem(100, "Reports", "reports:report_list", None),)  # version 3 is for everyone
