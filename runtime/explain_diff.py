"""One establishment's why between two campaigns (``qualispec explain --diff OLD NEW --finess ID``):
its group, results, scores, weights and payout in each campaign (the sentences of :mod:`explain`), then
the difference and the rule changes that explain it in euros, each by its French label, with the
unexplained rest so that the lines add up to the difference, row by row (establishment × field).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import polars as pl

from qualispec.compiler import french
from qualispec.compiler.diff.rules import RuleDiff
from qualispec.compiler.pipeline import Compiled
from qualispec.runtime import impact
from qualispec.runtime.evaluate import evaluate
from qualispec.runtime.explain import Explanation, NotFound, explain
from qualispec.runtime.impact_report import REST, in_words

CENT = 0.005


@dataclass
class RowDifference:
    """One row (establishment × field) of the establishment, under both campaigns."""

    finess: str
    field: str | None
    old: Explanation | None  # None: the row is not in the old campaign (field not paid then)
    new: Explanation | None
    payout_old: float
    payout_new: float
    changes: list[tuple[str, float]] = field(default_factory=list)  # (French label, € for this row)
    rest: float = 0.0

    @property
    def difference(self) -> float:
        return round(self.payout_new - self.payout_old, 2)


def explain_difference(old: Compiled, new: Compiled, data: str, rules: RuleDiff, finess: str,
                       dialect=None) -> tuple[list[RowDifference], list[str]]:
    """The establishment's rows and the notes of reading the data; :class:`NotFound` when no campaign has it."""
    notes: list[str] = []
    frame_old, frame_new = impact.frames(old, new, data, rules, dialect, notes)
    if not any((f["finess"].cast(pl.String) == finess).any() for f in (frame_old, frame_new) if "finess" in f.columns):
        raise NotFound(finess)  # said before evaluating anything
    evaluated = [evaluate(c, f, keep_all=True) for c, f in ((old, frame_old), (new, frame_new))]
    sides = []
    for compiled, evaluation in zip((old, new), evaluated):
        try:
            sides.append({e.field: e for e in explain(compiled, evaluation, finess)})
        except NotFound:
            sides.append({})
    if not sides[0] and not sides[1]:
        raise NotFound(finess)
    a = impact._payouts(old, frame_old, evaluated[0].rows)
    b = impact._payouts(new, frame_new, evaluated[1].rows)
    keys = impact._keys(a, b)
    mine = pl.col("finess") == finess
    effects = [(revert, None if isinstance(e, Exception) else e.filter(mine))
               for revert, e in impact.effect_rows(old, new, frame_new, b, keys)]
    words = impact._words(old, new)
    out = []
    for field_name in sorted(set(sides[0]) | set(sides[1]), key=lambda f: f or ""):
        was, now = sides[0].get(field_name), sides[1].get(field_name)
        row = RowDifference(finess, field_name, was, now, float(was.total_payout or 0) if was else 0.0,
                            float(now.total_payout or 0) if now else 0.0)
        here = (pl.col("field") == field_name) if "field" in keys and field_name is not None else pl.lit(True)
        for revert, effect in effects:
            if effect is None:
                continue
            amount = round(float(effect.filter(here)["effect"].sum()), 2)
            if abs(amount) >= CENT:
                row.changes.append((in_words(revert.label, words), amount))
        row.changes.sort(key=lambda c: -abs(c[1]))
        row.changes += _alone(was, now, rules, old, new)
        row.rest = round(row.difference - sum(amount for _, amount in row.changes), 2)
        out.append(row)
    return out, list(dict.fromkeys(notes))


def _alone(was: Explanation | None, now: Explanation | None, rules: RuleDiff, old: Compiled, new: Compiled):
    """What the row's indicators found in one campaign only paid it: removed (or out of NEW's scope) and added."""
    pairs = rules.indicator_pairs()
    paired_old, paired_new = {o for o, _ in pairs}, {n for _, n in pairs}
    scope = new.campaign.out_of_scope
    old_name, new_name = f"la campagne {rules.old_short or rules.old}", f"la campagne {rules.new_short or rules.new}"
    groups = ((was, paired_old, lambda i: i in scope, f"hors du périmètre de {new_name}", -1),
              (was, paired_old, lambda i: i not in scope, "retirés", -1),
              (now, paired_new, lambda i: True, "ajoutés", 1))
    out = []
    for side, paired, which, words, sign in groups:
        alone = [i for i in (side.indicators if side else []) if i.id not in paired and which(i.id)
                 and i.values.get("payout") is not None]
        if alone:
            amount = round(sign * sum(float(i.values["payout"]) for i in alone), 2)
            when = old_name if sign < 0 else new_name
            out.append((f"Indicateurs {words} ({len(alone)}) : ce qu'ils lui payaient dans {when}", amount))
    return out


def _signed(v: float) -> str:
    return ("+" if v > 0 else "") + french.euro(v)


def to_text(rows: list[RowDifference], old: str, new: str) -> str:
    """``old``, ``new``: the campaigns as a sentence names them (« « IFAQ 2024 — indicateurs numériques » »)."""
    blocks = []
    for row in rows:
        where = f"Établissement {row.finess}" + (f", champ {row.field}" if row.field else "")
        lines = [f"{where} : de {old} à {new}, la rémunération passe de {french.euro(row.payout_old)} à "
                 f"{french.euro(row.payout_new)} ({_signed(row.difference)})."]
        for name, side in ((old, row.old), (new, row.new)):
            lines += ["", f"Dans {name} :"]
            lines += [f"  {s}" for s in side.sentences] if side is not None else \
                [f"  aucune ligne pour cet établissement{' dans ce champ' if row.field else ''} : rien n'est versé."]
        lines += ["", "Ce qui explique l'écart (chaque changement annulé seul dans " + new + ") :"]
        lines += [f"  {label} : {_signed(amount)}" for label, amount in row.changes] or ["  aucun changement de règle n'y touche"]
        if abs(row.rest) >= CENT or row.changes:
            lines.append(f"  {REST} : {_signed(row.rest)}")
        lines.append(f"  Total : {_signed(row.difference)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def to_json(rows: list[RowDifference], old: str, new: str) -> str:
    return json.dumps({"old": old, "new": new, "rows": [
        {"finess": r.finess, "field": r.field, "payout_old": r.payout_old, "payout_new": r.payout_new,
         "difference": r.difference, "changes": [{"change": label, "euros": amount} for label, amount in r.changes],
         "rest": r.rest, "old_explanation": asdict(r.old) if r.old else None,
         "new_explanation": asdict(r.new) if r.new else None} for r in rows]}, ensure_ascii=False, indent=2, default=str)
