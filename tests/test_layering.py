"""The package's import graph: no circle, and no import from a lower layer to a higher one.

The graph is read from the source with :mod:`ast`, imports made inside functions included (they run too),
so a circle that only closes at run time is found.  The layers, low to high:

1. project-wide modules every chapter builds on: ``errors``, ``store``, ``stats``, ``perturb``,
   ``registry``, ``report``;
2. the chapters' subpackages (``algzoo``, ``temporal_superposition``, ``autoencoder``, ``miiii``) and
   ``tms`` (the autoencoder shared by two chapters);
3. what gathers or drives them: ``catalog`` (every registered result), ``benchmarks``, ``cli``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tinymech"
LOW = {"errors", "store", "stats", "perturb", "registry", "report"}
CHAPTERS = {"algzoo", "temporal_superposition", "autoencoder", "miiii", "tms"}
TOP = {"catalog", "benchmarks", "cli"}


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> set[str]:
    """The package's modules that ``module`` imports, anywhere in its body (functions included)."""
    path, is_package = MODULES[module]
    package = module if is_package else module.rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {
                _resolve(a.name) for a in node.names if a.name.split(".")[0] == "tinymech"
            }
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if base.split(".")[0] != "tinymech":
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else _resolve(base))
    found.discard(None)
    found.discard(module)
    return found  # type: ignore[return-value]


GRAPH = {module: _imports(module) for module in MODULES}


def _top(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return components


def test_the_graph_is_read_from_every_module_and_sees_imports_inside_functions():
    assert {"tinymech.registry", "tinymech.catalog", "tinymech.algzoo.zoo"} <= set(GRAPH)
    # the exact dispatcher imports the length-2 method only inside its functions
    assert "tinymech.algzoo.exact.sectors" in GRAPH["tinymech.algzoo.exact"]
    # a relative import (from .experiments import ...) resolves to the module
    assert "tinymech.autoencoder.experiments" in GRAPH["tinymech.autoencoder.studies"]
    assert "tinymech.algzoo.studies" in GRAPH["tinymech.catalog"]


def test_the_package_has_no_import_circle():
    assert _cycles() == []


def test_a_circle_would_be_found():
    GRAPH["tinymech.errors"].add("tinymech.registry")
    try:
        assert _cycles()
    finally:
        GRAPH["tinymech.errors"].discard("tinymech.registry")


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _top(m) in LOW))
def test_project_wide_low_modules_import_only_each_other(module):
    assert {_top(m) for m in GRAPH[module]} <= LOW, GRAPH[module]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _top(m) in CHAPTERS))
def test_no_chapter_module_imports_what_gathers_or_drives_it(module):
    assert not {_top(m) for m in GRAPH[module]} & TOP, GRAPH[module]


def test_only_the_command_line_imports_the_catalog_and_nothing_imports_the_command_line():
    assert [m for m in GRAPH if "tinymech.catalog" in GRAPH[m]] == ["tinymech.cli"]
    assert [m for m in GRAPH if "tinymech.cli" in GRAPH[m]] == []


#: Modules of mathematics, which load no model and write no result (their studies are elsewhere).
MATHEMATICS = (
    "tinymech.algzoo.symmetries",
    "tinymech.algzoo.arc_estimators",
    "tinymech.algzoo.exact.cones",
    "tinymech.algzoo.estimators_m16.study",
    "tinymech.algzoo.estimators_m16.diagnostics",
    "tinymech.autoencoder.experiments",
)


@pytest.mark.parametrize("module", MATHEMATICS)
def test_the_mathematics_loads_no_model_and_writes_no_result(module):
    loaders = {"tinymech.registry", "tinymech.store", "tinymech.catalog", "tinymech.algzoo.zoo"}
    assert not GRAPH[module] & loaders, GRAPH[module] & loaders


def test_the_estimators_do_not_import_the_harness_or_the_method_table():
    estimators = [m for m in MODULES if m.startswith("tinymech.algzoo.estimators_m16.")] + [
        "tinymech.algzoo.arc_estimators"
    ]
    above = {"tinymech.algzoo.estimation", "tinymech.algzoo.methods"}
    harness_users = {"tinymech.algzoo.estimators_m16.study"}  # the M16,10 curves' summaries
    for module in estimators:
        if module not in harness_users:
            assert not GRAPH[module] & above, module


FUNCTION_STRING = re.compile(r"^tinymech(\.\w+)+:\w+$")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_importlib_and_no_strings_naming_functions(module):
    tree = ast.parse(MODULES[module][0].read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "importlib" for a in node.names), module
        elif isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "importlib", module
        elif isinstance(node, ast.Name):
            assert node.id != "__import__", module
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not FUNCTION_STRING.match(node.value), (module, node.value)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_borrows_another_modules_private_names(module):
    tree = ast.parse(MODULES[module][0].read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").split(".")[0] == "tinymech"
        ):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, (module, node.module, private)
