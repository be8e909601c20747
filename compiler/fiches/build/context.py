"""What every builder of a campaign's pages shares: the compiled campaign, its dependency graph,
the campaign it extends and the rule diff against it, and how to name, value and trace what it
declares.

Values come from a tiny scalar evaluator over the IR (:class:`Evaluator`): parameters,
constants and formulas over them; anything that needs a dataset (an input, an aggregate over
establishments) is :class:`NotConstant`.
"""

from __future__ import annotations

import networkx as nx

from qualispec.compiler.check.statuses import as_declared
from qualispec.compiler import french, ir
from qualispec.compiler.check import literal_value
from qualispec.compiler.evaluator import Evaluator, NotConstant
from qualispec.compiler import labels
from qualispec.compiler.fiches import formulas
from qualispec.compiler.pipeline import Compiled
from qualispec.compiler.syntax import ast


def value_text(value, unit: str | None) -> str:
    if value is None:
        return "manquant"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str):
        return french.enumerated_words(value)
    return french.literal(value, unit)



class CampaignContext:
    def __init__(self, compiled: Compiled, base: Compiled | None, proofs: dict[str, bool] | None = None):
        self.compiled, self.c, self.graph = compiled, compiled.campaign, compiled.graph
        self.base = base
        self._prefer: frozenset[str] | None = None  # names a formula keeps as they are (see formula)
        self.diff = None
        if base is not None:
            try:
                from qualispec.compiler.diff.rules import diff

                self.diff = diff(base.campaign, self.c, proofs)
            except Exception:  # the fiche then says what lineage says, without the detailed diff
                self.diff = None

    # ------------------------------------------------------------ names
    def decl_of(self, node_id: str) -> ir.Decl | None:
        c = self.c
        if node_id.startswith("curve:"):
            return c.curves.get(node_id[6:])
        for table in (c.parameters, c.inputs, c.groups, c.prerequisites, c.indicators, c.envelopes):
            if node_id in table:
                return table[node_id]
        return None

    def namer(self, owner: str | None, seen: dict[str, str]):
        """Display names in French: an indicator's own parts by their short names (« seuil »), every
        other declaration by its short label or label (:mod:`names`); ``seen`` collects shown → target."""
        def name_of(ref: ast.Ref) -> str:
            target = ref.target or ref.text
            if target.startswith("field:"):
                shown = target[6:]
            elif target in self.graph or target in self.c.nodes or self.decl_of(target) is not None:
                shown = labels.node_label(self.c, target, own=owner, short=True)
            else:  # an envelope's payout names the paying indicator's parts: « poids », « score »
                shown = french.PART_SHORT.get(ref.text, ref.text)
            seen.setdefault(shown, target)
            return shown
        return name_of

    def words(self, expr: ast.Expr, owner: str | None = None) -> str:
        """An expression in plain French words (no formula layout)."""
        return french.formula(expr, self.namer(owner, {}))

    def formula(self, expr: ast.Expr, owner: str | None, lhs: str | None, seen: dict[str, str]) -> formulas.Formula:
        if self._prefer is None:  # once per campaign: the inputs of 2 000 indicators, for each of their formulas
            self._prefer = frozenset(french.PART_SHORT[p] for p in ("result", "previous", "level", "evolution",
                                                                    "numerator", "denominator", "score")) \
                | frozenset(self.c.inputs)
        return formulas.render(as_declared(expr), self.namer(owner, seen), lhs, self._prefer)


    # ------------------------------------------------------------ values and what they rest on
    def parameter_value(self, p: ir.Parameter) -> str:
        if p.values:
            parts = []
            for key, expr in p.values:
                try:
                    parts.append(f"{key} : {value_text(Evaluator(self.c).expr(expr), p.unit)}")
                except NotConstant:
                    parts.append(f"{key} : {self.words(expr)}")
            return " ; ".join(parts)
        if p.value is None:
            return "—"
        v = literal_value(p.value)
        if v is None:
            try:
                v = Evaluator(self.c).expr(p.value)
            except NotConstant:
                return self.words(p.value)
        return value_text(v, p.unit)


    def parameter_bound(self, bound: ast.Expr, unit: str) -> str:
        """A bound of a parameter's `range:`: a value, or the formula of other parameters it is written as."""
        if ast.signed_number(bound) is not None:
            return value_text(Evaluator(self.c).expr(bound), unit)
        return self.words(bound)

    def referenced_decls(self, expr: ast.Expr, owner: str) -> list[ir.Decl]:
        """Parameters, prerequisites and curves a part reads, through the owner's other parts."""
        found: dict[str, ir.Decl] = {}
        stack, visited = [expr], set()
        while stack:
            e = stack.pop()
            for sub in ast.walk(e):
                if not isinstance(sub, ast.Ref) or not sub.target:
                    continue
                t = sub.target
                if t in self.c.parameters or t in self.c.prerequisites:
                    found.setdefault(t, self.decl_of(t))
                elif t.startswith(owner + ".") and t not in visited:
                    visited.add(t)
                    node = self.c.nodes.get(t)
                    if node is not None and node.expr is not None:
                        stack.append(node.expr)
        return [found[k] for k in sorted(found)]


    def dependencies(self, ind: ir.Indicator) -> list[ir.Decl]:
        """Every declaration an indicator's value rests on (through the dependency graph)."""
        ids: set[str] = set()
        for _, node_id in ind.parts:
            if node_id in self.graph:
                ids |= nx.ancestors(self.graph, node_id) | {node_id}
        decls: dict[str, ir.Decl] = {ind.name: ind}
        for node_id in sorted(ids):
            decl = self.decl_of(node_id)
            if decl is not None and decl.kind != "indicator":
                decls[decl.name] = decl
            elif "." in node_id:
                owner = node_id.split(".", 1)[0]
                if owner in self.c.envelopes:
                    decls[owner] = self.c.envelopes[owner]
                elif owner in self.c.indicators and owner != ind.name:
                    decls[owner] = self.c.indicators[owner]
        if ind.valuation and ind.valuation in self.c.curves:
            decls[ind.valuation] = self.c.curves[ind.valuation]
        if ind.envelope and ind.envelope in self.c.envelopes:
            decls[ind.envelope] = self.c.envelopes[ind.envelope]
        if ind.category in self.c.categories:
            decls[ind.category] = self.c.categories[ind.category]
        return list(decls.values())

