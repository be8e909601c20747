"""The statuses of an indicator's result in the output contract, shared by every engine."""

import polars as pl

STATUS_COMPUTED = "calculé"
STATUS_NOT_COMPUTABLE = "non calculable (dénominateur nul)"
STATUS_MISSING = "non calculable (donnée manquante)"
STATUS_OUT_OF_SCOPE = "hors champ"
# What the row's `status:` input says, when the indicator has one (it wins over the computed status).
STATUS_DECLARED = {"non_renseigne": "non renseigné (compte comme non atteint)", "non_applicable": "non applicable",
                   "non_concerne": "non concerné"}
# An enumeration, not text: millions of rows share a few values instead of holding strings each.
STATUS = pl.Enum([STATUS_COMPUTED, STATUS_NOT_COMPUTABLE, STATUS_MISSING, STATUS_OUT_OF_SCOPE,
                  *STATUS_DECLARED.values()])
