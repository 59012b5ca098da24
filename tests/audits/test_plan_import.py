import datetime
from io import BytesIO, StringIO

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from audits.models import Plan
from audits.plan_import import PlanImportError, plans_import, read_table
from tests.audits.factories import AuditFactory, PlanFactory
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "case_reference,primary_need,placement_type,age_band,team,caseworker_email,next_review_due\n"
)


def run(csv: str):
    return plans_import(read_table(BytesIO(csv.encode()), "plans.csv"))


def problems_of(csv: str) -> list[str]:
    with pytest.raises(PlanImportError) as error:
        run(csv)
    return [str(p) for p in error.value.problems]


def test_imports_new_plans_and_updates_existing_ones_by_case_reference():
    team = TeamFactory(name="EHC Team North")
    worker = UserFactory(email="chris@example.org")
    PlanFactory(case_reference="EHC000001", primary_need="MLD")
    summary = run(
        HEADER
        + "EHC000001,semh,Mainstream,11-15,EHC Team North,Chris@example.org,2026-01-31\n"
        + "EHC000002,ASD,maintained_special,5-10,,,31/03/2026\n"
    )
    assert (summary.created, summary.updated) == (1, 1)
    updated = Plan.objects.get(case_reference="EHC000001")
    assert (updated.primary_need, updated.team, updated.caseworker) == ("SEMH", team, worker)
    assert updated.next_review_due == datetime.date(2026, 1, 31)
    new = Plan.objects.get(case_reference="EHC000002")
    assert (new.placement_type, new.next_review_due) == (
        "maintained_special",
        datetime.date(2026, 3, 31),
    )
    assert updated.history.count() == 2  # created by the factory, updated by the import


def test_each_bad_row_is_named_and_nothing_is_saved():
    problems = problems_of(
        HEADER
        + "EHC1,ASD,mainstream,5-10,,,2026-01-01\n"
        + "EHC2,XYZ,mainstream,5-10,,,2026-01-01\n"
        + "EHC3,ASD,mainstream,5-10,,,31st March\n"
        + "EHC1,MLD,mainstream,5-10,,,\n"
        + "EHC4,ASD,a boat,0-99,Nowhere team,ghost@example.org,\n"
    )
    assert problems == [
        "Row 3, column 'primary_need': 'XYZ' is not a SEN2 primary need code. Use one of SpLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, or not recorded.",
        "Row 4, column 'next_review_due': '31st March' is not a date. Write it as YYYY-MM-DD, for example 2025-03-31.",
        "Row 5, column 'case_reference': EHC1 is also on row 2. Keep one row per plan.",
        "Row 6, column 'placement_type': 'a boat' is not a placement type. Use one of mainstream, resourced, maintained_special, independent_special, further_education, alternative_provision, early_years, home_educated, other, or not recorded.",
        "Row 6, column 'age_band': '0-99' is not an age band. Use one of 0-4, 5-10, 11-15, 16-19, 20-25, or not recorded.",
        "Row 6, column 'team': there is no team called 'Nowhere team'. Use a team's name as the portal shows it, or leave it empty.",
        "Row 6, column 'caseworker_email': no portal user has the email ghost@example.org. Invite them first, or leave it empty.",
    ]
    assert Plan.objects.count() == 0


def test_a_missing_required_column_is_named():
    problems = problems_of("case_reference,placement_type\nEHC1,mainstream\n")
    assert problems == [
        "column 'primary_need': this required column is missing. Add it with this header."
    ]


def test_xlsx_files_with_human_headers_and_real_dates():
    frame = pd.DataFrame(
        {
            "Case reference": ["EHC9"],
            "Primary need": ["SLCN"],
            "Placement type": ["Early years"],
            "Next review due": [datetime.datetime(2026, 6, 1)],
        }
    )
    buffer = BytesIO()
    frame.to_excel(buffer, index=False)
    buffer.seek(0)
    summary = plans_import(read_table(buffer, "plans.xlsx"))
    assert summary.created == 1
    plan = Plan.objects.get(case_reference="EHC9")
    assert (plan.placement_type, plan.next_review_due) == ("early_years", datetime.date(2026, 6, 1))


def test_other_file_types_are_refused():
    with pytest.raises(PlanImportError, match="not a CSV or XLSX file"):
        read_table(BytesIO(b"x"), "plans.pdf")


def test_the_command_imports_or_lists_the_problems(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "EHC1,ASD,mainstream,5-10,,,\n")
    out = StringIO()
    call_command("import_plans", str(good), stdout=out)
    assert "Imported 1 new plans and updated 0." in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "EHC2,NOPE,mainstream,5-10,,,\n")
    with pytest.raises(CommandError, match="Row 2, column 'primary_need'"):
        call_command("import_plans", str(bad))
    assert not Plan.objects.filter(case_reference="EHC2").exists()


def test_import_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    rows = "".join(f"EHC{n},ASD,mainstream,5-10,,,\n" for n in range(500))
    with django_assert_max_num_queries(15):
        run(HEADER + rows)
    assert Plan.objects.count() == 500


def test_a_plan_marked_as_ceased_is_dated_once(settings):
    from django.utils import timezone

    PlanFactory(case_reference="EHC000010")
    header = "case_reference,primary_need,placement_type,active\n"
    run(header + "EHC000010,ASD,mainstream,no\n")
    plan = Plan.objects.get(case_reference="EHC000010")
    assert plan.ceased_on == timezone.localdate()
    Plan.objects.filter(pk=plan.pk).update(ceased_on=datetime.date(2025, 1, 1))
    run(header + "EHC000010,ASD,mainstream,no\n")
    assert Plan.objects.get(pk=plan.pk).ceased_on == datetime.date(2025, 1, 1)
    run(header + "EHC000010,ASD,mainstream,yes\n")
    assert Plan.objects.get(pk=plan.pk).ceased_on is None


def test_not_recorded_is_allowed_for_need_placement_and_age_band():
    """A council's extract that lacks them says so, in any case and spacing."""
    run(
        HEADER
        + "EHC1,Not recorded,not recorded,NOT  RECORDED,,,\n"
        + "EHC2,NR,Not Recorded,not recorded,,,\n"
        + "EHC3,ASD,mainstream,,,,\n"
    )
    assert list(
        Plan.objects.values_list("primary_need", "placement_type", "age_band").order_by(
            "case_reference"
        )
    ) == [("NR", "not_recorded", "NR"), ("NR", "not_recorded", "NR"), ("ASD", "mainstream", "")]


def test_not_recorded_plans_are_counted_as_such_in_the_register_and_audit_filters(
    people, client_for
):
    run(HEADER + "EHC1,not recorded,not recorded,,,,\n" + "EHC2,ASD,mainstream,,,,\n")
    AuditFactory(plan=Plan.objects.get(case_reference="EHC1"))
    AuditFactory(plan=Plan.objects.get(case_reference="EHC2"))
    client = client_for(people.sendops)
    plans = client.get("/plans/", {"need": "NR"}).context["page"].object_list
    assert [p.case_reference for p in plans] == ["EHC1"]
    audits = client.get("/audits/", {"placement": "not_recorded"}).context["page"].object_list
    assert [a.plan.case_reference for a in audits] == ["EHC1"]
    plan_page = client.get(f"/plans/{Plan.objects.get(case_reference='EHC1').uuid}/")
    assert "Not recorded" in plan_page.content.decode()
