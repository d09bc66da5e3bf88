"""The package's layout stays the pipeline's: stages import only the stages before them and the
core, no module imports another's private names, there is no import cycle, and the CLI is on top.

Read statically from the source (every ``import`` of ``analysis...`` anywhere in a module, deferred
ones included), so nothing is executed and a deferred import cannot hide an upward arrow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "analysis"
#: the stages in pipeline order; each may import the core and the stages before it
STAGES = ["text", "corpus", "patterns", "topics", "entities", "plots", "scale", "report", "demo", "cli"]
CORE = "_core"
MAX_TOP_LEVEL_MODULES = 8


def module_name(path: Path) -> str:
    parts = ["analysis", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path) -> str:
    return ".".join(module_name(path).split(".")[:-1]) if path.name != "__init__.py" else module_name(path)


def imports_of(path: Path) -> list[tuple[str, list[str], int]]:
    """``(module, names, line)`` of every import of an ``analysis`` module in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names if alias.name.startswith("analysis")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = package_of(path).split(".")
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if base == "analysis" or base.startswith("analysis."):
                found.append((base, [alias.name for alias in node.names], node.lineno))
    return found


def resolve(module: str, names: list[str], modules: set[str]) -> list[str]:
    """The modules an import statement loads: ``from pkg import sub`` names the submodule."""
    targets = [module] if module in modules else []
    targets += [f"{module}.{name}" for name in names if f"{module}.{name}" in modules]
    return targets or [module]


def stage_of(module: str) -> str | None:
    """The stage (subpackage) of a module; None for the package's own ``__init__`` and ``__main__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] != "__main__" else None


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
MODULES = {module_name(p) for p in SOURCES} | {module_name(p) for p in PACKAGE.rglob("*.pyx")}
GRAPH = {module_name(p): {t for m, n, _ in imports_of(p) for t in resolve(m, n, MODULES)} - {module_name(p)}
         for p in SOURCES}


def test_every_folder_is_a_stage_or_the_core():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name not in ("__pycache__", "data")}
    assert folders == set(STAGES) | {CORE}


def test_few_modules_sit_directly_under_the_package():
    top = [p.name for p in PACKAGE.iterdir() if p.suffix in (".py", ".pyx") or p.name.endswith(".so")]
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_only_downward(path):
    own = stage_of(module_name(path))
    allowed = {CORE, own, None} | set(STAGES[: STAGES.index(own)] if own in STAGES else [])
    if own is None:  # analysis/__init__ and __main__: the facade may name any stage
        allowed |= set(STAGES)
    upward = [f"line {line}: {module}" for module, names, line in imports_of(path)
              if stage_of(module) not in allowed]
    assert not upward, f"{module_name(path)} ({own}) imports a later stage: {upward}"


def test_the_core_imports_no_stage():
    for path in (PACKAGE / CORE).rglob("*.py"):
        stages = {stage_of(m) for m, _, _ in imports_of(path)} - {CORE, None}
        assert not stages, f"{module_name(path)} imports {stages}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_private_names_of_another(path):
    own_package = package_of(path)
    private = [f"line {line}: {module}.{name}" for module, names, line in imports_of(path) for name in names
               if name.startswith("_") and not name.startswith("__")
               and not (f"{module}.{name}" in MODULES and module == own_package)]  # a private module of one's own package
    assert not private, f"{module_name(path)} imports private names: {private}"


def test_no_import_cycles():
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for target in sorted(GRAPH.get(node, ())):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target):] + [target])
            elif target in GRAPH and target not in state:
                visit(target, stack + [target])
        state[node] = "done"

    for node in sorted(GRAPH):
        if node not in state:
            visit(node, [node])
    # a package importing its own submodules (lazily, for its exports) is not a cycle
    real = [c for c in cycles if not any(b.startswith(a + ".") or a.startswith(b + ".") for a, b in zip(c, c[1:]))]
    assert not real, "\n".join(" -> ".join(c) for c in real)


def test_no_stage_imports_the_cli():
    users = [m for m, targets in GRAPH.items() if stage_of(m) != "cli" and any(stage_of(t) == "cli" for t in targets)
             and m not in ("analysis.__main__",)]
    assert not users


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_reaches_into_another_modules_private_attributes(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis"):
            for alias in node.names:
                if f"{node.module}.{alias.name}" in MODULES:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("analysis") and alias.asname:
                    aliases[alias.asname] = alias.name
    own_package = package_of(path)
    reached = [f"line {node.lineno}: {node.value.id}.{node.attr}" for node in ast.walk(tree)
               if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
               and node.attr.startswith("_") and not node.attr.startswith("__")
               and aliases[node.value.id].rsplit(".", 1)[0] != own_package]
    assert not reached, f"{module_name(path)} reaches into private names: {reached}"
