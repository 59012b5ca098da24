"""A risk as evidence an action is raised from (send_qa/core/follow_up.py): its mitigating
actions are wsoa's, which this app never imports."""

import uuid

from risks.models import Risk
from send_qa.core.follow_up import Evidence
from send_qa.core.models import User

KIND = "risk"
LABEL = "A risk on the risk register"


def describe(ref: str, user: User) -> Evidence | None:
    """The risk `ref` (its uuid) names, for a user who may see risks; None otherwise. It stays
    a concern until its score is down to its target, or it is closed."""
    try:
        risk_uuid = uuid.UUID(ref)
    except (TypeError, ValueError):
        return None
    risk = Risk.objects.visible_to(user).select_related("owner").filter(uuid=risk_uuid).first()
    if risk is None:
        return None
    now = str(risk.rating) if risk.is_open else f"{risk.rating}, closed"
    return Evidence(
        kind=KIND,
        ref=str(risk.uuid),
        title=f"Risk {risk.reference}: {risk.title}",
        words=(
            f"Mitigate risk {risk.reference}: {risk.title}. Cause: {risk.cause} "
            f"Consequence: {risk.consequence}"
        ),
        figure=f"{risk.rating}, target {risk.target_rating}",
        url=risk.get_absolute_url(),
        owner_suggestion=risk.owner,
        due_suggestion=risk.review_date,
        concern=risk.is_open and not risk.at_target,
        now=now,
    )
