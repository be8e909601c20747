"""The compiler end to end: folder → parse → load (extends) → check → graph → proofs.

``compile_path`` is what every command calls first; the runtime, the fiches and the
diff only ever see its output, never the .spec text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from qualispec.compiler import graph as graphs
from qualispec.compiler import ir
from qualispec.compiler.check import check
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.syntax.load import campaign_folders, load_folder
from qualispec.compiler.proofs.partition import check_partition


@dataclass(frozen=True)
class Compiled:
    campaign: ir.Campaign
    graph: nx.DiGraph
    order: tuple[str, ...]  # node ids in an order where each comes after what it reads


def compile_folder(folder: Path, diagnostics: Diagnostics) -> Compiled | None:
    loaded = load_folder(folder, diagnostics)
    campaign = check(loaded, diagnostics)
    if campaign is None:
        return None
    graph = graphs.build(campaign)
    acyclic = graphs.report_cycles(graph, campaign, diagnostics)
    check_partition(campaign, diagnostics)
    order = tuple(graphs.evaluation_order(graph)) if acyclic else ()
    return Compiled(campaign, graph, order)


def compile_path(path: str | Path, diagnostics: Diagnostics, progress=None) -> list[Compiled]:
    """Every campaign under ``path``; problems go to ``diagnostics``. ``progress`` wraps the list of folders."""
    root = Path(path)
    if not root.exists():
        diagnostics.error(f"no such file or folder: {path}", _span(path))
        return []
    folders = campaign_folders(root)
    if not folders:
        diagnostics.error(f"no .spec file under {path}", _span(path))
        return []
    results = []
    for folder in (progress(folders) if progress else folders):
        compiled = compile_folder(folder, diagnostics)
        if compiled is not None:
            results.append(compiled)
    return results


def compile_one(path: str | Path, diagnostics: Diagnostics) -> Compiled | None:
    """The single campaign in ``path`` (a campaign folder or a file in it)."""
    root = Path(path)
    if not root.exists():
        diagnostics.error(f"no such file or folder: {path}", _span(path))
        return None
    folders = campaign_folders(root)
    if len(folders) != 1:
        if not folders:
            diagnostics.error(f"no .spec file under {path}", _span(path))
        else:
            names = ", ".join(str(f) for f in folders)
            diagnostics.error(f"{path} holds {len(folders)} campaigns; name one folder", _span(path),
                              hint=f"one of: {names}")
        return None
    return compile_folder(folders[0], diagnostics)


def _span(path):
    from qualispec.compiler.diagnostics import Span

    return Span(str(path), 0, 0)
