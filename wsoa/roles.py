"""Who may do what with action plans, declared once. SENDOPS manage them; the board reads
everything; an action owner updates the actions they lead (the right to update one action is a
guardian permission given with the lead, wsoa/access.py). The menu, the view decorators,
wsoa/access.py, `Action.objects.visible_to` and the dashboard's panels read these names."""

from send_qa.core.navigation import NavItem
from send_qa.core.roles import Role

ACTION_PLAN_MANAGERS = frozenset({Role.SENDOPS})  # plans, weaknesses, actions, RAG keys
ACTION_PLAN_READERS = ACTION_PLAN_MANAGERS | frozenset({Role.BOARD})  # every plan and action
ACTION_LEADS = frozenset({Role.ACTION_OWNER})  # the actions they lead, and nothing else
ACTION_READERS = ACTION_PLAN_READERS | ACTION_LEADS  # open an action, download its evidence
ACTION_UPDATERS = ACTION_PLAN_MANAGERS | ACTION_LEADS  # record progress, add evidence

NAV_ITEMS = (
    NavItem(
        80,
        "Action plans",
        "wsoa:plan_list",
        ACTION_PLAN_READERS,
        "Actions and risks",
        "The Written Statement of Action and improvement plans, with RAG ratings.",
    ),
    NavItem(
        90,
        "My actions",
        "wsoa:my_actions",
        ACTION_LEADS,
        "Actions and risks",
        "Actions you lead and their progress updates.",
    ),
)
