"""Why an establishment got what it got: the chain of values, in French and as JSON.

The numbers come from the evaluation itself (never recomputed differently); this
module only walks the compiled formulas for one row to say which branch applied
("cible atteinte", "évolution non rémunérée") and to put words on each value.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from dataclasses import asdict, dataclass, field

import polars as pl

from qualispec.compiler import french, ir
from qualispec.compiler.check.vocabulary import NOT_COUNTED
from qualispec.compiler.syntax import ast
from qualispec.compiler.evaluator import Evaluator, NotConstant
from qualispec.compiler.pipeline import Compiled
from qualispec.runtime.engines import polars_engine as engine_polars
from qualispec.runtime.evaluate import Evaluation


@dataclass
class IndicatorExplanation:
    id: str
    label: str
    values: dict
    sentences: list[str] = field(default_factory=list)


@dataclass
class Explanation:
    finess: str
    field: str | None
    group: str | None
    group_reason: str
    indicators: list[IndicatorExplanation]
    total_payout: float | None
    sentences: list[str]


class NotFound(Exception):
    pass


def explain(compiled: Compiled, evaluation: Evaluation, finess: str) -> list[Explanation]:
    values = evaluation.values.filter(pl.col("finess") == finess).sort(engine_polars.ROW)
    if values.height == 0:
        raise NotFound(finess)
    rows = evaluation.rows.filter(pl.col("finess") == finess)
    return [_explain_row(compiled.campaign, evaluation, v, r)
            for v, r in zip(values.to_dicts(), rows.to_dicts())]


def _explain_row(campaign: ir.Campaign, evaluation: Evaluation, env: dict, row: dict) -> Explanation:
    field_name, group = env.get("field"), env.get("group")
    row_values = Evaluator(campaign, field_name, overrides=env)  # the row's values, the compiler's meaning
    reason = _group_reason(campaign, row_values, group)
    explained = [_indicator(campaign, ind, env, row, row_values) for ind in campaign.indicators.values()
                 if not ind.fields or field_name in ind.fields]
    head = f"Établissement {env['finess']}" + (f", champ {field_name}" if field_name else "")
    sentences = [head + (f" : groupe de comparaison {group} ({reason})." if group else ".")]
    if group:
        sentences.extend(_envelope_sentences(campaign, env))
    for ind in explained:
        sentences.extend(ind.sentences)
    total = row.get("total_payout")
    if total is not None:
        sentences.append(f"Rémunération totale : {french.euro(total)}.")
    return Explanation(env["finess"], field_name, group, reason, explained, total, sentences)


def _group_reason(campaign, row_values: Evaluator, group_label) -> str:
    for g in campaign.groups.values():
        if (g.label or g.name) == group_label and g.when is not None:
            return describe(g.when, row_values, campaign)
    return ""


def _indicator(campaign: ir.Campaign, ind: ir.Indicator, env: dict, row: dict, row_values: Evaluator) -> IndicatorExplanation:
    prefix = ind.name.lower()
    shown = {k[len(prefix) + 1:]: v for k, v in row.items() if k.startswith(prefix + "_")}
    parts = []
    unit_of = {p: campaign.nodes[n].unit for p, n in ind.parts}

    def show(part):
        return french.value(env.get(f"{ind.name}.{part}"), unit_of.get(part))

    def exactly(part):  # every decimal a comparison reads (47,605 %), not the 1 decimal of a summary
        v = _exact_value(campaign, env, f"{ind.name}.{part}")
        return french.literal(v, unit_of.get(part)) if isinstance(v, (int, Fraction)) \
            and not isinstance(v, bool) else show(part)

    status = shown.get("status")
    declared = env.get(ind.status) if ind.status else None
    counted = declared not in NOT_COUNTED
    if declared in STATUS_WORDS:
        parts.append(STATUS_WORDS[declared])
    if "numerator" in unit_of and "denominator" in unit_of and declared not in STATUS_WORDS:
        parts.append(f"numérateur {show('numerator')}, dénominateur {show('denominator')}")
    if "result" in unit_of and declared not in STATUS_WORDS:
        parts.append(f"résultat {show('result')}" if env.get(f"{ind.name}.result") is not None
                     else f"résultat {status or 'non calculable'}")
    if "threshold" in unit_of:
        node = campaign.nodes[f"{ind.name}.threshold"]
        how = ""
        if isinstance(node.expr, ast.Call) and node.expr.over:
            call = _with_constants(node.expr, row_values)
            how = " (" + french.describe_aggregate(call, lambda e: _words(e, campaign)).replace("du groupe", f"du groupe {env.get('group')}") + ")"
        parts.append(f"valeur seuil de début de rémunération {show('threshold')}{how}")
    if "target" in unit_of:
        target = env.get(f"{ind.name}.target")
        parts.append(f"valeur cible « {target} »" if isinstance(target, str) else f"valeur cible {show('target')}")
    if "objective" in unit_of:
        parts.append(_objective_words(env.get(f"{ind.name}.objective"), pays="payout" in unit_of))
    elif isinstance(env.get(f"{ind.name}.target"), str):
        parts.append("objectif non évalué : la cible est une phrase, pas une valeur")
    if "level" in unit_of:
        parts.append(f"niveau atteint {show('level')}")
    if "evolution" in unit_of:
        if env.get(f"{ind.name}.evolution") is not None:
            parts.append(f"évolution {show('evolution')} (précédent {exactly('previous')})")
        elif env.get(f"{ind.name}.evolution_paid") is False:
            parts.append("évolution non rémunérée pour cet indicateur cette année : rémunéré sur le seul niveau atteint")
        elif "previous" in unit_of and env.get(f"{ind.name}.previous") is None:
            parts.append("résultat précédent inconnu : rémunéré sur le seul niveau atteint")
    if "eligible" in unit_of:
        ok = env.get(f"{ind.name}.eligible")
        parts.append("prérequis remplis" if ok else "prérequis non remplis : rien n'est versé")
        for p in ind.prerequisites:
            pre = campaign.prerequisites[p]
            parts.append(f"{pre.label or p} : {'oui' if env.get(p) else 'non'} ({describe(pre.when, row_values, campaign)})")
    if "score" in unit_of and counted:
        branch = "" if declared in STATUS_WORDS else _score_branch(campaign, ind, row_values)
        parts.append(f"score {show('score')}" + (f" ({branch})" if branch else ""))
    if "weight" in unit_of:
        parts.append(f"poids {show('weight')}")
    if "effective_weight" in unit_of and not counted:
        parts.append("son poids va aux autres indicateurs que l'établissement doit recueillir")
    elif "effective_weight" in unit_of and env.get(f"{ind.name}.effective_weight") != env.get(f"{ind.name}.weight"):
        parts.append(f"poids après redistribution {show('effective_weight')} (un indicateur au moins ne compte pas "
                     "pour l'établissement : son poids est réparti sur les autres)")
    if "payout" in shown:
        parts.append(f"rémunération {french.euro(shown['payout'])}")
    for part, node_id in ind.parts:  # let bindings: by their label (else their formula in words), then the row's value
        if part not in french.PART_LABELS and env.get(node_id) is not None:
            label = campaign.let_label(node_id)  # labelled: its value by its name (the fiche has the formula)
            expr = campaign.nodes[node_id].expr
            formula = f" ({_settings(campaign, expr, row_values)})" if label else f" ({_binding_words(campaign, expr)})"
            parts.append(f"{_lower_first(label) if label else 'calcul ' + part}{formula.replace(' ()', '')} : "
                         f"{exactly(part)}")
    sentence = f"{ind.label or ind.name} ({ind.name}) : " + " ; ".join(parts) + "."
    return IndicatorExplanation(ind.name, ind.label, shown, [sentence])


def _exact_value(campaign: ir.Campaign, env: dict, node_id: str):
    """A row's value recomputed exactly from the values it reads (a float read as the decimal it prints
    as), so that a rounding at a tie (47,605 % → 47,61 %) is shown as the engine decided it."""
    overrides = {k: _as_fraction(v) for k, v in env.items() if k != node_id}
    try:
        return Evaluator(campaign, env.get("field"), overrides).node(node_id)
    except (NotConstant, ArithmeticError, TypeError):
        return _as_fraction(env.get(node_id))


def _as_fraction(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, float):
        return Fraction(repr(v)) if v == v and abs(v) != float("inf") else None
    if isinstance(v, (int, Decimal)):
        return Fraction(v)
    return v


STATUS_WORDS = {
    "non_renseigne": "non renseigné à la date limite : aucune saisie n'est prise en compte, l'indicateur compte "
                     "comme non atteint",
    "non_applicable": "déclaré non applicable : l'indicateur ne compte pas pour l'établissement",
    "non_concerne": "établissement non concerné : l'indicateur ne compte pas pour lui",
}


def _objective_words(met, pays: bool) -> str:
    if met is None:
        return "objectif non évalué (résultat non disponible)"
    if pays:
        return "valeur cible atteinte" if met else "valeur cible non atteinte"
    return "objectif atteint" if met else "objectif non atteint"


def _binding_words(campaign: ir.Campaign, expr: ast.Expr | None) -> str:
    """The formula of a value the spec computes under a name of its own (`let`), in the spec's names
    (a let by its label, a parameter by its short label when it has one)."""
    def name_of(ref: ast.Ref) -> str:
        part = (ref.target or "").split(".", 1)[1] if "." in (ref.target or "") else None
        if part:
            return campaign.let_label(ref.target) or french.PART_LABELS.get(part, ref.text)
        decl = campaign.parameters.get(ref.target or "") or campaign.inputs.get(ref.target or "")
        return _decl_words(decl) if decl else ref.text
    return french.formula(expr, name_of) if expr is not None else "…"


def _with_constants(call: ast.Call, row_values: Evaluator) -> ast.Call:
    """The aggregate with parameters replaced by their values, to be read as « 30e centile »."""
    from dataclasses import replace
    from fractions import Fraction

    args = tuple(ast.Num(a.span, row_values.node(a.target)) if isinstance(a, ast.Ref) and a.target in row_values.c.parameters
                 and isinstance(row_values.node(a.target), Fraction) else a for a in call.args)
    return replace(call, args=args)


def _envelope_sentences(campaign: ir.Campaign, env: dict) -> list[str]:
    out = []
    for envelope in campaign.envelopes.values():
        amount = env.get(f"{envelope.name}.group_amount")
        if amount is not None:
            out.append(f"Enveloppe « {envelope.label or envelope.name} » du groupe {env.get('group')} : {french.euro(amount)} ; "
                       f"elle est partagée entre les établissements du groupe au prorata de leur volume économique, "
                       f"du poids de chaque indicateur et de son score.")
    return out


def _score_branch(campaign, ind, row_values: Evaluator) -> str:
    """Which rule of the score applied to this row, and the formula it used, in words."""
    node = campaign.nodes.get(f"{ind.name}.score")
    expr = node.expr if node else None
    reason = ""
    while isinstance(expr, ast.If):
        cond = evaluate_scalar(expr.cond, row_values)
        if cond is None:
            return ""
        if cond:  # a rule inside the branch taken (the score's own, under « compte pour l'établissement ») decides
            reason = "" if isinstance(expr.then, ast.If) else _why(expr.cond, row_values, campaign)
            expr = expr.then
            continue
        expr = expr.else_
    def name_of(ref: ast.Ref) -> str:
        return _parameter_value(ref, row_values, campaign) or _words(ref, campaign)

    applied = french.formula(expr, name_of) if expr is not None else ""
    if reason and applied:
        return f"{reason} : {applied}"
    return f"règle appliquée : {applied}" if applied and not isinstance(expr, ast.Num) else reason


def _settings(campaign: ir.Campaign, expr: ast.Expr, row_values: Evaluator) -> str:
    """The parameters of the rules a calculation reads, with their values: « précision de comparaison : 0,01 % ;
    arrondi vers le haut à mi-chemin : oui »."""
    names = dict.fromkeys(r.target for r in ast.walk(expr) if isinstance(r, ast.Ref) and r.target in campaign.parameters)
    words = []
    for name in names:
        try:
            value = row_values.node(name)
        except NotConstant:
            continue
        shown = ("oui" if value else "non") if isinstance(value, bool) else \
            french.literal(value, campaign.parameters[name].unit) if value is not None else "inconnu"
        words.append(f"{_decl_words(campaign.parameters[name])} : {shown}")
    return " ; ".join(words)


def _why(cond: ast.Expr, row_values: Evaluator, campaign: ir.Campaign) -> str:
    """A condition that held, in words, by what made it hold: of an « ou » only the sides that held (« résultat >
    cible », not « ou faux et résultat = cible »), and a yes/no parameter of the rules by its label and answer."""
    def why(x) -> str:
        if isinstance(x, ast.Binary) and x.op in ("and", "or"):
            sides = [x.left, x.right] if x.op == "and" else \
                [side for side in (x.left, x.right) if evaluate_scalar(side, row_values) is True]
            return f" {'et' if x.op == 'and' else 'ou'} ".join(filter(None, map(why, sides)))
        setting = x.operand if isinstance(x, ast.Unary) and x.op == "not" else x
        if isinstance(setting, ast.Ref) and setting.target in campaign.parameters:
            value = evaluate_scalar(setting, row_values)
            if isinstance(value, bool):
                decl = campaign.parameters[setting.target]
                return f"« {decl.label or decl.name} » ({'oui' if value else 'non'})"
        return describe(x, row_values, campaign, with_values=False)
    return why(cond)


# ------------------------------------------------------------------ words
_OPS = {">=": "≥", "<=": "≤", "!=": "≠", "=": "=", ">": ">", "<": "<"}


def _words(e: ast.Expr, campaign: ir.Campaign) -> str:
    if isinstance(e, ast.Ref):
        target = e.target or e.text
        part = target.split(".", 1)[1] if "." in target else None
        if part:
            return campaign.let_label(target) or french.PART_LABELS.get(part, part)
        if target in campaign.inputs:  # the column's French words
            return _decl_words(campaign.inputs[target])
        return e.text
    return "…"


def _decl_words(decl) -> str:
    """A datum or parameter in French: its short label, else its label (never the code name when a label exists)."""
    label = decl.texts.get("short_label") or decl.label
    return _lower_first(label) if label else decl.name


def _lower_first(label: str) -> str:
    """A label inside a sentence: « Dénominateur … » → « dénominateur … »; « IPP … » keeps its capitals."""
    return label if label[1:2].isupper() else label[0].lower() + label[1:]


def describe(e: ast.Expr, row_values: Evaluator, campaign: ir.Campaign, with_values: bool = True) -> str:
    """A condition in words, with the row's values: « stays (4 525) ≥ 500 et … »."""
    def d(x):
        if isinstance(x, ast.Binary) and x.op in ("and", "or"):
            return f"{d(x.left)} {'et' if x.op == 'and' else 'ou'} {d(x.right)}"
        if isinstance(x, ast.Unary) and x.op == "not":
            if isinstance(x.operand, ast.Call) and x.operand.func == "available":
                return f"{d(x.operand.args[0])} non disponible"  # « résultat non disponible », not « non résultat … »
            if isinstance(x.operand, ast.Ref) and not with_values:
                return f"{d(x.operand)} (non)"  # « évolution rémunérée (non) », as a yes/no parameter reads
            return f"non {d(x.operand)}"
        if isinstance(x, ast.Compare):
            return f"{d(x.left)} {_OPS[x.op]} {d(x.right)}"
        if isinstance(x, ast.Num):
            return french.value(x.value, x.unit or "number").replace(",00", "")
        if isinstance(x, ast.Bool):
            return "vrai" if x.value else "faux"
        if isinstance(x, ast.Ref):
            as_value = _parameter_value(x, row_values, campaign)
            if as_value:
                return as_value
            name = _words(x, campaign)
            if not with_values:
                return name
            v = evaluate_scalar(x, row_values)
            return f"{name} ({french.value(v, x.unit)})" if v is not None else f"{name} (inconnu)"
        if isinstance(x, ast.Call) and x.func == "available":
            return f"{d(x.args[0])} disponible"
        return "…"
    return d(e)


def evaluate_scalar(e: ast.Expr, row_values: Evaluator):
    """One row's value of an expression (None when it needs what the row does not hold)."""
    try:
        return row_values.expr(e)
    except NotConstant:
        return None


def _parameter_value(ref: ast.Ref, row_values: Evaluator, campaign: ir.Campaign) -> str:
    """A parameter of the rules reads best as its value (« > 8 500 », « 50 % × … »); '' otherwise."""
    if ref.target not in campaign.parameters:
        return ""
    value = evaluate_scalar(ref, row_values)
    return french.literal(value, campaign.parameters[ref.target].unit) if value is not None else ""


def to_text(explanations: list[Explanation]) -> str:
    return "\n\n".join("\n".join(e.sentences) for e in explanations)


def to_json(explanations: list[Explanation]) -> str:
    return json.dumps([asdict(e) for e in explanations], ensure_ascii=False, indent=2, default=str)
