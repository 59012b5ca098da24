"""Evidence that raises an improvement action, and the actions that follow it up.

The apps that hold evidence (audit findings, moderation sessions, KPI exceptions, advice
services, Local Offer checks, risks, board decisions) and the app that holds actions (wsoa) never
import each other. They meet here, on the floor below both, through a small generic reference:
a *kind* (a registered key such as ``"kpi_exception"``) and an opaque *ref* (a string the owning
app alone understands, never a database id a user could guess).

- An app that holds evidence registers, per kind, a function that describes one piece of
  evidence for a user (its words, its figure as shown, where it lives, whether it is still a
  concern). It returns ``None`` when the evidence is gone or the user may not see it.
- The app that holds actions registers the follow-up side: the actions raised from some refs of
  a kind, in one query, and where to raise a new one.

An action keeps its own copy of what the evidence said when it was raised (wsoa's
``ActionSource``), so the link survives the evidence being removed under the retention policy.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from send_qa.core.models import User


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence as a user may see it, in the users' words.

    ``figure`` is the figure as shown (already rounded and suppressed by its owning app's one
    rule). ``concern`` says whether the evidence still gives cause for concern: ``False`` once it
    has improved (the KPI is no longer red, the question now scores well), ``None`` when the
    owning app cannot tell. ``now`` says what the evidence shows today, beside the figure at
    the time an action was raised.
    """

    kind: str
    ref: str
    title: str
    words: str
    figure: str = ""
    url: str = ""
    term: str = ""
    owner_suggestion: User | None = None
    due_suggestion: datetime.date | None = None
    concern: bool | None = None
    now: str = ""


@dataclass(frozen=True)
class FollowUp:
    """An action raised from a piece of evidence, as the evidence page lists it."""

    title: str
    url: str
    status: str
    status_colour: str = ""


Describe = Callable[[str, User], Evidence | None]
FollowUpsOf = Callable[[str, Iterable[str], User], dict[str, list[FollowUp]]]
RaiseUrl = Callable[[str, str, User], str | None]


@dataclass(frozen=True)
class EvidenceKind:
    key: str
    label: str
    describe: Describe


_kinds: dict[str, EvidenceKind] = {}
_follow_ups: list[FollowUpsOf] = []
_raise_urls: list[RaiseUrl] = []


def register_evidence(key: str, label: str, describe: Describe) -> None:
    """Called from an app's ``AppConfig.ready()``; registering a key twice keeps the last."""
    _kinds[key] = EvidenceKind(key, label, describe)


def register_follow_ups(follow_ups_of: FollowUpsOf, raise_url: RaiseUrl) -> None:
    if follow_ups_of not in _follow_ups:
        _follow_ups.append(follow_ups_of)
    if raise_url not in _raise_urls:
        _raise_urls.append(raise_url)


def kinds() -> dict[str, EvidenceKind]:
    return dict(_kinds)


def kind_label(key: str) -> str:
    kind = _kinds.get(key)
    return kind.label if kind else "Evidence"


def evidence_of(key: str, ref: str, user: User) -> Evidence | None:
    """The evidence a reference names, as ``user`` may see it; ``None`` if unknown or gone."""
    kind = _kinds.get(key)
    if kind is None or not ref:
        return None
    return kind.describe(ref, user)


def follow_ups(key: str, refs: Iterable[str], user: User) -> dict[str, list[FollowUp]]:
    """The actions raised from each of ``refs`` that ``user`` may see, in a fixed number of
    queries whatever the number of refs."""
    refs = list(refs)
    found: dict[str, list[FollowUp]] = {ref: [] for ref in refs}
    for follow_ups_of in _follow_ups:
        for ref, items in follow_ups_of(key, refs, user).items():
            found.setdefault(ref, []).extend(items)
    return found


def raise_url(key: str, ref: str, user: User) -> str | None:
    """Where ``user`` raises an action from this evidence, or ``None`` if they may not."""
    if not ref or key not in _kinds:
        return None
    for url_of in _raise_urls:
        url = url_of(key, ref, user)
        if url:
            return url
    return None
