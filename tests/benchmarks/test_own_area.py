"""The area knows who it is: set by ONS code (command or page), kept in the history, and
compared with the set the partnership chose, its own comparator group included."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from benchmarks import demo
from benchmarks.models import Authority, Level, Neighbour, NeighbourSet, OwnArea
from benchmarks.neighbours import neighbours_import
from benchmarks.queries import comparison_set, own_area
from benchmarks.signals import published_data_changed
from tests.benchmarks.layouts import NEIGHBOURS_EXCERPT
from tests.conflicts import assert_refused, page_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def south_east() -> Authority:
    return Authority.objects.get(code="E12000008")  # shipped with the lineage of authorities


@pytest.fixture
def west_sussex(south_east) -> Authority:
    return Authority.objects.create(
        code="E10000032",
        old_code="938",
        name="West Sussex",
        level=Level.LOCAL_AUTHORITY,
        region=south_east,
    )


@pytest.fixture
def told():
    records = []

    def listener(sender, record, **kwargs):
        records.append(record)

    published_data_changed.connect(listener)
    yield records
    published_data_changed.disconnect(listener)


def authority(code: str, name: str) -> Authority:
    return Authority.objects.create(code=code, name=name, level=Level.LOCAL_AUTHORITY)


def test_set_area_by_ons_code_or_dfe_number(
    west_sussex, capsys, told, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("set_area", "e10000032")
    assert own_area() == west_sussex
    assert "This area is now West Sussex (E10000032)" in capsys.readouterr().out
    assert told == [None]
    hartlepool = authority("E06000001", "Hartlepool")
    hartlepool.old_code = "805"
    hartlepool.save()
    call_command("set_area", "805")
    assert own_area() == hartlepool
    assert OwnArea.objects.count() == 1
    assert [h.authority_id for h in OwnArea.history.order_by("history_date")] == [
        west_sussex.pk,
        hartlepool.pk,
    ]


def test_set_area_creates_a_local_authority_the_portal_has_not_met(told):
    call_command("set_area", "E06000023", "--name", "Bristol, City of")
    made = Authority.objects.get(code="E06000023")
    assert (made.name, made.level, made.region) == ("Bristol, City of", Level.LOCAL_AUTHORITY, None)
    assert own_area() == made


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("E06000023", "The portal does not know E06000023 yet: give its name too"),
        ("938", '"938" is the DfE number of no authority the portal knows yet.'),
        ("W06000001", '"W06000001" is not a local authority\'s ONS code: use E06, E08'),
        ("E12000008", "South East (E12000008) is not a local authority"),
    ],
)
def test_set_area_refuses_a_code_that_is_no_local_authority(south_east, code, message):
    with pytest.raises(CommandError) as error:
        call_command("set_area", code)
    assert str(error.value).startswith(message)
    assert not OwnArea.objects.exists()


def test_set_area_keeps_the_chosen_set_when_it_lists_the_new_authority():
    _, saved = neighbours_import(NEIGHBOURS_EXCERPT, release="2025")
    call_command("set_area", "E06000001")
    OwnArea.objects.update(neighbour_set=saved.neighbour_set)
    call_command("set_area", "E06000002")
    assert OwnArea.objects.get().neighbour_set == saved.neighbour_set
    call_command("set_area", "E08000024")  # Sunderland: a neighbour, not listed itself
    assert OwnArea.objects.get().neighbour_set is None


def area_post(**data) -> dict:
    return {"authority": "", "code": "", "name": "", "neighbour_set": "", **data}


@pytest.mark.parametrize("who", ["admin", "sendops"])
def test_admins_and_sendops_choose_the_area_and_its_comparators(
    who, people, client_for, west_sussex
):
    _, saved = neighbours_import(NEIGHBOURS_EXCERPT, release="2025")
    client = client_for(people[who])
    url = reverse("benchmarks:own_area")
    version = page_version(client.get(url))
    response = client.post(url, area_post(authority=west_sussex.pk, version=version))
    assert response.status_code == 302 and own_area() == west_sussex
    version = page_version(client.get(url))
    response = client.post(
        url, area_post(code="E06000001", neighbour_set=saved.neighbour_set.pk, version=version)
    )
    assert response.status_code == 302
    own = OwnArea.objects.get()
    assert (own.authority.code, own.neighbour_set) == ("E06000001", saved.neighbour_set)
    page = client.get(url).content.decode()
    assert "DfE statistical neighbours (2025): 10 authorities" in page
    # The way back to the latest DfE set is offered as a radio of its own, and chosen by it.
    assert re.search(r'<input[^>]*name="neighbour_set"[^>]*value=""', page)
    assert "The latest DfE statistical neighbours" in page
    version = page_version(client.get(url))
    response = client.post(url, area_post(code="E06000001", neighbour_set="", version=version))
    assert response.status_code == 302
    assert OwnArea.objects.get().neighbour_set is None


def test_the_page_names_what_is_wrong(people, client_for, west_sussex):
    _, saved = neighbours_import(NEIGHBOURS_EXCERPT, release="2025")
    client = client_for(people.sendops)
    url = reverse("benchmarks:own_area")
    version = page_version(client.get(url))
    nothing = client.post(url, area_post(version=version))
    assert "Choose the authority, or give its ONS code" in nothing.content.decode()
    unnamed = client.post(url, area_post(code="E06000099", version=version))
    assert "The portal does not know E06000099 yet: give its name too" in unnamed.content.decode()
    unlisted = client.post(
        url,
        area_post(authority=west_sussex.pk, neighbour_set=saved.neighbour_set.pk, version=version),
    )
    assert "DfE statistical neighbours lists no neighbours of West Sussex" in (
        unlisted.content.decode()
    )
    assert not OwnArea.objects.exists()
    created = client.post(url, area_post(code="E06000099", name="Newtown", version=version))
    assert created.status_code == 302
    assert own_area().name == "Newtown"


def test_a_stale_save_of_the_area_is_refused(people, client_for, west_sussex):
    hartlepool = authority("E06000001", "Hartlepool")
    client = client_for(people.admin)
    url = reverse("benchmarks:own_area")
    opened = page_version(client.get(url))
    call_command("set_area", "E06000001")  # a colleague sets it meanwhile
    response = client.post(url, area_post(authority=west_sussex.pk, version=opened))
    assert_refused(response, "area's settings", url)
    assert own_area() == hartlepool
    fresh = page_version(client.get(url))
    assert client.post(url, area_post(authority=west_sussex.pk, version=fresh)).status_code == 302
    assert own_area() == west_sussex


def group_post(name: str, members: list[Authority], version: str) -> dict:
    return {"name": name, "members": [m.pk for m in members], "version": version}


def test_the_own_comparator_group_is_saved_as_a_new_version_each_time(
    people, client_for, west_sussex, told, django_capture_on_commit_callbacks
):
    kent = authority("E10000016", "Kent")
    surrey = authority("E10000030", "Surrey")
    hampshire = authority("E10000014", "Hampshire")
    call_command("set_area", "E10000032")
    client = client_for(people.sendops)
    url = reverse("benchmarks:comparator_group")
    page = client.get(url)
    assert "West Sussex (E10000032)" not in page.content.decode()  # not its own comparator
    response = client.post(url, group_post("South coast", [surrey, kent], page_version(page)))
    assert response.status_code == 302
    first = NeighbourSet.objects.get(kind=NeighbourSet.Kind.OWN)
    assert first.name == "South coast" and first.created_by == people.sendops
    assert list(
        Neighbour.objects.filter(neighbour_set=first).values_list(
            "authority__code", "rank", "neighbour__code"
        )
    ) == [("E10000032", 1, "E10000016"), ("E10000032", 2, "E10000030")]
    assert comparison_set(west_sussex).neighbour_set is None  # read only once chosen
    OwnArea.objects.update(neighbour_set=first)
    told.clear()
    page = client.get(url)
    assert page.context["form"]["name"].value() == "South coast"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, group_post("South coast", [hampshire, kent], page_version(page)))
    second = NeighbourSet.objects.filter(kind=NeighbourSet.Kind.OWN).latest("pk")
    assert second != first
    assert comparison_set(west_sussex).codes == ("E10000014", "E10000016")
    assert comparison_set(west_sussex).label == "South coast"
    assert Neighbour.objects.filter(neighbour_set=first).count() == 2  # the old version kept
    assert told == [None]


def test_a_stale_save_of_the_group_is_refused(people, client_for, west_sussex):
    kent = authority("E10000016", "Kent")
    call_command("set_area", "E10000032")
    client = client_for(people.sendops)
    url = reverse("benchmarks:comparator_group")
    opened = page_version(client.get(url))
    assert client.post(url, group_post("Mine", [kent], opened)).status_code == 302
    response = client.post(url, group_post("Again", [kent], opened))
    assert_refused(response, "comparator group", url)
    assert NeighbourSet.objects.filter(kind=NeighbourSet.Kind.OWN).count() == 1


def test_the_group_needs_the_area_first(people, client_for):
    page = client_for(people.sendops).get(reverse("benchmarks:comparator_group"))
    assert "Say which authority this area is first" in page.content.decode()


def test_the_demo_area_is_west_sussex():
    demo.seed(None)  # type: ignore[arg-type]
    demo.seed(None)  # type: ignore[arg-type]
    area = own_area()
    assert (area.code, area.old_code, area.name) == ("E10000032", "938", "West Sussex")
    assert (area.region.code, area.region.name) == ("E12000008", "South East")
    assert OwnArea.objects.count() == 1


def test_the_portal_is_one_area(west_sussex):
    OwnArea.objects.create(authority=west_sussex)
    with pytest.raises(IntegrityError), transaction.atomic():
        OwnArea.objects.create(authority=west_sussex)
