"""The floors of docs/architecture.md, checked on the code: imports only go down, and an app
reads another only through the named modules it offers. Evidence and the actions raised from
it meet in `send_qa.core.follow_up`, papers in `send_qa.core.papers`, never by one app
importing another."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = {
    "send_qa.core": ROOT / "send_qa" / "core",
    "audits": ROOT / "audits",
    "benchmarks": ROOT / "benchmarks",
    "kpis": ROOT / "kpis",
    "wsoa": ROOT / "wsoa",
    "risks": ROOT / "risks",
    "governance": ROOT / "governance",
}
UPPER = ("send_qa.reports", "send_qa.dashboard")
# What each app may import of the others (core is open to all). kpis reads audits and
# benchmarks through their query modules, listens to their signals and wires the signals to
# audits' models in its AppConfig; its DfE import command calls the benchmarks import.
MAY_READ: dict[str, set[str]] = {
    "send_qa.core": set(),
    "audits": set(),
    "benchmarks": set(),
    "wsoa": set(),
    "risks": set(),
    "governance": set(),
    "kpis": {
        "audits.queries",
        "audits.signals",
        "audits.models",
        "benchmarks.queries",
        "benchmarks.signals",
        "benchmarks.progress",
        "benchmarks.ees",
    },
}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if "." not in node.module:  # "from audits import queries" names the module
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def owner_of(module: str) -> str | None:
    for app in (*APPS, *UPPER):
        if module == app or module.startswith(f"{app}."):
            return app
    return None


def crossings(app: str) -> list[str]:
    problems = []
    for path in APPS[app].rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for module in imported_modules(path):
            owner = owner_of(module)
            if owner in (None, app, "send_qa.core"):
                continue
            allowed = any(module == name or module.startswith(f"{name}.") for name in MAY_READ[app])
            if not allowed and module == owner:
                continue  # the package itself, read through the module named beside it
            if not allowed:
                problems.append(f"{path.relative_to(ROOT)} imports {module}")
    return problems


@pytest.mark.parametrize("app", APPS)
def test_an_app_reads_another_only_through_what_it_offers(app):
    assert crossings(app) == []


def test_core_knows_no_app():
    assert crossings("send_qa.core") == []


def test_the_check_catches_a_crossing(tmp_path, monkeypatch):
    """The test above can fail: an import of wsoa from audits is found."""
    fake = tmp_path / "audits"
    fake.mkdir()
    (fake / "sneaky.py").write_text("from wsoa.models import Action\n")
    monkeypatch.setitem(APPS, "audits", fake)
    monkeypatch.setattr("tests.test_floors.ROOT", tmp_path)
    assert crossings("audits") == ["audits/sneaky.py imports wsoa.models"]
