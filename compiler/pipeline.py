"""The compiler end to end: folder → parse → load (extends) → check → graph → proofs.

``compile_path`` is what every command calls first; the runtime, the fiches and the
diff only ever see its output, never the .spec text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import networkx as nx

from qualispec.compiler import graph as graphs
from qualispec.compiler import ir
from qualispec.compiler.check import check
from qualispec.compiler import messages
from qualispec.compiler.diagnostics import Diagnostic, Diagnostics, Span
from qualispec.compiler.syntax.load import Loaded, campaign_folders, load_folder
from qualispec.compiler.proofs.money import check_money
from qualispec.compiler.proofs.partition import check_partition
from qualispec.compiler.proofs.reach import check_reach


@dataclass(frozen=True)
class Compiled:
    campaign: ir.Campaign
    graph: nx.DiGraph
    order: tuple[str, ...]  # node ids in an order where each comes after what it reads


def compile_folder(folder: Path, diagnostics: Diagnostics, texts=None, proofs: bool = True) -> Compiled | None:
    """One campaign folder compiled; ``texts`` overrides files being edited, ``proofs=False`` skips z3."""
    loaded = load_folder(folder, diagnostics, texts=texts)
    if loaded.campaign is not None and loaded.campaign.extends is not None and not loaded.base_name:
        return None  # the extends error says it all: checking without what it inherits gives only knock-ons
    first_own = len(diagnostics.items)
    try:
        campaign = check(loaded, diagnostics)
        if campaign is None:
            return None
        graph = graphs.build(campaign)
        acyclic = graphs.report_cycles(graph, campaign, diagnostics)
        check_reach(campaign, diagnostics)
        if proofs:
            check_partition(campaign, diagnostics)
            check_money(campaign, diagnostics)
        order = tuple(graphs.evaluation_order(graph)) if acyclic else ()
        return Compiled(campaign, graph, order)
    finally:
        diagnostics.items[first_own:] = [shown for d in diagnostics.items[first_own:] for shown in _at_causes(d, loaded)]


def _at_causes(d: Diagnostic, loaded: Loaded) -> list[Diagnostic]:
    """A problem made by written values (two weights too large together) is shown at each of them this
    campaign writes itself: the value an author just typed is among them. Made by inherited values only, it
    is shown where this campaign decided on the rule (see _where_decided)."""
    own = [span for span in d.causes if not loaded.files or span.file in loaded.files]
    if not own:
        return [_where_decided(d, loaded)]
    return [replace(d, span=span) for span in dict.fromkeys(own)]


def _where_decided(d: Diagnostic, loaded: Loaded) -> Diagnostic:
    """A problem this campaign has with a rule it inherits is shown in this campaign's files:
    at the decision on that rule (its carry or override), or at the campaign, with the
    inherited place as a note. (The inherited campaign, checked on its own, reports its own.)"""
    if not loaded.files or d.span.file in loaded.files or d.span.line <= 0:
        return d
    owner = max((decl for decl in loaded.decls.values() if decl.span.file == d.span.file and decl.span.line <= d.span.line),
                key=lambda decl: (decl.span.line, decl.span.column), default=None)
    decision = loaded.decisions.get(owner.name) if owner is not None else None
    span = next((s for n, s in decision.targets if n == owner.name), decision.span) if decision else loaded.campaign.span
    note = messages.word("note.inherited_here", base=loaded.base_name or "?", place=d.span)
    return replace(d, span=span, notes=(note,) + d.notes)


def compile_path(path: str | Path, diagnostics: Diagnostics, progress=None) -> list[Compiled]:
    """Every campaign under ``path``; problems go to ``diagnostics``. ``progress`` wraps the list of folders."""
    root = Path(path)
    if not root.exists():
        diagnostics.error("path.missing", Span(str(path), 0, 0), path=path)
        return []
    folders = campaign_folders(root)
    if not folders:
        diagnostics.error("path.no_spec", Span(str(path), 0, 0), path=path)
        return []
    results: list[Compiled] = []
    for folder in (progress(folders) if progress else folders):
        compiled = compile_folder(folder, diagnostics)
        if compiled is None:
            continue
        first = next((c for c in results if c.campaign.name == compiled.campaign.name), None)
        if first is not None:  # the fiches, the diff and eval name a campaign by its name: one each
            diagnostics.error("load.campaign_name_twice", compiled.campaign.span, name=compiled.campaign.name,
                              where=str(first.campaign.span))
            continue
        results.append(compiled)
    return results


def compile_one(path: str | Path, diagnostics: Diagnostics) -> Compiled | None:
    """The single campaign in ``path`` (a campaign folder or a file in it)."""
    root = Path(path)
    if not root.exists():
        diagnostics.error("path.missing", Span(str(path), 0, 0), path=path)
        return None
    folders = campaign_folders(root)
    if len(folders) != 1:
        if not folders:
            diagnostics.error("path.no_spec", Span(str(path), 0, 0), path=path)
        else:
            diagnostics.error("path.many_campaigns", Span(str(path), 0, 0), path=path, count=len(folders),
                              names=", ".join(str(f) for f in folders))
        return None
    return compile_folder(folders[0], diagnostics)

