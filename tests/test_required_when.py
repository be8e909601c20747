"""A column another column makes required: what the compiler checks, what `qualispec inputs` says, what is accepted.

CPOM « Structures concernées » (2. Engagements): an establishment the indicator concerns fills its columns;
one that is not says so by its status (« non_concerne »). `required_when: status_mco_ssr` on an input:
empty while the status says « renseigne » (or is empty, which reads « renseigne ») is refused at its row,
instead of a silent « non calculable » (the refusals, on both engines: tests/test_required_when_refused.py).
CAQES 2017 transports (annexe 4, 2. Contenu du volet): the contract gives the « cible obligatoire
d'évolution » as a rate or as an amount. `required_unless: transport_target_spending` on the rate: a row
with neither is refused; `required_with: transport_target_growth` on last year's spending: a rate
without the base it applies to is refused.
"""

from __future__ import annotations

import polars as pl
import pytest

import qualispec
from tests.conftest import ROOT, compile_folder, run_cli

CPOM = ROOT / "specs" / "ars-cpom"
CAQES_2017 = ROOT / "specs" / "caqes" / "2017"


def example(path: str, n: int = 0, **columns) -> pl.DataFrame:
    frame = pl.read_csv(ROOT / "examples" / path, infer_schema_length=0).slice(n, 1)
    return frame.with_columns(pl.lit(v, pl.String).alias(k) for k, v in columns.items())


@pytest.fixture(scope="module")
def cpom():
    return qualispec.load(CPOM)


@pytest.fixture(scope="module")
def caqes():
    return qualispec.load(CAQES_2017)


def test_inputs_says_when_an_optional_column_is_required():
    code, out, err = run_cli("inputs", str(CPOM))
    lines = {x.split()[0]: x for x in out.splitlines() if x.strip()}
    assert "si status_mco_ssr vaut « renseigne » ou est vide" in lines["occupancy_bed_days"]
    code, out, err = run_cli("inputs", str(CAQES_2017))
    lines = {x.split()[0]: x for x in out.splitlines() if x.strip()}
    assert "si transport_target_spending est vide" in lines["transport_target_growth"]
    assert "si transport_target_growth est rempli" in lines["transport_spending_previous"]


# ------------------------------------------------------------------ CPOM: not concerned, or concerned and filled
def test_a_not_concerned_establishment_may_leave_the_columns_empty(cpom):
    row = cpom.evaluate(example("ars_cpom.csv", status_mco_ssr="non_concerne", occupancy_bed_days=None,
                                occupancy_stay_days=None, dms_stay_days=None, dms_stays=None)).rows.row(0, named=True)
    assert row["occupancy_rate_status"] == "non concerné" and row["dms_status"] == "non concerné"


def test_a_concerned_establishment_with_its_columns_is_computed(cpom):
    row = cpom.evaluate(example("ars_cpom.csv", status_mco_ssr="renseigne")).rows.row(0, named=True)
    assert row["occupancy_rate_status"] == "calculé"


# ------------------------------------------------------------------ CAQES 2017: a rate or an amount
def test_a_target_amount_alone_is_enough(caqes):
    frame = example("caqes_2017.csv", transport_target_growth=None, transport_target_spending="480000",
                    transport_spending="480000")
    row = caqes.evaluate(frame).rows.row(0, named=True)
    assert row["transport_cible_atteinte"] is True  # exactly on the target amount: reached


def test_a_target_rate_with_last_years_spending_is_enough(caqes):
    frame = example("caqes_2017.csv", transport_target_growth="-2", transport_target_spending=None,
                    transport_spending_previous="500000", transport_spending="490000")
    row = caqes.evaluate(frame).rows.row(0, named=True)
    assert row["transport_cible_atteinte"] is True  # 500 000 € × 98 % = 490 000 €: exactly on the target


# ------------------------------------------------------------------ what the compiler checks
SPEC = """
campaign c {{ label: "C" }}
input status_x: category {{
  values: ["renseigne", "non_concerne"]
  optional: true
  label: "Statut"
}}
input other: count {{
  optional: true
  label: "Autre"
}}
input required_one: count {{
  label: "Exigée"
}}
input cible: count {{
{props}
  label: "Cible"
}}
indicator i {{
  label: "I"
  unit: count
  status: status_x
  result: cible + required_one + (if available(other) then other else 0)
}}
"""


def errors_of(campaign_dir, props: str) -> list[tuple[str, str, int]]:
    compiled, diagnostics = compile_folder(campaign_dir({"c.spec": SPEC.format(props=props)}))
    return [(d.code, d.message, d.span.line) for d in diagnostics.errors]


@pytest.mark.parametrize("props, code, words", [
    ("  required_when: status_x", "check.requirement_not_optional", "ne vaut que pour une donnée facultative"),
    ("  optional: true\n  required_when: other", "check.requirement_not_status", "doit nommer un statut"),
    ("  optional: true\n  required_when: cible", "check.requirement_itself", "ne peut pas dépendre d'elle-même"),
    ("  optional: true\n  required_unless: required_one", "check.requirement_other_required",
     "qui est exigée sur chaque ligne"),
    ("  optional: true\n  required_when: status_x\n  required_unless: other", "check.requirement_twice",
     "dit déjà quand elle est exigée"),
    ("  optional: true\n  required_with: statut_x", "check.unknown_of_kind", "statut_x"),
])
def test_a_requirement_the_compiler_cannot_read_is_an_error_at_its_line(campaign_dir, props, code, words):
    errors = errors_of(campaign_dir, props)
    first, last = 15, 15 + props.count("\n")  # the lines (from 0) of the properties of input cible
    assert any(c == code and words in m and first <= line <= last for c, m, line in errors), errors


def test_a_well_formed_requirement_compiles_without_error(campaign_dir):
    assert errors_of(campaign_dir, "  optional: true\n  required_when: status_x") == []
    assert errors_of(campaign_dir, "  optional: true\n  required_unless: other") == []
    assert errors_of(campaign_dir, "  optional: true\n  required_with: other") == []
