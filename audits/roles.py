"""Who may do what with plans, audits, advice, moderation and checklists, declared once.

The menu links, the view decorators (`@role_required(*PLAN_READERS)`), `audits/access.py`, the
querysets' `visible_to(user)` and the dashboard's panels all read these names; a change of who
may see a kind of record is made here and nowhere else.
"""

from send_qa.core.navigation import NavItem
from send_qa.core.roles import Role

# Who the records are about, by what each role does.
AUDITORS = frozenset({Role.AUDITOR})  # score what they are given; moderate sessions they join
CASEWORKERS = frozenset({Role.CASEWORKER})  # see their own team's plans; peer-moderate them
AUDIT_ASSIGNEES = AUDITORS | CASEWORKERS  # may be given audits to score (peer moderation too)

# Plans register.
PLAN_MANAGERS = frozenset({Role.SENDOPS})  # every plan; import the register; assign audits
PLAN_REGISTER_READERS = PLAN_MANAGERS | CASEWORKERS  # browse the register, reviews due
PLAN_READERS = PLAN_MANAGERS | AUDIT_ASSIGNEES  # open a plan (their team's, or one they audit)

# Audits.
AUDIT_MANAGERS = frozenset({Role.SENDOPS})  # every audit; findings, QA summary and exports
AUDIT_READERS = AUDIT_MANAGERS | AUDIT_ASSIGNEES  # the audits given to them or their team's
AUDIT_REOPENERS = AUDIT_MANAGERS  # reopen a submitted audit for its auditor, with a reason

# Peer moderation (level 1).
PEER_MODERATORS = CASEWORKERS  # start a peer moderation of a plan of their own team
PEER_MODERATION_READERS = AUDIT_MANAGERS | PEER_MODERATORS  # the teams' schedules

# Professional advice.
ADVICE_MANAGERS = frozenset({Role.SENDOPS})  # record, edit and assign advice; services
ADVICE_READERS = ADVICE_MANAGERS | AUDITORS  # the advice they are asked to score

# Moderation sessions (level 2).
MODERATION_MANAGERS = frozenset({Role.SENDOPS})  # plan sessions, draw samples, key issues
MODERATION_READERS = MODERATION_MANAGERS | AUDITORS  # the sessions they are members of

# The Local Offer compliance check (seed 002, Appendix A): of the Local Offer as a whole.
LOCAL_OFFER_MANAGERS = frozenset({Role.SENDOPS})  # start, score and read the checks

# The workforce skills self-audit (seed 002, Appendix B).
SKILLS_AUDIT_MANAGERS = frozenset({Role.SENDOPS})  # send it to staff; the summary by team
SKILLS_RESPONDENTS = frozenset(Role)  # whoever it is sent to fills in their own, and only that

# Checklist templates.
CHECKLIST_MANAGERS = frozenset({Role.ADMIN})  # upload, draft and publish versions
CHECKLIST_READERS = CHECKLIST_MANAGERS | frozenset({Role.SENDOPS})

NAV_ITEMS = (
    NavItem(
        20,
        "Plans",
        "audits:plan_list",
        PLAN_REGISTER_READERS,
        "Audits and moderation",
        "The plans register: choose plans and assign audits for a term.",
    ),
    NavItem(
        30,
        "Audits",
        "audits:audit_list",
        AUDIT_READERS,
        "Audits and moderation",
        "Audits of plans, their scores and findings.",
    ),
    NavItem(
        40,
        "Peer moderation",
        "audits:peer_moderation",
        PEER_MODERATION_READERS,
        "Audits and moderation",
        "Caseworkers moderating plans of their own team.",
    ),
    NavItem(
        50,
        "Advice",
        "audits:advice_list",
        ADVICE_MANAGERS,
        "Audits and moderation",
        "Audits of professional advice by service.",
    ),
    NavItem(
        57,
        "Local Offer",
        "audits:local_offer_list",
        LOCAL_OFFER_MANAGERS,
        "Audits and moderation",
        "The Local Offer compliance check.",
    ),
    NavItem(
        60,
        "Moderation",
        "audits:moderation_list",
        MODERATION_READERS,
        "Audits and moderation",
        "Multi-agency moderation: samples, re-audits and agreed actions.",
    ),
    NavItem(
        67,
        "Skills audits",
        "audits:skills_list",
        SKILLS_AUDIT_MANAGERS,
        "Audits and moderation",
        "Staff skills self-audits and their results.",
    ),
    NavItem(
        110,
        "Checklists",
        "audits:template_list",
        CHECKLIST_READERS,
        "Audits and moderation",
        "The audit checklists and their versions.",
    ),
)
