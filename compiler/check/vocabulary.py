"""What the language accepts: properties of each declaration kind, functions, indicator parts."""

AGGREGATES = ("median", "quantile", "mean", "sum", "count", "min", "max")
FUNCTIONS = ("available", "min_of", "max_of", "abs", "round", "floor")
QUANTILE_METHODS = ("lower", "higher", "nearest", "linear", "midpoint")

COMMON = {"label": "text", "description": "text", "source": "source", "assumption": "text", "note": "text"}
ALLOWED = {
    "campaign": {"scheme": "text", "year": "number", "published": "text"},
    "document": {"primary": "boolean", "date": "text", "issuer": "text"},
    "field": {},
    "category": {},
    "table": {"key": "names", "columns": "expr", "meaning": "expr"},
    "input": {"column": "text", "values": "list", "fields": "names", "optional": "expr", "signed": "expr", "from_records": "expr",
              "short_label": "text", "required_when": "name", "required_unless": "name", "required_with": "name"},
    "parameter": {"short_label": "text", "informative": "text", "range": "list", "large_change": "text"},
    "group": {"field": "name", "when": "expr"},
    "prerequisite": {"when": "expr"},
    "curve": {"value": "expr"},
    "envelope": {"amount": "expr", "group_amount": "expr", "payout": "expr", "rounding": "text"},
    "indicator": {
        "former_names": "list", "category": "name", "fields": "names", "unit": "name",
        "numerator": "expr", "denominator": "expr", "result": "expr", "previous": "expr",
        "target": "expr", "threshold": "expr", "evolution_paid": "expr", "weight": "expr",
        "score": "expr", "payout": "expr", "expected": "expr", "valuation": "name", "envelope": "name",
        "prerequisites": "names", "not_applicable_allowed": "expr", "objective": "expr", "status": "name",
        "proportion": "boolean",
        **{k: "text" for k in ("definition", "exclusions", "measurement", "deadline", "not_computable",
                               "data_source", "frequency", "collection", "stay_definition", "direction",
                               "numerator_label", "denominator_label", "threshold_rule", "evolution_rule",
                               "weight_rule", "scope", "short_label")},
    },
}
# What the fiches show by its label (in formulas, tables, pictures): without one, a code name.
SHOWN_BY_LABEL = ("input", "parameter", "group", "prerequisite", "curve", "envelope", "indicator")
REQUIRED = {"group": ("field", "when"), "prerequisite": ("when",), "curve": ("value",),
            "envelope": ("payout",)}
# Indicator parts, in the order a reader expects them.
PART_ORDER = ("numerator", "denominator", "result", "previous", "expected", "target", "threshold",
              "objective", "evolution_paid", "not_applicable_allowed", "applicable", "eligible", "level",
              "evolution", "score", "weight", "effective_weight", "payout")
# The statuses an indicator's `status:` input may take, and what each means.
STATUSES = {
    "renseigne": "renseigné : le résultat est calculé",
    "non_renseigne": "non renseigné à la date limite : aucune saisie prise en compte, l'objectif est non atteint "
                     "et le score vaut 0",
    "non_applicable": "non applicable : l'indicateur ne compte pas pour l'établissement, son poids va aux autres "
                      "indicateurs qu'il doit recueillir",
    "non_concerne": "non concerné : l'établissement n'a pas l'activité mesurée ou n'est pas ciblé sur l'indicateur, "
                    "l'indicateur ne compte pas pour lui et son poids va aux autres indicateurs qu'il doit recueillir",
}
NOT_COUNTED = ("non_applicable", "non_concerne")
NOT_REPORTED = "non_renseigne"  # the status of an indicator not entered by the deadline
CONCERNED = "renseigne"  # the status that makes a `required_when:` column required (an empty status reads so)
REQUIREMENTS = ("required_when", "required_unless", "required_with")  # an optional input required by another
