"""Numbers, units and formulas in French, as a hospital quality manager reads them.

One place for "42,0 %", "1 234 567,89 €", "30e centile du groupe", so that the
explanations, the fiches and the diff all speak the same way.
"""

from __future__ import annotations

from fractions import Fraction

from qualispec.compiler.syntax import ast

NBSP = "\u202f"  # narrow no-break space, the French thousands separator

PART_LABELS = {
    "numerator": "numérateur", "denominator": "dénominateur", "result": "résultat",
    "previous": "résultat précédent", "expected": "résultat attendu", "target": "valeur cible de rémunération",
    "threshold": "valeur seuil de début de rémunération", "evolution_paid": "évolution rémunérée",
    "not_applicable_allowed": "déclaration « non applicable » possible", "eligible": "prérequis remplis",
    "level": "part niveau atteint", "evolution": "part évolution", "score": "score",
    "weight": "poids", "payout": "rémunération", "objective": "objectif atteint",
    "applicable": "compte pour l'établissement", "effective_weight": "poids après redistribution",
}
# In a scheme that monitors rather than pays, a target is an objective to reach, not a pay rule.
MONITORING_LABELS = {"target": "valeur cible (objectif)", "threshold": "valeur seuil"}


def part_label(part: str, pays: bool = True) -> str:
    """What a part is called, for an indicator that pays (``pays``) or only monitors."""
    return (PART_LABELS if pays else {**PART_LABELS, **MONITORING_LABELS}).get(part, part)


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
    if call.where is not None:
        scope += f", parmi ceux où {formula(call.where, name_of)}"
    subject = name_of(call.args[0]) if call.args else ""
    if call.func == "quantile" and len(call.args) == 2:
        q = call.args[1]
        if isinstance(q, ast.Num):
            return f"{ordinal(round(float(q.value) * 100))} centile de « {subject} » {scope}"
        return f"centile {name_of(q)} de « {subject} » {scope}"
    return f"{AGGREGATE_WORDS.get(call.func, call.func)} de « {subject} » {scope}"


# ------------------------------------------------------------------ formulas and rule words (diff, fiches)
TEXT_LABELS = {
    "label": "libellé", "short_label": "nom court", "description": "description", "definition": "définition",
    "measurement": "période de mesure", "deadline": "date limite de saisie", "collection": "recueil",
    "exclusions": "exclusions", "data_source": "source des données", "stay_definition": "définition du séjour",
    "not_computable": "cas non calculable", "evolution_rule": "règle d'évolution", "weight_rule": "règle de pondération",
    "direction": "sens de l'indicateur", "note": "note", "rounding": "arrondi", "issuer": "émetteur",
    "date": "date", "primary": "document source", "assumption": "hypothèse", "carried": "reconduction",
}

_OPS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_PRECEDENCE = {"or": 1, "and": 2, "+": 5, "-": 5, "*": 6, "/": 6}


def plain(value: Fraction | int | float) -> str:
    """An exact number without useless decimals: ``20000`` → ``20 000``, ``0.1429`` → ``0,1429``."""
    v = Fraction(value) if not isinstance(value, float) else Fraction(value).limit_denominator(10**9)
    sign = "−" if v < 0 else ""
    v = abs(v)
    if v.denominator == 1:
        return sign + f"{v.numerator:,}".replace(",", NBSP)
    text = f"{float(v):,.6f}".rstrip("0").rstrip(".")
    return sign + text.replace(",", NBSP).replace(".", ",")


def literal(value, unit: str | None) -> str:
    """A constant as an author wrote it: ``50 %``, ``0,25``, ``700 000 000 €``, ``oui``."""
    if value is None:
        return "manquant"
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, str):
        return f"« {value} »"
    if unit == "percent":
        return f"{plain(Fraction(value) * 100)} %"
    if unit == "euro":
        return f"{plain(value)} €"
    if unit == "days":
        return f"{plain(value)} jours"
    return plain(value)


def formula(e: ast.Expr, name_of=None) -> str:
    """An expression written back readably: ``stays ≥ 500 et activity_groups_80 < 15``.

    ``name_of(ref)`` chooses how each name is shown (by default, as the author wrote it).
    """
    name_of = name_of or (lambda r: r.text)

    def show(x: ast.Expr, outer: int = 0) -> str:
        text, level = _formula(x, show, name_of)
        return f"({text})" if level < outer else text

    return show(e)


def _formula(x: ast.Expr, show, name_of) -> tuple[str, int]:
    atom = 9
    if isinstance(x, ast.Num):
        return literal(x.value, x.unit), atom
    if isinstance(x, ast.Text):
        return f"« {x.value} »", atom
    if isinstance(x, ast.Bool):
        return ("vrai" if x.value else "faux"), atom
    if isinstance(x, ast.Missing):
        return "manquant", atom
    if isinstance(x, ast.Wildcard):
        return "_", atom
    if isinstance(x, ast.Ref):
        return name_of(x), atom
    if isinstance(x, ast.Unary):
        if x.op == "not":
            inner = x.operand
            if isinstance(inner, ast.Call) and inner.func == "available" and inner.args:
                return f"{show(inner.args[0], 5)} non disponible", 4
            return f"non {show(x.operand, 3)}", 3
        return f"−{show(x.operand, 7)}", 7
    if isinstance(x, ast.Binary):
        p = _PRECEDENCE[x.op]
        op = {"and": "et", "or": "ou", "*": "×", "/": "/", "+": "+", "-": "−"}[x.op]
        right_outer = p + 1 if x.op in ("-", "/") else p
        return f"{show(x.left, p)} {op} {show(x.right, right_outer)}", p
    if isinstance(x, ast.Compare):
        return f"{show(x.left, 5)} {_OPS[x.op]} {show(x.right, 5)}", 4
    if isinstance(x, ast.Member):
        return f"{show(x.operand, 5)} parmi [{', '.join(show(o) for o in x.options)}]", 4
    if isinstance(x, ast.If):
        return f"si {show(x.cond)} alors {show(x.then, 1)} sinon {show(x.else_, 0)}", 0
    if isinstance(x, ast.Piecewise):
        points = ", ".join(f"{show(a)} → {show(b)}" for a, b in x.points)
        return f"linéaire par morceaux de {show(x.x, atom)} {{ {points} }}", atom
    if isinstance(x, ast.Decide):
        rules = " ; ".join(f"{', '.join(show(p) for p in pats)} → {show(r)}" for pats, r in x.rules)
        return f"selon ({', '.join(show(s) for s in x.subjects)}) {{ {rules} }}", atom
    if isinstance(x, ast.ListLit):
        return f"[{', '.join(show(i) for i in x.items)}]", atom
    if isinstance(x, ast.MapLit):
        return "{ " + ", ".join(f"{k} : {show(v)}" for k, _, v in x.entries) + " }", atom
    if isinstance(x, ast.Call):
        if x.func == "available":
            return f"{show(x.args[0], 5)} disponible", 4
        options = "".join(f", {n} = {show(v)}" for n, v in x.named)
        if x.over:
            scope = SCOPES.get(x.over, f"par {x.over}")
            if x.where is not None:
                scope += f" où {show(x.where)}"
            if x.func == "quantile" and len(x.args) == 2:
                q = x.args[1]
                which = f"{ordinal(round(float(q.value) * 100))} centile" if isinstance(q, ast.Num) \
                    and (q.value * 100).denominator == 1 else f"centile {show(q)}"
                method = x.named[0][1] if len(x.named) == 1 and x.named[0][0] == "method" else None
                extra = f" ({enumerated_words(method.value)})" if isinstance(method, ast.Text) else \
                    f" (méthode : {show(method)})" if method is not None \
                    else (f" ({options[2:]})" if options else "")
                return f"{which} de {show(x.args[0], atom)} {scope}{extra}", atom
            word = AGGREGATE_WORDS.get(x.func, x.func)
            return f"{word}({', '.join(show(a) for a in x.args)}{options}) {scope}", atom
        name = {"min_of": "min", "max_of": "max", "abs": "abs", "floor": "partie entière",
                "round": "arrondi au pair"}.get(x.func, x.func)
        return f"{name}({', '.join(show(a) for a in x.args)}{options})", atom
    if isinstance(x, ast.SourceRef):
        return f"{x.document} « {x.section} »", atom
    return type(x).__name__, atom


def from_records(call: ast.Call, table, said=lambda column: column) -> str:
    """« calculé à partir des séjours : nombre de séjours où dmp_fed et has_dmp »; ``said(column)``: how a column
    of the table is written (its name by default; a fiche gives its meaning)."""
    records = (table.label or table.name) if table is not None else call.args[0].name
    column = said(call.args[0].member) if call.args[0].member else call.args[0].member
    what = {"count": "nombre d'enregistrements",
            "count_distinct": f"nombre de valeurs distinctes de {column}",
            "sum": f"somme de {column}", "min": f"minimum de {column}", "max": f"maximum de {column}"}[call.func]
    where = f" où {formula(call.where, lambda r: said(r.name))}" if call.where is not None else ""
    return f"calculé à partir de la table « {records} » : {what}{where}, par établissement" + \
        (" et champ" if table is not None and "field" in table.key else "")


# ------------------------------------------------------------------ fiches: short names, units, kinds
# Short names of an indicator's parts, as symbols in a formula (« résultat = numérateur / dénominateur »).
PART_SHORT = {
    "numerator": "numérateur", "denominator": "dénominateur", "result": "résultat",
    "previous": "résultat précédent", "expected": "résultat attendu", "target": "cible", "threshold": "seuil",
    "evolution_paid": "évolution rémunérée", "not_applicable_allowed": "non applicable possible",
    "eligible": "prérequis remplis", "level": "niveau", "evolution": "évolution", "score": "score",
    "weight": "poids", "payout": "rémunération", "objective": "objectif", "applicable": "compte",
    "effective_weight": "poids redistribué",
}

UNIT_WORDS = {
    "percent": "pourcentage (%)", "ratio": "ratio (sans unité)", "count": "nombre (entier)", "euro": "euros (€)",
    "days": "jours", "number": "nombre", "boolean": "oui / non", "category": "catégorie", "text": "texte",
}

KIND_LABELS = {
    "campaign": "campagne", "document": "document", "field": "champ", "category": "catégorie", "input": "donnée",
    "table": "table d'enregistrements", "parameter": "paramètre", "group": "groupe de comparaison", "prerequisite": "prérequis", "curve": "courbe",
    "indicator": "indicateur", "envelope": "enveloppe",
}

QUANTILE_METHOD_WORDS = {  # the language's `method:` of a quantile, in the words of a reader
    "lower": "valeur observée immédiatement inférieure",
    "higher": "valeur observée immédiatement supérieure",
    "nearest": "valeur observée la plus proche",
    "linear": "interpolation linéaire entre les deux valeurs observées qui l'encadrent",
    "midpoint": "milieu des deux valeurs observées qui l'encadrent",
}


def enumerated_words(value: str) -> str:
    """A value from one of the language's fixed lists (a quantile method) in French words; other texts as written."""
    return QUANTILE_METHOD_WORDS.get(value, value)


def describe_quantile(q, subject: str, over: str | None, method: str | None) -> str:
    """``30e centile des résultats du groupe (valeur observée immédiatement inférieure)``."""
    scope = SCOPES.get(over or "", f"par {over}")
    pct = None if q is None else Fraction(q).limit_denominator(10**6) * 100
    which = "?" if pct is None else (ordinal(int(pct)) if pct.denominator == 1 else f"{plain(pct)}e")
    text = f"{which} centile {subject} {scope}"
    if method:
        text += f" ({enumerated_words(method)})"
    return text
