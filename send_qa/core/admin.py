"""The admin site's models, for configuration only.

Admins have no case-level rights, and deleting a team, a term, a person or a role group lists
on its confirmation page every plan and audit it would touch, by case reference: nothing that
holds or leads to case-level records can be deleted here. Retire it instead (untick "active").
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from send_qa.core.models import Organisation, Period, Team, User

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # the stubs' lazy string


class RetireNotDelete(admin.ModelAdmin):
    """No delete page and no "Delete selected" action (Django offers the action only to those
    who may delete)."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(RetireNotDelete, SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(RetireNotDelete, SimpleHistoryAdmin):
    list_display = ["name", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name", "organisation__name"]


@admin.register(Period)
class PeriodAdmin(RetireNotDelete, SimpleHistoryAdmin):
    list_display = ["name", "kind", "start", "end"]
    list_filter = ["kind"]


class TeamFilter(admin.RelatedFieldListFilter):
    """The teams to filter by, each named with its organisation, in one query (Django's own
    filter reads each team's organisation separately)."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> "list[tuple[str, str | _StrPromise]]":
        teams = Team.objects.select_related("organisation").order_by("organisation__name", "name")
        return [(str(team.pk), str(team)) for team in teams]


@admin.register(User)
class UserAdmin(RetireNotDelete, SimpleHistoryAdmin):
    list_display = ["email", "full_name", "is_active"]  # fits 1280 px beside the filters
    list_filter = ["is_active", "groups", "organisation", ("team", TeamFilter)]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "job_title", "organisation", "team", "groups", "is_active"]
    # Roles and deactivation are changed on the portal's Users page, which refuses giving
    # oneself case-level access, logs each change and emails the person and the other admins.
    readonly_fields = ["groups", "is_active"]


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(RetireNotDelete, GroupAdmin):
    """Roles are groups: deleting one would take a role from everyone who holds it."""
