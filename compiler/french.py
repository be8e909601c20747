"""Numbers, units and formulas in French, as a hospital quality manager reads them.

One place for "42,0 %", "1 234 567,89 €", "30e centile du groupe", so that the
explanations, the fiches and the diff all speak the same way.
"""

from __future__ import annotations

from fractions import Fraction

from qualispec.compiler import ast

NBSP = "\u202f"  # narrow no-break space, the French thousands separator

PART_LABELS = {
    "numerator": "numérateur", "denominator": "dénominateur", "result": "résultat",
    "previous": "résultat précédent", "expected": "résultat attendu", "target": "valeur cible de rémunération",
    "threshold": "valeur seuil de début de rémunération", "evolution_paid": "évolution rémunérée",
    "not_applicable_allowed": "déclaration « non applicable » possible", "eligible": "prérequis remplis",
    "level": "part niveau atteint", "evolution": "part évolution", "score": "score",
    "weight": "poids", "payout": "rémunération",
}

SCOPES = {"group": "du groupe", "field": "du champ", "all": "de l'ensemble des établissements"}
AGGREGATE_WORDS = {"median": "médiane", "mean": "moyenne", "sum": "somme", "count": "nombre",
                   "min": "minimum", "max": "maximum"}


def number(value, decimals: int = 1) -> str:
    """``1234.5`` → ``1 234,5``."""
    if value is None:
        return "—"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def percent(ratio, decimals: int = 1) -> str:
    """A fraction held as a ratio (0.42) shown as a percentage: ``42,0 %``."""
    if ratio is None:
        return "non calculable"
    return f"{number(float(ratio) * 100, decimals)} %"


def euro(amount) -> str:
    if amount is None:
        return "—"
    return f"{number(amount, 2)} €"


def value(v, unit: str | None) -> str:
    """Any value with its unit, in French."""
    if v is None:
        return "non disponible"
    if unit in ("percent",):
        return percent(v)
    if unit == "ratio":
        return number(v, 3)
    if unit == "euro":
        return euro(v)
    if unit == "boolean":
        return "oui" if v else "non"
    if unit == "count":
        return number(v, 0) if float(v).is_integer() else number(v, 2)
    if unit == "days":
        return f"{number(v, 0)} jours"
    if isinstance(v, (int, float, Fraction)):
        return number(v, 2)
    return str(v)


def ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def describe_aggregate(call: ast.Call, name_of=lambda e: getattr(e, "text", "?")) -> str:
    """``quantile(result, 30%) over group`` → ``30e centile des résultats du groupe``."""
    scope = SCOPES.get(call.over, f"par {call.over}")
    subject = name_of(call.args[0]) if call.args else ""
    if call.func == "quantile" and len(call.args) == 2:
        q = call.args[1]
        if isinstance(q, ast.Num):
            return f"{ordinal(round(float(q.value) * 100))} centile de « {subject} » {scope}"
        return f"centile {name_of(q)} de « {subject} » {scope}"
    return f"{AGGREGATE_WORDS.get(call.func, call.func)} de « {subject} » {scope}"
