"""The folder layout is the architecture: each part imports only the parts below it, and nothing imports in a circle.

Data flows one way: files -> parsing -> evaluator (+ front-end hooks) -> layer graph -> engine -> rules -> reporters.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cnnlint"

#: the analysis core and what each part may import; the command-line layers above (runner, cli, cache...)
#: may import anything below them, which the cycle test keeps honest
BELOW = {
    "dims": set(),
    "graph": {"dims"},
    "files": set(),
    "parsing": set(),
    "engine": {"dims", "graph"},
    "evaluator": {"dims", "graph", "parsing", "files"},
    "frontends": {"dims", "graph", "engine", "evaluator", "parsing"},
    "fixes": set(),
    "rules": {"dims", "graph", "engine", "fixes"},
    "reporters": {"__init__", "rules", "diagnostics", "results", "fixes"},
}


def _part(path: Path) -> str:
    """The top-level module or package of cnnlint a file belongs to."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set:
    """The parts of cnnlint a file imports, at module level or inside functions."""
    package = list(path.relative_to(PACKAGE).parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            found.update((base or [alias.name])[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cnnlint"):
            found.update((node.module.split(".")[1:] or [alias.name])[0] for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("cnnlint."))
    # a name that is no module of its own (``from .. import __version__``) comes from cnnlint/__init__.py
    return {part if (PACKAGE / part).is_dir() or (PACKAGE / f"{part}.py").exists() else "__init__" for part in found}


def _graph() -> dict:
    graph: dict = {}
    for path in PACKAGE.rglob("*.py"):
        part = _part(path)
        graph.setdefault(part, set()).update(_imports(path) - {part})
    return graph


@pytest.mark.parametrize("part", sorted(BELOW))
def test_each_part_imports_only_the_parts_below_it(part):
    assert sorted(_graph()[part] - BELOW[part]) == []


def test_no_import_cycle_between_parts():
    graph = _graph()
    done, path = set(), []

    def visit(part):
        if part in path:
            raise AssertionError(" -> ".join(path[path.index(part):] + [part]))
        if part in done:
            return
        path.append(part)
        for below in sorted(graph.get(part, ())):
            if below != "__init__":
                visit(below)
        path.pop()
        done.add(part)

    for part in sorted(graph):
        visit(part)


def test_no_module_is_over_a_thousand_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 1000}
    assert long == {}
