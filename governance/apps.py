from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """The board cycle (seed 000, section 6; seed 002's reporting cycle): meetings, the forward
    plan of papers to them, each meeting's papers, decisions and recommendations. Stands on
    core; papers and the actions decisions raise are met through small generic references."""

    name = "governance"
    verbose_name = "Meetings and forward plan"
