"""Who may do what with meetings, declared once (issue 19, item 3). SENDOPS manage meetings,
their papers and the forward plan, and record decisions and recommendations on any meeting;
board members read meetings, papers and the forward plan, and record the decisions of the
SEND Partnership Board. The menu, the view decorators, the models' rules and the dashboard's
panel read these names."""

from send_qa.core.navigation import NavItem
from send_qa.core.roles import Role

MEETING_MANAGERS = frozenset({Role.SENDOPS})  # meetings, papers, the forward plan
MEETING_READERS = MEETING_MANAGERS | frozenset({Role.BOARD})  # meetings, papers, forward plan
BOARD_DECISION_RECORDERS = frozenset({Role.BOARD})  # decisions of the Partnership Board

NAV_ITEMS = (NavItem(98, "Meetings", "governance:meeting_list", MEETING_READERS),)
