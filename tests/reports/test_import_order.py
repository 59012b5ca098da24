"""The report's modules import one another one way only (models, compile, tasks, services,
views), so none of them needs an import hidden inside a function to load."""

import ast
from pathlib import Path

import send_qa.reports

PACKAGE = "send_qa.reports"


def imports_of(path: Path) -> set[str]:
    """Every module of the package that `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name for name in names if name.startswith(f"{PACKAGE}.")}
    return found


def test_the_report_modules_have_no_import_cycle():
    folder = Path(send_qa.reports.__file__).parent
    modules = {f"{PACKAGE}.{path.stem}": path for path in folder.glob("*.py")}
    graph = {name: imports_of(path) & modules.keys() - {name} for name, path in modules.items()}
    visiting, done = [], set()

    def visit(name: str) -> None:
        assert name not in visiting, " -> ".join([*visiting[visiting.index(name) :], name])
        if name in done:
            return
        visiting.append(name)
        for imported in sorted(graph[name]):
            visit(imported)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
