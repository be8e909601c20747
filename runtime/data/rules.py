"""The rules a row of data must follow, written once for every engine.

Each rule is a test of the rows that break it, written with the comparison and logic
operators (``<``, ``&``, ``|``, ``~``) that a Polars expression and a Spark column both
read, plus the few operations of :class:`Operations` each engine spells its own way; and
what to say of one such row, in French, from its values by column name. The embedded
engine (runtime/data/dataset.py, records.py) and Spark (engines/spark/dataset.py,
records.py) evaluate the same rules, so that a row refused on one is refused on the other,
in the same words; each engine only says where the row is (a file's line, or a key).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import polars as pl

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import one_line
from qualispec.runtime.data.contract import Column, has_fields, requirements

FINESS_LENGTH = 9
# Nine characters: two of department (digits, or 2A/2B for Corsica) then seven digits.
FINESS_PATTERN = r"^(?:[0-9]{2}|2[AB])[0-9]{7}$"
MAX_EUROS = 10**12  # a thousand billion euros: above any hospital's or scheme's money, and cents stay exact
SHOWN_CHARS = 60  # a value quoted in a message is cut beyond this


def shown(value) -> str:
    """A value as a message quotes it: on one line, invisible characters made visible, cut."""
    return one_line(value, SHOWN_CHARS)


@dataclass(frozen=True)
class Operations:
    """What an engine spells its own way: a column's value (as typed) and as written, a missing value,
    membership of a list, a text's length and its match of a pattern."""

    value: Callable[[str], Any]
    written: Callable[[str], Any]
    is_null: Callable[[Any], Any]
    is_in: Callable[[Any, list], Any]
    length: Callable[[Any], Any]
    matches: Callable[[Any, str], Any]


POLARS = Operations(value=pl.col, written=pl.col, is_null=lambda v: v.is_null(), is_in=lambda v, values: v.is_in(values),
                    length=lambda v: v.str.len_chars(), matches=lambda v, pattern: v.str.contains(pattern))


class Rule(NamedTuple):
    """``breaks(operations)``: the rows that break the rule (missing counts as not broken);
    ``said(row)``: what to say of one of them, from its values by column name."""

    breaks: Callable[[Operations], Any]
    said: Callable[[Any], str]


def row_rules(campaign: ir.Campaign, columns: list[Column]) -> list[Rule]:
    """Every rule a row of the establishment table follows, in the order they are said."""
    rules = finess_rules() + field_rules(campaign)
    for column in columns:
        rules += [Rule(lambda o, n=column.name, outside=outside: outside(o.value(n)),
                       lambda r, n=column.name, said=said: said(r[n])) for outside, said in range_rules(column)]
        rules += declared_values(column)
    return rules + required_values(campaign, columns) + conditional_values(columns) + numerators(campaign)


def record_rules(table: ir.Table, campaign: ir.Campaign) -> list[Rule]:
    """Every rule a record of ``table`` follows: its key, each value readable, no negative amount or count."""
    rules = finess_rules() + (field_rules(campaign) if "field" in table.key else [])
    for name, unit in table.columns:
        if unit not in ("text", "category"):
            rules.append(Rule(lambda o, n=name: ~o.is_null(o.written(n)) & o.is_null(o.value(n)),
                              lambda r, n=name, w=wanted(unit): f"{n} = « {shown(r[n])} » : attendu {w}"))
        if unit in ("count", "days", "euro"):
            why = "un montant enregistré ne peut pas l'être" if unit == "euro" else "un compte ne peut pas l'être"
            rules.append(Rule(lambda o, n=name: o.value(n) < 0, lambda r, n=name, why=why: f"{n} = {r[n]} est négatif ; {why}"))
    return rules


def wanted(unit: str) -> str:
    """What a value of ``unit`` is written as, for a message."""
    return {"boolean": "oui ou non (true/false)", "count": "un nombre entier", "days": "un nombre entier de jours",
            "text": "du texte", "category": "du texte"}.get(unit, "un nombre")


def finess_rules() -> list[Rule]:
    def finess(o):
        return o.value("finess")

    return [
        Rule(lambda o: o.is_null(finess(o)), lambda r: "finess est vide ; chaque ligne porte le FINESS de son établissement"),
        Rule(lambda o: o.length(finess(o)) != FINESS_LENGTH,
             lambda r: f"finess « {shown(r['finess'])} » a {len(str(r['finess']))} caractères, un FINESS en a 9 (gardez les "
                       f"zéros du début : enregistrez la colonne en texte)"),
        Rule(lambda o: (o.length(finess(o)) == FINESS_LENGTH) & ~o.matches(finess(o), FINESS_PATTERN),
             lambda r: f"finess « {shown(r['finess'])} » n'est pas un numéro FINESS : 9 chiffres (2A ou 2B au début "
                       f"pour la Corse), sans espace ni autre caractère"),
    ]


def field_rules(campaign: ir.Campaign) -> list[Rule]:
    if not has_fields(campaign):
        return []
    known = list(campaign.field_decls)
    return [Rule(lambda o: o.is_null(o.value("field")) | ~o.is_in(o.value("field"), known),
                 lambda r: f"champ « {shown(r['field'])} » inconnu ; champs possibles : {', '.join(known)}")]


def range_rules(column: Column) -> list[tuple]:
    """What a column's unit forbids: (the values outside, as a test on a value; the message for one such value)."""
    name = column.name
    if column.unit in ("count", "days"):
        return [(lambda v: v < 0, lambda x: f"{name} = {x} est négatif ; un compte ne peut pas l'être")]
    if column.unit == "euro":
        return [(lambda v: (v > MAX_EUROS) | (v < -MAX_EUROS),
                 lambda x: f"{name} = {x} € dépasse 10¹² € : ce n'est pas un montant de ces dispositifs")]
    if column.unit == "percent" and not column.signed:
        return [(lambda v: (v < 0) | (v > 100),
                 lambda x: f"{name} = {x} est hors de 0–100 (un pourcentage s'écrit de 0 à 100 ; "
                           f"un taux d'évolution qui peut être négatif se déclare signed: true dans la spec)")]
    if column.unit == "ratio":
        return [(lambda v: (v < 0) | (v > 1), lambda x: f"{name} = {x} est hors de 0–1")]
    return []


def declared_values(column: Column) -> list[Rule]:
    """A value outside the list an input declares (``values: [...]``) is refused at its row."""
    if not column.values or column.name == "field":
        return []
    return [Rule(lambda o, n=column.name: ~o.is_null(o.value(n)) & ~o.is_in(o.value(n), list(column.values)),
                 lambda r, n=column.name: f"{n} = « {shown(r[n])} » n'est pas une valeur prévue ; valeurs possibles : "
                                          f"{', '.join(column.values)}")]


def required_values(campaign: ir.Campaign, columns: list[Column]) -> list[Rule]:
    """A value a column must have on every row, or on the rows of the fields it is read in."""
    rules = []
    with_field = has_fields(campaign)
    for column in columns:
        if column.required_for == "none" or column.name in ("finess", "field") or column.requirement:
            continue
        name = column.name
        if column.required_for == "all" or not with_field:
            rules.append(Rule(lambda o, n=name: o.is_null(o.value(n)),
                              lambda r, n=name: f"{n} est vide ; il doit être rempli sur toutes les lignes"))
        else:
            fields = [f.strip() for f in column.required_for.split(",")]
            rules.append(Rule(lambda o, n=name, fields=fields: o.is_null(o.value(n)) & o.is_in(o.value("field"), fields),
                              lambda r, n=name, scope=column.required_for:
                              f"{n} est vide ; il doit être rempli sur les lignes du champ {scope} "
                              f"(cette ligne est du champ {r['field']})"))
    return rules


def conditional_values(columns: list[Column]) -> list[Rule]:
    """A column another one makes required (`required_when:`, `required_unless:`, `required_with:`, contract.requirements),
    on the rows of its fields when it declares some."""
    def breaks(o, need):
        broken = o.is_null(o.value(need.column)) & need.applies(
            o.is_null(o.value(need.other)), lambda values: o.is_in(o.value(need.other), values))
        return broken & o.is_in(o.value("field"), list(need.fields)) if need.fields else broken

    return [Rule(lambda o, need=need: breaks(o, need),
                 lambda r, need=need: need.said(r[need.other], r["field"] if need.fields else None))
            for need in requirements(columns)]


def numerators(campaign: ir.Campaign) -> list[Rule]:
    """In a proportion, a numerator above its denominator is impossible.

    Other rates (days per stay, observed / expected, spending N / N−1, letters per patient
    with `proportion: false`) are not checked."""
    return [Rule(lambda o, n=ncol, d=dcol: o.value(n) > o.value(d),
                 lambda r, n=ncol, d=dcol, i=name: f"{n} = {r[n]} dépasse {d} = {r[d]} (indicateur {i} : un numérateur "
                                                   f"compte une partie de son dénominateur)")
            for name, ncol, dcol in numerator_pairs(campaign)]


def numerator_pairs(campaign: ir.Campaign):
    """(indicator, numerator column, denominator column) of each proportion read from two inputs."""
    for indicator in campaign.indicators.values():
        num_id, den_id = indicator.part("numerator"), indicator.part("denominator")
        if not indicator.proportion or not num_id or not den_id:
            continue
        num, den = campaign.nodes[num_id].expr, campaign.nodes[den_id].expr
        if isinstance(num, ast.Ref) and isinstance(den, ast.Ref):
            yield indicator.name, campaign.inputs[num.target].column, campaign.inputs[den.target].column
