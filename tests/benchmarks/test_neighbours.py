"""Importing the DfE's statistical neighbours, long and wide, as versioned sets."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from benchmarks.lineage import LINEAGE
from benchmarks.models import Authority, Import, Level, Neighbour, NeighbourSet, OwnArea
from benchmarks.neighbours import (
    MODEL,
    SET_NAME,
    neighbours_check,
    neighbours_import,
    neighbours_save,
)
from benchmarks.queries import comparison_set
from benchmarks.signals import published_data_changed
from send_qa.core.tables import TableImportError, read_table
from tests.benchmarks.layouts import NEIGHBOURS_EXCERPT, as_file

pytestmark = pytest.mark.django_db

LONG_HEADINGS = "la_code,la_name,SN,SN_code,SN_name,SN_prox"


def excerpt_rows() -> list[dict[str, str]]:
    with NEIGHBOURS_EXCERPT.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def wide_csv(*, style: str = "sn{}", names: bool = False, proximity: bool = False) -> bytes:
    """The excerpt's neighbours, one row per authority, ranks across."""
    listed: dict[str, dict] = {}
    for row in excerpt_rows():
        entry = listed.setdefault(row["la_code"], {"name": row["la_name"], "by_rank": {}})
        entry["by_rank"][int(row["SN"])] = row
    headings = ["la_code", "la_name"]
    for rank in range(1, 11):
        column = style.format(rank)
        headings += [column] + ([f"{column}_name"] if names else [])
        headings += [f"{column}_prox"] if proximity else []
    lines = [headings]
    for code, entry in listed.items():
        line = [code, entry["name"]]
        for rank in range(1, 11):
            row = entry["by_rank"][rank]
            line += [row["SN_code"]] + ([row["SN_name"]] if names else [])
            line += [row["SN_prox"]] if proximity else []
        lines.append(line)
    return as_csv(lines)


def long_csv(rows: list[tuple]) -> bytes:
    return as_csv([LONG_HEADINGS.split(","), *[list(map(str, r)) for r in rows]])


def ten(code: str, name: str, *, start: int = 0) -> list[tuple]:
    """`code`'s ten neighbours, E08000001 onwards."""
    return [
        (code, name, rank, f"E08{start + rank:06d}", f"Borough {start + rank}", "Close ")
        for rank in range(1, 11)
    ]


def check(content: bytes, *, name: str = "neighbours.csv", sha: str = "0" * 64, **kwargs):
    return neighbours_check(
        read_table(as_file(content), name), file_name=name, sha256=sha, **kwargs
    )


def problems_of(content: bytes) -> list[str]:
    with pytest.raises(TableImportError) as error:
        check(content)
    return [str(p) for p in error.value.problems]


def stored(neighbour_set: NeighbourSet) -> list[tuple[str, int, str, str]]:
    return list(
        Neighbour.objects.filter(neighbour_set=neighbour_set)
        .order_by("authority__code", "rank")
        .values_list("authority__code", "rank", "neighbour__code", "proximity")
    )


def shipped_codes() -> set[str]:
    """The authorities a fresh database knows: the regions and successors of the lineage."""
    data = json.loads(LINEAGE.read_text())
    return set(data["regions"]) | {change["successor"][0] for change in data["changes"]}


SHIPPED = shipped_codes()


def test_the_published_excerpt_goes_in_as_downloaded(people):
    plan, saved = neighbours_import(NEIGHBOURS_EXCERPT, release="2025", by=people.sendops)
    assert plan.layout == "long" and saved.created
    found = saved.neighbour_set
    assert (found.kind, found.name, found.model, found.release) == (
        NeighbourSet.Kind.DFE,
        SET_NAME,
        MODEL,
        "2025",
    )
    assert found.effective_from == datetime.date.today()
    assert found.created_by == people.sendops
    record = saved.record
    assert found.source_import == record
    assert (record.kind, record.file_name, record.rows_read, record.rows_added) == (
        Import.Kind.NEIGHBOURS,
        NEIGHBOURS_EXCERPT.name,
        130,
        130,
    )
    assert len(record.sha256) == 64 and record.imported_by == people.sendops
    rows = stored(found)
    assert len({r[0] for r in rows}) == 13 and len(rows) == 130
    hartlepool = [r for r in rows if r[0] == "E06000001"]
    assert [r[1] for r in hartlepool] == list(range(1, 11))
    assert hartlepool[0][2:] == ("E06000003", "Very close")
    assert hartlepool[4][2:] == ("E06000002", "Close")
    assert {r[3] for r in rows} == {"Very close", "Close", "Somewhat close"}
    every_code = {r["la_code"] for r in excerpt_rows()} | {r["SN_code"] for r in excerpt_rows()}
    shipped = {a for a in Authority.objects.values_list("code", flat=True) if a not in every_code}
    assert every_code <= set(Authority.objects.values_list("code", flat=True))
    assert shipped == SHIPPED - every_code  # only the shipped lineage was there before
    sunderland = Authority.objects.get(code="E08000024")
    assert (sunderland.name, sunderland.level, sunderland.region) == (
        "Sunderland",
        Level.LOCAL_AUTHORITY,
        None,
    )
    assert Authority.objects.get(code="E06000023").name == "Bristol, City of"
    assert saved.authorities_added == len(every_code - SHIPPED)


@pytest.mark.parametrize(
    ("style", "names", "proximity"),
    [("sn{}", False, False), ("sn_{}", True, False), ("SN{}", True, True)],
)
def test_the_wide_layout_reads_the_same_neighbours(style, names, proximity):
    _, long = neighbours_import(NEIGHBOURS_EXCERPT, release="2025")
    wide = check(wide_csv(style=style, names=names, proximity=proximity), sha="1" * 64)
    assert wide.layout == "wide" and wide.rows_read == 13
    saved = neighbours_save(wide)
    assert saved.created and saved.neighbour_set != long.neighbour_set
    expected = stored(long.neighbour_set)
    if not proximity:
        expected = [(*r[:3], "") for r in expected]
    assert stored(saved.neighbour_set) == expected


def test_a_wide_file_may_give_dfe_numbers_of_known_authorities():
    for number, code in [("938", "E10000032"), *[(f"8{n:02d}", f"E10{n:06d}") for n in range(10)]]:
        Authority.objects.create(code=code, old_code=number, name=code, level=Level.LOCAL_AUTHORITY)
    headings = ["la_code", *[f"sn{rank}" for rank in range(1, 11)]]
    plan = check(as_csv([headings, ["938", *[f"8{n:02d}" for n in range(10)]]]))
    assert list(plan.listed) == ["E10000032"]
    assert plan.listed["E10000032"].neighbours[1][0] == "E10000000"
    assert plan.new_codes == []


def test_headings_of_neither_layout_are_refused_with_the_expected_headings():
    assert problems_of(b"code,neighbour\nE06000001,E06000002\n") == [
        "The headings do not match a statistical neighbour file. Use the long layout as the "
        "DfE publishes it (la_code, la_name, SN, SN_code, SN_name, SN_prox) or the wide layout "
        "(la_code, la_name, sn1, sn2, ... sn10, one row per authority; sn1_name ... and "
        "sn1_prox ... may follow). The file has: code, neighbour."
    ]


def test_a_wide_file_needs_a_column_for_each_rank_and_no_more():
    headings = ["la_code", *[f"sn{rank}" for rank in range(1, 10)], "sn_1", "sn11"]
    assert problems_of(as_csv([headings, ["E06000001"] * len(headings)])) == [
        "column 'sn_1': gives neighbour 1 again (column 'sn1' gives it). Keep one column for "
        "each rank.",
        "column 'sn11': is not a rank from 1 to 10: the wide layout lists ten neighbours, sn1 "
        "(closest) to sn10. Remove the column or give it the right rank.",
        "The file has no column for neighbour 10: the wide layout has one column per rank, sn1 "
        "(closest) to sn10.",
    ]


def test_a_code_that_is_no_authority_is_named():
    rows = ten("E06000001", "Hartlepool")
    rows[1] = ("E06000001", "Hartlepool", 2, "W06000001", "Anglesey", "Close")
    rows[2] = ("E06000001", "Hartlepool", 3, "999", "Nowhere", "Close")
    rows[3] = ("E12000001", "North East", 4, "E08000004", "Oldham", "Close")
    assert problems_of(long_csv(rows)) == [
        "Row 3, column 'sn_code': \"W06000001\" is not a local authority's ONS code. Use E06, "
        "E08, E09 or E10 and six digits (or the DfE's three-digit number of an authority the "
        "portal knows).",
        "Row 4, column 'sn_code': \"999\" is the DfE number of no authority the portal knows "
        "yet. Give the authority's ONS code (E06, E08, E09 or E10 and six digits), or import a "
        "DfE statistics file that names it first.",
        "Row 5, column 'la_code': \"E12000001\" is not a local authority's ONS code. Use E06, "
        "E08, E09 or E10 and six digits (or the DfE's three-digit number of an authority the "
        "portal knows).",
    ]
    assert Authority.objects.count() == len(SHIPPED) and not NeighbourSet.objects.exists()


def test_a_rank_repeated_or_missing_is_named():
    repeated = ten("E06000001", "Hartlepool")
    repeated[9] = ("E06000001", "Hartlepool", 9, "E08000010", "Borough 10", "Close")
    missing = ten("E06000002", "Middlesbrough")
    del missing[6:8]
    assert problems_of(long_csv(repeated + missing)) == [
        "Row 11, column 'sn': Hartlepool (E06000001) already has a neighbour ranked 9 (row 10). "
        "Give each of its neighbours its own rank, 1 to 10.",
        "Row 12, column 'sn': Middlesbrough (E06000002) has no neighbour ranked 7 or 8. List its "
        "ten neighbours, ranked 1 (closest) to 10.",
    ]


@pytest.mark.parametrize("rank", ["0", "11", "first", ""])
def test_a_rank_not_1_to_10_is_named(rank):
    rows = ten("E06000001", "Hartlepool")
    rows[9] = ("E06000001", "Hartlepool", rank, "E08000010", "Borough 10", "Close")
    assert problems_of(long_csv(rows)) == [
        f"Row 11, column 'sn': \"{rank}\" is not a rank from 1 to 10. Rank each authority's "
        "ten neighbours 1 (closest) to 10, as the DfE lists them."
    ]


def test_an_authority_listed_as_its_own_neighbour_is_named():
    rows = ten("E06000001", "Hartlepool")
    rows[3] = ("E06000001", "Hartlepool", 4, "E06000001", "Hartlepool", "Very close")
    assert problems_of(long_csv(rows)) == [
        "Row 5, column 'sn_code': \"E06000001\" is Hartlepool (E06000001) itself: an authority "
        "is not its own neighbour. Give the neighbour the DfE lists at this rank."
    ]


def test_a_neighbour_listed_twice_is_named():
    rows = ten("E06000001", "Hartlepool")
    rows[5] = ("E06000001", "Hartlepool", 6, "E08000002", "Borough 2", "Close")
    assert problems_of(long_csv(rows)) == [
        "Row 7, column 'sn_code': \"E08000002\" is already Hartlepool (E06000001)'s neighbour 2 "
        "(row 3). List each neighbour once."
    ]


def test_wide_rows_name_an_empty_cell_and_a_repeated_authority():
    headings = ["la_code", "la_name", *[f"sn{rank}" for rank in range(1, 11)]]
    full = ["E06000001", "Hartlepool", *[f"E08{n:06d}" for n in range(1, 11)]]
    gap = [*full[:6], "", *full[7:]]
    gap[0], gap[1] = "E06000002", "Middlesbrough"
    assert problems_of(as_csv([headings, full, gap, full])) == [
        "Row 3, column 'sn5': is empty. Give the ONS code of Middlesbrough (E06000002)'s "
        "neighbour ranked 5.",
        "Row 4, column 'la_code': \"E06000001\" is listed already (row 2). Give each authority "
        "one row, its ten neighbours across it.",
    ]


def test_a_file_with_headings_only_is_refused():
    assert problems_of((LONG_HEADINGS + "\n").encode()) == ["The file has headings but no rows."]


def test_reimporting_the_same_file_of_the_same_release_saves_nothing():
    neighbours_import(NEIGHBOURS_EXCERPT, release="2025")
    history = Authority.history.count()
    plan, saved = neighbours_import(NEIGHBOURS_EXCERPT, release="2025")
    assert plan.already == saved.neighbour_set
    assert not saved.created and saved.record is None
    assert (NeighbourSet.objects.count(), Import.objects.count()) == (1, 1)
    assert Neighbour.objects.count() == 130 and Authority.history.count() == history


def test_a_second_release_is_a_second_set_and_the_latest_in_force_is_read():
    first = neighbours_import(
        NEIGHBOURS_EXCERPT, release="2024", effective_from=datetime.date(2024, 4, 1)
    )[1].neighbour_set
    changed = ten("E06000001", "Hartlepool", start=20)
    second = neighbours_import_content(
        long_csv(changed), release="2025", effective_from=datetime.date(2025, 4, 1)
    )
    assert NeighbourSet.objects.filter(kind=NeighbourSet.Kind.DFE).count() == 2
    hartlepool = Authority.objects.get(code="E06000001")
    latest = comparison_set(hartlepool)
    assert latest.neighbour_set == second
    assert latest.codes == tuple(f"E08{n:06d}" for n in range(21, 31))
    assert latest.label == "DfE statistical neighbours (2025)"
    before = comparison_set(hartlepool, on=datetime.date(2024, 12, 31))
    assert before.neighbour_set == first and before.codes[0] == "E06000003"
    middlesbrough = Authority.objects.get(code="E06000002")  # not in the 2025 file
    assert comparison_set(middlesbrough).neighbour_set == first
    OwnArea.objects.create(authority=hartlepool, neighbour_set=first)
    assert comparison_set(hartlepool).neighbour_set == first


def neighbours_import_content(content: bytes, **kwargs) -> NeighbourSet:
    return neighbours_save(check(content, sha=str(len(content)) * 8, **kwargs)).neighbour_set


def test_the_import_tells_the_comparators_once_it_commits(django_capture_on_commit_callbacks):
    told = []

    def listener(sender, record, **kwargs):
        told.append(record)

    published_data_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _, saved = neighbours_import(NEIGHBOURS_EXCERPT, release="2025")
            assert told == []
        assert told == [saved.record]
        with django_capture_on_commit_callbacks(execute=True):
            neighbours_import(NEIGHBOURS_EXCERPT, release="2025")
        assert told == [saved.record]
    finally:
        published_data_changed.disconnect(listener)


def test_the_command_imports_and_says_when_nothing_changed(capsys):
    call_command(
        "import_neighbours",
        str(NEIGHBOURS_EXCERPT),
        "--release",
        "2025",
        "--effective-from",
        "2025-04-01",
    )
    out = capsys.readouterr().out
    assert out.startswith(f"Imported {NEIGHBOURS_EXCERPT.name} as DfE statistical neighbours 2025")
    assert "in use from 1 April 2025: 13 authorities, 130 neighbours" in out
    assert NeighbourSet.objects.get().effective_from == datetime.date(2025, 4, 1)
    call_command("import_neighbours", str(NEIGHBOURS_EXCERPT), "--release", "2025")
    assert "changed nothing: it was imported already" in capsys.readouterr().out
    assert NeighbourSet.objects.count() == 1


def test_the_command_names_the_problems_and_saves_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    rows = ten("E06000001", "Hartlepool")
    rows[0] = ("E06000001", "Hartlepool", 1, "E06000001", "Hartlepool", "Close")
    bad.write_bytes(long_csv(rows))
    with pytest.raises(CommandError, match="fix the 1 problem"):
        call_command("import_neighbours", str(bad))
    assert "Row 2, column 'sn_code'" in capsys.readouterr().err
    with pytest.raises(CommandError, match="is not a date"):
        call_command("import_neighbours", str(bad), "--effective-from", "1/4/2025")
    assert not NeighbourSet.objects.exists()


def test_the_upload_page_checks_then_saves(people, client_for, django_capture_on_commit_callbacks):
    client = client_for(people.sendops)
    url = reverse("benchmarks:neighbours_import")
    content = NEIGHBOURS_EXCERPT.read_bytes()
    checked = client.post(
        url, {"file": as_file(content, "lait.csv"), "release": "2025", "effective_from": ""}
    )
    assert checked.status_code == 200
    page = checked.content.decode()
    assert "Check before you import lait.csv" in page and "13, with 130 neighbours" in page
    assert not NeighbourSet.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, {"confirm": "1"})
    record = Import.objects.get(kind=Import.Kind.NEIGHBOURS)
    assert saved.status_code == 302
    assert saved.url == reverse("benchmarks:import_detail", kwargs={"pk": record.pk})
    assert NeighbourSet.objects.get().release == "2025"
    again = client.post(url, {"file": as_file(content, "lait.csv"), "release": "2025"})
    assert "This file was imported already as DfE statistical neighbours 2025" in (
        again.content.decode()
    )
    assert 'name="confirm"' not in again.content.decode()


def test_the_upload_page_lists_every_problem(people, client_for):
    rows = ten("E06000001", "Hartlepool")
    rows[0] = ("E06000001", "Hartlepool", 1, "E06000001", "Hartlepool", "Close")
    response = client_for(people.sendops).post(
        reverse("benchmarks:neighbours_import"),
        {"file": as_file(long_csv(rows), "bad.csv"), "release": "2025"},
    )
    page = response.content.decode()
    assert "Nothing was imported: fix 1 problem in the file" in page
    assert "is not its own neighbour" in page
    assert not NeighbourSet.objects.exists()
