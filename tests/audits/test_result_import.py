"""Past audit results in (issue 18, item 8): refusals, a large file against a hand count,
re-importing, and imported audits being read-only."""

import datetime
import random
import time
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from audits.models import Audit, AuditImported, Plan
from audits.queries import percent_good_or_better, term_findings, term_qa, trend_by_term
from audits.result_import import results_check, results_save, results_template
from audits.template_io import template_import
from send_qa.core.models import Period, ensure_academic_year
from send_qa.core.tables import TableImportError, read_table
from tests.audits.factories import SMALL_TEMPLATE, AuditFactory, PlanFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BANDS = [  # the council's Ofsted-style grades, best first
    {"label": "Outstanding", "min_percent": 85, "good_or_better": True},
    {"label": "Good", "min_percent": 65, "good_or_better": True},
    {"label": "Requires improvement", "min_percent": 40, "good_or_better": False},
    {"label": "Inadequate", "min_percent": 0, "good_or_better": False},
]
NAME = "Past EHCP audit"


@pytest.fixture
def template():
    data = {**SMALL_TEMPLATE, "name": NAME, "grade_bands": BANDS}
    return template_import(data, publish=True)[0]


@pytest.fixture
def terms():
    ensure_academic_year(2023)
    ensure_academic_year(2024)
    return list(Period.objects.terms().filter(start__year__lte=2025).order_by("start"))


@pytest.fixture
def officer():
    return UserFactory(email="officer@example.org", full_name="Sam Officer")


def check(csv: str, by=None):
    return results_check(
        read_table(BytesIO(csv.encode()), "results.csv"), template=results_template(NAME), by=by
    )


def run(csv: str, by=None):
    return results_save(check(csv, by), by=by)


def problems_of(csv: str, by=None) -> list[str]:
    with pytest.raises(TableImportError) as error:
        check(csv, by)
    return [str(p) for p in error.value.problems]


def test_every_problem_is_named_and_nothing_is_saved(template, terms, officer):
    UserFactory(email="jo@example.org", full_name="Jo Auditor")
    autumn = terms[0]  # Autumn term 2023/24
    problems = problems_of(
        "case_reference,date_audited,term,auditor,grade,score,percent,Section A - Views,b\n"
        f"EHC1,2023-10-02,{autumn.name},jo@example.org,Good,30/40,75,12/16,80%\n"
        "EHC2,2nd Oct 2023,,,,,,,\n"
        "EHC3,2023-10-02,Summer term 1999,ghost@example.org,Brilliant,50/40,,17/16,\n"
        f"EHC4,2024-02-01,{autumn.name},,,30/40,90,,\n"
        "EHC5,2019-05-01,,,Good,,,,\n"
        "EHC6,2030-01-01,,,Good,,,,\n"
        ",,,,,,,,\n"
        f"EHC1,2023-10-02,{autumn.name},,Good,,,,\n"
        "EHC7,2023-10-03,,,,34,,,\n"
        "EHC8,2023-10-03,,,Good,,150,,lots\n",
        by=officer,
    )
    assert problems == [
        "Row 3, column 'date_audited': '2nd Oct 2023' is not a date. Write it as YYYY-MM-DD, e.g. 2024-03-31.",
        "Row 3, column 'grade': is empty, and so are the score, the percentage and the section scores. Give the result the council recorded, or remove the row.",
        "Row 4, column 'auditor': no portal user has the email ghost@example.org. Invite them first, give their name instead, or leave it empty.",
        f"Row 4, column 'grade': 'Brilliant' is not a grade of {template}. Use one of Outstanding, Good, Requires improvement, Inadequate.",
        "Row 4, column 'score': '50/40' is not a score out of a maximum. Write it as 34/48, or give the maximum in a max_score column (a score between 0 and the maximum).",
        "Row 4, column 'section_a___views': '17/16' is not a section score. Write points out of the maximum (12/16) or a percentage from 0 to 100.",
        "Row 4, column 'term': there is no term called 'Summer term 1999'. Use a term's name as the portal shows it (under Terms), or add the term first.",
        f"Row 5, column 'date_audited': 2024-02-01 is not in {autumn.name} (2023-09-01 to 2023-12-31). Correct the date or the term.",
        "Row 5, column 'percent': 90 does not match the score 30/40 (75.0%). Correct one of them, or leave the percentage empty.",
        "Row 6, column 'date_audited': no term in the portal covers 2019-05-01. Add the term first, or give the term's name in a term column.",
        "Row 7, column 'date_audited': 2030-01-01 is in the future. Give the date the plan was audited.",
        "Row 8, column 'case_reference': is empty. Give the council's case reference for this plan.",
        "Row 8, column 'date_audited': is empty, and so is the term. Give the date audited, the term's name, or both.",
        "Row 8, column 'grade': is empty, and so are the score, the percentage and the section scores. Give the result the council recorded, or remove the row.",
        "Row 9, column 'case_reference': EHC1 audited 2023-10-02 is also on row 2. Keep one row per audit.",
        "Row 10, column 'score': '34' is not a score out of a maximum. Write it as 34/48, or give the maximum in a max_score column (a score between 0 and the maximum).",
        "Row 11, column 'b': 'lots' is not a section score. Write points out of the maximum (12/16) or a percentage from 0 to 100.",
        "Row 11, column 'percent': '150' is not a percentage. Write a number from 0 to 100, e.g. 72.5.",
    ]
    assert not Audit.objects.exists()
    assert not Plan.objects.exists()


def test_missing_and_unknown_columns_and_a_checklist_not_published(template, terms):
    assert problems_of("case_reference,auditor\nEHC1,\n") == [
        "column 'date_audited': this required column is missing. Add the date audited (date_audited), the term's name (term), or both.",
        "column 'grade': this required column is missing. Add the grade, the overall score or percentage, or section scores.",
    ]
    assert problems_of("case_reference,term,grade,Section Z\nEHC1,x,Good,1\n")[0] == (
        f"column 'section_z': is not a column the portal knows, nor a section of {template}. "
        "Rename it to a section's code or title, or remove it (the import page lists the columns it reads)."
    )
    with pytest.raises(TableImportError, match="no published EHC plan checklist called 'Nope'"):
        results_template("Nope")


def test_rows_naming_no_portal_auditor_need_someone_to_record_them_against(template, terms):
    csv = "case_reference,date_audited,auditor,grade\nEHC1,2023-10-02,A Former Auditor,Good\n"
    assert problems_of(csv) == [
        "column 'auditor': rows 2 name no portal user as auditor. Give each auditor's email, or "
        "run the command with --by EMAIL to record those audits against you."
    ]
    officer = UserFactory()
    run(csv, by=officer)
    audit = Audit.objects.get()
    assert (audit.auditor, audit.recorded_auditor) == (officer, "A Former Auditor")


def test_a_row_becomes_a_submitted_imported_audit_as_recorded(template, terms, officer):
    jo = UserFactory(email="jo@example.org", full_name="Jo Auditor")
    PlanFactory(case_reference="EHC1", primary_need="SEMH")
    checked = run(
        "case_reference,date_audited,term,auditor,grade,score,percent,A,Section B - Needs\n"
        "EHC1,2023-10-02,,Jo Auditor,,30/40,75%,12/16,60\n"
        "EHC2,02/10/2023,,jo@example.org,,,50,,\n"
        f"EHC3,,{terms[1].name},,Inadequate,,,,\n",
        by=officer,
    )
    assert (checked.added, checked.updated, checked.new_plans) == (3, 0, ["EHC2", "EHC3"])
    first, second, third = Audit.objects.order_by("plan__case_reference")
    assert (first.status, first.is_imported, first.auditor, first.term) == (
        Audit.Status.SUBMITTED,
        True,
        jo,
        terms[0],
    )
    assert (first.points, first.max_points, first.percent) == (30, 40, Decimal("75.0"))
    assert (first.grade, first.good_or_better) == ("Good", True)  # from the bands, at 75%
    assert first.section_scores == {"A": [12.0, 16.0], "B": [60.0, 100.0]}
    assert first.audited_on == datetime.date(2023, 10, 2)
    assert (second.grade, second.good_or_better, second.points) == (
        "Requires improvement",
        False,
        None,
    )
    assert (third.term, third.audited_on, third.grade, third.percent) == (
        terms[1],
        None,
        "Inadequate",
        None,
    )
    assert third.submitted_at.date() == terms[1].end
    # Each plan's last audit (the register's sort) is kept through the bulk write's signal.
    for plan in Plan.objects.all():
        audits = Audit.objects.of_plans().submitted().filter(plan=plan)
        assert plan.last_audited_at == max(a.submitted_at for a in audits)
    new_plan = Plan.objects.get(case_reference="EHC3")
    assert (new_plan.primary_need, new_plan.placement_type, new_plan.age_band) == (
        "NR",
        "not_recorded",
        "NR",
    )
    assert Plan.objects.get(case_reference="EHC1").primary_need == "SEMH"  # left as it was
    assert first.history.count() == 1  # its "created" entry, written in bulk


def test_importing_again_updates_the_same_audits_rather_than_adding_copies(
    template, terms, officer
):
    header = "case_reference,date_audited,term,grade\n"
    run(header + "EHC1,2023-10-02,,Good\n" + f"EHC2,,{terms[1].name},Inadequate\n", by=officer)
    first_ids = dict(Audit.objects.values_list("plan__case_reference", "pk"))
    checked = run(
        header
        + "EHC1,2023-10-02,,Outstanding\n"  # the same audit, corrected
        + f"EHC2,,{terms[1].name},Requires improvement\n"  # the same, known by its term
        + "EHC1,2024-05-07,,Good\n",  # the same plan audited again later: another audit
        by=officer,
    )
    assert (checked.added, checked.updated, checked.new_plans) == (1, 2, [])
    assert Audit.objects.count() == 3
    assert Plan.objects.count() == 2
    corrected = Audit.objects.get(pk=first_ids["EHC1"])
    assert (corrected.grade, corrected.good_or_better) == ("Outstanding", True)
    assert Audit.objects.get(pk=first_ids["EHC2"]).grade == "Requires improvement"
    assert corrected.history.count() == 2  # created, then changed by the second import
    assert Audit.objects.get(audited_on=datetime.date(2024, 5, 7)).term == terms[2]


def test_an_audit_scored_in_the_portal_is_never_overwritten_by_an_import(template, terms, officer):
    plan = PlanFactory(case_reference="EHC1")
    scored = AuditFactory(plan=plan, template=template, term=terms[0])
    run("case_reference,term,grade\n" + f"EHC1,{terms[0].name},Good\n", by=officer)
    assert Audit.objects.count() == 2
    scored.refresh_from_db()
    assert (scored.is_imported, scored.grade) == (False, "")


def _hand_band(share: int) -> str:
    return next(b["label"] for b in BANDS if share >= b["min_percent"])


def _hand_percent(good: int, graded: int) -> Decimal:
    return (Decimal(100 * good) / Decimal(graded)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def test_two_thousand_past_results_match_a_hand_count(
    template, terms, officer, django_assert_max_num_queries
):
    """Years of results, in every shape a council writes them; the findings of each term are
    counted here by hand from what the file says."""
    rng = random.Random(18)
    auditors = [
        UserFactory(email=f"auditor{n}@example.org", full_name=f"Auditor {n}") for n in range(5)
    ]
    for n in range(0, 300, 3):  # some plans the register holds already
        PlanFactory(case_reference=f"EHC{n:05d}")
    grades: dict[str, Counter[str]] = defaultdict(Counter)
    lines = ["case_reference,date_audited,term,auditor,grade,score,percent,A,B"]
    for n in range(2000):
        term = rng.choice(terms)
        day = term.start + datetime.timedelta(days=rng.randrange((term.end - term.start).days))
        by_date = rng.random() < 0.7
        auditor = rng.choice(["", "Past Auditor", *[a.email for a in auditors], "Auditor 2"])
        shape = rng.choice(["grade", "percent", "score", "grade and score"])
        points = rng.randrange(0, 49)
        share = (Decimal(100 * points) / 48).quantize(Decimal("0.1"), ROUND_HALF_UP)
        grade = score = written = ""
        if shape in ("grade", "grade and score"):
            grade = rng.choice([b["label"] for b in BANDS])
            score = f"{points}/48" if shape == "grade and score" else ""
            grades[term.name][grade] += 1
        else:
            score = f"{points}/48" if shape == "score" else ""
            written = f"{share}" if shape == "percent" else ""
            grades[term.name][_hand_band(share)] += 1
        sections = f"{rng.randrange(0, 17)}/16,{rng.randrange(0, 101)}%"
        lines.append(
            f"EHC{n:05d},{day if by_date else ''},{'' if by_date else term.name},"
            f"{auditor},{grade},{score},{written},{sections}"
        )
    csv = "\n".join(lines) + "\n"

    started = time.monotonic()
    with django_assert_max_num_queries(40):
        checked = run(csv, by=officer)
    elapsed = time.monotonic() - started
    assert elapsed < 20, f"2,000 rows took {elapsed:.1f} s"
    assert (checked.added, len(checked.new_plans)) == (2000, 1900)
    assert Plan.objects.filter(primary_need="NR", placement_type="not_recorded").count() == 1900

    trend = {row["term__name"]: row for row in trend_by_term(Audit.objects.of_plans())}
    for term in terms:
        counted = grades[term.name]
        graded = sum(counted.values())
        good = counted["Outstanding"] + counted["Good"]
        findings = term_findings(Audit.objects.of_plans().filter(term=term))
        assert findings.by_grade == {b["label"]: counted[b["label"]] for b in BANDS}
        assert (findings.graded, findings.good_or_better) == (graded, good)
        assert findings.percent_good_or_better == _hand_percent(good, graded)
        assert percent_good_or_better(term=term) == (good, graded)  # the AUDIT_GOOD indicator
        assert trend[term.name]["percent_good"] == _hand_percent(good, graded)
        assert term_qa(term=term, on=term.end).audits.graded == graded  # the report's figures

    started = time.monotonic()
    again = run(csv, by=officer)  # the same file again: the same audits, updated
    assert (again.added, again.updated, Audit.objects.count()) == (0, 2000, 2000)
    assert time.monotonic() - started < 20


def test_the_command_imports_or_lists_the_problems(tmp_path, template, terms, officer):
    good = tmp_path / "results.csv"
    good.write_text("case_reference,date_audited,grade\nEHC1,2023-10-02,Good\n")
    out = StringIO()
    call_command("import_audit_results", str(good), template=NAME, by=officer.email, stdout=out)
    assert (
        f"Imported 1 past results against {template}: 1 audits added, 0 updated, "
        "1 plans added to the register." in out.getvalue()
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("case_reference,date_audited,grade\nEHC2,2023-10-02,Splendid\n")
    with pytest.raises(CommandError, match="Row 2, column 'grade': 'Splendid' is not a grade"):
        call_command("import_audit_results", str(bad), template=NAME, by=officer.email)
    assert not Plan.objects.filter(case_reference="EHC2").exists()


def test_the_upload_page_checks_shows_the_counts_then_imports(template, terms, people, client_for):
    client = client_for(people.sendops)
    url = reverse("audits:results_import")
    assert client.get(url).status_code == 200
    csv = b"case_reference,date_audited,grade\nEHC1,2023-10-02,Good\nEHC2,2023-10-03,Inadequate\n"
    PlanFactory(case_reference="EHC1")

    refused = client.post(
        url,
        {"template": NAME, "file": _upload(b"case_reference,date_audited,grade\nEHC9,x,Good\n")},
    )
    assert (
        "Row 2, column &#x27;date_audited&#x27;: &#x27;x&#x27; is not a date"
        in refused.content.decode()
    )

    checked = client.post(url, {"template": NAME, "file": _upload(csv)})
    page = checked.content.decode()
    assert "2 in the file: 2 to add, 0 imported before, to update" in page
    assert "1 not in the register" in page
    assert not Audit.objects.exists()  # nothing saved until confirmed

    confirmed = client.post(url, {"confirm": "1"})
    assert confirmed.status_code == 302
    assert Audit.objects.filter(imported_at__isnull=False).count() == 2
    assert set(Audit.objects.values_list("auditor", flat=True)) == {people.sendops.pk}
    again = client.post(url, {"confirm": "1"}, follow=True)  # the staged file is gone
    assert "The file to import has expired" in again.content.decode()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("results.csv", content, content_type="text/csv")


def test_an_imported_audit_is_read_only_and_says_why(template, terms, people, client_for):
    run(
        "case_reference,date_audited,auditor,score,A\n"
        f"EHC1,2023-10-02,{people.auditor.email},30/40,12/16\n",
        by=people.sendops,
    )
    audit = Audit.objects.get()
    detail = client_for(people.sendops).get(reverse("audits:audit_detail", args=[audit.uuid]))
    page = detail.content.decode()
    assert "imported from the council&#x27;s past results, so it cannot be changed" in page
    assert "30 out of 40 (75.0%)" in page and "Section A - Views" in page and "Good" in page
    assert "Reopen this audit" not in page and "Submit audit" not in page

    auditor = client_for(people.auditor)
    section = auditor.get(reverse("audits:audit_section", args=[audit.uuid, "A"]), follow=True)
    assert "cannot be changed here" in section.content.decode()
    overall = auditor.post(reverse("audits:audit_overall", args=[audit.uuid]), follow=True)
    assert "cannot be changed here" in overall.content.decode()
    submit = auditor.post(reverse("audits:audit_submit", args=[audit.uuid]), follow=True)
    assert "cannot be changed here" in submit.content.decode()
    reopen = client_for(people.sendops).post(
        reverse("audits:audit_reopen", args=[audit.uuid]), {"reason": "Fix it"}, follow=True
    )
    assert "cannot be changed here" in reopen.content.decode()
    printed = client_for(people.sendops).get(reverse("audits:audit_print", args=[audit.uuid]))
    assert "30 out of 40 (75.0%)" in printed.content.decode()

    with pytest.raises(AuditImported):
        audit.save_answers(values={}, version=audit.edit_version())
    with pytest.raises(AuditImported):
        audit.store_result()  # never re-scored
    audit.refresh_from_db()
    assert (audit.status, audit.grade, audit.percent) == ("submitted", "Good", Decimal("75.0"))
