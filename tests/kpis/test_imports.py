"""Importing KPI values: every problem named, all or nothing, updates keep the history."""

import io
from decimal import Decimal

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.imports import TableImportError, measurements_check, measurements_import, read_table
from kpis.models import Measurement
from tests.factories import UserFactory
from tests.kpis.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

HEADER = "indicator_code,period_start,period_end,area,value,numerator,denominator,commentary\n"


def frame(text: str) -> pd.DataFrame:
    return read_table(io.BytesIO(text.encode()), "values.csv")


def problems_of(text: str) -> list[str]:
    with pytest.raises(TableImportError) as error:
        measurements_import(frame(text))
    return [str(p) for p in error.value.problems]


@pytest.fixture
def indicators():
    return (
        IndicatorFactory(code="EHCP_20WK"),
        IndicatorFactory(code="EHCP_COUNT", unit="count"),
        IndicatorFactory(code="AUDIT_GOOD", computed=True),
    )


def test_values_are_added_then_updated_with_history(indicators):
    plan = measurements_import(
        frame(
            HEADER
            + "EHCP_20WK,2026-09-01,2026-12-31,local,55.5,111,200,Fewer psychologists\n"
            + "EHCP_20WK,2026-09-01,2026-12-31,england,50.3,,,\n"
            + "ehcp_20wk,2026-09-01,2026-12-31,la:873,61,,,\n"
        )
    )
    assert (plan.added, plan.updated) == (3, 0)
    local = Measurement.objects.get(area="local")
    assert (local.value, local.numerator, local.commentary) == (
        Decimal("55.5"),
        Decimal("111"),
        "Fewer psychologists",
    )
    again = measurements_import(
        frame(HEADER + "EHCP_20WK,2026-09-01,2026-12-31,local,60,120,200,Recovered\n")
    )
    assert (again.added, again.updated) == (0, 1)
    local.refresh_from_db()
    assert local.value == Decimal("60")
    assert [h.value for h in local.history.order_by("history_date")] == [
        Decimal("55.5"),
        Decimal("60"),
    ]
    unchanged = measurements_check(
        frame(HEADER + "EHCP_20WK,2026-09-01,2026-12-31,local,60,120,200,Recovered\n")
    )
    assert unchanged.unchanged == 1


def test_each_bad_row_is_named_with_the_fix_and_nothing_is_saved(indicators):
    problems = problems_of(
        HEADER
        + "EHCP_20WK,2026-09-01,2026-12-31,local,55,,,\n"
        + "NOPE,2026-09-01,2026-12-31,local,1,,,\n"
        + "EHCP_20WK,1 Sept 2026,2026-12-31,local,1,,,\n"
        + "EHCP_20WK,2026-09-01,2026-08-31,local,1,,,\n"
        + "EHCP_20WK,2026-09-01,2026-12-31,mars,1,,,\n"
        + "EHCP_20WK,2026-09-01,2026-12-31,england,lots,,,\n"
        + "EHCP_20WK,2026-09-01,2026-12-31,region,140,,,\n"
        + "EHCP_20WK,2026-09-01,2026-12-31,statistical_neighbours,50,10,40,\n"
        + "EHCP_20WK,2026-09-01,2026-12-31,local,56,,,\n"
        + "AUDIT_GOOD,2026-09-01,2026-12-31,local,80,,,\n"
        + "EHCP_COUNT,2026-09-01,2026-12-31,local,-3,,,\n"
    )
    assert problems == [
        "Row 3, column 'indicator_code': NOPE is not an indicator. Use one of: AUDIT_GOOD, "
        "EHCP_20WK, EHCP_COUNT.",
        "Row 4, column 'period_start': '1 Sept 2026' is not a date. Write it as YYYY-MM-DD, "
        "for example 2026-08-31.",
        "Row 5, column 'period_end': The period must end on or after the day it starts",
        "Row 6, column 'area': 'mars' is not an area. Use one of: local, england, region, "
        "statistical_neighbours, la:CODE (e.g. la:873)",
        "Row 7, column 'value': 'lots' is not a number. Write digits only, for example 72.5.",
        "Row 8, column 'value': Enter a percentage between 0 and 100, for example 72.5",
        "Row 9, column 'value': The value does not match numerator / denominator (25.0%). "
        "Correct one of the three",
        "Row 10, column 'indicator_code': EHCP_20WK for this period and area is also on row 2. "
        "Keep one row.",
        "Row 11, column 'area': AUDIT_GOOD is calculated by the portal for this area. Give "
        "only England, region, statistical neighbours' or other local authorities' values for it",
        "Row 12, column 'value': Enter a value of 0 or more",
    ]
    assert not Measurement.objects.exists()


def test_missing_and_unknown_columns_are_named(indicators):
    problems = problems_of("indicator_code,period_start,area,value,child_name\n")
    assert problems == [
        "column 'period_end': this required column is missing. Add it with this header.",
        "column 'child_name': is not a column the import knows. Use only: indicator_code, "
        "period_start, period_end, area, value, period_label, numerator, denominator, commentary.",
    ]


def test_the_command_imports_or_lists_the_problems(indicators, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "EHCP_20WK,2026-09-01,2026-12-31,local,55,,,\n")
    call_command("import_kpis", str(good))
    assert "1 added, 0 updated" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "NOPE,2026-09-01,2026-12-31,local,55,,,\n")
    with pytest.raises(CommandError, match="fix the 1 problem"):
        call_command("import_kpis", str(bad))


def test_the_upload_page_previews_then_imports(indicators, people, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    MeasurementFactory(indicator=indicators[0], value=Decimal("40"))
    client = client_for(people.sendops)
    body = HEADER + (
        "EHCP_20WK,2026-09-01,2026-12-31,local,55,,,\nEHCP_20WK,2026-09-01,2026-12-31,england,50,,,\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post(
        reverse("kpis:import"), {"file": SimpleUploadedFile("values.csv", body.encode())}
    )
    html = preview.content.decode()
    assert "1 value will be added, 1 updated" in html
    assert Measurement.objects.get(area="local").value == Decimal("40")  # nothing saved yet
    done = client.post(reverse("kpis:import"), {"confirm": "1"}, follow=True)
    assert "1 values added, 1 updated" in done.content.decode()
    assert Measurement.objects.get(area="local").value == Decimal("55")
    assert not (tmp_path / "kpi-imports").exists()  # the upload is not kept: its checked rows are


def test_a_bad_upload_shows_every_problem(indicators, people, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = HEADER + "NOPE,2026-09-01,2026-12-31,local,55,,,\n"
    html = (
        client_for(people.sendops)
        .post(reverse("kpis:import"), {"file": SimpleUploadedFile("v.csv", body.encode())})
        .content.decode()
    )
    assert "Nothing was imported: fix 1 problem" in html
    assert "NOPE is not an indicator" in html


def test_xlsx_files_import_the_same_way(indicators):
    buffer = io.BytesIO()
    pd.DataFrame(
        [
            {
                "Indicator code": "EHCP_20WK",
                "Period start": "2026-09-01",
                "Period end": "2026-12-31",
                "Area": "Region",
                "Value": 48.25,
            }
        ]
    ).to_excel(buffer, index=False)
    buffer.seek(0)
    plan = measurements_import(read_table(buffer, "values.xlsx"))
    assert plan.added == 1
    assert Measurement.objects.get().value == Decimal("48.25")


def test_new_and_changed_values_record_who_imported_them(indicators, people):
    text = HEADER + 'EHCP_20WK,2026-09-01,2026-12-31,local,55.5,111,200,"Said ""why""\n\\."\n'
    measurements_import(frame(text), by=people.sendops)
    local = Measurement.objects.get(area="local")
    assert local.commentary == 'Said "why"\n\\.'  # quotes, line breaks and "\." kept as typed
    assert local.period_label == "" and local.denominator == Decimal("200")
    created = local.history.get()
    assert (created.history_type, created.history_user) == ("+", people.sendops)
    assert created.value == Decimal("55.5") and created.commentary == local.commentary
    measurements_import(
        frame(HEADER + "EHCP_20WK,2026-09-01,2026-12-31,local,56,,,\n"), by=people.admin
    )
    changed = local.history.order_by("-history_date").first()
    assert (changed.history_type, changed.history_user, changed.value) == (
        "~",
        people.admin,
        Decimal("56"),
    )
    assert changed.numerator is None  # an empty cell in a column that is there clears it


def test_a_column_left_out_leaves_stored_values_alone(indicators):
    measurements_import(frame(HEADER + "EHCP_20WK,2026-09-01,2026-12-31,local,55,110,200,Why\n"))
    plan = measurements_import(
        frame(
            "indicator_code,period_start,period_end,area,value\n"
            + "EHCP_20WK,2026-09-01,2026-12-31,local,56\n"
        )
    )
    assert plan.updated == 1
    local = Measurement.objects.get()
    assert (local.value, local.numerator, local.denominator, local.commentary) == (
        Decimal("56"),
        Decimal("110"),
        Decimal("200"),
        "Why",
    )
    assert local.history.latest("history_date").commentary == "Why"


def test_every_new_and_changed_value_has_one_history_entry_saying_who(indicators, people):
    indicator = indicators[0]
    changed = MeasurementFactory(indicator=indicator, area="local", value=Decimal("40"))
    same = MeasurementFactory(indicator=indicator, area="england", value=Decimal("50"))
    before = Measurement.history.count()
    plan = measurements_import(
        frame(
            HEADER
            + "EHCP_20WK,2026-09-01,2026-12-31,la:873,61,,,\n"
            + f"EHCP_20WK,{changed.period_start},{changed.period_end},local,41,,,\n"
            + f"EHCP_20WK,{same.period_start},{same.period_end},england,50,,,\n"
        ),
        by=people.sendops,
    )
    assert (plan.added, plan.updated, plan.unchanged) == (1, 1, 1)
    added = Measurement.objects.get(area="la:873")
    entries = Measurement.history.filter(history_user=people.sendops)
    assert sorted((h.id, h.history_type, h.value) for h in entries) == sorted(
        [(added.pk, "+", Decimal("61")), (changed.pk, "~", Decimal("41"))]
    )
    assert Measurement.history.count() == before + 2  # the unchanged value gets no entry
    assert same.history.count() == 1


def test_the_value_history_names_its_person_without_a_constraint_checked_per_row(
    indicators, people
):
    """An import writes a history row per value: PostgreSQL does not check each one's person
    again at commit (no foreign key constraint), and the person is still named, and emptied
    when the person is deleted through Django, as before."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, Measurement.history.model._meta.db_table
        )
    checked = {c["columns"][0] for c in constraints.values() if c["foreign_key"]}
    assert "history_user_id" not in checked
    by_index = {c["columns"][0] for c in constraints.values() if c["index"]}
    assert {"history_user_id", "indicator_id"} <= by_index  # a deletion and the history page
    assert not {"id", "history_date"} & by_index  # read by no query; each costs a write an entry
    person = UserFactory(roles=["sendops"])
    measurements_import(frame(HEADER + "EHCP_20WK,2026-09-01,2026-12-31,local,61,,,\n"), by=person)
    entry = Measurement.history.get(history_user=person)
    person.delete()
    entry.refresh_from_db()
    assert entry.history_user is None and entry.value == Decimal("61")


def test_a_file_of_new_values_is_matched_once_and_updates_nothing(indicators, people):
    text = HEADER + "".join(
        f"EHCP_20WK,2026-09-01,2026-12-31,la:{n},5{n % 10},,,\n" for n in range(800, 820)
    )
    with CaptureQueriesContext(connection) as queries:
        plan = measurements_import(frame(text), by=people.sendops)
    assert (plan.added, plan.updated) == (20, 0)
    writes = [
        q["sql"] for q in queries.captured_queries if "kpis_historicalmeasurement" in q["sql"]
    ]
    assert len(writes) == 1 and "INSERT INTO" in writes[0] and "UPDATE" not in writes[0]
    assert Measurement.history.filter(history_type="+", history_user=people.sendops).count() == 20
    again = measurements_import(frame(text.replace(",50,,,", ",49,,,")), by=people.admin)
    assert (again.added, again.updated, again.unchanged) == (0, 2, 18)
    changed = Measurement.history.filter(history_type="~")
    assert [(h.area, h.value, h.history_user) for h in changed.order_by("area")] == [
        ("la:800", Decimal("49"), people.admin),
        ("la:810", Decimal("49"), people.admin),
    ]
