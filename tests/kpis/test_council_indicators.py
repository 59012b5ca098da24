"""The council's own indicators: added, changed and retired by SENDOPS in the browser, with a
baseline and milestones; out and in as JSON; left alone by the catalogue; and their values
entered by a partner who owns one and was given the right."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kpis.access import (
    indicators_entered_by,
    may_enter_values,
    owner_may_enter_values,
    values_right_set,
)
from kpis.catalogue import catalogue_load
from kpis.indicator_io import (
    IndicatorFileError,
    councils_indicators_export,
    councils_indicators_import,
)
from kpis.models import Indicator, Measurement, Origin, Target, TargetKind
from kpis.validity import measurement_problems, value_problem
from tests.conflicts import assert_refused, page_version
from tests.factories import UserFactory
from tests.kpis.factories import IndicatorFactory, MeasurementFactory, TargetFactory

pytestmark = pytest.mark.django_db

AUTUMN = {"period_start": "2026-09-01", "period_end": "2026-12-31", "period_label": "Autumn"}


def ours(**fields) -> Indicator:
    return IndicatorFactory(origin=Origin.COUNCIL, **fields)


def an_entry(**changes) -> dict:
    entry = {
        "code": "LOCAL_VOICE",
        "name": "Families who feel listened to",
        "definition": "Of families answering the termly survey, the % who agree.",
        "unit": "percentage",
        "polarity": "higher",
        "oba_category": "better_off",
        "priority": "Co-production",
        "source": "survey",
        "frequency": "termly",
        "owner_title": "Parent carer forum lead",
        "describes": "children",
        "tolerance": 5,
        "is_active": True,
        "baseline": {"value": 42.5, "date": "2025-08-31"},
        "targets": [
            {
                "period_start": "2026-09-01",
                "period_end": "2027-08-31",
                "label": "2026/27",
                "kind": "final",
                "value": 60,
            },
            {
                "period_start": "2026-09-01",
                "period_end": "2026-12-31",
                "label": "Autumn 2026",
                "kind": "milestone",
                "value": 48,
            },
        ],
    }
    return entry | changes


def a_file(*entries: dict) -> dict:
    return {"format": "send-qa council indicators", "version": 1, "indicators": list(entries)}


# --- units ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["weeks", "pounds", "count", "days", "rate_10k"])
def test_no_unit_but_percentage_takes_a_value_below_zero(unit):
    assert value_problem(unit, Decimal("-0.5")) == "Enter a value of 0 or more"
    assert value_problem(unit, Decimal("150")) is None


def test_weeks_and_money_values_follow_the_one_value_rule():
    problems = measurement_problems(
        unit="pounds",
        computed=False,
        code="HIGH_NEEDS_SPEND",
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2027, 3, 31),
        area="local",
        value=Decimal("-1"),
    )
    assert [(p.field, p.message) for p in problems] == [("value", "Enter a value of 0 or more")]


def test_a_money_indicator_prints_its_values_baseline_and_targets_in_pounds():
    indicator = ours(
        unit="pounds", baseline_value=Decimal("1234.5"), baseline_date=datetime.date(2025, 3, 31)
    )
    target = TargetFactory(indicator=indicator, value=Decimal("1200"))
    assert indicator.baseline_text == "£1,234.50 (31 Mar 2025)"
    assert target.value_text == "£1,200"
    measurement = MeasurementFactory(indicator=indicator, value=Decimal("999.99"))
    assert indicator.shown(measurement, suppress=True).text == "£999.99"


# --- the baseline --------------------------------------------------------------------------------


def test_a_baseline_needs_its_value_and_its_date_and_follows_the_unit():
    day = datetime.date(2025, 8, 31)
    assert Indicator(unit="weeks").baseline_problems() == {}
    assert Indicator(unit="weeks", baseline_value=Decimal(3)).baseline_problems() == {
        "baseline_date": "Enter the date of the baseline, or remove its value"
    }
    assert Indicator(unit="weeks", baseline_date=day).baseline_problems() == {
        "baseline_value": "Enter the baseline value, or remove its date"
    }
    assert Indicator(
        unit="percentage", baseline_value=Decimal(101), baseline_date=day
    ).baseline_problems() == {
        "baseline_value": "Enter a percentage between 0 and 100, for example 72.5"
    }


# --- JSON out and in -----------------------------------------------------------------------------


def test_the_export_holds_only_the_councils_own_indicators_and_imports_back_the_same():
    IndicatorFactory(code="EHCP_20WK")  # the catalogue's
    done = councils_indicators_import(a_file(an_entry()))
    assert (done.added, done.updated, done.unchanged) == (1, 0, 0)
    exported = councils_indicators_export()
    assert [i["code"] for i in exported["indicators"]] == ["LOCAL_VOICE"]
    assert exported["indicators"][0] == an_entry() | {
        "targets": sorted(an_entry()["targets"], key=lambda t: t["period_end"])
    }
    indicator = Indicator.objects.get(code="LOCAL_VOICE")
    assert indicator.origin == Origin.COUNCIL
    assert indicator.baseline_value == Decimal("42.5")
    assert indicator.targets.get(kind=TargetKind.MILESTONE).value == Decimal(48)
    # Into a portal that does not have it yet: the same indicator comes out again.
    indicator.targets.all().delete()
    indicator.delete()
    councils_indicators_import(json.loads(json.dumps(exported)))
    assert councils_indicators_export() == exported


def test_importing_the_same_file_twice_changes_nothing():
    data = a_file(an_entry(), an_entry(code="LOCAL_SPEND", unit="pounds", baseline=None))
    councils_indicators_import(data)
    history = (Indicator.history.count(), Target.history.count())
    done = councils_indicators_import(data)
    assert (done.added, done.updated, done.unchanged) == (0, 0, 2)
    assert (Indicator.history.count(), Target.history.count()) == history


def test_an_import_updates_an_indicator_by_code_and_keeps_targets_not_in_the_file():
    councils_indicators_import(a_file(an_entry()))
    TargetFactory(
        indicator=Indicator.objects.get(code="LOCAL_VOICE"),
        period_start=datetime.date(2027, 9, 1),
        period_end=datetime.date(2028, 8, 31),
    )
    changed = an_entry(name="Families who say they are heard", targets=[])
    done = councils_indicators_import(a_file(changed))
    assert (done.added, done.updated, done.unchanged) == (0, 1, 0)
    indicator = Indicator.objects.get(code="LOCAL_VOICE")
    assert indicator.name == "Families who say they are heard"
    assert indicator.targets.count() == 3


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            {"unit": "weekz"},
            "indicators[1] (LOCAL_SPEND).unit: 'weekz' is not one of percentage, count, days, "
            "rate_10k, weeks, pounds",
        ),
        (
            {"code": "EHCP_20WK"},
            "indicators[1] (EHCP_20WK).code: EHCP_20WK is an indicator of the shipped "
            "catalogue; give yours another code",
        ),
        (
            {"code": "LOCAL_VOICE"},
            "indicators[1] (LOCAL_VOICE).code: LOCAL_VOICE is in the file twice; keep one of them",
        ),
        (
            {"unit": "pounds", "baseline": {"value": -10, "date": "2025-03-31"}},
            "indicators[1] (LOCAL_SPEND).baseline.value: Enter a value of 0 or more",
        ),
        (
            {"baseline": {"value": 10, "date": "31/03/2025"}},
            "indicators[1] (LOCAL_SPEND).baseline.date: give the date as YYYY-MM-DD, like "
            "2025-08-31",
        ),
        (
            {
                "targets": [
                    {
                        "period_start": "2026-09-01",
                        "period_end": "2026-12-31",
                        "value": 5,
                        "kind": "interim",
                    }
                ]
            },
            "indicators[1] (LOCAL_SPEND).targets[0].kind: give final or milestone",
        ),
        (
            {"name": ""},
            "indicators[1] (LOCAL_SPEND).name: missing; give the indicator's name",
        ),
        (
            {"tolerance": -1},
            "indicators[1] (LOCAL_SPEND).tolerance: give a number of 0 or more, such as 5",
        ),
    ],
)
def test_a_wrong_entry_is_named_with_its_field_and_fix_and_nothing_is_saved(changes, problem):
    good, wrong = an_entry(), an_entry(code="LOCAL_SPEND") | changes
    with pytest.raises(IndicatorFileError) as refused:
        councils_indicators_import(a_file(good, wrong))
    assert problem in refused.value.problems
    assert not Indicator.objects.exists() and not Target.objects.exists()


def test_a_file_that_is_not_a_list_of_indicators_is_refused_plainly():
    with pytest.raises(IndicatorFileError, match='list of "indicators"'):
        councils_indicators_import([an_entry()])


def test_an_import_keeps_the_unit_of_an_indicator_with_values():
    councils_indicators_import(a_file(an_entry(unit="days", baseline=None, targets=[])))
    MeasurementFactory(indicator=Indicator.objects.get(code="LOCAL_VOICE"), value=Decimal(45))
    with pytest.raises(IndicatorFileError) as refused:
        councils_indicators_import(a_file(an_entry(unit="weeks", baseline=None, targets=[])))
    assert refused.value.problems == [
        "indicators[0] (LOCAL_VOICE).unit: LOCAL_VOICE already has values in days: keep the "
        "unit, or add a new indicator for the new unit"
    ]
    assert Indicator.objects.get(code="LOCAL_VOICE").unit == "days"


def test_the_commands_export_and_import_the_councils_indicators(tmp_path, capsys):
    councils_indicators_import(a_file(an_entry()))
    written = tmp_path / "ours.json"
    call_command("export_indicators", "--output", str(written))
    Indicator.objects.get(code="LOCAL_VOICE").targets.all().delete()
    Indicator.objects.all().delete()
    call_command("import_indicators", str(written))
    assert "1 added, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("import_indicators", str(written))
    assert "0 added, 0 updated, 1 unchanged" in capsys.readouterr().out
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(a_file(an_entry(polarity="up"))))
    with pytest.raises(CommandError, match=r"indicators\[0\] \(LOCAL_VOICE\)\.polarity"):
        call_command("import_indicators", str(broken))


def test_the_import_page_names_each_problem_and_saves_nothing(people, client_for):
    client = client_for(people.sendops)
    url = reverse("kpis:indicators_import")
    upload = SimpleUploadedFile(
        "ours.json", json.dumps(a_file(an_entry(unit="furlongs"))).encode(), "application/json"
    )
    page = client.post(url, {"file": upload}).content.decode()
    assert "Nothing was imported" in page
    assert "indicators[0] (LOCAL_VOICE).unit: &#x27;furlongs&#x27; is not one of" in page
    assert not Indicator.objects.exists()
    good = SimpleUploadedFile("ours.json", json.dumps(a_file(an_entry())).encode())
    assert client.post(url, {"file": good}).status_code == 302
    download = client.get(reverse("kpis:indicators_export"))
    assert download["Content-Disposition"] == 'attachment; filename="our-indicators.json"'
    assert json.loads(download.content)["indicators"][0]["code"] == "LOCAL_VOICE"


# --- the catalogue -------------------------------------------------------------------------------


def test_reloading_the_catalogue_leaves_the_councils_own_indicators_alone():
    catalogue_load()
    mine = ours(code="LOCAL_VOICE", name="Ours", tolerance=Decimal("1"))
    clash = Indicator.objects.get(code="EHCP_20WK")
    clash.origin, clash.name, clash.tolerance = Origin.COUNCIL, "Our own wording", Decimal("9")
    clash.save()
    TargetFactory(indicator=clash, value=Decimal("33"))
    assert catalogue_load() == (0, 0)
    clash.refresh_from_db()
    assert (clash.name, clash.tolerance, clash.origin) == ("Our own wording", 9, Origin.COUNCIL)
    assert list(clash.targets.values_list("value", flat=True)) == [Decimal("33")]
    assert Indicator.objects.get(pk=mine.pk).name == "Ours"


def test_the_council_cannot_add_an_indicator_with_a_catalogue_code(people, client_for):
    page = client_for(people.sendops).post(
        reverse("kpis:indicator_new"), new_indicator(code="EHCP_20WK")
    )
    assert "EHCP_20WK is an indicator of the shipped catalogue" in page.content.decode()
    assert not Indicator.objects.exists()


# --- in the browser ------------------------------------------------------------------------------


def new_indicator(**changes) -> dict:
    return {
        "code": "LOCAL_WAIT",
        "name": "Average wait for a therapy assessment",
        "definition": "Mean weeks from referral to assessment, over the term.",
        "unit": "weeks",
        "polarity": "lower",
        "oba_category": "how_well",
        "source": "local_system",
        "frequency": "termly",
        "describes": "children",
        "owner": "",
        "owner_title": "Designated Clinical Officer",
        "priority": "Timely health provision",
        "baseline_value": "18.5",
        "baseline_date": "31/8/2025",
        "tolerance": "2",
        "is_active": "on",
        "version": "",
    } | changes


def test_sendops_add_an_indicator_with_a_baseline_and_a_milestone_and_see_them(people, client_for):
    client = client_for(people.sendops)
    response = client.post(reverse("kpis:indicator_new"), new_indicator())
    settings_url = reverse("kpis:indicator_settings", kwargs={"code": "LOCAL_WAIT"})
    assert response.status_code == 302 and response["Location"] == settings_url
    indicator = Indicator.objects.get(code="LOCAL_WAIT")
    assert (indicator.origin, indicator.baseline_value) == (Origin.COUNCIL, Decimal("18.5"))
    assert indicator.baseline_date == datetime.date(2025, 8, 31)
    for kind, end, value in [("final", "31/8/2027", "12"), ("milestone", "31/12/2026", "16")]:
        added = client.post(
            settings_url,
            {
                "target": "1",
                "kind": kind,
                "period_start": "1/9/2026",
                "period_end": end,
                "label": "Autumn 2026" if kind == "milestone" else "2026/27",
                "value": value,
            },
        )
        assert added.status_code == 302
    settings_page = client.get(settings_url).content.decode()
    assert "Milestone</strong>" in settings_page and "16.0 weeks" in settings_page
    page = client.get(reverse("kpis:indicator_detail", kwargs={"code": "LOCAL_WAIT"}))
    html = page.content.decode()
    assert "18.5 weeks (31 Aug 2025)" in html
    assert "Milestone</strong> Autumn 2026: 16.0 weeks" in html
    assert "2026/27: 12.0 weeks" in html
    assert "Added by the council" in html
    # The milestone is the target in force in its term, the final one after it.
    assert indicator.target_on(datetime.date(2026, 12, 1)).value == Decimal(16)
    assert indicator.target_on(datetime.date(2027, 6, 1)).value == Decimal(12)


def test_a_baseline_without_its_date_is_refused_at_the_field(people, client_for):
    page = client_for(people.sendops).post(
        reverse("kpis:indicator_new"), new_indicator(baseline_date="")
    )
    assert "Enter the date of the baseline, or remove its value" in page.content.decode()
    assert not Indicator.objects.exists()


def settings_of(indicator: Indicator, client, **changes) -> dict:
    url = reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    data = new_indicator(
        code=indicator.code, unit=indicator.unit, baseline_value="", baseline_date=""
    )
    return (
        data
        | {"settings": "1", "version": page_version(client.get(url), "settings_form")}
        | (changes)
    )


def test_sendops_retire_an_indicator_and_bring_it_back(people, client_for):
    indicator = ours(unit="weeks")
    MeasurementFactory(indicator=indicator, value=Decimal(3))
    client = client_for(people.sendops)
    url = reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    data = settings_of(indicator, client)
    del data["is_active"]
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert not indicator.is_active and Measurement.objects.filter(indicator=indicator).exists()
    listing = client.get(reverse("kpis:indicator_list")).content.decode()
    assert "Retired indicators" in listing and url in listing
    assert client.post(url, settings_of(indicator, client)).status_code == 302
    indicator.refresh_from_db()
    assert indicator.is_active


def test_the_councils_indicator_keeps_its_unit_once_it_has_values(people, client_for):
    indicator = ours(unit="days")
    MeasurementFactory(indicator=indicator, value=Decimal(40))
    client = client_for(people.sendops)
    url = reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    page = client.post(url, settings_of(indicator, client, unit="weeks")).content.decode()
    assert "already has values in days: keep the unit" in page
    indicator.refresh_from_db()
    assert indicator.unit == "days"


def test_a_catalogue_indicators_definition_is_not_on_its_settings_page(people, client_for):
    indicator = IndicatorFactory()
    page = client_for(people.sendops).get(
        reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    )
    assert "definition" not in page.context["settings_form"].fields
    assert "baseline_value" in page.context["settings_form"].fields


def test_a_stale_edit_of_the_councils_indicator_is_refused(people, client_for):
    indicator = ours(unit="weeks", name="First name")
    client = client_for(people.sendops)
    url = reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    opened = settings_of(indicator, client, name="Mine")
    Indicator.objects.filter(pk=indicator.pk).update(name="A colleague's")
    assert_refused(client.post(url, opened), "indicator's settings", url)
    assert Indicator.objects.get(pk=indicator.pk).name == "A colleague's"


# --- partners entering values --------------------------------------------------------------------


def test_a_partner_given_the_right_enters_values_of_their_indicator_only(people, client_for):
    partner = people.action_owner
    theirs = ours(unit="weeks", owner=partner)
    other = ours(unit="weeks", owner=partner)
    not_theirs = ours(unit="weeks")
    client = client_for(partner)
    url = reverse("kpis:measurement_edit", kwargs={"code": theirs.code})
    assert client.get(url).status_code == 403  # owner, but not given the right yet
    values_right_set(theirs, granted=True)
    values_right_set(not_theirs, granted=True)  # no owner: nobody gets it
    assert client.get(url).status_code == 200
    posted = client.post(url, {**AUTUMN, "local": "14.5", "version": page_version(client.get(url))})
    assert posted.status_code == 302 and posted["Location"] == reverse("kpis:my_indicators")
    assert Measurement.objects.get(indicator=theirs).value == Decimal("14.5")
    for refused in (other, not_theirs):
        address = reverse("kpis:measurement_edit", kwargs={"code": refused.code})
        assert client.get(address).status_code == 403
    worklist = client.get(reverse("kpis:my_indicators")).content.decode()
    assert theirs.name in worklist and other.name not in worklist
    assert list(indicators_entered_by(partner)) == [theirs]


def test_sendops_give_the_owner_the_right_and_a_new_owner_does_not_inherit_it(people, client_for):
    indicator = ours(unit="weeks")
    client = client_for(people.sendops)
    url = reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    grant = settings_of(indicator, client, owner=people.action_owner.pk, owner_enters_values="on")
    assert client.post(url, grant).status_code == 302
    indicator.refresh_from_db()
    assert owner_may_enter_values(indicator)
    assert may_enter_values(people.action_owner, indicator)
    other_partner = UserFactory(roles=["action_owner"])
    moved = settings_of(indicator, client, owner=other_partner.pk)
    assert client.post(url, moved).status_code == 302
    indicator.refresh_from_db()
    assert not may_enter_values(people.action_owner, indicator)
    assert not may_enter_values(other_partner, indicator)
    assert not people.action_owner.has_perm("kpis.enter_values", indicator)


def test_the_right_is_only_given_to_an_owner_who_holds_a_partners_role(people, client_for):
    indicator = ours(unit="weeks")
    client = client_for(people.sendops)
    url = reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    data = settings_of(indicator, client, owner=people.board.pk, owner_enters_values="on")
    page = client.post(url, data).content.decode()
    assert "does not hold the action owner&#x27;s role" in page
    assert not owner_may_enter_values(Indicator.objects.get(pk=indicator.pk))


def test_a_retired_indicator_takes_no_values_from_its_partner(people):
    indicator = ours(unit="weeks", owner=people.action_owner)
    values_right_set(indicator, granted=True)
    assert may_enter_values(people.action_owner, indicator)
    indicator.is_active = False
    assert not may_enter_values(people.action_owner, indicator)
