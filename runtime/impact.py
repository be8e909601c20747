"""What a change of rules does to the money, and to the policy-author cases.

``compare_payouts`` evaluates OLD and NEW on the same dataset (each campaign reads the
columns it needs; a column renamed between them is read under either name) and compares,
per establishment and field, the payout under each. It then attributes the difference to
the rule changes, by undoing them one at a time in NEW (see ``METHOD``).

``compare_cases`` runs OLD's cases (OLD/cases/*.csv) under both campaigns and lists every
case whose outcome changed.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import polars as pl

from qualispec.compiler import french, ir, labels
from qualispec.compiler import graph as graphs
from qualispec.compiler.diff.rules import RuleDiff, reverts
from qualispec.compiler.pipeline import Compiled
from qualispec.runtime.data.contract import contract_rows
from qualispec.runtime import objectives
from qualispec.runtime.data.dataset import DataError, _Where, read_table, validate
from qualispec.runtime.evaluate import evaluate
from qualispec.runtime.plan import build_plan
from qualispec.runtime.objectives import ObjectiveChange

METHOD = (
    "Méthode : les deux campagnes sont évaluées sur le même jeu de données. Pour attribuer l'écart, chaque "
    "changement de règle qui peut l'être est annulé seul dans la nouvelle campagne (toutes les autres règles "
    "nouvelles gardées), qui est réévaluée : l'effet d'un changement est l'écart de rémunération que son "
    "annulation fait disparaître, établissement par établissement. Les effets ne s'additionnent pas exactement "
    "(les changements interagissent ; dans une enveloppe fermée, ce qu'un établissement gagne un autre le "
    "perd : l'effet net d'un changement y est souvent nul, c'est la somme des écarts absolus qui mesure ce qu'il "
    "redistribue). Les indicateurs ajoutés ou retirés et les règles qui lisent des données que l'autre campagne "
    "n'a pas ne peuvent pas être annulés seuls : leur effet reste dans la part non attribuée."
)


class ImpactError(Exception):
    pass


@dataclass(frozen=True)
class Effect:
    subject: str
    label: str
    net: float  # Σ effect (€)
    moved: float  # Σ |effect| (€)
    establishments: int  # rows whose payout this change moves by at least one cent
    share: float | None  # moved / Σ |difference|


@dataclass(frozen=True)
class Impact:
    old: str
    new: str
    rows: pl.DataFrame  # finess, field, group_old, group_new, payout_old, payout_new, difference
    by_group: pl.DataFrame  # field, group, side, payout_old, payout_new, difference
    by_indicator: pl.DataFrame  # indicator_old, indicator_new, payout_old, payout_new, difference
    effects: tuple[Effect, ...]
    notes: tuple[str, ...]
    top: int = 10
    words: dict = field(default_factory=dict)  # code name → French label, to say each rule change in words
    objectives: tuple[ObjectiveChange, ...] = ()  # establishments whose objective changes, per indicator
    pays: bool = True  # False: neither campaign pays, the report is about objectives only
    out_of_scope: frozenset[str] = frozenset()  # old indicators outside the new campaign's documents

    @property
    def total_old(self) -> float:
        return float(self.rows["payout_old"].sum())

    @property
    def total_new(self) -> float:
        return float(self.rows["payout_new"].sum())


# ------------------------------------------------------------------ data
def _frame_for(compiled: Compiled, raw: pl.DataFrame, is_csv: bool, path: str, renamed: dict[str, str],
               notes: list[str]) -> pl.DataFrame:
    """The dataset as ``compiled`` needs it: renamed columns read under their other name, absent ones empty."""
    frame, name = raw, labels.campaign_said(compiled.campaign)  # by its title: said to people, on stderr too
    read_as, left_empty, wanted = [], [], []
    for column in contract_rows(compiled.campaign):
        if column.name in frame.columns:
            continue
        other = renamed.get(column.name)
        if other and other in frame.columns:
            frame = frame.with_columns(pl.col(other).alias(column.name))
            read_as.append(f"{column.name} ← {other}")
        elif column.required_for != "none" and not column.requirement:
            wanted.append(column.name)
        else:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String if is_csv else None).alias(column.name))
            left_empty.append(column.name)
    if wanted:
        raise ImpactError(f"{name} ne peut pas être évaluée sur ce jeu de données : {path} n'a pas les colonnes "
                          f"qu'elle demande à chaque ligne concernée : {', '.join(wanted)}\n"
                          f"  les colonnes qu'attend {name} : qualispec inputs <dossier de la campagne>")
    if read_as:
        notes.append(f"{name} : {_columns(len(read_as))} lue{'s' if len(read_as) > 1 else ''} sous le nom de "
                     f"l'autre campagne (donnée renommée) : {', '.join(read_as)}")
    if left_empty:
        s = "s" if len(left_empty) > 1 else ""
        notes.append(f"{name} : {_columns(len(left_empty))} absente{s} du fichier, laissée{s} vide{s} : "
                     f"{', '.join(left_empty)}")
    try:
        return validate(frame, compiled.campaign, _Where(path, is_csv))
    except DataError as error:
        raise ImpactError(f"{name} ne peut pas être évaluée sur ce jeu de données :\n{error.render()}") from None


def _columns(n: int) -> str:
    return "1 colonne" if n == 1 else f"{n} colonnes"


def _payouts(compiled: Compiled, frame: pl.DataFrame, rows: pl.DataFrame | None = None) -> pl.DataFrame:
    """Keys, group and payout columns of each row (``rows``: an evaluation's rows already computed)."""
    rows = evaluate(compiled, frame).rows if rows is None else rows
    keep = [c for c in ("finess", "field", "group") if c in rows.columns]
    payout_columns = [c for c in rows.columns if c.endswith(("_payout", "_objective"))]
    out = rows.select(keep + payout_columns + ([] if "total_payout" in rows.columns else
                                               [pl.lit(0.0).alias("total_payout")]))
    if "total_payout" in rows.columns:
        out = out.with_columns(rows["total_payout"])
    return out


def _keys(old: pl.DataFrame, new: pl.DataFrame) -> list[str]:
    return [k for k in ("finess", "field") if k in old.columns and k in new.columns]


# ------------------------------------------------------------------ payouts
def frames(old: Compiled, new: Compiled, data: str, rules: RuleDiff, dialect, notes: list[str]):
    """The dataset read once, as each campaign needs it (renamed inputs read under their other name)."""
    numeric = {c.name for side in (old, new) for c in contract_rows(side.campaign) if c.unit not in ("text", "category", "boolean")}
    try:
        raw, is_csv = read_table(data, dialect, numeric, notes,
                                 {c.name for side in (old, new) for c in contract_rows(side.campaign)})
    except DataError as error:
        raise ImpactError(error.render()) from None
    inputs_old_to_new = {o: n for k, o, n in rules.renames if k == "input" and o != n}
    column_of_old = {o: old.campaign.inputs[o].column or o for o in inputs_old_to_new if o in old.campaign.inputs}
    column_of_new = {n: new.campaign.inputs[n].column or n for n in inputs_old_to_new.values() if n in new.campaign.inputs}
    new_from_old = {column_of_new[n]: column_of_old[o] for o, n in inputs_old_to_new.items()
                    if o in column_of_old and n in column_of_new}
    old_from_new = {v: k for k, v in new_from_old.items()}
    frame_old = _frame_for(old, raw, is_csv, data, old_from_new, notes)
    frame_new = _frame_for(new, raw, is_csv, data, new_from_old, notes)
    return frame_old, frame_new


def compare_payouts(old: Compiled, new: Compiled, data: str, rules: RuleDiff, top: int = 10, dialect=None) -> Impact:
    notes: list[str] = []
    frame_old, frame_new = frames(old, new, data, rules, dialect, notes)
    a, b = _payouts(old, frame_old), _payouts(new, frame_new)
    keys = _keys(a, b)
    joined = a.select(keys + [pl.col("group").alias("group_old") if "group" in a.columns else pl.lit(None).alias("group_old"),
                              pl.col("total_payout").alias("payout_old")]).join(
        b.select(keys + [pl.col("group").alias("group_new") if "group" in b.columns else pl.lit(None).alias("group_new"),
                         pl.col("total_payout").alias("payout_new")]), on=keys, how="full", coalesce=True)
    rows = joined.with_columns(pl.col("payout_old").fill_null(0.0), pl.col("payout_new").fill_null(0.0)) \
        .with_columns((pl.col("payout_new") - pl.col("payout_old")).round(2).alias("difference"))

    by_group = _by_group(rows)
    by_indicator = _by_indicator(a, b, rules, old, new)
    pay = objectives.pays(old.campaign) or objectives.pays(new.campaign)
    effects = _effects(old, new, frame_new, b, rows, keys) if pay else []
    changed = objectives.objective_changes(a, b, keys, rules.indicator_pairs())
    return Impact(old.campaign.name, new.campaign.name, rows, by_group, by_indicator, tuple(effects),
                  tuple(dict.fromkeys(notes)), top, _words(old, new), tuple(changed), pay,
                  frozenset(new.campaign.out_of_scope))


def _words(old: Compiled, new: Compiled) -> dict[str, str]:
    """How a reader calls each declaration: an indicator by its short name, the rest by its label."""
    words: dict[str, str] = {}
    for side in (old, new):
        for decl in side.campaign.declarations():
            if decl.kind == "indicator":  # « Num.1 », else « « Certification des ES » »
                words[decl.name] = labels.named(decl)
            elif decl.label and decl.kind in ("parameter", "envelope", "input", "group", "prerequisite", "curve"):
                words[decl.name] = f"« {decl.label} »"
    return words


def _by_group(rows: pl.DataFrame) -> pl.DataFrame:
    """Payouts per group: each side summed over the establishments of the group under that side."""
    field = ["field"] if "field" in rows.columns else []
    old = rows.group_by(field + ["group_old"]).agg(pl.col("payout_old").sum()).rename({"group_old": "group"})
    new = rows.group_by(field + ["group_new"]).agg(pl.col("payout_new").sum()).rename({"group_new": "group"})
    moved = rows.filter(pl.col("group_old").cast(pl.String).fill_null("∅") != pl.col("group_new").cast(pl.String).fill_null("∅"))
    moves = moved.group_by(field + ["group_new"]).agg(pl.len().alias("arrived")).rename({"group_new": "group"})
    out = old.join(new, on=field + ["group"], how="full", coalesce=True).with_columns(
        pl.col("payout_old").fill_null(0.0), pl.col("payout_new").fill_null(0.0))
    out = out.join(moves, on=field + ["group"], how="left").with_columns(pl.col("arrived").fill_null(0))
    return out.with_columns((pl.col("payout_new") - pl.col("payout_old")).round(2).alias("difference")) \
        .sort(field + ["group"], nulls_last=True)


def _by_indicator(a, b, rules: RuleDiff, old: Compiled, new: Compiled) -> pl.DataFrame:
    pairs = dict(rules.indicator_pairs())
    rows = []
    seen_new = set()
    for name in old.campaign.indicators:
        col = f"{name.lower()}_payout"
        total_old = float(a[col].sum()) if col in a.columns else 0.0
        other = pairs.get(name)
        total_new = 0.0
        if other:
            seen_new.add(other)
            col_new = f"{other.lower()}_payout"
            total_new = float(b[col_new].sum()) if col_new in b.columns else 0.0
        rows.append((name, other or "", total_old, total_new))
    for name in new.campaign.indicators:
        if name not in seen_new:
            col = f"{name.lower()}_payout"
            rows.append(("", name, 0.0, float(b[col].sum()) if col in b.columns else 0.0))
    frame = pl.DataFrame(rows, schema=["indicator_old", "indicator_new", "payout_old", "payout_new"], orient="row")
    return frame.with_columns((pl.col("payout_new") - pl.col("payout_old")).round(2).alias("difference"))


def effect_rows(old: Compiled, new: Compiled, frame_new: pl.DataFrame, b: pl.DataFrame, keys):
    """(rule change, its effect per row: keys + ``effect`` in €, or the error that kept it from being undone)
    for each change of ``old`` → ``new``: the new payouts minus the new campaign's with that change undone.

    A change that no payout reads (a parameter of an objective that pays nothing, a rule of a part the money
    does not read) leaves every payout as it is: its effect is 0 on every row, without evaluating it."""
    money = _read_by_money(new)
    for revert in reverts(old.campaign, new.campaign):
        campaign = revert.campaign
        if not _reaches(new.campaign, campaign, money):
            undone = b
        else:
            graph = graphs.build(campaign)
            try:
                order = tuple(graphs.evaluation_order(graph))
                undone = _payouts(Compiled(campaign, graph, order), frame_new)
            except Exception as error:  # noqa: BLE001 - one change that cannot be undone must not stop the report
                yield revert, error
                continue
        yield revert, b.select(keys + [pl.col("total_payout").alias("with")]).join(
            undone.select(keys + [pl.col("total_payout").alias("without")]), on=keys, how="left") \
            .with_columns((pl.col("with") - pl.col("without").fill_null(0.0)).alias("effect"))


def _read_by_money(c: Compiled) -> set[str]:
    """The nodes the payouts read, directly or not (and the group, by which the cents are shared)."""
    plan = build_plan(c)
    money = {out.source for out in plan.outputs if out.part == "payout"} | {"group"}
    money |= {col for a in plan.allocations for _, col in a.payouts} | {a.group_amount for a in plan.allocations}
    return {a for m in money if m in c.graph for a in nx.ancestors(c.graph, m)} | money


def _reaches(new: ir.Campaign, undone: ir.Campaign, money: set[str]) -> bool:
    """Whether undoing a change can move a payout: it changes a node or parameter the money reads, or
    anything else of the campaign (then it is evaluated, to be safe)."""
    for f in dataclasses.fields(ir.Campaign):
        if f.name not in ("nodes", "parameters") and getattr(new, f.name) != getattr(undone, f.name):
            return True
    changed = {k for mine, theirs in ((new.nodes, undone.nodes), (new.parameters, undone.parameters))
               for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k)}
    return any(k in money or k not in new.nodes for k in changed)  # a node the graph does not know: evaluated


def _effects(old: Compiled, new: Compiled, frame_new: pl.DataFrame, b: pl.DataFrame, rows: pl.DataFrame,
             keys) -> list[Effect]:
    total_moved = float(rows["difference"].abs().sum())
    out = []
    for revert, effect in effect_rows(old, new, frame_new, b, keys):
        if isinstance(effect, Exception):
            out.append(Effect(revert.subject, revert.label + f" (non évaluable : {type(effect).__name__})", 0.0, 0.0, 0, None))
            continue
        moved = float(effect["effect"].abs().sum())
        out.append(Effect(revert.subject, revert.label, round(float(effect["effect"].sum()), 2), round(moved, 2),
                          int((effect["effect"].abs() >= 0.005).sum()),
                          round(moved / total_moved, 4) if total_moved else None))
    return sorted(out, key=lambda e: -e.moved)


# ------------------------------------------------------------------ cases
@dataclass(frozen=True)
class CaseChange:
    file: str
    case: str
    finess: str
    column: str
    old: str
    new: str


@dataclass
class CasesReport:
    ran: int = 0
    changes: list[CaseChange] = field(default_factory=list)
    failed_new: list[str] = field(default_factory=list)  # cases that could not run under NEW, with why
    notes: list[str] = field(default_factory=list)


def compare_cases(old: Compiled, new: Compiled, old_folder: str, rules: RuleDiff | None = None) -> CasesReport:
    from qualispec.runtime.cases import EXPECT, case_files, run_case_file

    report = CasesReport()
    renames = rules.renames if rules else ()
    inputs = {o: n for k, o, n in renames if k == "input"}
    indicators = {o.lower(): n.lower() for k, o, n in renames if k == "indicator"}
    contract_new = {c.name for c in contract_rows(new.campaign)}
    files = case_files(Path(old_folder) if Path(old_folder).is_dir() else Path(old_folder).parent)
    if not files:
        report.notes.append(f"aucun cas dans {old_folder}/cases/*.csv")
    for path in files:
        before = run_case_file(old, path)
        table = pl.read_csv(path, infer_schema=False)
        renamed, dropped = {}, []
        for column in table.columns:
            if column == "case" or column.startswith("#"):
                continue
            if column.startswith(EXPECT):
                out = column[len(EXPECT):]
                head, _, part = out.partition("_")
                for o, n in indicators.items():
                    if out.startswith(o + "_"):
                        renamed[column] = EXPECT + n + out[len(o):]
                        break
                continue
            target = inputs.get(column, column)
            if target in contract_new:
                if target != column:
                    renamed[column] = target
            else:
                dropped.append(column)
        if dropped:
            report.notes.append(f"{path.name} : colonnes sans objet pour {labels.campaign_said(new.campaign)} : "
                                f"{', '.join(dropped)}")
        translated = table.drop(dropped).rename(renamed)
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / path.name
            translated.write_csv(copy)
            after = run_case_file(new, copy)
        for r_old, r_new in zip(before, after):
            report.ran += 1
            if r_new.failures and not r_new.outputs:
                report.failed_new.append(f"{path.name}:{r_old.first_line} {r_old.title} — {'; '.join(r_new.failures)}")
                continue
            expects = [c[len(EXPECT):] for c in table.columns if c.startswith(EXPECT)]
            for row_old, row_new in zip(r_old.outputs, r_new.outputs):
                for column in dict.fromkeys(expects + ["group", "total_payout"]):
                    new_column = renamed.get(EXPECT + column, EXPECT + column)[len(EXPECT):]
                    if column not in row_old and new_column not in row_new:
                        continue
                    vo, vn = row_old.get(column), row_new.get(new_column)
                    if _same_value(vo, vn):
                        continue
                    report.changes.append(CaseChange(path.name, r_old.title, str(row_old.get("finess", "")),
                                                     column if column == new_column else f"{column} → {new_column}",
                                                     _show(vo), _show(vn)))
    return report


def _same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 0.005
    return a == b


def _show(v) -> str:
    if v is None:
        return "absent"
    if isinstance(v, float):
        return french.number(v, 2)
    if isinstance(v, bool):
        return "oui" if v else "non"
    return str(v)


# ------------------------------------------------------------------ rendering
def to_json_text(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
