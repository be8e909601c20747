"""Which declaration of the old campaign is which of the new one.

Names are matched from the surest to the least sure:

1. a rename the new campaign declares (``override d2_2 as num1``: lineage ``renamed:d2_2``),
   or the old one if the comparison runs backwards;
2. the same name and kind in both;
3. for indicators still unmatched: ``former_names`` (``"D2.2"`` names ``d2_2``), then an
   identical label;
4. inputs and parameters still unmatched that play the same role in a matched indicator
   (``target: d2_2_target`` ↔ ``target: num1_target``).

A :class:`Matching` holds the pairs (``forward``: old name → new name, ``backward``: the
reverse) and how each pair with two names was found (``how``).
"""

from __future__ import annotations

import re

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast

TABLES = {"document": "documents", "field": "field_decls", "category": "categories", "table": "tables", "input": "inputs",
          "parameter": "parameters", "group": "groups", "prerequisite": "prerequisites", "curve": "curves",
          "indicator": "indicators", "envelope": "envelopes"}


def norm(text: str) -> str:
    return " ".join((text or "").split())


def key(name: str) -> str:
    """``D2.2`` and ``d2_2`` are the same name."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


class Matching:
    def __init__(self, old: ir.Campaign, new: ir.Campaign):
        self.old, self.new = old, new
        self.kind_old = {d.name: d.kind for d in old.declarations()}
        self.kind_new = {d.name: d.kind for d in new.declarations()}
        self.forward: dict[str, str] = {}  # old name → new name
        self.backward: dict[str, str] = {}
        self.how: dict[str, str] = {}  # new name → how it was matched (for renames)
        self._match()

    def matched(self, kind: str, old_table: dict, new_table: dict):
        """Each declaration of ``kind`` matched across the two campaigns: (old name, new name, old, new)."""
        for o, n in self.forward.items():
            if self.kind_old[o] == kind:
                yield o, n, old_table[o], new_table[n]

    def decl(self, side: str, name: str):
        campaign = self.old if side == "old" else self.new
        kind = (self.kind_old if side == "old" else self.kind_new).get(name)
        return getattr(campaign, TABLES[kind]).get(name) if kind else None

    # ------------------------------------------------------------ building the pairs
    def _pair(self, old_name: str, new_name: str, how: str) -> None:
        if old_name in self.forward or new_name in self.backward:
            return
        if self.kind_old.get(old_name) != self.kind_new.get(new_name):
            return
        self.forward[old_name], self.backward[new_name] = new_name, old_name
        if old_name != new_name:
            self.how[new_name] = how

    def _match(self) -> None:
        for name, how in self.new.lineage.items():
            if how.startswith("renamed:"):
                self._pair(how[8:], name, "lineage")
        for name, how in self.old.lineage.items():  # comparing backwards (2024 → 2022)
            if how.startswith("renamed:"):
                self._pair(name, how[8:], "lineage")
        for name, ind in self.new.indicators.items():
            if ind.renamed_from:
                self._pair(ind.renamed_from, name, "lineage")
        for name in self.kind_old:
            if name in self.kind_new and name != self.old.name:
                self._pair(name, name, "same")
        self._match_indicators()
        self._match_roles()

    def _match_indicators(self) -> None:
        lost = [n for n in self.old.indicators if n not in self.forward]
        found = [n for n in self.new.indicators if n not in self.backward]
        for n in found:
            names = {key(f) for f in self.new.indicators[n].former_names}
            hits = [o for o in lost if key(o) in names or names & {key(f) for f in self.old.indicators[o].former_names}]
            if len(hits) == 1 and hits[0] not in self.forward:
                self._pair(hits[0], n, "former_names")
        for o in [n for n in self.old.indicators if n not in self.forward]:  # backwards
            names = {key(f) for f in self.old.indicators[o].former_names}
            hits = [n for n in self.new.indicators if n not in self.backward and key(n) in names]
            if len(hits) == 1:
                self._pair(o, hits[0], "former_names")
        lost = [n for n in self.old.indicators if n not in self.forward]
        found = [n for n in self.new.indicators if n not in self.backward]
        for n in found:
            label = norm(self.new.indicators[n].label).lower()
            if not label:
                continue
            hits = [o for o in lost if norm(self.old.indicators[o].label).lower() == label and o not in self.forward]
            if len(hits) == 1:
                self._pair(hits[0], n, "label")

    def _match_roles(self) -> None:
        for o, n in list(self.forward.items()):
            if self.kind_old.get(o) != "indicator":
                continue
            old_ind, new_ind = self.old.indicators[o], self.new.indicators[n]
            for part, old_id in old_ind.parts:
                new_id = new_ind.part(part)
                if new_id is None:
                    continue
                a, b = self.old.nodes[old_id].expr, self.new.nodes[new_id].expr
                if isinstance(a, ast.Ref) and isinstance(b, ast.Ref) and a.target and b.target:
                    ka, kb = self.kind_old.get(a.target), self.kind_new.get(b.target)
                    if ka == kb and ka in ("input", "parameter") and a.target not in self.forward \
                            and b.target not in self.backward:
                        self._pair(a.target, b.target, f"role:{n}.{part}")
