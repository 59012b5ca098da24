"""Papers that go to a meeting, from the apps that hold them.

Released report versions live in the reports app, action-plan summaries in wsoa; the meetings
app (governance) may import neither. They meet here, on the floor below all three, as
``send_qa.core.follow_up`` meets evidence and actions: a *kind* (a registered key such as
``"report_version"``) and an opaque *ref* (a string the owning app alone understands, never a
database id a user could guess).

An app that holds papers registers, per kind, the papers a user may add to a meeting
(``candidates``) and one paper as a user may see it (``describe``, ``None`` when it is gone or
hidden from them). A meeting keeps its own copy of a paper's title and address, so that its
papers still read after the source is removed.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from send_qa.core.models import User


@dataclass(frozen=True)
class Paper:
    """One paper as a user may see it: where it lives and the date it carries, if any."""

    kind: str
    ref: str
    title: str
    url: str
    date: datetime.date | None = None


Candidates = Callable[[User], list[Paper]]
DescribePaper = Callable[[str, User], Paper | None]


@dataclass(frozen=True)
class PaperKind:
    key: str
    label: str
    candidates: Candidates
    describe: DescribePaper


_kinds: dict[str, PaperKind] = {}


def register_papers(key: str, label: str, candidates: Candidates, describe: DescribePaper) -> None:
    """Called from an app's ``AppConfig.ready()``; registering a key twice keeps the last."""
    _kinds[key] = PaperKind(key, label, candidates, describe)


def kinds() -> dict[str, PaperKind]:
    return dict(_kinds)


def kind_label(key: str) -> str:
    kind = _kinds.get(key)
    return kind.label if kind else "Paper"


def candidates(user: User) -> list[Paper]:
    """Every paper ``user`` may add to a meeting, kind by kind in the order registered."""
    found: list[Paper] = []
    for kind in _kinds.values():
        found.extend(kind.candidates(user))
    return found


def paper_of(key: str, ref: str, user: User) -> Paper | None:
    """The paper a reference names, as ``user`` may see it; ``None`` if unknown or gone."""
    kind = _kinds.get(key)
    if kind is None or not ref:
        return None
    return kind.describe(ref, user)
