"""The home page is for everyone signed in; each panel on it reads the role set its app
declares for the records it shows (send_qa/dashboard/panels.py)."""

from send_qa.core.navigation import NavItem

NAV_ITEMS = (NavItem(10, "Home", "dashboard:home", None),)
