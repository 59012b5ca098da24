"""The DfE's markers for a value that is not published as a number (the explore-education-
statistics conventions), kept beside the value and printed with their meaning, never as 0 or a
gap."""

from django.db import models


class Status(models.TextChoices):
    """Why a published value carries no number. FIGURE is an ordinary number."""

    FIGURE = "", "Figure"
    NOT_AVAILABLE = "x", "Not available"
    CONFIDENTIAL = "c", "Confidential"
    NOT_APPLICABLE = "z", "Not applicable"
    LOW = "low", "Rounds to 0 but is not 0"
    LOW_RELIABILITY = "u", "Low reliability"
    NOT_IN_FILE = "blank", "Not published"


MARKERS: dict[str, Status] = {
    "x": Status.NOT_AVAILABLE,
    "c": Status.CONFIDENTIAL,
    "z": Status.NOT_APPLICABLE,
    "low": Status.LOW,
    "u": Status.LOW_RELIABILITY,
    "": Status.NOT_IN_FILE,
}


def marker_text(status: str) -> str:
    """How a marker is printed: its meaning with the DfE's own symbol, "Not available (x)"."""
    label = Status(status).label
    if status in ("", Status.NOT_IN_FILE):
        return label
    return f"{label} ({status})"
