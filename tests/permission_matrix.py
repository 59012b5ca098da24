"""The shared permission matrix: every URL name x every role (and anonymous) -> status.

Every feature adds its rows here. ``test_permission_matrix.py`` checks each cell with
the Django test client and fails when a URL name has no row; the browser suite runs
axe-core on every page a role may open (a GET row with 200 for that role).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import ROLE_PEOPLE, People

ANONYMOUS = "anonymous"
ROLES = [*ROLE_PEOPLE.keys(), ANONYMOUS]
SIGN_IN = "sign-in"  # expected outcome: redirect to the sign-in page
HOME = "home"  # expected outcome: redirect to the dashboard


def no_kwargs(people: People) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    url_name: str
    expect: dict[str, int | str]
    method: str = "get"
    kwargs: Callable[[People], dict] = no_kwargs
    data: dict | Callable[[People], dict] = field(default_factory=dict)
    is_page: bool = True  # False for downloads (CSV, XLSX, PDF): no HTML for axe to check

    def status_for(self, role: str) -> int | str:
        return self.expect[role]


def everyone(status: int | str, anonymous: int | str = SIGN_IN) -> dict[str, int | str]:
    return {**dict.fromkeys(ROLE_PEOPLE, status), ANONYMOUS: anonymous}


def only(*allowed: str, ok: int | str = 200, others: int = 403) -> dict[str, int | str]:
    expect: dict[str, int | str] = {
        role: (ok if role in allowed else others) for role in ROLE_PEOPLE
    }
    expect[ANONYMOUS] = SIGN_IN
    return expect


def an_api_token(people: People) -> dict:
    from send_qa.api.tokens import token_make

    made = token_make(
        name="Power BI",
        scopes=["kpis"],
        expires_on=datetime.date.today() + datetime.timedelta(days=30),
        by=people.admin,
    )
    return {"token_uuid": made.token.uuid}


def an_email_not_sent(people: People) -> dict:
    from send_qa.core.models import OutgoingEmail

    email = OutgoingEmail.objects.create(
        kind="action_reminder",
        to="lead@example.org",
        subject="Your actions this week",
        status=OutgoingEmail.Status.FAILED,
        failure="GOV.UK Notify could not be reached.",
    )
    return {"email_uuid": email.uuid}


def an_import(people: People) -> dict:
    from benchmarks.models import Import

    record = Import.objects.create(
        kind=Import.Kind.DFE_TABLE, source="caseload", file_name="caseload.csv", sha256="0" * 64
    )
    return {"pk": record.pk}


def a_published_indicator(people: People) -> dict:
    """An indicator a DfE table feeds, with this area set: the demo's own where it is seeded
    (the page's query count is taken on the demo, `tests/test_page_queries_grow_not.py`)."""
    from benchmarks.models import Authority, Level, OwnArea
    from kpis.models import Indicator
    from tests.kpis.factories import IndicatorFactory

    indicator = Indicator.objects.filter(code="EHCP_20WK").first() or IndicatorFactory(
        code="EHCP_20WK"
    )
    if not OwnArea.objects.exists():
        authority, _ = Authority.objects.get_or_create(
            code="E10000032", defaults={"name": "West Sussex", "level": Level.LOCAL_AUTHORITY}
        )
        OwnArea.objects.create(authority=authority)
    return {"code": indicator.code}


def an_export_asked(people: People) -> dict:
    """What the "Prepare the file" page posts: the audit export of a term."""
    from send_qa.core.models import Period, ensure_academic_year

    ensure_academic_year(2025)
    return {"kind": "audits", "fmt": "csv", "term": str(Period.objects.terms().first().uuid)}


def an_export(people: People) -> dict:
    """An audit export the SENDOPS member asked for, prepared and ready to download."""
    from send_qa.core.exports import export_ask, export_kind, export_make

    asked = an_export_asked(people)
    export = export_ask(
        kind=export_kind("audits"),
        fmt="csv",
        filters={"term": asked["term"]},
        by=people.sendops,
        queue=lambda pk: None,
    )
    return {"export_uuid": export_make(export_id=export.pk).uuid}


def a_colleague(people: People) -> dict:
    return {"user_uuid": people.caseworker.uuid}


def an_audit(people: People, *, submitted: bool = False) -> dict:
    """An audit assigned to the auditor, of a plan in the caseworker's team."""
    from tests.audits.factories import AuditFactory, PlanFactory

    audit = AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))
    if submitted:
        audit.status = audit.Status.SUBMITTED
        audit.save()
    return {"audit_uuid": audit.uuid}


def a_plan(people: People) -> dict:
    """A plan of the caseworker's team that the auditor is auditing."""
    from tests.audits.factories import AuditFactory, PlanFactory

    plan = PlanFactory(team=people.caseworker.team)
    AuditFactory(auditor=people.auditor, plan=plan)
    return {"plan_uuid": plan.uuid}


def an_audit_section(people: People) -> dict:
    return {**an_audit(people), "code": "A"}


def a_submitted_audit(people: People) -> dict:
    return an_audit(people, submitted=True)


def a_local_offer_check(people: People) -> dict:
    """A Local Offer compliance check the SENDOPS member started."""
    from tests.audits.factories import local_offer_check

    return {"audit_uuid": local_offer_check(by=people.sendops).uuid}


def a_submitted_local_offer_check(people: People) -> dict:
    """A submitted check with requirements not fully met, each offering an action."""
    from audits.models import TemplateItem
    from tests.audits.factories import local_offer_check

    check = local_offer_check(by=people.sendops)
    items = TemplateItem.objects.filter(section__template=check.template)
    values = {item.pk: {"value": "partial", "extras": {"action": "Review"}} for item in items}
    check.save_answers(values=values, version=check.edit_version(), by=people.sendops)
    check.submit(version=check.edit_version(), by=people.sendops)
    return {"audit_uuid": check.uuid}


def a_local_offer_checklist(people: People) -> dict:
    from tests.audits.factories import local_offer_template

    local_offer_template()
    return {}


def a_skills_checklist(people: People) -> dict:
    from tests.audits.factories import skills_template

    skills_template()
    return {}


def a_round(people: People) -> dict:
    """Query data: a round of the skills self-audit sent to the caseworker."""
    from tests.audits.factories import self_audit

    return {"round": self_audit(people.caseworker, by=people.sendops).title}


def the_caseworkers_self_audit(people: People) -> dict:
    """The caseworker's own skills self-audit: theirs alone, SENDOPS and admins included."""
    from tests.audits.factories import self_audit

    return {"audit_uuid": self_audit(people.caseworker, by=people.sendops).uuid}


def its_respondent_only(ok: int = 200) -> dict[str, int | str]:
    """The caseworker's self-audit opens for them alone: 404 for every other role (nobody
    learns it exists), 403 for a person with no role."""
    return {**only("caseworker", ok=ok, others=404), "no_role": 403}


def a_self_audit_section(people: People) -> dict:
    return {**the_caseworkers_self_audit(people), "code": "REFORMS"}


def a_checklist(people: People) -> dict:
    from tests.audits.factories import small_template

    return {"template_uuid": small_template().uuid}


def a_draft_checklist(people: People) -> dict:
    from audits.template_io import template_new_version
    from tests.audits.factories import small_template

    return {"template_uuid": template_new_version(small_template()).uuid}


def a_session(people: People) -> dict:
    """A moderation session the auditor is a member of, with one sampled plan."""
    from tests.audits.factories import ModerationSessionFactory, sampled_plan

    session = ModerationSessionFactory(members=[people.auditor])
    sampled_plan(session)
    return {"session_uuid": session.uuid}


def a_sampled_plan(people: People) -> dict:
    from audits.models import ModerationSession

    kwargs = a_session(people)
    session = ModerationSession.objects.get(uuid=kwargs["session_uuid"])
    return {**kwargs, "code": session.samples.get().code}


def an_advice(people: People) -> dict:
    """Advice the auditor has been asked to score."""
    from audits.models import Audit
    from tests.audits.factories import AdviceFactory, small_template

    advice = AdviceFactory()
    Audit.objects.create(
        plan=advice.plan, advice=advice, template=small_template(), auditor=people.auditor
    )
    return {"advice_uuid": advice.uuid}


def a_service(people: People) -> dict:
    from tests.audits.factories import AdviceServiceFactory

    return {"service_uuid": AdviceServiceFactory().uuid}


def a_team_plan(people: People) -> dict:
    """POST data: a plan of the caseworker's team, with a checklist to moderate it with."""
    from tests.audits.factories import PlanFactory, small_template

    small_template()
    return {"plan": str(PlanFactory(team=people.caseworker.team).uuid)}


def an_indicator(people: People) -> dict:
    from tests.kpis.factories import MeasurementFactory

    return {"code": MeasurementFactory().indicator.code}


def an_indicator_to_enter(people: People) -> dict:
    """An indicator the action owner owns and was given the right to enter the values of."""
    from kpis.access import values_right_set
    from tests.kpis.factories import IndicatorFactory

    indicator = IndicatorFactory(owner=people.action_owner)
    values_right_set(indicator, granted=True)
    return {"code": indicator.code}


def an_exception(people: People) -> dict:
    """A measurement of an indicator the action owner owns."""
    from tests.kpis.factories import IndicatorFactory, MeasurementFactory

    measurement = MeasurementFactory(indicator=IndicatorFactory(owner=people.action_owner))
    return {
        "code": measurement.indicator.code,
        "period_start": measurement.period_start,
        "period_end": measurement.period_end,
    }


def a_scorecard(people: People) -> dict:
    from kpis.models import Scorecard

    return {"scorecard_uuid": Scorecard.objects.create(name="Scorecard for the matrix").uuid}


def a_plan_filter(people: People) -> dict:
    """The register's filters matching one plan, for "Assign the plans that match"."""
    from tests.audits.factories import PlanFactory

    return {"q": PlanFactory(case_reference="EHC-MATCHING-1").case_reference}


def a_plan_with_actions(people: People) -> dict:
    from tests.wsoa.factories import ActionFactory

    return {"plan_uuid": ActionFactory(led_by=people.action_owner).weakness.plan.uuid}


def a_weakness(people: People) -> dict:
    from tests.wsoa.factories import WeaknessFactory

    weakness = WeaknessFactory()
    return {"plan_uuid": weakness.plan.uuid, "number": weakness.number}


def an_action(people: People) -> dict:
    """An action the action owner leads."""
    from tests.wsoa.factories import ActionFactory

    return {"action_uuid": ActionFactory(led_by=people.action_owner).uuid}


def a_kpi_exception(people: People) -> dict:
    """The query of "Raise an action" from a red indicator's value."""
    from decimal import Decimal

    from kpis.follow_up import KIND, exception_ref
    from tests.kpis.factories import IndicatorFactory, MeasurementFactory

    start, end = datetime.date(2024, 9, 1), datetime.date(2024, 12, 31)
    indicator = IndicatorFactory()
    MeasurementFactory(indicator=indicator, period_start=start, period_end=end, value=Decimal(1))
    return {"kind": KIND, "ref": exception_ref(indicator.code, start, end)}


def an_evidence_file(people: People) -> dict:
    from django.core.files.base import ContentFile

    from wsoa.models import Action, Evidence

    kwargs = an_action(people)
    evidence = Evidence(
        action=Action.objects.get(uuid=kwargs["action_uuid"]),
        description="Minutes",
        original_name="minutes.txt",
        added_by=people.sendops,
    )
    evidence.file.save("minutes.txt", ContentFile(b"Board minutes"), save=True)
    return {**kwargs, "evidence_uuid": evidence.uuid}


def a_risk(people: People) -> dict:
    from tests.risks.factories import RiskFactory

    return {"risk_uuid": RiskFactory(owner=people.sendops).uuid}


def a_board_report(people: People) -> dict:
    """A report whose version 2 is released to the board (version 3 not yet)."""
    from tests.reports.factories import a_compiled_version, a_report

    report = a_report()
    a_compiled_version(report, number=2, released=True)
    return {"report_uuid": report.uuid}


def a_board_version(people: People) -> dict:
    from send_qa.reports.models import Report

    report = Report.objects.get(uuid=a_board_report(people)["report_uuid"])
    return {"version_uuid": report.versions.get().uuid}


def the_reports_narrative(people: People) -> dict:
    """The narrative of the one report (made by the row's kwargs), as its page would post it."""
    from send_qa.core.concurrency import rows_version
    from send_qa.reports.models import Report

    report = Report.objects.get()
    fields = {"author": "", "purpose": report.purpose, "period_covered": "", "board_date": ""}
    version = rows_version([Report.objects.filter(pk=report.pk)])
    return {**fields, "working_well": "Autosaved", "version": version}


def a_failed_version(people: People) -> dict:
    from send_qa.reports.models import Version
    from tests.reports.factories import a_report

    version = Version.objects.create(report=a_report(), number=1, status=Version.Status.FAILED)
    return {"version_uuid": version.uuid}


def an_unreleased_version(people: People) -> dict:
    from tests.reports.factories import a_compiled_version, a_report

    return {"version_uuid": a_compiled_version(a_report(), number=2).uuid}


def a_board_meeting(people: People) -> dict:
    """A Partnership Board meeting with a paper, a forward-plan item and a recommendation."""
    from governance.models import MeetingPaper
    from tests.governance.factories import DecisionFactory, ForwardPlanItemFactory

    decision = DecisionFactory(recorded_by=people.sendops)
    meeting = decision.meeting
    item = ForwardPlanItemFactory(meeting=meeting, title="Quarterly summary report")
    MeetingPaper.objects.create(
        meeting=meeting, kind="report_version", ref="gone", title="An old report", fulfils=item
    )
    return {"meeting_uuid": meeting.uuid}


def a_forward_plan_item(people: People) -> dict:
    from tests.governance.factories import ForwardPlanItemFactory

    return {"item_uuid": ForwardPlanItemFactory().uuid}


def bad_token(people: People) -> dict:
    return {"uidb64": "MQ", "token": "not-a-token"}


ROWS: list[Row] = [
    # Open to everyone, signed in or not.
    Row("login", everyone(HOME, anonymous=200)),
    Row("password_reset", everyone(200, anonymous=200)),
    Row("password_reset_done", everyone(200, anonymous=200)),
    Row("password_reset_confirm", everyone(200, anonymous=200), kwargs=bad_token),
    Row("password_reset_complete", everyone(200, anonymous=200)),
    Row("core:set_password", everyone(200, anonymous=200), kwargs=bad_token),
    Row("core:set_password_done", everyone(200, anonymous=200)),
    Row("healthz", everyone(200, anonymous=200)),
    Row("accessibility", everyone(200, anonymous=200)),
    Row("logout", everyone(302, anonymous=302), method="post"),
    # Signed-in people.
    Row("dashboard:home", everyone(200)),
    # Two-factor sign-in: anyone may set it up; admins and SENDOPS (signed in with a code
    # by client_for) are sent on, the others (no app yet) are sent to set it up.
    Row("core:two_factor_setup", everyone(200)),
    Row("core:session_stay_signed_in", everyone(200), method="post", is_page=False),
    Row("core:two_factor_verify", {**everyone(302), "admin": HOME, "sendops": HOME}),
    # Admins only.
    Row(
        "core:menu_group",
        only("sendops", others=404),
        kwargs=lambda people: {"slug": "audits-and-moderation"},
    ),
    Row("core:access_log", only("admin")),
    Row("core:emails_not_sent", only("admin", "sendops")),
    # Signing in with the organisation's account: not set up in the tests' settings.
    Row("core:sso_start", everyone(404, anonymous=404), is_page=False),
    Row("core:sso_callback", everyone(404, anonymous=404), is_page=False),
    Row("core:sso_refused", everyone(200, anonymous=200)),
    # The data feed: a named token only, never a session; its schema open to all.
    Row("api:schema", everyone(200, anonymous=200), is_page=False),
    *(
        Row(f"api:{table}", everyone(401, anonymous=401), is_page=False)
        for table in ("indicators", "values", "scorecard", "audit_findings", "action_plans")
    ),
    Row("api:token_list", only("admin")),
    Row("api:token_new", only("admin")),
    Row("api:token_revoke", only("admin"), kwargs=an_api_token),
    Row("api:token_revoke", only("admin", ok=302), method="post", kwargs=an_api_token),
    Row(
        "core:email_send_again",
        only("admin", "sendops", ok=302),
        method="post",
        kwargs=an_email_not_sent,
    ),
    Row("core:access_log_csv", only("admin"), is_page=False),
    Row(
        "core:export_new",
        only("sendops", ok=302, others=404),
        method="post",
        data=an_export_asked,
    ),
    Row("core:export", only("sendops", others=404), kwargs=an_export),
    Row("core:export_status", only("sendops", others=404), kwargs=an_export, is_page=False),
    Row("core:export_download", only("sendops", others=404), kwargs=an_export, is_page=False),
    Row("core:user_list", only("admin")),
    Row("core:user_invite", only("admin")),
    Row("core:user_detail", only("admin"), kwargs=a_colleague),
    Row("core:user_deactivate", only("admin"), kwargs=a_colleague),
    Row("core:user_reactivate", only("admin"), kwargs=a_colleague),
    Row("core:user_resend_invitation", only("admin", ok=302), method="post", kwargs=a_colleague),
    Row("core:user_reset_two_factor", only("admin"), kwargs=a_colleague),
    Row("core:user_lift_sign_in_lock", only("admin", ok=302), method="post", kwargs=a_colleague),
    Row("admin:index", only("admin")),
    # The Local Offer compliance check and the skills self-audit (seed 002, appendices A, B),
    # before the audit rows so that lookups by URL name find the audit of a plan.
    Row("audits:local_offer_list", only("sendops")),
    Row("audits:local_offer_start", only("sendops"), kwargs=a_local_offer_checklist),
    Row(
        "audits:audit_detail",
        {**only("sendops"), "auditor": 404, "caseworker": 404},
        kwargs=a_local_offer_check,
    ),
    Row(
        "audits:audit_detail",
        {**only("sendops"), "auditor": 404, "caseworker": 404},
        kwargs=a_submitted_local_offer_check,
    ),
    Row("audits:skills_list", only("sendops")),
    Row("audits:skills_send", only("sendops"), kwargs=a_skills_checklist),
    Row("audits:skills_summary", only("sendops")),
    Row("audits:skills_summary", only("sendops"), data=a_round),
    Row("audits:skills_summary_csv", only("sendops"), data=a_round, is_page=False),
    Row("audits:my_skills", {**everyone(200), "no_role": 403}),
    Row("audits:skills_detail", its_respondent_only(), kwargs=the_caseworkers_self_audit),
    Row("audits:skills_section", its_respondent_only(), kwargs=a_self_audit_section),
    Row("audits:skills_check", its_respondent_only(), kwargs=the_caseworkers_self_audit),
    Row(
        "audits:skills_submit",
        its_respondent_only(ok=302),
        method="post",
        kwargs=the_caseworkers_self_audit,
    ),
    Row(
        "audits:audit_detail",
        {**only("caseworker"), "sendops": 404, "auditor": 404},
        kwargs=the_caseworkers_self_audit,
    ),
    Row(
        "audits:audit_history",
        {**only(), "sendops": 404},
        kwargs=the_caseworkers_self_audit,
    ),
    # Plans register and audits.
    Row("audits:plan_list", only("sendops", "caseworker")),
    Row("audits:reviews_due", only("sendops", "caseworker")),
    Row("audits:plan_import", only("sendops")),
    Row("audits:plan_import_template_csv", only("sendops"), is_page=False),
    Row("audits:plan_import_template_xlsx", only("sendops"), is_page=False),
    Row("audits:assign", only("sendops", ok=302), method="post"),
    Row("audits:assign_matching", only("sendops"), data=a_plan_filter),
    Row("audits:plan_detail", only("sendops", "auditor", "caseworker"), kwargs=a_plan),
    Row("audits:plan_history", only("sendops"), kwargs=a_plan),
    Row("audits:audit_list", only("sendops", "auditor", "caseworker")),
    Row("audits:findings", only("sendops")),
    Row("audits:results_import", only("sendops")),
    Row("audits:results_import_template_csv", only("sendops"), is_page=False),
    Row("audits:results_import_template_xlsx", only("sendops"), is_page=False),
    Row("audits:qa_summary", only("sendops")),
    Row("audits:export_csv", only("sendops"), is_page=False),
    Row("audits:export_xlsx", only("sendops"), is_page=False),
    Row("audits:audit_detail", only("sendops", "auditor", "caseworker"), kwargs=an_audit),
    Row("audits:audit_history", only("sendops"), kwargs=an_audit),
    Row("audits:audit_print", only("sendops", "auditor", "caseworker"), kwargs=an_audit),
    Row("audits:audit_section", only("auditor"), kwargs=an_audit_section),
    Row("audits:audit_overall", only("auditor"), kwargs=an_audit),
    Row("audits:audit_check", only("auditor"), kwargs=an_audit),
    Row(
        "audits:audit_check",
        {**only("sendops"), "auditor": 404, "caseworker": 404},
        kwargs=a_local_offer_check,
    ),
    # Incomplete: back to the task list, which lists what is missing.
    Row("audits:audit_submit", only("auditor", ok=302), method="post", kwargs=an_audit),
    Row("audits:audit_reopen", only("sendops"), kwargs=a_submitted_audit),
    # Professional advice.
    Row("audits:advice_list", only("sendops")),
    Row("audits:advice_new", only("sendops")),
    Row("audits:advice_reminders", only("sendops")),
    Row("audits:advice_summary", only("sendops")),
    Row("audits:advice_services", only("sendops")),
    Row("audits:advice_service_new", only("sendops")),
    Row("audits:advice_service_edit", only("sendops"), kwargs=a_service),
    Row("audits:advice_detail", only("sendops", "auditor"), kwargs=an_advice),
    Row("audits:advice_history", only("sendops"), kwargs=an_advice),
    Row("audits:advice_edit", only("sendops"), kwargs=an_advice),
    Row("audits:advice_assign", only("sendops", ok=302), method="post", kwargs=an_advice),
    Row("audits:advice_feedback", only("sendops", "auditor"), kwargs=an_advice),
    # Peer moderation (level 1).
    Row("audits:peer_moderation", only("sendops", "caseworker")),
    Row("audits:peer_start", only("caseworker", ok=302), method="post", data=a_team_plan),
    # Moderation (level 2).
    Row("audits:moderation_list", only("sendops", "auditor")),
    Row("audits:moderation_new", only("sendops")),
    Row("audits:moderation_detail", only("sendops", "auditor"), kwargs=a_session),
    Row("audits:moderation_history", only("sendops"), kwargs=a_session),
    Row("audits:moderation_edit", only("sendops"), kwargs=a_session),
    Row("audits:moderation_draw", only("sendops"), kwargs=a_session),  # "Are you sure?"
    Row("audits:moderation_draw", only("sendops", ok=302), method="post", kwargs=a_session),
    Row("audits:moderation_assign", only("sendops", ok=302), method="post", kwargs=a_session),
    Row(
        "audits:moderation_sample_csv",
        only("sendops", "auditor"),
        kwargs=a_session,
        is_page=False,
    ),
    Row("audits:moderation_agreement", only("sendops", "auditor"), kwargs=a_session),
    Row("audits:moderation_outcome", only("sendops", "auditor"), kwargs=a_sampled_plan),
    Row("audits:moderation_key_issues", only("sendops"), kwargs=a_session),
    Row("audits:moderation_report", only("sendops", "auditor"), kwargs=a_session),
    # KPI scorecards.
    Row("benchmarks:index", only("sendops")),
    Row("benchmarks:dfe_import", only("sendops")),
    Row("benchmarks:import_detail", only("sendops"), kwargs=an_import),
    Row("benchmarks:import_status", only("sendops"), kwargs=an_import, is_page=False),
    Row("benchmarks:neighbours_import", only("sendops")),
    Row("benchmarks:comparator_group", only("sendops")),
    Row("benchmarks:own_area", only("admin", "sendops")),
    Row("kpis:scorecard", only("sendops", "board")),
    Row("kpis:export_csv", only("sendops", "board"), is_page=False),
    Row("kpis:export_xlsx", only("sendops", "board"), is_page=False),
    Row("kpis:import", only("sendops")),
    Row("kpis:import_template_csv", only("sendops"), is_page=False),
    Row("kpis:import_template_xlsx", only("sendops"), is_page=False),
    Row("kpis:recalculate", only("sendops", ok=302), method="post"),
    Row("kpis:recalculation", only("sendops")),
    Row("kpis:recalculation_status", only("sendops"), is_page=False),
    Row("kpis:ask_for_commentary", only("sendops", ok=302), method="post"),
    Row("kpis:scorecard_new", only("sendops")),
    Row("kpis:scorecard_edit", only("sendops"), kwargs=a_scorecard),
    Row("kpis:indicator_list", only("sendops", "board")),
    Row("kpis:indicator_detail", only("sendops", "board"), kwargs=an_indicator),
    Row("kpis:indicator_history", only("sendops"), kwargs=an_indicator),
    Row(
        "kpis:benchmark_export_csv",
        only("sendops", "board", others=403),
        kwargs=a_published_indicator,
        is_page=False,
    ),
    Row(
        "kpis:benchmark_export_xlsx",
        only("sendops", "board", others=403),
        kwargs=a_published_indicator,
        is_page=False,
    ),
    Row("kpis:measurement_edit", only("sendops", "action_owner"), kwargs=an_indicator_to_enter),
    Row("kpis:indicator_new", only("sendops")),
    Row("kpis:indicators_export", only("sendops"), is_page=False),
    Row("kpis:indicators_import", only("sendops")),
    Row("kpis:my_indicators", only("sendops", "action_owner")),
    Row("kpis:indicator_settings", only("sendops"), kwargs=an_indicator),
    Row("kpis:exception_note", only("sendops", "action_owner"), kwargs=an_exception),
    # Action plans (WSOA).
    Row("wsoa:plan_list", only("sendops", "board")),
    Row("wsoa:plan_new", only("sendops")),
    Row("wsoa:plan_detail", only("sendops", "board"), kwargs=a_plan_with_actions),
    Row("wsoa:plan_edit", only("sendops"), kwargs=a_plan_with_actions),
    Row("wsoa:plan_summary", only("sendops", "board"), kwargs=a_plan_with_actions),
    Row("wsoa:rag_key", only("sendops"), kwargs=a_plan_with_actions),
    Row("wsoa:snapshot_new", only("sendops", ok=302), method="post", kwargs=a_plan_with_actions),
    Row("wsoa:weakness_new", only("sendops"), kwargs=a_plan_with_actions),
    Row("wsoa:weakness_edit", only("sendops"), kwargs=a_weakness),
    Row("wsoa:action_new", only("sendops"), kwargs=a_weakness),
    Row("wsoa:actions_upload", only("sendops"), kwargs=a_plan_with_actions),
    Row(
        "wsoa:actions_import_template_csv",
        only("sendops"),
        kwargs=a_plan_with_actions,
        is_page=False,
    ),
    Row(
        "wsoa:actions_import_template_xlsx",
        only("sendops"),
        kwargs=a_plan_with_actions,
        is_page=False,
    ),
    Row("wsoa:export_csv", only("sendops", "board"), kwargs=a_plan_with_actions, is_page=False),
    Row("wsoa:export_xlsx", only("sendops", "board"), kwargs=a_plan_with_actions, is_page=False),
    Row("wsoa:my_actions", only("sendops", "action_owner")),
    Row("wsoa:action_detail", only("sendops", "board", "action_owner"), kwargs=an_action),
    Row("wsoa:action_raise", only("sendops"), data=a_kpi_exception),
    Row("wsoa:actions_raised", only("sendops", "board")),
    Row("wsoa:action_history", only("sendops"), kwargs=an_action),
    Row("wsoa:action_edit", only("sendops"), kwargs=an_action),
    Row("wsoa:action_update", only("sendops", "action_owner"), kwargs=an_action),
    Row("wsoa:evidence_add", only("sendops", "action_owner"), kwargs=an_action),
    Row(
        "wsoa:evidence_download",
        only("sendops", "board", "action_owner"),
        kwargs=an_evidence_file,
        is_page=False,
    ),
    # The risk register.
    Row("risks:risk_list", only("sendops", "board")),
    Row("risks:risk_matrix", only("sendops", "board")),
    Row("risks:risk_new", only("sendops")),
    Row("risks:risk_detail", only("sendops", "board"), kwargs=a_risk),
    Row("risks:risk_edit", only("sendops"), kwargs=a_risk),
    Row("risks:risk_history", only("sendops"), kwargs=a_risk),
    # The termly report.
    Row("reports:report_list", everyone(200)),
    Row("reports:report_new", only("sendops", ok=302), method="post", data={"term": ""}),
    Row("reports:report_detail", only("sendops", "board", others=404), kwargs=a_board_report),
    Row(
        "reports:report_status",
        only("sendops", "board", others=404),
        kwargs=a_board_report,
        is_page=False,
    ),
    Row("reports:report_history", only("sendops"), kwargs=a_board_report),
    Row("reports:report_edit", only("sendops"), kwargs=a_board_report),
    Row(
        "reports:report_autosave",
        only("sendops"),
        method="post",
        kwargs=a_board_report,
        data=the_reports_narrative,
        is_page=False,
    ),
    Row("reports:board_commentary", only("sendops", "board"), kwargs=a_board_report),
    Row(
        "reports:version_compile",
        only("sendops", ok=302),
        method="post",
        kwargs=a_board_report,
        data={"number": "1"},
    ),
    Row("reports:version_retry", only("sendops", ok=302), method="post", kwargs=a_failed_version),
    Row("reports:version_release", only("sendops"), kwargs=an_unreleased_version),
    Row(
        "reports:version_release",
        only("sendops", ok=302),
        method="post",
        kwargs=an_unreleased_version,
    ),
    Row(
        "reports:version_pdf",
        only("sendops", "board", others=404),
        kwargs=a_board_version,
        is_page=False,
    ),
    # Meetings and the forward plan.
    Row("governance:meeting_list", only("sendops", "board")),
    Row("governance:meeting_new", only("sendops")),
    Row("governance:meeting_detail", only("sendops", "board"), kwargs=a_board_meeting),
    Row("governance:meeting_edit", only("sendops"), kwargs=a_board_meeting),
    Row("governance:paper_add", only("sendops"), kwargs=a_board_meeting),
    Row("governance:decision_new", only("sendops", "board"), kwargs=a_board_meeting),
    Row("governance:forward_plan", only("sendops", "board")),
    Row("governance:forward_plan_draw", only("sendops", ok=302), method="post"),
    Row("governance:plan_item_new", only("sendops")),
    Row("governance:plan_item_edit", only("sendops"), kwargs=a_forward_plan_item),
    Row(
        "governance:plan_item_remove",
        only("sendops", ok=302),
        method="post",
        kwargs=a_forward_plan_item,
    ),
    # Checklist templates.
    Row("audits:template_list", only("admin", "sendops")),
    Row("audits:template_detail", only("admin", "sendops"), kwargs=a_checklist),
    Row("audits:template_export", only("admin", "sendops"), kwargs=a_checklist, is_page=False),
    Row("audits:template_upload", only("admin")),
    Row("audits:template_new_version", only("admin", ok=302), method="post", kwargs=a_checklist),
    Row("audits:template_publish", only("admin", ok=302), method="post", kwargs=a_draft_checklist),
    Row("admin:core_user_changelist", only("admin")),
]

# Django's admin site has many URL names of its own; they share one gate
# (AdminSite.has_permission), checked through the admin rows above.
FAMILIES_COVERED_BY_ROWS = ("admin:",)


def case_records(people: People) -> None:
    """Records every case-level list can show: a submitted audit of a plan of the caseworker's
    team with its review due, by the auditor; a peer moderation of another; advice the auditor
    scores and overdue advice; a moderation session."""
    from audits.peer_moderation import peer_moderation_start
    from tests.audits.factories import AdviceFactory, AuditFactory, PlanFactory

    plan = PlanFactory(
        team=people.caseworker.team,
        caseworker=people.caseworker,
        next_review_due=datetime.date.today() + datetime.timedelta(days=7),
    )
    audit = AuditFactory(auditor=people.auditor, plan=plan)
    audit.status = audit.Status.SUBMITTED
    audit.save()
    peer_moderation_start(plan=PlanFactory(team=people.caseworker.team), by=people.caseworker)
    an_advice(people)
    AdviceFactory(requested=datetime.date.today() - datetime.timedelta(weeks=10))
    a_session(people)
