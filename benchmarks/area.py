"""Who the portal's own local area is, and which comparator set it reads (issue 17, item 5):
set by `python manage.py set_area CODE` or on the "This area" page, kept in the history, and
the partnership's own comparator group, saved as a new version each time."""

from django.db import transaction

from benchmarks.models import (
    LA_ONS_CODE,
    OLD_LA_CODE,
    Authority,
    Import,
    Level,
    Neighbour,
    NeighbourSet,
    OwnArea,
)
from benchmarks.signals import published_data_changed
from send_qa.core.models import User

OWN_GROUP_NAME = "Our comparator group"


class AreaProblem(ValueError):
    """A code that names no local authority the portal can be."""


def area_find(code: str, *, name: str = "") -> Authority:
    """The local authority `code` names: a known one by ONS code or DfE number, or a new one
    (not saved yet) for a local authority's ONS code the portal has not met, given its name."""
    text = code.strip().upper()
    found = Authority.objects.filter(code=text).first()
    if found is None and OLD_LA_CODE.match(text):
        found = Authority.objects.local_authorities().filter(old_code=text).first()
        if found is None:
            raise AreaProblem(
                f'"{text}" is the DfE number of no authority the portal knows yet. Give the '
                "area's ONS code (E06, E08, E09 or E10 and six digits) and its name."
            )
    if found is not None:
        if found.level != Level.LOCAL_AUTHORITY:
            raise AreaProblem(
                f"{found} is not a local authority: give the ONS code of the area's local "
                "authority (E06, E08, E09 or E10 and six digits)."
            )
        return found
    if not LA_ONS_CODE.match(text):
        raise AreaProblem(
            f'"{code.strip()[:40]}" is not a local authority\'s ONS code: use E06, E08, E09 or '
            "E10 and six digits (West Sussex is E10000032), or the DfE number of an authority "
            "the portal knows."
        )
    if not name.strip():
        raise AreaProblem(
            f"The portal does not know {text} yet: give its name too, as the DfE writes it."
        )
    return Authority(code=text, name=name.strip(), level=Level.LOCAL_AUTHORITY)


def choosable_sets() -> list[NeighbourSet]:
    """The comparator sets the own area may read: every DfE set and the latest version of the
    partnership's own group."""
    sets = list(NeighbourSet.objects.filter(kind=NeighbourSet.Kind.DFE))
    own = own_group()
    return ([own] if own else []) + sets


def own_group() -> NeighbourSet | None:
    """The latest version of the partnership's own comparator group."""
    return NeighbourSet.objects.filter(kind=NeighbourSet.Kind.OWN).order_by("-pk").first()


def own_group_codes() -> list[str]:
    found = own_group()
    if found is None:
        return []
    return list(
        Neighbour.objects.filter(neighbour_set=found)
        .order_by("rank")
        .values_list("neighbour__code", flat=True)
    )


def set_kept(authority: Authority) -> NeighbourSet | None:
    """The comparator set the own area reads now, if it lists neighbours of `authority`: what
    a new own area keeps (else it reads the latest DfE statistical neighbours)."""
    own = OwnArea.objects.select_related("neighbour_set").first()
    if own is None or own.neighbour_set is None or authority.pk is None:
        return None
    listed = Neighbour.objects.filter(neighbour_set=own.neighbour_set, authority=authority)
    return own.neighbour_set if listed.exists() else None


@transaction.atomic
def own_area_save(authority: Authority, neighbour_set: NeighbourSet | None = None) -> OwnArea:
    """Make `authority` the portal's own area (saving it when new), reading `neighbour_set`
    (None: the latest DfE statistical neighbours). The comparators are told once it commits."""
    if authority.pk is None:
        authority.full_clean()
        authority.save()
    if neighbour_set is not None:
        listed = Neighbour.objects.filter(neighbour_set=neighbour_set, authority=authority)
        if not listed.exists():
            raise AreaProblem(
                f"{neighbour_set.name} lists no neighbours of {authority.name}: choose another "
                "set, or the latest DfE statistical neighbours."
            )
    own = OwnArea.objects.select_for_update().first() or OwnArea()
    if own.pk is None or own.authority_id != authority.pk or own.neighbour_set != neighbour_set:
        own.authority, own.neighbour_set = authority, neighbour_set
        own.save()
        transaction.on_commit(lambda: published_data_changed.send(sender=Import, record=None))
    return own


@transaction.atomic
def own_group_save(name: str, members: list[Authority], *, by: User | None = None) -> NeighbourSet:
    """Save the partnership's own comparator group as a new version (so a past report still
    says which it used), for the own area; the own area reads the new version when it read
    the group before."""
    own = OwnArea.objects.select_for_update(of=("self",)).select_related("neighbour_set").first()
    if own is None:
        raise AreaProblem("Say which authority this area is first.")
    group = NeighbourSet.objects.create(kind=NeighbourSet.Kind.OWN, name=name, created_by=by)
    Neighbour.objects.bulk_create(
        Neighbour(neighbour_set=group, authority=own.authority, neighbour=member, rank=rank)
        for rank, member in enumerate(members, start=1)
        if member.pk != own.authority_id
    )
    if own.neighbour_set is not None and own.neighbour_set.kind == NeighbourSet.Kind.OWN:
        own.neighbour_set = group
        own.save()
        transaction.on_commit(lambda: published_data_changed.send(sender=Import, record=None))
    return group
