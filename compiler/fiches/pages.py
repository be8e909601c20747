"""The documentation's page model, built from compiled campaigns only (never from .spec text).

``build_site(compiled)`` returns a :class:`Site`: for each campaign a :class:`CampaignPage`
(indicators by category and field, weights, envelopes, groups, prerequisites, what changed),
and for each indicator a :class:`Fiche` in the spirit of the official ones — label, former
names, fields, definition, numerator and denominator, formulas, target, threshold and how it
is computed, evolution, weight, periods and deadlines, sources, the valuation curve, what
changed since the extended campaign, and every assumption it rests on.

Each rule shown carries a *status*: ``officiel`` (a source document and section),
``hypothèse`` (an ``assumption`` of the spec), ``reconduit`` (carried over from the extended
campaign without a new document, with why), or ``non sourcé``. :mod:`site` only formats this
model (Markdown, HTML); :mod:`plots` draws its pictures.

Values come from a tiny scalar evaluator over the IR (:class:`Evaluator`): parameters,
constants and formulas over them; anything that needs a dataset (an input, an aggregate over
establishments) is :class:`NotConstant`. The valuation curve is that evaluator run on a grid of
results, the data-dependent parts (a threshold computed from the group) set to an illustrative
value that the caption names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import networkx as nx

from qualispec.compiler import french, ir
from qualispec.compiler.syntax import ast
from qualispec.compiler.fiches import formulas
from qualispec.compiler.check import literal_value
from qualispec.compiler.evaluator import Evaluator, NotConstant, constant
from qualispec.compiler.pipeline import Compiled

STATUS_OFFICIAL, STATUS_ASSUMPTION, STATUS_CARRIED, STATUS_UNSOURCED = "officiel", "hypothèse", "reconduit", "non sourcé"
_STATUS_RANK = {STATUS_OFFICIAL: 0, STATUS_UNSOURCED: 1, STATUS_CARRIED: 2, STATUS_ASSUMPTION: 3}
STATUS_WORDS = {
    STATUS_OFFICIAL: "Officiel : donné par un document source",
    STATUS_ASSUMPTION: "Hypothèse : absent des documents sources, choisi et justifié par les auteurs de la spec",
    STATUS_CARRIED: "Reconduit : repris de la campagne précédente sans nouveau document, à confirmer",
    STATUS_UNSOURCED: "Non sourcé : ni source ni hypothèse déclarée",
}
# The text properties of an indicator, in the order of an official fiche.
TEXT_ROWS = ("data_source", "definition", "scope", "direction", "frequency", "measurement", "collection", "deadline",
             "stay_definition", "not_computable", "weight_rule", "threshold_rule")
TEXT_TITLES = {**french.TEXT_LABELS, "scope": "périmètre", "frequency": "fréquence", "threshold_rule": "règle du seuil",
               "numerator_label": "numérateur", "denominator_label": "dénominateur"}
RULE_PARTS = ("target", "threshold", "expected", "evolution_paid", "not_applicable_allowed", "weight", "eligible")
RULE_TITLES = {"target": "Valeur cible de rémunération", "threshold": "Valeur seuil de début de rémunération",
               "expected": "Résultat attendu", "evolution_paid": "Évolution rémunérée",
               "not_applicable_allowed": "Déclaration « non applicable » possible", "weight": "Poids",
               "eligible": "Prérequis"}
FORMULA_PARTS = ("result", "level", "evolution", "score", "payout")
NUMERIC_UNITS = ("percent", "ratio", "count", "number", "euro", "days")
KIND_ORDER = ("indicator", "curve", "envelope", "parameter", "prerequisite", "group", "input", "category", "campaign")
ILLUSTRATIVE_NOTE = "position illustrative : le seuil est calculé chaque année à partir des résultats"


# ------------------------------------------------------------------ the model
@dataclass(frozen=True)
class Source:
    document: str
    label: str
    section: str
    issuer: str = ""
    date: str = ""

    @property
    def text(self) -> str:
        return f"{self.label}, « {self.section} »" if self.section else self.label


@dataclass(frozen=True)
class Provenance:
    """Where a declaration comes from: a source, an assumption, or a carry-over."""

    kind: str
    name: str
    label: str
    status: str
    source: Source | None = None
    assumption: str = ""
    carried: str = ""


@dataclass(frozen=True)
class Rule:
    """One row of a fiche: a title, a value in words, maybe a formula, and where it comes from."""

    key: str
    title: str
    value: str
    formula: formulas.Formula | None = None
    detail: str = ""
    provenance: tuple[Provenance, ...] = ()
    note: str = ""

    @property
    def status(self) -> str:
        return worst(p.status for p in self.provenance) if self.provenance else ""


@dataclass(frozen=True)
class Symbol:
    shown: str
    meaning: str
    value: str
    status: str = ""


@dataclass(frozen=True)
class Assumption:
    kind: str  # words: paramètre, groupe de comparaison …
    names: tuple[tuple[str, str], ...]  # (name, label)
    text: str
    status: str  # hypothèse or reconduit


@dataclass(frozen=True)
class ChangeLine:
    what: str
    old: str
    new: str
    detail: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    x: tuple[float, ...]
    y: tuple[float | None, ...]
    style: str  # level, positive, stable, negative


@dataclass(frozen=True)
class CurveData:
    title: str
    x_unit: str
    y_unit: str
    x_max: float
    series: tuple[Series, ...]
    threshold: float | None
    threshold_illustrative: bool
    target: float | None
    caption: str
    higher_is_better: bool = True


@dataclass(frozen=True)
class Fiche:
    campaign: str
    name: str
    label: str
    description: str
    former_names: tuple[str, ...]
    renamed_from: str
    lineage: str
    fields: tuple[tuple[str, str], ...]
    category: tuple[str, str]
    unit: str
    source: Source | None
    provenance: Provenance
    texts: tuple[Rule, ...]
    numerator: Rule | None
    denominator: Rule | None
    exclusions: str
    rules: tuple[Rule, ...]
    evolution_rule: str
    formulas: tuple[tuple[str, formulas.Formula], ...]
    symbols: tuple[Symbol, ...]
    curve: CurveData | None
    curve_note: str
    valuation: tuple[str, str, str]  # curve name, label, description
    envelope: tuple[str, str]
    weights: tuple[tuple[str, str], ...]  # (field, weight in words)
    prerequisites: tuple[tuple[str, str], ...]
    assumptions: tuple[Assumption, ...]
    base: str  # the extended campaign's name, "" when none
    base_fiche: str  # the matching indicator in the base campaign, "" when none
    changes: tuple[ChangeLine, ...]
    change_summary: str
    graph_nodes: frozenset[str] = frozenset()

    @property
    def status_counts(self) -> dict[str, int]:
        counts = {s: 0 for s in _STATUS_RANK}
        for rule in self.rules:
            if rule.status:
                counts[rule.status] += 1
        return counts


@dataclass(frozen=True)
class GroupRow:
    name: str
    label: str
    cells: tuple[str, ...]
    condition: str
    description: str
    provenance: Provenance


@dataclass(frozen=True)
class GroupTable:
    field: str
    field_label: str
    columns: tuple[tuple[str, str], ...]  # (input name, label)
    rows: tuple[GroupRow, ...]


@dataclass(frozen=True)
class PrerequisiteView:
    name: str
    label: str
    description: str
    condition: formulas.Formula | None
    provenance: Provenance
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class EnvelopeView:
    name: str
    label: str
    description: str
    parts: tuple[Rule, ...]
    payout: formulas.Formula | None
    rounding: str
    provenance: Provenance
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    label: str
    fields: tuple[str, ...]
    weights: dict
    assumptions: int
    status: str


@dataclass(frozen=True)
class CampaignPage:
    name: str
    label: str
    scheme: str
    year: int | None
    description: str
    source: Source | None
    base: str
    base_label: str
    documents: tuple[tuple[str, str, str, str], ...]  # name, label, issuer, date
    fields: tuple[tuple[str, str], ...]
    by_category: tuple[tuple[str, str, tuple[IndicatorLine, ...]], ...]
    envelopes: tuple[EnvelopeView, ...]
    groups: tuple[GroupTable, ...]
    group_inputs: tuple[tuple[str, str, str], ...]  # name, label, unit words
    prerequisites: tuple[PrerequisiteView, ...]
    parameters: tuple[Rule, ...]
    dropped: tuple[tuple[str, str], ...]
    lineage_counts: dict
    fiches: tuple[Fiche, ...]
    assumptions: tuple[Assumption, ...]
    graph_size: tuple[int, int]


@dataclass(frozen=True)
class Site:
    campaigns: tuple[CampaignPage, ...]
    compiled: dict = field(default_factory=dict, compare=False, repr=False)


def worst(statuses) -> str:
    return max(statuses, key=lambda s: _STATUS_RANK.get(s, 0), default="")


# ------------------------------------------------------------------ builders
def build_site(compiled: list[Compiled], bases: dict[str, Compiled] | None = None) -> Site:
    """The page model of every campaign. ``bases``: extended campaigns outside ``compiled``."""
    by_name = {c.campaign.name: c for c in compiled}
    known = {**(bases or {}), **by_name}
    pages = [_CampaignBuilder(c, known.get(c.campaign.extends or "")).build()
             for c in sorted(compiled, key=lambda c: (c.campaign.scheme, c.campaign.year or 0, c.campaign.name))]
    return Site(tuple(pages), by_name)


def source_of(campaign: ir.Campaign, ref: ast.SourceRef | None) -> Source | None:
    if ref is None:
        return None
    doc = campaign.documents.get(ref.document)
    if doc is None:
        return Source(ref.document, ref.document, ref.section)
    return Source(ref.document, doc.label or ref.document, ref.section, doc.texts.get("issuer", ""), doc.texts.get("date", ""))


def provenance(campaign: ir.Campaign, decl: ir.Decl) -> Provenance:
    if decl.assumption:
        status = STATUS_ASSUMPTION
    elif decl.carried:
        status = STATUS_CARRIED
    elif decl.source is not None:
        status = STATUS_OFFICIAL
    else:
        status = STATUS_UNSOURCED
    return Provenance(decl.kind, decl.name, decl.label, status, source_of(campaign, decl.source),
                      decl.assumption, decl.carried)


def value_text(value, unit: str | None) -> str:
    if value is None:
        return "manquant"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str):
        return value
    return french.literal(value, unit)


class _CampaignBuilder:
    def __init__(self, compiled: Compiled, base: Compiled | None):
        self.compiled, self.c, self.graph = compiled, compiled.campaign, compiled.graph
        self.base = base
        self.diff = None
        if base is not None:
            try:
                from qualispec.compiler.diff.rules import diff

                self.diff = diff(base.campaign, self.c)
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
        """Display names: an indicator's own parts in French, everything else as written."""
        def name_of(ref: ast.Ref) -> str:
            target = ref.target or ref.text
            if owner and target.startswith(owner + "."):
                part = target.split(".", 1)[1]
                shown = french.PART_SHORT.get(part, part)
            elif target.startswith("field:"):
                shown = target[6:]
            else:
                shown = ref.text
            seen.setdefault(shown, target)
            return shown
        return name_of

    def formula(self, expr: ast.Expr, owner: str | None, lhs: str | None, seen: dict[str, str]) -> formulas.Formula:
        prefer = frozenset(french.PART_SHORT[p] for p in ("result", "previous", "level", "evolution", "numerator",
                                                          "denominator", "score")) | frozenset(self.c.inputs)
        return formulas.render(expr, self.namer(owner, seen), lhs, prefer)

    # ------------------------------------------------------------ campaign
    def build(self) -> CampaignPage:
        c = self.c
        fiches = tuple(self.fiche(ind) for ind in sorted(c.indicators.values(), key=_indicator_key))
        categories: dict[str, list[IndicatorLine]] = {}
        for f in fiches:
            categories.setdefault(f.category[0], []).append(IndicatorLine(
                f.name, f.label, tuple(code for code, _ in f.fields), dict(f.weights), len(f.assumptions),
                worst(r.status for r in f.rules if r.status)))
        by_category = tuple((code, c.categories[code].label if code in c.categories else (code or "Sans catégorie"),
                             tuple(lines)) for code, lines in sorted(categories.items(), key=lambda kv: _category_key(c, kv[0])))
        base = self.base.campaign if self.base else None
        lineage_counts: dict[str, int] = {}
        for name, how in c.lineage.items():
            key = how.split(":", 1)[0]
            lineage_counts[key] = lineage_counts.get(key, 0) + 1
        assumptions = self.assumptions(d for d in c.declarations() if d.kind != "document")
        return CampaignPage(
            name=c.name, label=c.label or c.name, scheme=c.scheme, year=c.year, description=c.description,
            source=source_of(c, c.source), base=c.extends or "", base_label=(base.label if base else ""),
            documents=tuple((d.name, d.label or d.name, d.texts.get("issuer", ""), d.texts.get("date", ""))
                            for d in sorted(c.documents.values(), key=lambda d: d.name)),
            fields=tuple((f, d.label) for f, d in c.field_decls.items()),
            by_category=by_category,
            envelopes=tuple(self.envelope(e) for e in sorted(c.envelopes.values(), key=lambda e: e.name)),
            groups=self.group_tables(),
            group_inputs=self.group_inputs(),
            prerequisites=tuple(self.prerequisite(p) for p in sorted(c.prerequisites.values(), key=lambda p: p.name)),
            parameters=tuple(self.parameter_rule(p) for p in sorted(c.parameters.values(), key=lambda p: p.name)),
            dropped=tuple(sorted(c.dropped.items())),
            lineage_counts=dict(sorted(lineage_counts.items())),
            fiches=fiches,
            assumptions=assumptions,
            graph_size=(self.graph.number_of_nodes(), self.graph.number_of_edges()),
        )

    def parameter_rule(self, p: ir.Parameter) -> Rule:
        return Rule(p.name, p.label or p.name, self.parameter_value(p), provenance=(provenance(self.c, p),),
                    detail=p.description)

    def parameter_value(self, p: ir.Parameter) -> str:
        if p.values:
            parts = []
            for key, expr in p.values:
                try:
                    parts.append(f"{key} : {value_text(Evaluator(self.c).expr(expr), p.unit)}")
                except NotConstant:
                    parts.append(f"{key} : {french.formula(expr)}")
            return " ; ".join(parts)
        if p.value is None:
            return "—"
        v = literal_value(p.value)
        if v is None:
            try:
                v = Evaluator(self.c).expr(p.value)
            except NotConstant:
                return french.formula(p.value)
        return value_text(v, p.unit)

    # ------------------------------------------------------------ assumptions
    def assumptions(self, decls) -> tuple[Assumption, ...]:
        grouped: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        for decl in decls:
            for status, text in ((STATUS_ASSUMPTION, decl.assumption), (STATUS_CARRIED, decl.carried)):
                if text:
                    key = (decl.kind, status, " ".join(text.split()))
                    grouped.setdefault(key, []).append((decl.name, decl.label))
        ordered = sorted(grouped.items(), key=lambda kv: (KIND_ORDER.index(kv[0][0]) if kv[0][0] in KIND_ORDER else 99,
                                                        kv[1][0][0], kv[0][1]))
        return tuple(Assumption(french.KIND_LABELS.get(kind, kind), tuple(sorted(names)), text, status)
                     for (kind, status, text), names in ordered)

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

    # ------------------------------------------------------------ fiche
    def fiche(self, ind: ir.Indicator) -> Fiche:
        c = self.c
        seen: dict[str, str] = {}
        texts = tuple(Rule(key, TEXT_TITLES.get(key, key).capitalize(), ind.texts[key])
                      for key in TEXT_ROWS if ind.texts.get(key))
        numerator = self.fraction_part(ind, "numerator")
        denominator = self.fraction_part(ind, "denominator")
        rules = tuple(r for r in (self.rule(ind, part) for part in RULE_PARTS) if r is not None)
        shown_formulas = []
        for part in FORMULA_PARTS:
            node_id = ind.part(part)
            node = c.nodes.get(node_id) if node_id else None
            if node is None or node.expr is None:
                continue
            shown_formulas.append((french.PART_LABELS.get(part, part).capitalize(),
                                   self.formula(node.expr, ind.name, french.PART_SHORT.get(part, part), seen)))
        own = {p for p, _ in ind.parts}
        for part, node_id in ind.parts:  # let bindings and other parts an author named
            node = c.nodes.get(node_id)
            if part in own and part not in french.PART_SHORT and node is not None and node.expr is not None:
                shown_formulas.append((part, self.formula(node.expr, ind.name, part, seen)))
        deps = self.dependencies(ind)
        curve = c.curves.get(ind.valuation)
        curve_data, curve_note = self.curve(ind)
        envelope = c.envelopes.get(ind.envelope)
        base_name, changes, summary = self.changes(ind)
        return Fiche(
            campaign=c.name, name=ind.name, label=ind.label or ind.name, description=ind.description,
            former_names=ind.former_names, renamed_from=ind.renamed_from, lineage=c.lineage.get(ind.name, "new"),
            fields=tuple((f, c.field_decls[f].label if f in c.field_decls else f) for f in ind.fields),
            category=(ind.category, c.categories[ind.category].label if ind.category in c.categories else ind.category),
            unit=ind.unit, source=source_of(c, ind.source), provenance=provenance(c, ind),
            texts=texts, numerator=numerator, denominator=denominator, exclusions=ind.texts.get("exclusions", ""),
            rules=rules, evolution_rule=ind.texts.get("evolution_rule", ""),
            formulas=tuple(shown_formulas), symbols=self.symbols(ind, seen),
            curve=curve_data, curve_note=curve_note,
            valuation=(curve.name, curve.label, curve.description) if curve else ("", "", ""),
            envelope=(envelope.name, envelope.label) if envelope else ("", ""),
            weights=self.weights(ind),
            prerequisites=tuple((p, c.prerequisites[p].label if p in c.prerequisites else p) for p in ind.prerequisites),
            assumptions=self.assumptions(deps),
            base=self.base.campaign.name if self.base else "", base_fiche=base_name,
            changes=changes, change_summary=summary,
            graph_nodes=self.fiche_nodes(ind),
        )

    def fraction_part(self, ind: ir.Indicator, part: str) -> Rule | None:
        node_id = ind.part(part)
        label_text = ind.texts.get(f"{part}_label", "")
        if node_id is None:
            return Rule(part, french.PART_LABELS[part].capitalize(), label_text) if label_text else None
        node = self.c.nodes[node_id]
        seen: dict[str, str] = {}
        inputs = []
        provs = []
        if node.expr is not None:
            for sub in ast.walk(node.expr):
                if isinstance(sub, ast.Ref) and sub.target in self.c.inputs and sub.target not in [i for i, _ in inputs]:
                    decl = self.c.inputs[sub.target]
                    inputs.append((decl.name, decl.label))
                    provs.append(provenance(self.c, decl))
        simple = isinstance(node.expr, ast.Ref) and node.expr.target in self.c.inputs
        value = label_text or ("; ".join(label for _, label in inputs) if simple else "")
        formula = None if simple or node.expr is None else self.formula(node.expr, ind.name, None, seen)
        detail = ", ".join(f"{n} ({french.UNIT_WORDS.get(self.c.inputs[n].unit, self.c.inputs[n].unit)})" for n, _ in inputs)
        if label_text and simple:
            detail = f"{inputs[0][1]} — {detail}"
        elif not simple and inputs:
            detail = " ; ".join(f"{n} : {label}" for n, label in inputs)
        return Rule(part, french.PART_LABELS[part].capitalize(), value or (formula.text if formula else ""),
                    formula, detail=detail, provenance=tuple(provs))

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

    def rule(self, ind: ir.Indicator, part: str) -> Rule | None:
        node_id = ind.part(part)
        if node_id is None:
            return None
        node = self.c.nodes[node_id]
        if node.expr is None:
            return None
        title = RULE_TITLES[part]
        provs = tuple(provenance(self.c, d) for d in self.referenced_decls(node.expr, ind.name))
        seen: dict[str, str] = {}
        formula = None if isinstance(node.expr, (ast.Ref, ast.Num, ast.Bool)) else \
            self.formula(node.expr, ind.name, french.PART_SHORT.get(part, part), seen)
        note = ""
        if part == "threshold":
            value, note = self.describe_threshold(ind, node)
        elif part == "eligible":
            value = " et ".join(f"{p} ({self.c.prerequisites[p].label})" if p in self.c.prerequisites else p
                                for p in ind.prerequisites) or french.formula(node.expr)
        else:
            value = self.values_by_field(ind, node_id, node.unit)
        if part == "evolution_paid" and ind.texts.get("evolution_rule"):
            note = ind.texts["evolution_rule"]
        if part == "weight" and ind.texts.get("weight_rule"):
            note = ind.texts["weight_rule"]
        if not provs and part not in ("eligible",):
            provs = (provenance(self.c, ind),)
        return Rule(part, title, value, formula, provenance=provs, note=note)

    def values_by_field(self, ind: ir.Indicator, node_id: str, unit: str | None) -> str:
        try:
            return value_text(constant(self.c, node_id), unit)
        except NotConstant:
            pass
        by_field = []
        for f in ind.fields:
            try:
                by_field.append((f, value_text(constant(self.c, node_id, f), unit)))
            except NotConstant:
                by_field = []
                break
        if by_field:
            if len({v for _, v in by_field}) == 1:
                return by_field[0][1]
            return " ; ".join(f"{f} : {v}" for f, v in by_field)
        node = self.c.nodes[node_id]
        return french.formula(node.expr, self.namer(ind.name, {}))

    def weights(self, ind: ir.Indicator) -> tuple[tuple[str, str], ...]:
        node_id = ind.part("weight")
        if node_id is None:
            return ()
        unit = self.c.nodes[node_id].unit
        out = []
        for f in ind.fields or (None,):
            try:
                out.append((f or "", value_text(constant(self.c, node_id, f), unit)))
            except NotConstant:
                out.append((f or "", "selon les données"))
        return tuple(out)

    def describe_threshold(self, ind: ir.Indicator, node: ir.Node) -> tuple[str, str]:
        expr = node.expr
        if isinstance(expr, ast.Call) and expr.over and expr.func == "quantile" and len(expr.args) == 2:
            ev = Evaluator(self.c)
            try:
                q = ev.expr(expr.args[1])
            except NotConstant:
                q = None
            method_expr = expr.option("method")
            try:
                method = ev.expr(method_expr) if method_expr is not None else None
            except NotConstant:
                method = None
            subject = expr.args[0]
            if isinstance(subject, ast.Ref) and subject.target == f"{ind.name}.result":
                words = "des résultats"
            else:
                words = f"de « {french.formula(subject, self.namer(ind.name, {}))} »"
            how = "Calculée chaque année à partir des résultats des établissements : elle n'est connue qu'avec les données."
            if method in french.QUANTILE_METHOD_WORDS:
                how += f" Règle d'interpolation : {french.QUANTILE_METHOD_WORDS[method]}."
            return french.describe_quantile(q, words, expr.over, method).capitalize(), how
        try:
            return self.values_by_field(ind, node.id, node.unit), ""
        except NotConstant:
            return french.formula(expr, self.namer(ind.name, {})), ""

    def symbols(self, ind: ir.Indicator, seen: dict[str, str]) -> tuple[Symbol, ...]:
        out = []
        for shown, target in seen.items():
            if target.startswith(ind.name + "."):
                part = target.split(".", 1)[1]
                meaning = french.PART_LABELS.get(part, part)
                node = self.c.nodes.get(target)
                try:
                    value = value_text(constant(self.c, target), node.unit if node else None)
                except NotConstant:
                    value = ""
                out.append(Symbol(shown, meaning, value))
                continue
            decl = self.decl_of(target)
            if isinstance(decl, ir.Parameter):
                out.append(Symbol(shown, decl.label or decl.name, self.parameter_value(decl), provenance(self.c, decl).status))
            elif isinstance(decl, ir.Input):
                out.append(Symbol(shown, decl.label or decl.name, "donnée : " + french.UNIT_WORDS.get(decl.unit, decl.unit),
                                  provenance(self.c, decl).status))
            elif decl is not None:
                out.append(Symbol(shown, decl.label or decl.name, "", provenance(self.c, decl).status))
            elif "." in target:
                owner, part = target.split(".", 1)
                env = self.c.envelopes.get(owner)
                meaning = f"{part} de l'enveloppe « {env.label or owner} »" if env else target
                node = self.c.nodes.get(target)
                value = ""
                try:
                    value = value_text(constant(self.c, target), node.unit if node else None)
                except NotConstant:
                    value = french.formula(node.expr) if node is not None and node.expr is not None else ""
                out.append(Symbol(shown, meaning, value))
            elif target in ir.BUILTINS:
                out.append(Symbol(shown, {"finess": "numéro FINESS", "field": "champ de l'établissement",
                                          "group": "groupe de comparaison"}[target], ""))
        return tuple(sorted(out, key=lambda s: (s.status != "", s.shown)))

    # ------------------------------------------------------------ curve
    def curve(self, ind: ir.Indicator) -> tuple[CurveData | None, str]:
        score_id, result_id = ind.part("score"), ind.part("result")
        if score_id is None or result_id is None:
            return None, ""
        c = self.c
        x_unit = c.nodes[result_id].unit
        if x_unit not in NUMERIC_UNITS:
            return None, "Pas de courbe : le résultat n'est pas un nombre (le score se lit dans le tableau de la formule)."
        overrides: dict[str, object] = {}
        notes = []
        if ind.part("eligible"):
            overrides[ind.part("eligible")] = True
            notes.append("prérequis supposés remplis")
        if ind.part("not_applicable_allowed"):
            pass

        def try_value(part):
            node_id = ind.part(part)
            if node_id is None:
                return None, False
            try:
                v = constant(c, node_id)
                return (float(v) if isinstance(v, (int, Fraction)) and not isinstance(v, bool) else None), False
            except NotConstant:
                try:
                    v = constant(c, node_id, ind.fields[0]) if ind.fields else None
                    if v is not None and len(ind.fields) > 0:
                        notes.append(f"valeurs du champ {ind.fields[0]}")
                    return (float(v) if v is not None else None), False
                except NotConstant:
                    return None, True

        target, _ = try_value("target")
        threshold, threshold_data = try_value("threshold")
        expected, expected_data = try_value("expected")
        higher = (ind.texts.get("direction", "").lower().find("bas") < 0) if ind.texts.get("direction") else True
        if x_unit in ("percent", "ratio"):
            x_max = 1.0
        else:
            known = [v for v in (target, threshold, expected) if v]
            x_max = max(known) * 2 if known else 1.0
        illustrative = False
        if threshold_data:
            base = target if target is not None else x_max / 2
            threshold = round(base * 0.6, 2) if base else x_max * 0.3
            overrides[ind.part("threshold")] = Fraction(threshold).limit_denominator(1000)
            illustrative = True
        if expected_data:
            expected = x_max / 2
            overrides[ind.part("expected")] = Fraction(expected).limit_denominator(1000)
            notes.append("résultat attendu placé à une position illustrative")
        steps = 400
        xs = [Fraction(i, steps) * Fraction(x_max).limit_denominator(10**6) for i in range(steps + 1)]
        extra = [Fraction(v).limit_denominator(10**6) for v in (target, threshold, expected) if v is not None]
        for v in extra:
            xs += [v, v - Fraction(1, 10**6)]
        xs = sorted({x for x in xs if 0 <= x <= Fraction(x_max).limit_denominator(10**6)})
        previous_id = ind.part("previous")
        delta = Fraction(x_max).limit_denominator(10**6) / 10

        def series(previous_of):
            ys = []
            for x in xs:
                ov = dict(overrides)
                ov[result_id] = x
                if previous_id:
                    ov[previous_id] = previous_of(x)
                try:
                    y = Evaluator(c, ind.fields[0] if ind.fields else None, ov).node(score_id)
                except NotConstant as why:
                    raise NotConstant(str(why)) from None
                ys.append(None if y is None or isinstance(y, (bool, str)) else float(y))
            return tuple(ys)

        try:
            level = series(lambda x: None)
        except NotConstant as why:
            return None, f"Pas de courbe : le score dépend de données autres que le résultat ({why})."
        if all(y is None for y in level):
            return None, "Pas de courbe : le score n'est pas calculable à partir du seul résultat."
        fx = tuple(float(x) for x in xs)
        out = [Series("Niveau seul (évolution non disponible ou non rémunérée)", fx, level, "level")]
        if previous_id:
            try:
                cases = [("Évolution positive", lambda x: x - delta, "positive"),
                         ("Évolution stable", lambda x: x, "stable"),
                         ("Évolution négative", lambda x: x + delta, "negative")]
                evolution = [(label, series(fn), style) for label, fn, style in cases]
            except NotConstant:
                evolution = []
            if any(ys != level for _, ys, _ in evolution):
                out += [Series(label, fx, ys, style) for label, ys, style in evolution]
        caption = f"Score de {ind.name} selon son résultat"
        parts = []
        if target is not None:
            parts.append(f"cible {value_text(Fraction(target).limit_denominator(10**6), x_unit)}")
        if threshold is not None:
            parts.append(f"seuil {value_text(Fraction(threshold).limit_denominator(10**6), x_unit)}"
                         + (f" ({ILLUSTRATIVE_NOTE})" if illustrative else ""))
        if len(out) > 1:
            parts.append(f"évolution : résultat précédent à {value_text(delta, x_unit)} au-dessus (négative), "
                         f"égal (stable) ou au-dessous (positive)")
        caption += " — " + " ; ".join(parts + notes) if parts or notes else ""
        curve = c.curves.get(ind.valuation)
        data = CurveData(curve.label if curve else f"Score de {ind.name}", x_unit, c.nodes[score_id].unit or "percent",
                         float(x_max), tuple(out), threshold, illustrative, target, caption, higher)
        return data, ""

    # ------------------------------------------------------------ what changed
    def base_match(self, ind: ir.Indicator) -> str:
        if self.base is None:
            return ""
        base = self.base.campaign
        if self.diff is not None:
            for old, new in self.diff.indicator_pairs():
                if new == ind.name:
                    return old
        if ind.renamed_from and ind.renamed_from in base.indicators:
            return ind.renamed_from
        return ind.name if ind.name in base.indicators else ""

    def changes(self, ind: ir.Indicator) -> tuple[str, tuple[ChangeLine, ...], str]:
        if self.base is None:
            return "", (), ""
        base_name = self.base_match(ind)
        how = self.c.lineage.get(ind.name, "new")
        base_label = self.base.campaign.label or self.base.campaign.name
        if not base_name:
            summary = f"Nouvel indicateur : absent de la campagne étendue ({base_label})."
        elif how == "carry":
            summary = f"Reconduit sans changement depuis {base_label} (carry) : {ind.carried}" if ind.carried \
                else f"Reconduit sans changement depuis {base_label}."
        elif how.startswith("renamed:"):
            summary = f"Repris de {base_label} sous le nom {base_name}, renommé et modifié (override … as {ind.name})."
        elif how == "override":
            summary = f"Repris de {base_label} et modifié (override)."
        else:
            summary = f"Hérité de {base_label}."
        lines = []
        if self.diff is not None and base_name:
            deps = {d.name for d in self.dependencies(ind)} - {ind.name}
            deps -= set(self.c.groups)  # group changes are on the campaign's groups page
            for ch in self.diff.changes:
                subject = ch.subject
                mine = subject == ind.name or subject.startswith(ind.name + ".")
                if not mine and not (subject in deps and ch.section in ("parameters", "inputs", "assumptions")):
                    continue
                if ch.section == "indicators" and ch.kind == "renamed":
                    continue
                what = ch.what or ch.kind
                if not mine:
                    what = f"{what} de {subject}"
                lines.append(ChangeLine(what, ch.old or "—", ch.new or "—", ch.detail))
        return base_name, tuple(lines), summary

    # ------------------------------------------------------------ pictures
    def fiche_nodes(self, ind: ir.Indicator) -> frozenset[str]:
        """The part of the dependency graph an indicator reads, without the groups' own inputs."""
        ids: set[str] = set()
        for _, node_id in ind.parts:
            if node_id in self.graph:
                ids |= nx.ancestors(self.graph, node_id) | {node_id}
        if "group" in ids:
            hidden = nx.ancestors(self.graph, "group")
            keep_inputs = set()
            for node_id in ids - hidden - {"group"}:
                keep_inputs |= set(self.graph.predecessors(node_id))
            ids -= hidden - keep_inputs
        return frozenset(ids)

    # ------------------------------------------------------------ groups, prerequisites, envelopes
    def group_inputs(self) -> tuple[tuple[str, str, str], ...]:
        names = set()
        for g in self.c.groups.values():
            if g.when is not None:
                names |= {r.target for r in ast.walk(g.when) if isinstance(r, ast.Ref) and r.target in self.c.inputs}
        return tuple((n, self.c.inputs[n].label, french.UNIT_WORDS.get(self.c.inputs[n].unit, self.c.inputs[n].unit))
                     for n in sorted(names))

    def group_tables(self) -> tuple[GroupTable, ...]:
        c = self.c
        tables = []
        fields = list(c.field_decls) + sorted({g.field_name for g in c.groups.values()} - set(c.field_decls))
        for f in fields:
            groups = c.groups_of(f)
            if not groups:
                continue
            decomposed = {g.name: _decompose(g.when, c) for g in groups}
            columns: list[str] = []
            for g in groups:
                for name in (decomposed[g.name] or ({}, ""))[0]:
                    if name not in columns:
                        columns.append(name)
            rows = []
            for g in groups:
                parts = decomposed[g.name]
                condition = french.formula(g.when) if g.when is not None else ""
                if parts is None:
                    cells = tuple("" for _ in columns)
                else:
                    cells = tuple(parts[0].get(col, "—") for col in columns)
                    condition = parts[1]
                rows.append(GroupRow(g.name, g.label or g.name, cells, condition, g.description, provenance(c, g)))
            tables.append(GroupTable(f, c.field_decls[f].label if f in c.field_decls else f,
                                     tuple((col, c.inputs[col].label if col in c.inputs else col) for col in columns),
                                     tuple(rows)))
        return tuple(tables)

    def prerequisite(self, p: ir.Prerequisite) -> PrerequisiteView:
        users = tuple(sorted(i.name for i in self.c.indicators.values() if p.name in i.prerequisites))
        formula = self.formula(p.when, None, None, {}) if p.when is not None else None
        return PrerequisiteView(p.name, p.label or p.name, p.description, formula, provenance(self.c, p), users)

    def envelope(self, e: ir.Envelope) -> EnvelopeView:
        parts = []
        for part, node_id in e.parts:
            node = self.c.nodes.get(node_id)
            if node is None or node.expr is None:
                continue
            try:
                value = value_text(constant(self.c, node_id), node.unit)
            except NotConstant:
                value = ""
            formula = self.formula(node.expr, e.name, part, {})
            provs = tuple(provenance(self.c, d) for d in self.referenced_decls(node.expr, e.name))
            parts.append(Rule(part, part, value or formula.text, formula, provenance=provs))
        payout = self.formula(e.payout, e.name, "rémunération", {}) if e.payout is not None else None
        users = tuple(sorted(i.name for i in self.c.indicators.values() if i.envelope == e.name))
        return EnvelopeView(e.name, e.label or e.name, e.description, tuple(parts), payout, e.texts.get("rounding", ""),
                            provenance(self.c, e), users)


def _decompose(when: ast.Expr | None, c: ir.Campaign) -> tuple[dict[str, str], str] | None:
    """A group condition as one cell per input (``stays``: ``≥ 500 et < 20 000``) and a remainder."""
    if when is None:
        return {}, ""
    atoms: list[ast.Expr] = []

    def flatten(e):
        if isinstance(e, ast.Binary) and e.op == "and":
            flatten(e.left)
            flatten(e.right)
        else:
            atoms.append(e)
    flatten(when)
    cells: dict[str, list[str]] = {}
    rest: list[str] = []
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
    ops = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
    for atom in atoms:
        if isinstance(atom, ast.Bool) and atom.value:
            continue
        if isinstance(atom, ast.Ref) and atom.target in c.inputs:
            cells.setdefault(atom.target, []).append("oui")
            continue
        if isinstance(atom, ast.Unary) and atom.op == "not" and isinstance(atom.operand, ast.Ref) \
                and atom.operand.target in c.inputs:
            cells.setdefault(atom.operand.target, []).append("non")
            continue
        if isinstance(atom, ast.Compare):
            left, right, op = atom.left, atom.right, atom.op
            if isinstance(right, ast.Ref) and right.target in c.inputs and not isinstance(left, ast.Ref):
                left, right, op = right, left, flip[op]
            value = literal_value(right)
            if isinstance(left, ast.Ref) and left.target in c.inputs and value is not None:
                unit = right.unit if isinstance(right, ast.Num) and right.unit else c.inputs[left.target].unit
                cells.setdefault(left.target, []).append(f"{ops[op]} {value_text(value, unit)}")
                continue
        rest.append(french.formula(atom))
    return {k: " et ".join(v) for k, v in cells.items()}, " et ".join(rest)


def _indicator_key(ind: ir.Indicator):
    return ind.span.file.rsplit("/", 1)[-1], ind.span.line, ind.name


def _category_key(c: ir.Campaign, code: str):
    names = list(c.categories)
    return (names.index(code) if code in names else len(names), code)


def find_bases(compiled: list[Compiled], diagnostics) -> dict[str, Compiled]:
    """The extended campaigns that ``compiled`` does not hold (``docs specs/ifaq/2024`` alone)."""
    from qualispec.compiler.diagnostics import Diagnostics
    from qualispec.compiler.pipeline import compile_one

    names = {c.campaign.name for c in compiled}
    found: dict[str, Compiled] = {}
    for c in compiled:
        if c.campaign.extends and c.campaign.extends not in names | set(found) and c.campaign.extends_path:
            base = compile_one(c.campaign.extends_path, Diagnostics())
            if base is not None:
                found[base.campaign.name] = base
    return found
