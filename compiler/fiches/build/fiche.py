"""An indicator's fiche: its texts, numerator and denominator, rules with their status, formulas
and the symbols they use, weights, and the part of the dependency graph it reads."""

from __future__ import annotations

import networkx as nx

from qualispec.compiler import french, ir, labels
from qualispec.compiler.check.vocabulary import STATUSES
from qualispec.compiler.evaluator import Evaluator, NotConstant, constant
from qualispec.compiler.fiches.build.applies import this_campaign
from qualispec.compiler.fiches.build.changes import changes_since_base
from qualispec.compiler.fiches.build.context import CampaignContext, value_text
from qualispec.compiler.fiches.build.curve import score_curve
from qualispec.compiler.fiches.build.provenance import assumptions, provenance, source_of
from qualispec.compiler.labels import part_words
from qualispec.compiler.fiches.pages import DataColumn, Fiche, Rule, Symbol
from qualispec.compiler.syntax import ast

# The text properties of an indicator, in the order of an official fiche.
TEXT_ROWS = ("data_source", "definition", "scope", "direction", "frequency", "measurement", "collection", "deadline",
             "stay_definition", "not_computable", "weight_rule", "threshold_rule", "note")
TEXT_TITLES = {**french.TEXT_LABELS, "scope": "périmètre", "frequency": "fréquence", "threshold_rule": "règle du seuil",
               "numerator_label": "numérateur", "denominator_label": "dénominateur"}
RULE_PARTS = ("target", "objective", "threshold", "expected", "evolution_paid", "not_applicable_allowed", "applicable",
              "weight", "effective_weight", "eligible")
RULE_TITLES = {"target": "Valeur cible de rémunération", "objective": "Objectif atteint si",
               "applicable": "Statuts de recueil", "effective_weight": "Poids redistribué",
               "threshold": "Valeur seuil de début de rémunération",
               "expected": "Résultat attendu", "evolution_paid": "Évolution rémunérée",
               "not_applicable_allowed": "Déclaration « non applicable » possible", "weight": "Poids",
               "eligible": "Prérequis"}
FORMULA_PARTS = ("result", "level", "evolution", "score", "payout")


def fiche(ctx: CampaignContext, ind: ir.Indicator) -> Fiche:
    c = ctx.c
    seen: dict[str, str] = {}
    texts = tuple(Rule(key, TEXT_TITLES.get(key, key).capitalize(), ind.texts[key])
                  for key in TEXT_ROWS if ind.texts.get(key))
    numerator = fraction_part(ctx, ind, "numerator")
    denominator = fraction_part(ctx, ind, "denominator")
    pays = ind.part("payout") is not None
    rules = tuple(r for r in (rule(ctx, ind, part, pays) for part in RULE_PARTS) if r is not None)
    shown_formulas = []
    for part in FORMULA_PARTS:
        node_id = ind.part(part)
        node = c.nodes.get(node_id) if node_id else None
        expr = this_campaign(c, node.expr) if node is not None and node.expr is not None else None
        if expr is None or isinstance(expr, ast.Missing):  # nothing, or nothing this campaign (evolution not paid)
            continue
        shown_formulas.append((first_upper(part_words(c, node_id)),
                               ctx.formula(expr, ind.name, part_words(c, node_id, short=True), seen)))
    for part, node_id in ind.parts:  # let bindings and other parts an author named
        node = c.nodes.get(node_id)
        if part not in french.PART_SHORT and node is not None and node.expr is not None:
            shown_formulas.append((first_upper(part_words(c, node_id)),
                                   ctx.formula(this_campaign(c, node.expr), ind.name, part_words(c, node_id, short=True), seen)))
    deps = ctx.dependencies(ind)
    curve = c.curves.get(ind.valuation)
    curve_data, curve_note = score_curve(ctx, ind)
    envelope = c.envelopes.get(ind.envelope)
    base_name, changes, summary = changes_since_base(ctx, ind)
    return Fiche(
        campaign=c.name, name=ind.name, label=ind.label or ind.name, description=ind.description,
        former_names=ind.former_names, renamed_from=ind.renamed_from, lineage=c.lineage.get(ind.name, "new"),
        fields=tuple((f, c.field_decls[f].label if f in c.field_decls else f) for f in ind.fields),
        category=(ind.category, c.categories[ind.category].label if ind.category in c.categories else ind.category),
        unit=ind.unit if ind.unit_declared else "", pays=pays, source=source_of(c, ind.source), provenance=provenance(c, ind),
        texts=texts, numerator=numerator, denominator=denominator, exclusions=ind.texts.get("exclusions", ""),
        rules=rules, evolution_rule=ind.texts.get("evolution_rule", ""),
        formulas=tuple(shown_formulas), symbols=symbols(ctx, ind, seen),
        curve=curve_data, curve_note=curve_note,
        valuation=(curve.name, curve.label, curve.description) if curve else ("", "", ""),
        envelope=(envelope.name, envelope.label) if envelope else ("", ""),
        weights=weights(ctx, ind),
        prerequisites=tuple((p, c.prerequisites[p].label if p in c.prerequisites else p) for p in ind.prerequisites),
        assumptions=assumptions(deps),
        base=ctx.base.campaign.name if ctx.base else "", base_fiche=base_name,
        changes=changes, change_summary=summary,
        graph_nodes=fiche_nodes(ctx, ind), columns=data_columns(ctx, ind),
        short_name=ind.texts.get("short_label", ""),
        base_named=labels.named(ctx.base.campaign.indicators[base_name])
        if ctx.base and base_name in ctx.base.campaign.indicators else "",
    )


def fraction_part(ctx: CampaignContext, ind: ir.Indicator, part: str) -> Rule | None:
    node_id = ind.part(part)
    label_text = ind.texts.get(f"{part}_label", "")
    if node_id is None:
        return Rule(part, french.PART_LABELS[part].capitalize(), label_text) if label_text else None
    node = ctx.c.nodes[node_id]
    seen: dict[str, str] = {}
    inputs = []
    provs = []
    if node.expr is not None:
        for sub in ast.walk(node.expr):
            if isinstance(sub, ast.Ref) and sub.target in ctx.c.inputs and sub.target not in [i for i, _ in inputs]:
                decl = ctx.c.inputs[sub.target]
                inputs.append((decl.name, decl.label))
                provs.append(provenance(ctx.c, decl))
    simple = isinstance(node.expr, ast.Ref) and node.expr.target in ctx.c.inputs
    value = label_text or ("; ".join(label for _, label in inputs) if simple else "")
    formula = None if simple or node.expr is None else ctx.formula(node.expr, ind.name, None, seen)
    # in words only: the column of each input is in the fiche's data section (data_columns)
    detail = ", ".join(french.UNIT_WORDS.get(ctx.c.inputs[n].unit, ctx.c.inputs[n].unit) for n, _ in inputs)
    if label_text and simple:
        detail = f"{inputs[0][1]} — {detail}"
    elif not simple and inputs:
        detail = " ; ".join(label or n for n, label in inputs)
    computed = [f"ou {records_words(ctx, ctx.c.inputs[n])}" for n, _ in inputs if ctx.c.inputs[n].from_records is not None]
    if computed:
        detail = " ; ".join(([detail] if detail else []) + computed)
    return Rule(part, french.PART_LABELS[part].capitalize(), value or (formula.text if formula else ""),
                formula, detail=detail, provenance=tuple(provs))


def records_words(ctx: CampaignContext, decl: ir.Input) -> str:
    """« calculé à partir de la table « Séjours clôturés dans le mois » : nombre d'enregistrements où « Le patient
    dispose d'un DMP … » … »: each column of the table by its meaning."""
    table = ctx.c.tables.get(decl.from_records.args[0].name)
    meanings = table.meanings if table is not None else {}
    return french.from_records(decl.from_records, table,
                               lambda column: f"« {meanings[column]} »" if meanings.get(column) else column)


def data_columns(ctx: CampaignContext, ind: ir.Indicator) -> tuple[DataColumn, ...]:
    """The columns of the files an indicator reads, for the engineer who prepares them: each input by its label
    and its column, then the columns of the record tables its inputs may be computed from."""
    inputs = sorted((d for d in ctx.dependencies(ind) if isinstance(d, ir.Input)), key=lambda d: d.name)
    out = [DataColumn("Numéro FINESS de l'établissement", "finess", french.UNIT_WORDS["text"], "jeu de données")]
    if ctx.c.field_decls:
        out.append(DataColumn("Champ d'activité de la ligne", "field", french.UNIT_WORDS["category"], "jeu de données"))
    out += [DataColumn(labels.decl_words(d), d.column or d.name, french.UNIT_WORDS.get(d.unit, d.unit),
                       "jeu de données") for d in inputs]
    tables = dict.fromkeys(d.from_records.args[0].name for d in inputs if d.from_records is not None)
    for name in tables:
        table = ctx.c.tables.get(name)
        if table is None:
            continue
        for column, unit in table.columns:
            out.append(DataColumn(table.meanings.get(column, column), column, french.UNIT_WORDS.get(unit, unit),
                                  f"table « {table.label or table.name} » (--records {table.name}=…)"))
    return tuple(out)


def rule(ctx: CampaignContext, ind: ir.Indicator, part: str, pays: bool = True) -> Rule | None:
    node_id = ind.part(part)
    if node_id is None:
        return None
    node = ctx.c.nodes[node_id]
    if node.expr is None:
        return None
    if part in ("applicable", "effective_weight"):
        return status_rule(ctx, ind, part)
    title = RULE_TITLES[part] if pays or part != "target" else "Valeur cible (objectif)"
    provs = tuple(provenance(ctx.c, d) for d in ctx.referenced_decls(node.expr, ind.name))
    seen: dict[str, str] = {}
    formula = None if isinstance(node.expr, (ast.Ref, ast.Num, ast.Bool)) else \
        ctx.formula(node.expr, ind.name, part_words(ctx.c, node_id, short=True), seen)
    note = ""
    if part == "threshold":
        value, note = describe_threshold(ctx, ind, node)
    elif part == "objective":
        value = objective_text(ctx, ind, node)
        formula = None
        provs = (provenance(ctx.c, ind),)
        if ind.objective_default:
            note = ("Règle par défaut d'un indicateur qui fixe un objectif sans rémunérer : l'objectif est atteint "
                    "quand le résultat atteint la valeur cible (≥). Une autre règle s'écrit objective: …")
    elif part == "target" and isinstance(node.expr, ast.Text):
        value = node.expr.value  # a sentence: « A négocier localement »
    elif part == "eligible":
        value = " et ".join(f"« {labels.decl_words(ctx.c.prerequisites[p])} »" if p in ctx.c.prerequisites else p
                            for p in ind.prerequisites) or ctx.words(node.expr, ind.name)
    else:
        value = values_by_field(ctx, ind, node_id, node.unit)
    if part == "evolution_paid" and ind.texts.get("evolution_rule"):
        note = ind.texts["evolution_rule"]
    if part == "weight" and ind.texts.get("weight_rule"):
        note = ind.texts["weight_rule"]
    if not provs and part not in ("eligible",):
        provs = (provenance(ctx.c, ind),)
    return Rule(part, title, value, formula, provenance=provs, note=note)


def objective_text(ctx: CampaignContext, ind: ir.Indicator, node: ir.Node) -> str:
    """The objective in words, the status wrapping it left out: « résultat ≥ valeur cible »."""
    expr = node.expr
    while ind.status and isinstance(expr, ast.If):  # statuses: not reported → not met; see « Statuts »
        expr = expr.else_ if isinstance(expr.then, ast.Bool) else expr.then
    def name_of(ref: ast.Ref) -> str:
        part = (ref.target or "").split(".", 1)[1] if (ref.target or "").startswith(ind.name + ".") else None
        return part_words(ctx.c, ref.target, short=True) if part else ctx.namer(ind.name, {})(ref)
    return french.formula(expr, name_of)


_WEIGHT_GOES = "son poids va aux autres indicateurs qu'il doit recueillir"


def _status_words(status: str, weighted: bool) -> str:
    """What a status means; an indicator without a weight (an objective, a CAQES regional indicator) has no
    weight to redistribute, so its fiche does not say that one goes to the others."""
    words = STATUSES[status]
    if weighted or not words.endswith(_WEIGHT_GOES):
        return words
    return words[: -len(_WEIGHT_GOES)].rstrip().removesuffix(" et").removesuffix(",")


def status_rule(ctx: CampaignContext, ind: ir.Indicator, part: str) -> Rule:
    """What each status of the row means, and how the weight of what does not count is redistributed."""
    if part == "applicable":
        values = ctx.c.inputs[ind.status].values
        value = " ; ".join(f"« {v} » : {_status_words(v, weighted=bool(ind.part('weight')))}"
                           for v in values if v in STATUSES)
        return Rule(part, RULE_TITLES[part], value, detail=f"lu dans la donnée « {labels.decl_words(ctx.c.inputs[ind.status])} »",
                    provenance=(provenance(ctx.c, ctx.c.inputs[ind.status]),))
    value = ("le poids de l'indicateur × la somme des poids des indicateurs de l'enveloppe sur la ligne ÷ la somme "
             "des poids de ceux qui comptent pour l'établissement (poids égaux : somme des scores ÷ nombre "
             "d'indicateurs à recueillir) ; 0 quand l'indicateur ne compte pas")
    # The redistribution is what the statuses of the envelope's indicators say: their inputs carry its source
    # (or its assumption), not the indicator's own source.
    statuses = dict.fromkeys(m.status for m in ctx.c.indicators.values() if m.envelope == ind.envelope and m.status)
    provs = tuple(provenance(ctx.c, ctx.c.inputs[s]) for s in statuses if s in ctx.c.inputs)
    said = (f"« {labels.decl_words(ctx.c.inputs[s])} »" if s in ctx.c.inputs else s for s in statuses)
    return Rule(part, RULE_TITLES[part], value, detail="statuts lus dans " + ", ".join(said) if statuses else "",
                provenance=provs or (provenance(ctx.c, ind),))


def values_by_field(ctx: CampaignContext, ind: ir.Indicator, node_id: str, unit: str | None) -> str:
    try:
        return value_text(constant(ctx.c, node_id), unit)
    except NotConstant:
        pass
    by_field = []
    for f in ind.fields:
        try:
            by_field.append((f, value_text(constant(ctx.c, node_id, f), unit)))
        except NotConstant:
            by_field = []
            break
    if by_field:
        if len({v for _, v in by_field}) == 1:
            return by_field[0][1]
        return " ; ".join(f"{f} : {v}" for f, v in by_field)
    node = ctx.c.nodes[node_id]
    return ctx.words(node.expr, ind.name)


def weights(ctx: CampaignContext, ind: ir.Indicator) -> tuple[tuple[str, str], ...]:
    node_id = ind.part("weight")
    if node_id is None:
        return ()
    unit = ctx.c.nodes[node_id].unit
    out = []
    for f in ind.fields or (None,):
        try:
            out.append((f or "", value_text(constant(ctx.c, node_id, f), unit)))
        except NotConstant:
            out.append((f or "", "selon les données"))
    return tuple(out)


def describe_threshold(ctx: CampaignContext, ind: ir.Indicator, node: ir.Node) -> tuple[str, str]:
    expr = node.expr
    if isinstance(expr, ast.Call) and expr.over and expr.func == "quantile" and len(expr.args) == 2:
        ev = Evaluator(ctx.c)
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
            words = f"de « {ctx.words(subject, ind.name)} »"
        how = "Calculée chaque année à partir des résultats des établissements : elle n'est connue qu'avec les données."
        if method in french.QUANTILE_METHOD_WORDS:
            how += f" Règle d'interpolation : {french.QUANTILE_METHOD_WORDS[method]}."
        return french.describe_quantile(q, words, expr.over, method).capitalize(), how
    try:
        return values_by_field(ctx, ind, node.id, node.unit), ""
    except NotConstant:
        return ctx.words(expr, ind.name), ""


def symbols(ctx: CampaignContext, ind: ir.Indicator, seen: dict[str, str]) -> tuple[Symbol, ...]:
    out = []
    for shown, target in seen.items():
        if target.startswith(ind.name + "."):
            part = target.split(".", 1)[1]
            meaning = part_words(ctx.c, target)
            node = ctx.c.nodes.get(target)
            try:
                value = value_text(constant(ctx.c, target), node.unit if node else None)
            except NotConstant:
                value = ""
            out.append(Symbol(shown, meaning, value))
            continue
        decl = ctx.decl_of(target)
        if decl is not None:  # the symbol shows the (short) label: say the full label or what it is
            meaning = decl.label if decl.label and decl.label != shown else french.KIND_LABELS.get(decl.kind, decl.kind)
        if isinstance(decl, ir.Parameter):
            out.append(Symbol(shown, meaning, ctx.parameter_value(decl), provenance(ctx.c, decl).status))
        elif isinstance(decl, ir.Input):
            out.append(Symbol(shown, meaning, "donnée : " + french.UNIT_WORDS.get(decl.unit, decl.unit),
                              provenance(ctx.c, decl).status))
        elif decl is not None:
            out.append(Symbol(shown, meaning, "", provenance(ctx.c, decl).status))
        elif "." in target:
            owner, part = target.split(".", 1)
            meaning = "partie de l'enveloppe" if owner in ctx.c.envelopes else "étape d'un autre indicateur"
            node = ctx.c.nodes.get(target)
            value = ""
            try:
                value = value_text(constant(ctx.c, target), node.unit if node else None)
            except NotConstant:
                value = ctx.words(node.expr, owner) if node is not None and node.expr is not None else ""
            out.append(Symbol(shown, meaning, value))
        elif target in ir.BUILTINS:
            out.append(Symbol(shown, "donnée de l'établissement", ""))
    return tuple(sorted(out, key=lambda s: (s.status != "", s.shown)))


def fiche_nodes(ctx: CampaignContext, ind: ir.Indicator) -> frozenset[str]:
    """The part of the dependency graph an indicator reads, without the groups' own inputs."""
    ids: set[str] = set()
    for _, node_id in ind.parts:
        if node_id in ctx.graph:
            ids |= nx.ancestors(ctx.graph, node_id) | {node_id}
    if "group" in ids:
        hidden = nx.ancestors(ctx.graph, "group")
        keep_inputs = set()
        for node_id in ids - hidden - {"group"}:
            keep_inputs |= set(ctx.graph.predecessors(node_id))
        ids -= hidden - keep_inputs
    return frozenset(ids)


def first_upper(words: str) -> str:
    """« niveau atteint » → « Niveau atteint », an author's « DMP alimentés » kept as written."""
    return words[:1].upper() + words[1:]
