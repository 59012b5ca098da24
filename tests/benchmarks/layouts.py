"""Rows in the DfE's explore-education-statistics layout, for tests: the twelve standard
columns as published, then the measure columns of a registry table."""

import io
from pathlib import Path

from django.conf import settings

from benchmarks.registry import EES_COLUMNS, tables

DATA = Path(settings.BASE_DIR) / "tests" / "data"
ANNUAL_REVIEWS_EXCERPT = DATA / "dfe_ees_annual_reviews_2024_excerpt.csv"
NEIGHBOURS_EXCERPT = DATA / "lait_2025_statistical_neighbours_excerpt.csv"

ENGLAND = ("National", "E92000001", "England", "", "", "", "", "")
SOUTH_EAST = ("Regional", "E92000001", "England", "E12000008", "South East", "", "", "")
WEST_SUSSEX = (
    "Local authority",
    "E92000001",
    "England",
    "E12000008",
    "South East",
    "E10000032",
    "938",
    "West Sussex",
)


def local_authority(code: str, old: str, name: str, region: str = "E12000008") -> tuple:
    names = {"E12000008": "South East", "E12000009": "South West", "E12000001": "North East"}
    return (
        "Local authority",
        "E92000001",
        "England",
        region,
        names.get(region, region),
        code,
        old,
        name,
    )


def ees_csv(
    table: str,
    rows: list[tuple],
    *,
    period: str = "2024",
    identifier: str = "Calendar year",
    headline: str = "All rows",
) -> bytes:
    """A file of `table`: each row is (area columns, {measure: cell}) with optional breakdown
    (topic, breakdown) as a third item; measures not given are "x"."""
    measures = tables()[table].measures
    lines = [",".join([*EES_COLUMNS, *measures])]
    for row in rows:
        area, cells = row[0], row[1]
        topic, breakdown = row[2] if len(row) > 2 else (headline, headline)
        values = [str(cells.get(m, "x")) for m in measures]
        lines.append(",".join([period, identifier, *area, topic, breakdown, *values]))
    return ("\n".join(lines) + "\n").encode()


def as_file(content: bytes, name: str = "file.csv") -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle
