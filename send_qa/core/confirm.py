"""The one "Are you sure?" page before an action that cannot be undone (the GOV.UK
confirmation pattern): what will happen and who will see it, a warning, a primary button that
posts to the same address, and a way back. The action itself stays POST-only behind CSRF."""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Confirmation:
    question: str  # "Are you sure you want to release version 2 to the board?"
    button: str  # says what happens: "Release version 2"
    cancel_url: str
    back_text: str  # "Back to the report"
    happens: list[str] = field(default_factory=list)  # what follows, who will see it
    warning: str = "You cannot undo this."
    caption: str = ""


def confirm_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    return render(request, "confirm.html", {"confirm": confirmation})
