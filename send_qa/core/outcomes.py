"""What a person is told after an action: a green "Success" banner only when something
happened; when nothing changed, a neutral note that says so (issue 20)."""

from django.contrib import messages
from django.http import HttpRequest


def tell_outcome(request: HttpRequest, *, changed: bool, done: str, nothing: str) -> None:
    """`done` when the action changed something, else `nothing` as a note, not a success."""
    if changed:
        messages.success(request, done)
    else:
        messages.info(request, nothing)
