"""The history of an action: its details, due dates, evidence, and progress updates with their
RAG."""

import uuid

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.history import Source, history_page
from send_qa.core.roles import HISTORY_READERS
from wsoa.models import Action, DueDate, Evidence, ProgressUpdate


@role_required(*HISTORY_READERS)
@require_http_methods(["GET"])
def action_history(request: SignedInRequest, action_uuid: uuid.UUID) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("weakness__plan"), uuid=action_uuid)
    sources = [
        Source(Action.history.filter(id=action.pk), lambda r: "the action"),
        Source(
            ProgressUpdate.history.filter(action_id=action.pk),
            lambda r: f"the progress update of {r.date:%-d %B %Y}",
            hide=["action"],
        ),
        Source(
            DueDate.history.filter(action_id=action.pk),
            lambda r: f"the due date {r.due:%-d %B %Y}",
            hide=["action"],
        ),
        Source(
            Evidence.history.filter(action_id=action.pk),
            lambda r: f"evidence: {r.description}",
            hide=["action", "file", "uuid"],
        ),
    ]
    return history_page(
        request,
        record_name=f"{action} of {action.weakness.plan}",
        back_url=reverse("wsoa:action_detail", kwargs={"action_uuid": action.uuid}),
        back_text="the action",
        sources=sources,
    )
