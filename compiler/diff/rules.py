"""The rule diff: what changed between two compiled campaigns, and only what changed.

``diff(old, new)`` takes two :class:`ir.Campaign` and returns a :class:`RuleDiff`, an
immutable list of :class:`Change`. Each change has a kind (``indicator_renamed``,
``parameter_changed``, ``group_condition_changed`` …), a subject (the name in the new
campaign, or in the old one when it was removed), the old and new values written for
people, and a French detail. The renderers (``diff_render``) only format this list.

How names are matched, from the surest to the least sure:

1. a rename the new campaign declares (``override d2_2 as num1``: lineage ``renamed:d2_2``),
   or the old one if the comparison runs backwards;
2. the same name and kind in both;
3. for indicators still unmatched: ``former_names`` (``"D2.2"`` names ``d2_2``), then an
   identical label;
4. inputs and parameters still unmatched that play the same role in a matched indicator
   (``target: d2_2_target`` ↔ ``target: num1_target``).

How formulas are compared (no false changes):

- every reference is translated into the new campaign's names (a renamed input is the
  same symbol on both sides), and the parts of an indicator refer to "its own" parts;
- a formula is compared twice, with sympy: *by reference* (a parameter is a symbol) and
  *by value* (every parameter replaced by its value). Equal either way: not a change
  (a rewrite, or a renamed parameter with the same value). Different both ways: a
  formula change. Equal by reference, different by value: the change belongs to a
  parameter, reported there — and, for the rules a reader looks for in an indicator
  (target, threshold, weight, evolution, applicability), on the indicator as well;
- group and prerequisite conditions are compared by the z3 solver over the inputs they
  read: a change comes with an establishment that satisfies one version and not the
  other, and the groups it falls in under each campaign.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from fractions import Fraction

import sympy as sp
import z3

from qualispec.compiler import french, ir
from qualispec.compiler.syntax import ast
from qualispec.compiler.proofs import partition
from qualispec.compiler.proofs import symbolic
from qualispec.compiler.check import literal_value, transform

# ------------------------------------------------------------------ the change list
SECTIONS = (
    ("indicators", "Indicateurs"),
    ("rules", "Règles des indicateurs (cibles, seuils, poids, évolution, applicabilité)"),
    ("parameters", "Paramètres"),
    ("groups", "Groupes de comparaison"),
    ("prerequisites", "Prérequis"),
    ("formulas", "Formules"),
    ("envelopes", "Enveloppes"),
    ("inputs", "Données attendues"),
    ("texts", "Textes (définitions, périodes de mesure, dates limites …)"),
    ("assumptions", "Hypothèses"),
    ("declarations", "Autres déclarations (documents, champs, catégories, courbes)"),
)

# Parts of an indicator a reader looks for: reported with their values, even when the
# change comes from a parameter the part refers to.
RULE_PARTS = ("target", "threshold", "weight", "evolution_paid", "not_applicable_allowed")

KIND_WORDS = {
    "indicator": "indicateur", "parameter": "paramètre", "group": "groupe", "prerequisite": "prérequis",
    "input": "donnée", "envelope": "enveloppe", "curve": "courbe", "document": "document",
    "field": "champ", "category": "catégorie",
}
_TABLES = {"document": "documents", "field": "field_decls", "category": "categories", "input": "inputs",
           "parameter": "parameters", "group": "groups", "prerequisite": "prerequisites", "curve": "curves",
           "indicator": "indicators", "envelope": "envelopes"}
_SECTION_OF_KIND = {"indicator": "indicators", "parameter": "parameters", "group": "groups",
                    "prerequisite": "prerequisites", "input": "inputs", "envelope": "envelopes"}


@dataclass(frozen=True)
class Change:
    """One difference. ``old``/``new`` are written for people; ``data`` holds raw values (JSON)."""

    section: str  # one of SECTIONS
    kind: str  # added, removed, renamed, changed, fields, condition, formula, text, assumption_added …
    subject: str  # the name in the new campaign (in the old one when removed)
    what: str = ""  # which property: "cible", "target", "label" …
    old: str | None = None
    new: str | None = None
    detail: str = ""
    data: tuple[tuple[str, object], ...] = ()

    def get(self, key: str, default=None):
        return dict(self.data).get(key, default)


@dataclass(frozen=True)
class RuleDiff:
    old: str  # campaign names
    new: str
    old_label: str
    new_label: str
    changes: tuple[Change, ...]
    renames: tuple[tuple[str, str, str], ...]  # (kind, old name, new name) for every matched pair with two names
    warnings: tuple[str, ...] = ()  # what could not be proved (the change is then reported, to be safe)

    def section(self, name: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.section == name)

    @property
    def empty(self) -> bool:
        return not self.changes

    def indicator_pairs(self) -> tuple[tuple[str, str], ...]:
        """(old name, new name) of every indicator present in both campaigns."""
        return tuple((o, n) for k, o, n in self.renames if k == "indicator")


# ------------------------------------------------------------------ entry point
def diff(old: ir.Campaign, new: ir.Campaign) -> RuleDiff:
    return _Differ(old, new).run()


def _norm(text: str) -> str:
    return " ".join((text or "").split())


def _key(name: str) -> str:
    """``D2.2`` and ``d2_2`` are the same name."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


class _Differ:
    def __init__(self, old: ir.Campaign, new: ir.Campaign):
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.warnings: list[str] = []
        self.kind_old = {d.name: d.kind for d in _decls(old)}
        self.kind_new = {d.name: d.kind for d in _decls(new)}
        self.forward: dict[str, str] = {}  # old name → new name
        self.backward: dict[str, str] = {}
        self.how: dict[str, str] = {}  # new name → how it was matched (for renames)
        self._sympy_cache: dict = {}

    # ------------------------------------------------------------ matching
    def matched(self, kind: str, old_table: dict, new_table: dict):
        """Each declaration of ``kind`` matched across the two campaigns: (old name, new name, old, new)."""
        for o, n in self.forward.items():
            if self.kind_old[o] == kind:
                yield o, n, old_table[o], new_table[n]

    def decl(self, side: str, name: str):
        campaign = self.old if side == "old" else self.new
        kind = (self.kind_old if side == "old" else self.kind_new).get(name)
        return getattr(campaign, _TABLES[kind]).get(name) if kind else None

    def _pair(self, old_name: str, new_name: str, how: str) -> None:
        if old_name in self.forward or new_name in self.backward:
            return
        if self.kind_old.get(old_name) != self.kind_new.get(new_name):
            return
        self.forward[old_name], self.backward[new_name] = new_name, old_name
        if old_name != new_name:
            self.how[new_name] = how

    def match(self) -> None:
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
            names = {_key(f) for f in self.new.indicators[n].former_names}
            hits = [o for o in lost if _key(o) in names or names & {_key(f) for f in self.old.indicators[o].former_names}]
            if len(hits) == 1 and hits[0] not in self.forward:
                self._pair(hits[0], n, "former_names")
        for o in [n for n in self.old.indicators if n not in self.forward]:  # backwards
            names = {_key(f) for f in self.old.indicators[o].former_names}
            hits = [n for n in self.new.indicators if n not in self.backward and _key(n) in names]
            if len(hits) == 1:
                self._pair(o, hits[0], "former_names")
        lost = [n for n in self.old.indicators if n not in self.forward]
        found = [n for n in self.new.indicators if n not in self.backward]
        for n in found:
            label = _norm(self.new.indicators[n].label).lower()
            if not label:
                continue
            hits = [o for o in lost if _norm(self.old.indicators[o].label).lower() == label and o not in self.forward]
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

    # ------------------------------------------------------------ canonical expressions
    def canon(self, expr: ast.Expr | None, side: str, owner: str | None, by_value: bool,
              field: str | None = None, _depth: int = 0) -> ast.Expr | None:
        """``expr`` in the new campaign's names; parameters inlined when ``by_value`` (or unmatched)."""
        if expr is None:
            return None
        campaign = self.old if side == "old" else self.new
        kinds = self.kind_old if side == "old" else self.kind_new
        matched = self.forward if side == "old" else self.backward

        def name(n: str) -> str:
            return self.forward.get(n, "old:" + n) if side == "old" else n

        def fn(e):
            if isinstance(e, ast.Call):
                named = tuple(e.named)
                func = e.func + (f"[{','.join(k for k, _ in named)}]" if named else "")
                over = e.over
                if over and over not in ("group", "field", "all"):
                    over = "in_" + _key(name(over))
                return replace(e, func=func, args=e.args + tuple(v for _, v in named), named=(), over=over)
            if not isinstance(e, ast.Ref) or not e.target:
                return e
            t = e.target
            if t.startswith(("field:", "@")) or t in ir.BUILTINS:
                return e
            if "." in t:
                head, part = t.split(".", 1)
                if head == owner:
                    return replace(e, target=f"@.{part}")
                return replace(e, target=f"{name(head)}.{part}")
            kind = kinds.get(t)
            if kind == "parameter" and (by_value or t not in matched) and _depth < 20:
                return self._param_value(campaign, side, t, field, by_value, _depth)
            if kind in ("group", "prerequisite") and by_value and _depth < 20:
                decl = getattr(campaign, _TABLES[kind])[t]
                inner = self.canon(decl.when, side, None, True, field, _depth + 1)
                if inner is not None:
                    return inner
            return replace(e, target=name(t))

        return transform(expr, fn)

    def _param_value(self, campaign, side, name, field, by_value, depth) -> ast.Expr:
        param = campaign.parameters[name]
        if param.keyed_by is None:
            return self.canon(param.value, side, None, by_value, field, depth + 1)
        values = dict(param.values)
        if field is not None and field in values:
            return self.canon(values[field], side, None, by_value, field, depth + 1)
        shown = ",".join(f"{k}={_const_text(self.canon(v, side, None, by_value, k, depth + 1))}"
                         for k, v in sorted(values.items()))
        unit = "boolean" if param.unit == "boolean" else param.unit
        return ast.Ref(ast.NO_SPAN, name, target=f"par_champ{{{shown}}}", unit=unit)

    # ------------------------------------------------------------ equality
    def same(self, a: ast.Expr | None, b: ast.Expr | None) -> bool:
        if a is None or b is None:
            return a is None and b is None
        if _shape(a) == _shape(b):  # the same tree once positions are forgotten
            return True
        try:
            left, right = _sympy(a), _sympy(b)
        except (TypeError, KeyError, ValueError, AttributeError, ZeroDivisionError):
            return False
        if left == right:
            return True
        key = (sp.srepr(left), sp.srepr(right))
        if key not in self._sympy_cache:
            self._sympy_cache[key] = symbolic.equivalent(a, b)
        return self._sympy_cache[key]

    def compare(self, old_expr, new_expr, old_owner, new_owner, field=None) -> tuple[bool, bool]:
        """(equal by reference, equal by value)."""
        by_ref = self.same(self.canon(old_expr, "old", old_owner, False, field),
                           self.canon(new_expr, "new", new_owner, False, field))
        if by_ref and not self._reads_parameters(old_expr, "old") and not self._reads_parameters(new_expr, "new"):
            return True, True
        by_value = self.same(self.canon(old_expr, "old", old_owner, True, field),
                             self.canon(new_expr, "new", new_owner, True, field))
        return by_ref, by_value

    def _reads_parameters(self, expr, side) -> bool:
        kinds = self.kind_old if side == "old" else self.kind_new
        return expr is not None and any(isinstance(n, ast.Ref) and kinds.get(n.target or "") in
                                        ("parameter", "group", "prerequisite") for n in ast.walk(expr))

    # ------------------------------------------------------------ the run
    def run(self) -> RuleDiff:
        self.match()
        self.added_removed_renamed()
        self.indicators()
        self.parameters()
        self.conditions("group")
        self.conditions("prerequisite")
        self.envelopes()
        self.inputs()
        self.texts_and_assumptions()
        renames = tuple(sorted((self.kind_new[n], o, n) for o, n in self.forward.items()))
        return RuleDiff(self.old.name, self.new.name, self.old.label, self.new.label,
                        tuple(self.changes), renames, tuple(dict.fromkeys(self.warnings)))

    def add(self, section, kind, subject, what="", old=None, new=None, detail="", **data):
        self.changes.append(Change(section, kind, subject, what, old, new, detail, tuple(sorted(data.items()))))

    def added_removed_renamed(self) -> None:
        for decl in _decls(self.new):
            if decl.kind == "campaign" or decl.name in self.backward:
                continue
            self.add(_SECTION_OF_KIND.get(decl.kind, "declarations"), "added", decl.name, KIND_WORDS[decl.kind],
                     new=self._summary("new", decl), detail=_label_of(decl), decl_kind=decl.kind)
        for decl in _decls(self.old):
            if decl.kind == "campaign" or decl.name in self.forward:
                continue
            why = self.new.dropped.get(decl.name, "")
            detail = _label_of(decl) + (f" — retiré : {_norm(why)}" if why else "")
            self.add(_SECTION_OF_KIND.get(decl.kind, "declarations"), "removed", decl.name, KIND_WORDS[decl.kind],
                     old=self._summary("old", decl), detail=detail, decl_kind=decl.kind)
        for new_name, how in self.how.items():
            old_name = self.backward[new_name]
            kind = self.kind_new[new_name]
            reason = {"lineage": f"déclaré par la nouvelle campagne (override {old_name} as {new_name})",
                      "former_names": "anciens noms déclarés (former_names : "
                                      f"{', '.join(getattr(self.decl('new', new_name), 'former_names', ()) or ()) or old_name})",
                      "label": "même libellé"}.get(how)
            if reason is None and how.startswith("role:"):
                ind, part = how[5:].split(".", 1)
                reason = f"même rôle ({french.PART_LABELS.get(part, part)} de l'indicateur {ind})"
            self.add(_SECTION_OF_KIND.get(kind, "declarations"), "renamed", new_name, KIND_WORDS[kind],
                     old=old_name, new=new_name, detail=reason or how, decl_kind=kind, matched_by=how)

    def _summary(self, side, decl) -> str:
        if decl.kind == "indicator":
            return f"champs : {', '.join(decl.fields) or 'tous'}"
        if decl.kind == "parameter":
            return self._param_text(side, decl)
        if decl.kind in ("group", "prerequisite") and decl.when is not None:
            where = f"{decl.field_name} : " if getattr(decl, "field_name", "") else ""
            return where + french.formula(decl.when)
        if decl.kind == "input":
            return f"{decl.unit}" + (f", champs : {', '.join(decl.values)}" if decl.values else "")
        return ""

    def _param_text(self, side, param: ir.Parameter) -> str:
        if param.keyed_by is None:
            return _expr_text(param.value, param.unit)
        return " ; ".join(f"{k} : {_expr_text(v, param.unit)}" for k, v in param.values)

    # ------------------------------------------------------------ indicators
    def indicators(self) -> None:
        for o, n, a, b in self.matched("indicator", self.old.indicators, self.new.indicators):
            gone = [f for f in a.fields if f not in b.fields]
            came = [f for f in b.fields if f not in a.fields]
            if gone or came:
                detail = "; ".join(x for x in (f"champ{'s' if len(gone) > 1 else ''} retiré{'s' if len(gone) > 1 else ''} : {', '.join(gone)}" if gone else "",
                                               f"champ{'s' if len(came) > 1 else ''} ajouté{'s' if len(came) > 1 else ''} : {', '.join(came)}" if came else "") if x)
                self.add("indicators", "fields", n, "champs", ", ".join(a.fields) or "tous", ", ".join(b.fields) or "tous",
                         detail, removed=tuple(gone), added=tuple(came))
            for attr, word in (("category", "catégorie"), ("unit", "unité"), ("valuation", "modèle de valorisation"),
                               ("envelope", "enveloppe")):
                va, vb = getattr(a, attr), getattr(b, attr)
                if (self.forward.get(va, "old:" + va) if va else "") != vb and not (attr == "unit" and va == vb):
                    self.add("indicators", "changed", n, word, va or "—", vb or "—", attribute=attr)
            pa = {self.forward.get(p, "old:" + p) for p in a.prerequisites}
            if pa != set(b.prerequisites):
                self.add("indicators", "changed", n, "prérequis", ", ".join(a.prerequisites) or "aucun",
                         ", ".join(b.prerequisites) or "aucun", attribute="prerequisites")
            self._parts(a, b)

    def _parts(self, a: ir.Indicator, b: ir.Indicator) -> None:
        old_parts, new_parts = dict(a.parts), dict(b.parts)
        common_fields = [f for f in b.fields if f in a.fields] or [None]
        for part in list(new_parts) + [p for p in old_parts if p not in new_parts]:
            what = french.PART_LABELS.get(part, part)
            section = "rules" if part in RULE_PARTS else "formulas"
            node_a = self.old.nodes.get(old_parts.get(part, ""))
            node_b = self.new.nodes.get(new_parts.get(part, ""))
            if node_a is None or node_b is None:
                node = node_a or node_b
                if node is None or node.expr is None:
                    continue
                side = "old" if node_a else "new"
                text = self._rule_text(side, node.expr, node.unit)
                self.add(section, "part_removed" if node_a else "part_added", f"{b.name}.{part}", what,
                         old=text if node_a else None, new=None if node_a else text, part=part, indicator=b.name)
                continue
            if part in RULE_PARTS:
                self._rule_part(a, b, part, node_a, node_b, common_fields)
                continue
            by_ref, by_value = self.compare(node_a.expr, node_b.expr, a.name, b.name)
            if not by_ref and not by_value:
                self.add("formulas", "formula", f"{b.name}.{part}", what, french.formula(node_a.expr),
                         french.formula(node_b.expr), part=part, indicator=b.name)

    def _rule_part(self, a, b, part, node_a, node_b, fields) -> None:
        by_ref, by_value = self.compare(node_a.expr, node_b.expr, a.name, b.name)
        per_field = []
        keyed = any(self._keyed(node_a.expr, "old")) or any(self._keyed(node_b.expr, "new"))
        if keyed and fields != [None]:  # a value by field: compare field by field, on the fields both cover
            by_value = all(self.same(self.canon(node_a.expr, "old", a.name, True, f),
                                     self.canon(node_b.expr, "new", b.name, True, f)) for f in fields)
        if by_value:
            return
        for f in fields:
            va = _constant(self.canon(node_a.expr, "old", a.name, True, f))
            vb = _constant(self.canon(node_b.expr, "new", b.name, True, f))
            if va != vb or va is None:
                per_field.append((f, va, vb))
        unit_a, unit_b = node_a.unit, node_b.unit
        if {unit_a, unit_b} == {"percent", "ratio"}:  # 0,25 and 4,25 % side by side: both in percent
            unit_a = unit_b = "percent"
        detail = ""
        if by_ref:
            params = sorted({n.target for n in ast.walk(node_b.expr) if isinstance(n, ast.Ref)
                             and self.kind_new.get(n.target or "") == "parameter"})
            detail = f"par la valeur du paramètre {', '.join(params)} (voir Paramètres)" if params else ""
        values = [(f, va, vb) for f, va, vb in per_field if va is not None and vb is not None]
        if values and any(f is not None for f, _, _ in values) and len({(va, vb) for _, va, vb in values}) > 1:
            detail = "; ".join(x for x in (detail, "par champ : " + " ; ".join(
                f"{f} {french.literal(va, unit_a)} → {french.literal(vb, unit_b)}" for f, va, vb in values)) if x)
        self.add("rules", "changed", f"{b.name}.{part}", french.PART_LABELS.get(part, part),
                 self._rule_text("old", node_a.expr, unit_a), self._rule_text("new", node_b.expr, unit_b), detail,
                 part=part, indicator=b.name,
                 values=tuple((f or "", _raw(va), _raw(vb)) for f, va, vb in per_field))

    def _keyed(self, expr, side):
        campaign = self.old if side == "old" else self.new
        for n in ast.walk(expr) if expr is not None else ():
            if isinstance(n, ast.Ref) and n.target in campaign.parameters and campaign.parameters[n.target].keyed_by:
                yield n.target

    def _rule_text(self, side: str, expr: ast.Expr, unit: str | None) -> str:
        """A rule as written, each parameter followed by its value: ``num1_target (50 %)``."""
        campaign = self.old if side == "old" else self.new
        value = _constant(self.canon(expr, side, None, True))

        def name_of(ref: ast.Ref) -> str:
            param = campaign.parameters.get(ref.target or "")
            if param is not None:
                return f"{ref.text} ({self._param_text(side, param)})"
            return ref.text

        text = french.formula(expr, name_of)
        if value is not None and not isinstance(expr, (ast.Num, ast.Bool, ast.Text)) and \
                not (isinstance(expr, ast.Ref) and expr.target in campaign.parameters):
            text += f" = {french.literal(value, unit)}"
        return text

    # ------------------------------------------------------------ parameters
    def parameters(self) -> None:
        for o, n, a, b in self.matched("parameter", self.old.parameters, self.new.parameters):
            if a.unit != b.unit:
                self.add("parameters", "changed", n, "unité", a.unit, b.unit, attribute="unit")
            if (a.keyed_by is None) != (b.keyed_by is None):
                self.add("parameters", "value", n, "valeur", self._param_text("old", a), self._param_text("new", b))
                continue
            if a.keyed_by is None:
                va = self.canon(a.value, "old", None, True)
                vb = self.canon(b.value, "new", None, True)
                if not self.same(va, vb):
                    self.add("parameters", "value", n, "valeur", _expr_text(a.value, a.unit), _expr_text(b.value, b.unit),
                             _label_of(b), old_value=_raw(_constant(va)), new_value=_raw(_constant(vb)))
                continue
            da, db = dict(a.values), dict(b.values)
            diffs = []
            for f in list(db) + [f for f in da if f not in db]:
                va, vb = da.get(f), db.get(f)
                if va is None or vb is None or not self.same(self.canon(va, "old", None, True, f),
                                                             self.canon(vb, "new", None, True, f)):
                    diffs.append((f, va, vb))
            if diffs:
                self.add("parameters", "value", n, "valeur par champ",
                         " ; ".join(f"{f} : {_expr_text(va, a.unit) if va else '—'}" for f, va, _ in diffs),
                         " ; ".join(f"{f} : {_expr_text(vb, b.unit) if vb else '—'}" for f, _, vb in diffs),
                         _label_of(b), fields=tuple(f for f, _, _ in diffs))

    # ------------------------------------------------------------ groups and prerequisites
    def conditions(self, kind: str) -> None:
        table_old, table_new = getattr(self.old, _TABLES[kind]), getattr(self.new, _TABLES[kind])
        section = _SECTION_OF_KIND[kind]
        for o, n, a, b in self.matched(kind, table_old, table_new):
            if kind == "group" and a.field_name != b.field_name:
                self.add(section, "changed", n, "champ", a.field_name, b.field_name, attribute="field")
                continue
            fields = [b.field_name] if kind == "group" else (list(self.new.field_decls) or [None])
            self._condition(kind, section, a, b, fields)

    def _condition(self, kind, section, a, b, fields) -> None:
        old_text, new_text = french.formula(a.when) if a.when else "—", french.formula(b.when) if b.when else "—"
        proved_equal, found, unprovable = True, None, ""
        for f in fields:
            ca, cb = self.canon(a.when, "old", None, True, f), self.canon(b.when, "new", None, True, f)
            if ca is None or cb is None:
                proved_equal = ca is None and cb is None
                continue
            merged = self._merged()
            context = self._field_conditions(f) if kind == "group" else []

            def formula_of(t, ca=ca, cb=cb, context=context):
                xor = z3.Xor(t(ca), t(cb))
                for other in context:  # every input the field's groups read gets a value in the example
                    try:
                        t(other)
                    except partition.Unprovable:
                        pass
                return xor

            try:
                ex = partition.example(merged, f, formula_of)
            except partition.Unprovable as why:
                unprovable = str(why)
                if not self.same(ca, cb):
                    proved_equal = False
                continue
            except z3.Z3Exception as why:
                unprovable = str(why)
                if not self.same(ca, cb):
                    proved_equal = False
                continue
            if ex is not None:
                proved_equal, found = False, (f, ex, ca, cb)
                break
        if proved_equal:
            return
        detail, data = "", {}
        if found:
            f, ex, ca, cb = found
            data = {"example": tuple((k, _raw(v)) for k, v in ex.values), "field": f or ""}
            before = partition.holds(self._merged(), f, ca, ex.values)
            if kind == "group":
                old_groups = self._groups_holding("old", f, ex.values)
                new_groups = self._groups_holding("new", f, ex.values)
                data.update(old_groups=tuple(old_groups), new_groups=tuple(new_groups))
                detail = (f"exemple : {_example_text(ex)} — {self.old.name} : {_names(old_groups)} ; "
                          f"{self.new.name} : {_names(new_groups)}")
            else:
                yes = lambda v: "rempli" if v else "non rempli"  # noqa: E731
                detail = (f"exemple{f' (champ {f})' if f else ''} : {_example_text(ex)} — "
                          f"{self.old.name} : {yes(before)} ; {self.new.name} : {yes(not before)}")
        elif unprovable:
            detail = f"pas d'exemple : la condition lit {unprovable}, que le solveur ne sait pas traiter"
            self.warnings.append(f"{KIND_WORDS[kind]} {b.name} : {detail}")
        self.add(section, "condition", b.name, "condition", old_text, new_text, detail, **data)

    def _merged(self) -> ir.Campaign:
        """The new campaign, knowing the old inputs too (under their new or ``old:`` names)."""
        if getattr(self, "_merged_cache", None) is None:
            nodes = dict(self.new.nodes)
            for name, node in self.old.nodes.items():
                if node.kind == "input":
                    key = self.forward.get(name, "old:" + name)
                    nodes.setdefault(key, replace(node, id=key))
            self._merged_cache = replace(self.new, nodes=nodes)
        return self._merged_cache

    def _field_conditions(self, field) -> list[ast.Expr]:
        out = []
        for side, campaign in (("old", self.old), ("new", self.new)):
            for g in campaign.groups_of(field):
                cond = self.canon(g.when, side, None, True, field)
                if cond is not None:
                    out.append(cond)
        return out

    def _groups_holding(self, side, field, values) -> list[str]:
        campaign = self.old if side == "old" else self.new
        out = []
        for g in campaign.groups_of(field if side == "new" else field):
            cond = self.canon(g.when, side, None, True, field)
            if cond is not None and partition.holds(self._merged(), field, cond, values):
                out.append(g.label or g.name)
        return out

    # ------------------------------------------------------------ envelopes, inputs
    def envelopes(self) -> None:
        for o, n, a, b in self.matched("envelope", self.old.envelopes, self.new.envelopes):
            pa, pb = dict(a.parts), dict(b.parts)
            for part in list(pb) + [p for p in pa if p not in pb]:
                na, nb = self.old.nodes.get(pa.get(part, "")), self.new.nodes.get(pb.get(part, ""))
                if na is None or nb is None:
                    node = na or nb
                    self.add("envelopes", "part_removed" if na else "part_added", f"{n}.{part}", part,
                             french.formula(na.expr) if na and na.expr else None,
                             french.formula(nb.expr) if nb and nb.expr else None)
                    continue
                by_ref, by_value = self.compare(na.expr, nb.expr, o, n)
                if not by_ref and not by_value:
                    self.add("envelopes", "formula", f"{n}.{part}", part, french.formula(na.expr), french.formula(nb.expr))
                elif by_ref and not by_value and part == "amount":
                    self.add("envelopes", "changed", f"{n}.{part}", "montant", self._rule_text("old", na.expr, na.unit),
                             self._rule_text("new", nb.expr, nb.unit))
            if (a.payout is None) != (b.payout is None) or (a.payout is not None and not self.same(
                    self.canon(a.payout, "old", o, False), self.canon(b.payout, "new", n, False))):
                self.add("envelopes", "formula", f"{n}.payout", "rémunération par indicateur",
                         french.formula(a.payout) if a.payout else None, french.formula(b.payout) if b.payout else None)

    def inputs(self) -> None:
        for o, n, a, b in self.matched("input", self.old.inputs, self.new.inputs):
            if a.unit != b.unit:
                self.add("inputs", "changed", n, "unité", a.unit, b.unit, attribute="unit")
            if set(a.values) != set(b.values):
                self.add("inputs", "changed", n, "valeurs possibles", ", ".join(a.values), ", ".join(b.values),
                         attribute="values")
            fa, fb = self.old.nodes[o].fields, self.new.nodes[n].fields
            if set(fa) != set(fb):
                self.add("inputs", "changed", n, "champs qui la renseignent", ", ".join(fa) or "tous",
                         ", ".join(fb) or "tous", attribute="fields")

    # ------------------------------------------------------------ texts and assumptions
    def texts_and_assumptions(self) -> None:
        for o, n in self.forward.items():
            a, b = self.decl("old", o), self.decl("new", n)
            if a is None or b is None:
                continue
            for key in ("label", "description"):
                if _norm(getattr(a, key)) != _norm(getattr(b, key)):
                    self.add("texts", "text", n, french.TEXT_LABELS[key], _norm(getattr(a, key)) or None,
                             _norm(getattr(b, key)) or None, key=key, decl_kind=b.kind)
            for key in list(b.texts) + [k for k in a.texts if k not in b.texts]:
                ta, tb = _norm(a.texts.get(key, "")), _norm(b.texts.get(key, ""))
                if ta != tb:
                    self.add("texts", "text", n, french.TEXT_LABELS.get(key, key), ta or None, tb or None,
                             key=key, decl_kind=b.kind)
            for key, word in (("assumption", "hypothèse"), ("carried", "reconduction")):
                ta, tb = _norm(getattr(a, key)), _norm(getattr(b, key))
                if ta == tb:
                    continue
                kind = "assumption_added" if not ta else "assumption_removed" if not tb else "assumption_changed"
                self.add("assumptions", kind, n, word, ta or None, tb or None, decl_kind=b.kind, key=key)
        for decl in _decls(self.new):
            if decl.name not in self.backward and decl.kind != "campaign":
                for key, word in (("assumption", "hypothèse"), ("carried", "reconduction")):
                    if _norm(getattr(decl, key)):
                        self.add("assumptions", "assumption_added", decl.name, word, None, _norm(getattr(decl, key)),
                                 "nouvelle déclaration", decl_kind=decl.kind, key=key)
        for decl in _decls(self.old):
            if decl.name not in self.forward and decl.kind != "campaign":
                for key, word in (("assumption", "hypothèse"), ("carried", "reconduction")):
                    if _norm(getattr(decl, key)):
                        self.add("assumptions", "assumption_removed", decl.name, word, _norm(getattr(decl, key)), None,
                                 "déclaration retirée", decl_kind=decl.kind, key=key)


# ------------------------------------------------------------------ helpers
def _decls(campaign: ir.Campaign):
    yield from campaign.declarations()


def _label_of(decl) -> str:
    return _norm(getattr(decl, "label", "")) if getattr(decl, "label", "") != decl.name else ""


def _shape(e: ast.Expr) -> ast.Expr:
    def strip(x):
        try:
            return replace(x, span=ast.NO_SPAN)
        except TypeError:
            return x
    return transform(e, strip)


def _sympy(e: ast.Expr):
    return symbolic.to_sympy(e, lambda r: r.target or r.text)


def _constant(e: ast.Expr | None):
    """The value of an expression without names (after parameters are inlined), or None."""
    if e is None:
        return None
    v = literal_value(e)
    if v is not None:
        return v
    if any(isinstance(n, (ast.Ref, ast.Call, ast.Missing)) for n in ast.walk(e)):
        return None
    try:
        value = sp.nsimplify(_sympy(e))
    except (TypeError, ValueError, AttributeError, KeyError):
        return None
    if value is sp.true or value is sp.false:
        return bool(value)
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    return None


def _const_text(e) -> str:
    v = _constant(e)
    return str(v) if v is not None else sp.srepr(_sympy(e)) if e is not None else "∅"


def _raw(v):
    """A value for JSON: a Fraction as a float, others unchanged."""
    if isinstance(v, Fraction):
        return float(v) if v.denominator != 1 else int(v)
    return v


def _expr_text(e: ast.Expr | None, unit: str | None) -> str:
    if e is None:
        return "—"
    v = literal_value(e)
    if v is not None:
        return french.literal(v, unit)
    return french.formula(e)


def _names(groups: list[str]) -> str:
    return ", ".join(groups) if groups else "aucun groupe"


def _example_text(ex: partition.Example) -> str:
    ranges = {name: (lo, hi) for name, lo, hi in ex.ranges}
    parts = []
    for name, v in ex.values:
        if isinstance(v, bool):
            parts.append(f"{name} = {'oui' if v else 'non'}")
            continue
        text = f"{name} = {french.plain(v)}"
        if name in ranges and ranges[name] != (0, None):  # (0, None): any count, not worth saying
            lo, hi = ranges[name]
            span = f"de {french.plain(lo)} à {french.plain(hi)}" if lo is not None and hi is not None else \
                f"à partir de {french.plain(lo)}" if lo is not None else f"jusqu'à {french.plain(hi)}"
            text += f" (de même pour {name} {span}, le reste inchangé)"
        parts.append(text)
    return ", ".join(parts) if parts else "tout établissement"


# ------------------------------------------------------------------ one change undone (for the money diff)
@dataclass(frozen=True)
class Revert:
    """The new campaign with one rule change put back as it was in the old one."""

    subject: str  # what was put back: a parameter, an indicator part, a group
    label: str  # the change, in French: « paramètre num1_target : 20 % → 50 % »
    campaign: ir.Campaign


def reverts(old: ir.Campaign, new: ir.Campaign) -> list[Revert]:
    """Every rule change of ``old → new`` that can be undone alone in ``new``.

    Parameter values, indicator rules and formulas, envelope formulas, group conditions and
    the fields of an indicator. Not undoable alone: indicators added or removed, and a
    formula that reads something the new campaign no longer has (that change stays in the
    part of the difference the report does not attribute).
    """
    d = _Differ(old, new)
    d.match()
    out: list[Revert] = []
    for o, n in d.forward.items():
        kind = d.kind_old[o]
        if kind == "parameter":
            a, b = old.parameters[o], new.parameters[n]
            by_value = d.same(d.canon(a.value, "old", None, True), d.canon(b.value, "new", None, True)) \
                if a.keyed_by is None and b.keyed_by is None else a.values == b.values and a.keyed_by == b.keyed_by
            if a.keyed_by is not None and b.keyed_by is not None:
                by_value = all(d.same(d.canon(dict(a.values).get(f), "old", None, True, f),
                                      d.canon(dict(b.values).get(f), "new", None, True, f))
                               for f in set(dict(a.values)) | set(dict(b.values)))
            if by_value:
                continue
            values = a.values
            if (a.keyed_by is None and literal_value(a.value) is None) or \
                    any(literal_value(v) is None for _, v in values):
                continue
            param = replace(b, value=a.value, values=a.values, keyed_by=a.keyed_by)
            label = f"paramètre {n} : {d._param_text('old', a)} → {d._param_text('new', b)}"
            out.append(Revert(n, label, replace(new, parameters={**new.parameters, n: param})))
        elif kind == "group":
            a, b = old.groups[o], new.groups[n]
            if a.when is None or b.when is None or a.field_name != b.field_name:
                continue
            if d.same(d.canon(a.when, "old", None, True, a.field_name), d.canon(b.when, "new", None, True, b.field_name)):
                continue
            when = d.to_new(a.when, None, None)
            if when is None:
                continue
            nodes = {**new.nodes, n: replace(new.nodes[n], expr=when)}
            out.append(Revert(n, f"condition du groupe {b.label or n}",
                              replace(new, nodes=nodes, groups={**new.groups, n: replace(b, when=when)})))
        elif kind in ("indicator", "envelope"):
            a, b = getattr(old, _TABLES[kind])[o], getattr(new, _TABLES[kind])[n]
            for part, new_id in b.parts:
                old_id = dict(a.parts).get(part)
                na, nb = old.nodes.get(old_id or ""), new.nodes.get(new_id)
                if na is None or nb is None or na.expr is None or nb.expr is None:
                    continue
                by_ref, by_value = d.compare(na.expr, nb.expr, o, n)
                if by_ref:  # equal, or changed only through a parameter (undone with the parameter)
                    continue
                if by_value:
                    continue
                expr = d.to_new(na.expr, o, n)
                if expr is None:
                    continue
                what = french.PART_LABELS.get(part, part)
                out.append(Revert(f"{n}.{part}", f"{what} de l'{KIND_WORDS[kind]} {n}",
                                  replace(new, nodes={**new.nodes, new_id: replace(nb, expr=expr)})))
            if kind == "indicator" and set(a.fields) != set(b.fields):
                fields = tuple(f for f in a.fields if f in new.field_decls)
                nodes = dict(new.nodes)
                for _, node_id in b.parts:
                    nodes[node_id] = replace(nodes[node_id], fields=fields)
                out.append(Revert(f"{n}.fields", f"champs de l'indicateur {n} : {', '.join(a.fields)} → {', '.join(b.fields)}",
                                  replace(new, nodes=nodes, indicators={**new.indicators, n: replace(b, fields=fields)})))
    return out


def _to_new(self: _Differ, expr: ast.Expr, old_owner: str | None, new_owner: str | None) -> ast.Expr | None:
    """An old expression in the new campaign's names, evaluable there; None if it reads what is gone."""
    ok = [True]

    def fn(e):
        if isinstance(e, ast.Call) and e.over and e.over not in ("group", "field", "all"):
            if e.over not in self.forward:
                ok[0] = False
                return e
            return replace(e, over=self.forward[e.over])
        if not isinstance(e, ast.Ref) or not e.target:
            return e
        t = e.target
        if t.startswith(("field:", "@")) or t in ir.BUILTINS:
            return e
        if "." in t:
            head, part = t.split(".", 1)
            target = f"{new_owner}.{part}" if head == old_owner else \
                (f"{self.forward[head]}.{part}" if head in self.forward else None)
            if target is None or target not in self.new.nodes:
                ok[0] = False
                return e
            return replace(e, target=target)
        if t in self.forward and self.forward[t] in self.new.nodes:
            return replace(e, target=self.forward[t])
        param = self.old.parameters.get(t)
        if param is not None and param.keyed_by is None and param.value is not None:
            inner = _to_new(self, param.value, None, None)
            if inner is not None:
                return inner
        ok[0] = False
        return e

    out = transform(expr, fn)
    return out if ok[0] else None


_Differ.to_new = _to_new
