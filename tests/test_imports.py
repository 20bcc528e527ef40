"""The package's layers: no module imports one that imports it back, type-only and local imports too."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import concept_builder

PACKAGE = Path(concept_builder.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported(module: str, path: Path) -> set[str]:
    """The package's modules ``module`` imports anywhere in its file; their parent packages count too,
    since importing ``a.b`` runs ``a/__init__.py`` first – except ``module``'s own, which are running."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join([*base, *([node.module] if node.module else [])])
            found.update(
                f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target for a in node.names
            )
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("concept_builder"):
            found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("concept_builder"))
    with_parents = {".".join(name.split(".")[:n]) for name in found for n in range(2, name.count(".") + 2)}
    own = {".".join(module.split(".")[:n]) for n in range(1, module.count(".") + 2)}
    return {name for name in with_parents if name in MODULES and name not in own}


def test_no_module_imports_one_that_imports_it_back() -> None:
    # the package's own __init__ only re-exports, on first use: it is the top, not a layer
    graph = {m: imported(m, p) - {"concept_builder"} for m, p in MODULES.items() if m != "concept_builder"}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        pytest.fail(f"import cycle: {' → '.join(error.args[1])}")


def test_the_graph_sees_imports() -> None:
    graph = {m: imported(m, p) for m, p in MODULES.items()}
    assert "concept_builder.structure" in graph["concept_builder.context"]
    assert "concept_builder.load" in graph["concept_builder.review.apply"]  # a parent package runs first
