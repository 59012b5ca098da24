"""The one rule for a KPI value (kpis/validity.py): the values form and the file import accept
the same values, refuse the same values with the same message at the same field, and keep
the same numbers."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from kpis.forms import MeasurementForm
from kpis.imports import TableImportError, measurements_check, read_table
from kpis.models import Measurement
from kpis.validity import kept
from tests.kpis.factories import IndicatorFactory
from tests.strategies import checked, csv_bytes, numbers_near_edges

pytestmark = pytest.mark.django_db

HEADER = ["indicator_code", "period_start", "period_end", "area", "value"]
HEADER += ["numerator", "denominator", "period_label"]
DAY = datetime.date(2026, 9, 1)


@pytest.fixture
def indicators():
    return {
        "percentage": IndicatorFactory(code="EHCP_20WK", unit="percentage"),
        "count": IndicatorFactory(code="EHCP_COUNT", unit="count"),
    }


def text(number: Decimal | None) -> str:
    return "" if number is None else format(number, "f")


def through_the_form(indicator, values: dict) -> tuple[set, dict | None]:
    """(field, message) of each problem the form names, the area's field read as "value";
    and what it would save when it names none."""
    field = MeasurementForm.AREA_FIELDS[values["area"]]
    form = MeasurementForm(
        {
            "period_start": values["period_start"].isoformat(),
            "period_end": values["period_end"].isoformat(),
            "period_label": values["period_label"],
            field: text(values["value"]),
            "numerator": text(values["numerator"]),
            "denominator": text(values["denominator"]),
        },
        indicator=indicator,
    )
    if not form.is_valid():
        named = {("value" if name == field else name) for name in form.errors}
        assert named <= {"value", "numerator", "denominator", "period_end", "period_label"}
        problems = {
            ("value" if name == field else name, str(message))
            for name, messages in form.errors.items()
            for message in messages
        }
        return problems, None
    data = form.cleaned_data
    return set(), {
        "value": data[field],
        "numerator": data["numerator"],
        "denominator": data["denominator"],
    }


def through_the_import(indicator, values: dict) -> tuple[set, dict | None]:
    row = [
        indicator.code,
        values["period_start"].isoformat(),
        values["period_end"].isoformat(),
        values["area"],
        text(values["value"]),
        text(values["numerator"]),
        text(values["denominator"]),
        values["period_label"],
    ]
    frame = read_table(io.BytesIO(csv_bytes(HEADER, [row])), "values.csv")
    try:
        plan = measurements_check(frame)
    except TableImportError as error:
        assert all(problem.row == 2 for problem in error.problems)
        return {(problem.column, problem.message) for problem in error.problems}, None
    (stored,) = plan.rows.astype(object).where(plan.rows.notna(), None).to_dict("records")
    return set(), {
        name: None if stored[name] is None else Decimal(stored[name])
        for name in ("value", "numerator", "denominator")
    }


values = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(["percentage", "count"]),
        "area": st.sampled_from(list(MeasurementForm.AREA_FIELDS)),
        "period_start": st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)),
        "period_end": st.one_of(
            st.just(datetime.date(2030, 12, 31)),
            st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)),
        ),
        "period_label": st.one_of(
            st.sampled_from(["", "Autumn 2026", "x" * 60, "x" * 61]),
            st.text("abc XYZ/2026", max_size=70),
        ),
        "value": numbers_near_edges(),
        "numerator": st.one_of(st.none(), numbers_near_edges()),
        "denominator": st.one_of(st.none(), numbers_near_edges()),
    }
)

EXAMPLE = {
    "unit": "percentage",
    "area": "local",
    "period_start": DAY,
    "period_end": DAY,
    "period_label": "",
    "value": Decimal("25"),
    "numerator": Decimal("10"),
    "denominator": Decimal("40"),
}


@checked(150)
@given(values=values)
@example(values=EXAMPLE)
@example(values={**EXAMPLE, "value": Decimal("25.2")})  # 0.2 from numerator / denominator
@example(values={**EXAMPLE, "value": Decimal("100.0005"), "numerator": None})
@example(values={**EXAMPLE, "value": Decimal("66.6666666"), "numerator": Decimal("2")})
@example(values={**EXAMPLE, "unit": "count", "value": Decimal("-1"), "denominator": Decimal(0)})
@example(values={**EXAMPLE, "unit": "count", "numerator": Decimal("-0.5")})
@example(values={**EXAMPLE, "period_end": DAY - datetime.timedelta(days=1), "area": "england"})
@example(values={**EXAMPLE, "period_label": "x" * 61, "value": Decimal(10) ** 11})
def test_the_form_and_the_import_accept_and_refuse_the_same_values(indicators, values):
    if values["area"] != "local":  # the form keeps a numerator and denominator for this area's
        values = {**values, "numerator": None, "denominator": None}
    indicator = indicators[values["unit"]]
    form = through_the_form(indicator, values)
    imported = through_the_import(indicator, values)
    assert form == imported
    problems, saved = form
    if saved is not None:
        assert saved["value"] == kept(values["value"])
        stored = Measurement(
            indicator=indicator,
            period_start=values["period_start"],
            period_end=values["period_end"],
            period_label=values["period_label"].strip(),
            area=values["area"],
            **saved,
        )
        stored.full_clean()  # the model's own check says the same
    for _, message in problems:
        assert message[0].isupper() and not message.endswith(".")


def test_more_than_three_decimal_places_are_kept_rounded_half_up(indicators):
    values = {**EXAMPLE, "value": Decimal("66.6665"), "numerator": Decimal("2")}
    values["denominator"] = Decimal("3")
    for way in (through_the_form, through_the_import):
        assert way(indicators["percentage"], values) == (
            set(),
            {"value": Decimal("66.667"), "numerator": Decimal(2), "denominator": Decimal(3)},
        )


def test_the_model_refuses_what_the_rule_refuses(indicators):
    measurement = Measurement(
        indicator=indicators["count"],
        period_start=DAY,
        period_end=DAY,
        area="england",
        value=Decimal("-1"),
        denominator=Decimal("0"),
    )
    with pytest.raises(ValidationError) as error:
        measurement.full_clean()
    assert error.value.message_dict == {
        "value": ["Enter a value of 0 or more"],
        "denominator": ["Enter a denominator above 0, or leave it empty"],
    }
