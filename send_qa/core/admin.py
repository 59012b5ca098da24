from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from send_qa.core.models import Organisation, Period, Team, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name", "organisation__name"]


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "start", "end"]
    list_filter = ["kind"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["email", "full_name", "is_active"]  # fits 1280 px beside the filters
    list_filter = ["is_active", "groups", "organisation", "team"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "job_title", "organisation", "team", "groups", "is_active"]
    # Roles and deactivation are changed on the portal's Users page, which refuses giving
    # oneself case-level access, logs each change and emails the person and the other admins.
    readonly_fields = ["groups", "is_active"]
