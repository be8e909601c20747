"""The pipeline's imports point one way: a stage never reaches back into a later one.

syntax → core (check, units, IR, graph) → proofs → pipeline → diff → fiches → editor tools;
the runtime imports the compiler, never the reverse; the command line sits on top of everything.
A module may import its own stage and earlier ones, never a later one, even inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"qualispec.compiler": ROOT / "compiler", "qualispec.runtime": ROOT / "runtime"}

# Stages in pipeline order; a module belongs to the first prefix that matches it.
STAGES = [
    ("qualispec.compiler.diagnostics", 0),
    ("qualispec.compiler.messages", 0),
    ("qualispec.compiler.limits", 0),
    ("qualispec.compiler.markdown", 0),
    ("qualispec.compiler.whole_files", 0),
    ("qualispec.compiler.syntax", 1),
    ("qualispec.compiler.units", 2),
    ("qualispec.compiler.ir", 2),
    ("qualispec.compiler.check", 2),
    ("qualispec.compiler.graph", 2),
    ("qualispec.compiler.evaluator", 2),
    ("qualispec.compiler.french", 2),
    ("qualispec.compiler.labels", 2),  # the French words of every declared name, for fiches and diffs
    ("qualispec.compiler.proofs", 3),
    ("qualispec.compiler.pipeline", 4),
    ("qualispec.compiler.diff", 5),
    ("qualispec.compiler.fiches", 6),
    ("qualispec.compiler", 7),  # editor tools and anything built on the whole compiler
    ("qualispec.runtime.data", 10),
    ("qualispec.runtime.plan", 11),
    ("qualispec.runtime.exact", 11),  # the plan's exact meaning, which every engine may defer to
    ("qualispec.runtime.shares", 11),  # an envelope shared into group amounts, for every engine
    ("qualispec.runtime.group_share", 11),  # the share of a group envelope paid, as every engine summarises it
    ("qualispec.runtime.engines", 12),
    ("qualispec.runtime.evaluate", 13),
    ("qualispec.runtime.explain", 14),
    ("qualispec.runtime.cases", 14),
    ("qualispec.runtime.objectives", 14),  # objectives met, counted from the evaluation
    ("qualispec.runtime.impact", 15),
    ("qualispec.runtime.cli", 20),
    ("qualispec.runtime", 16),  # the public API and anything built on the whole runtime
]


def stage(module: str) -> int | None:
    for prefix, rank in STAGES:
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return None


def modules():
    for package, folder in FOLDERS.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join((package,) + parts)
            yield name.removesuffix(".__init__"), path


def imported(name: str, path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                yield (f"{base}.{alias.name}" if stage(f"{base}.{alias.name}") is not None and base.count(".") < 2
                       else base), node.lineno


MODULES = list(modules())


@pytest.mark.parametrize("name,path", MODULES, ids=[m for m, _ in MODULES])
def test_no_import_reaches_back_into_a_later_stage(name, path):
    own = stage(name)
    assert own is not None, f"{name} belongs to no stage: add it to STAGES"
    backwards = [f"line {line}: {target}" for target, line in imported(name, path)
                 if target.startswith("qualispec.") and (stage(target) or 0) > own]
    assert not backwards, f"{name} (stage {own}) imports a later stage: {backwards}"


def test_the_compiler_never_imports_the_runtime():
    for name, path in MODULES:
        if name.startswith("qualispec.compiler"):
            assert not [t for t, _ in imported(name, path) if t.startswith("qualispec.runtime")], name
