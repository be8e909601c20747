"""The valuation curve of an indicator: its score evaluated on a grid of results.

The data-dependent parts (a threshold computed from the group) are set to an illustrative value
that the caption names; with an evolution, one series per case (positive, stable, negative).
"""

from __future__ import annotations

from fractions import Fraction

import networkx as nx

from qualispec.compiler import ir, labels
from qualispec.compiler.check.vocabulary import CONCERNED
from qualispec.compiler.evaluator import Evaluator, NotConstant, constant
from qualispec.compiler.fiches.build.context import CampaignContext, value_text
from qualispec.compiler.fiches.pages import CurveData, Series

NUMERIC_UNITS = ("percent", "ratio", "count", "number", "euro", "days")
ILLUSTRATIVE_NOTE = "position illustrative : le seuil est calculé chaque année à partir des résultats"


def score_curve(ctx: CampaignContext, ind: ir.Indicator) -> tuple[CurveData | None, str]:
    score_id, result_id = ind.part("score"), ind.part("result")
    if score_id is None or result_id is None:
        return None, ""
    c = ctx.c
    x_unit = c.nodes[result_id].unit
    if x_unit not in NUMERIC_UNITS:
        return None, "Pas de courbe : le résultat n'est pas un nombre (le score se lit dans le tableau de la formule)."
    overrides: dict[str, object] = {}
    notes = []
    if ind.part("eligible"):
        overrides[ind.part("eligible")] = True
        notes.append("prérequis supposés remplis")
    if ind.status:  # the curve of an indicator entered in time (status « renseigne »)
        overrides[ind.status] = CONCERNED
        notes.append("indicateur renseigné")

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

    # what reads neither the result nor the previous result has the same value at every point: computed once;
    # what reads the result but not the previous result (the level) has the same value in every series at a point
    varying = {n for n in (result_id, previous_id) if n} | _readers(ctx, (result_id, previous_id))
    with_previous = {previous_id} | _readers(ctx, (previous_id,)) if previous_id else set()
    fixed: dict[str, object] = {}
    at_point: dict[Fraction, dict[str, object]] = {x: {} for x in xs}

    def series(previous_of):
        ys = []
        for x in xs:
            ov = dict(overrides)
            ov[result_id] = x
            if previous_id:
                ov[previous_id] = previous_of(x)
            evaluator = Evaluator(c, ind.fields[0] if ind.fields else None, ov)
            evaluator.memo.update(fixed)
            evaluator.memo.update(at_point[x])
            try:
                y = evaluator.node(score_id)
            except NotConstant as why:
                raise NotConstant(str(why)) from None
            for n, v in evaluator.memo.items():
                if n not in varying:
                    fixed[n] = v
                elif n not in with_previous:
                    at_point[x][n] = v
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
    caption = f"Score de {labels.named(ind)} selon son résultat"
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
    data = CurveData(curve.label if curve else f"Score de {labels.named(ind)}", x_unit, c.nodes[score_id].unit or "percent",
                     float(x_max), tuple(out), threshold, illustrative, target, caption, higher)
    return data, ""


def _readers(ctx: CampaignContext, node_ids) -> set[str]:
    """Every node that reads one of these, directly or not (the dependency graph's descendants)."""
    return {d for n in node_ids if n and n in ctx.graph for d in nx.descendants(ctx.graph, n)}
