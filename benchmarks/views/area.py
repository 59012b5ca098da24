"""Who the portal's own area is and whom it is compared with: admins and SENDOPS say which
authority it is and which comparator set it reads; SENDOPS keep the partnership's own
comparator group, a new version each time it is saved."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from benchmarks.area import AreaProblem, own_area_save, own_group, own_group_save
from benchmarks.forms import ComparatorGroupForm, OwnAreaForm
from benchmarks.queries import comparison_set
from benchmarks.queries import own_area as current_area
from benchmarks.roles import AREA_SETTERS, BENCHMARK_MANAGERS
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.concurrency import EditConflict
from send_qa.core.forms import posted


@role_required(*AREA_SETTERS)
@require_http_methods(["GET", "POST"])
def own_area(request: SignedInRequest) -> HttpResponse:
    """Which local authority this is, by ONS code or from the known list, and its comparators."""
    form = OwnAreaForm(posted(request))
    if form.is_valid():
        try:
            with form.guard(url=request.path):
                saved = own_area_save(form.cleaned_data["area"], form.cleaned_data["neighbour_set"])
        except EditConflict:
            pass
        except AreaProblem as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"This area is now {saved.authority}.")
            return redirect("benchmarks:own_area")
    area = current_area()
    return render(
        request,
        "benchmarks/own_area.html",
        {
            "form": form,
            "area": area,
            "comparison": comparison_set(area) if area else None,
            "manages_data": request.user.has_role(*BENCHMARK_MANAGERS),
        },
        status=form.status_code,
    )


@role_required(*BENCHMARK_MANAGERS)
@require_http_methods(["GET", "POST"])
def comparator_group(request: SignedInRequest) -> HttpResponse:
    """The partnership's own comparator group, saved as a new version each time."""
    area = current_area()
    if area is None:
        return render(request, "benchmarks/comparator_group.html", {"area": None})
    form = ComparatorGroupForm(posted(request), area=area)
    if form.is_valid():
        try:
            with form.guard(url=request.path):
                group = own_group_save(
                    form.cleaned_data["name"], list(form.cleaned_data["members"]), by=request.user
                )
        except EditConflict:
            pass
        else:
            messages.success(
                request,
                f"Saved {group.name} as a new version. Reports already compiled keep the "
                "version they used.",
            )
            return redirect("benchmarks:comparator_group")
    return render(
        request,
        "benchmarks/comparator_group.html",
        {"area": area, "form": form, "group": own_group()},
        status=form.status_code,
    )
