"""A column only an inactive criterion reads is not asked for.

CAQES 2022, MPI (webinaire, L970-973): « audit annuel d'impact — 2022 : indicateur inactivé ; 2023 :
OUI + résultat de l'audit ». The spec reads the audit through `let audit_annuel_fait = mpi_yearly_audit`
and counts it with `if mpi_yearly_audit_active and audit_annuel_fait then 1 else 0`, the parameter false
in 2022. « false and x » is false whatever x is, so the 2022 dataset need not have the column; where the
parameter is true (2023, or 2022 with the parameter set to true) the column is required again, with the
French message of the row that lacks it.

The same reading for the other forms a parameter decides: « x and false », « true or x »,
« if false then a else b »; a `let` that no formula reads is a value the author reports, still asked for.
"""

from __future__ import annotations

import shutil

import polars as pl
import pytest

import qualispec
from qualispec.runtime.data.dataset import DataError
from tests.conftest import ROOT, compile_folder, run_cli
from qualispec.runtime.data.contract import contract_rows

CAQES_2022 = ROOT / "specs" / "caqes" / "2022"
CAQES_2023 = ROOT / "specs" / "caqes" / "2023"
INACTIVE = "parameter mpi_yearly_audit_active: boolean = false"


def required(campaign, column: str) -> str:
    """When `qualispec inputs` says the column must be filled (its « à remplir » column)."""
    code, out, err = run_cli("inputs", str(campaign.path))
    assert code == 0, err
    line = next(x for x in out.splitlines() if x.split()[:1] == [column])
    return next(words for words in (ACTIVE, "facultative", "toujours") if words in line)


ACTIVE = "si mpi_status vaut « renseigne » ou est vide"


def example() -> pl.DataFrame:
    return pl.read_csv(ROOT / "examples" / "caqes_2022.csv", infer_schema_length=0)


@pytest.fixture(scope="module")
def caqes_2022():
    return qualispec.load(CAQES_2022)


@pytest.fixture(scope="module")
def audit_active(tmp_path_factory):
    """CAQES 2022 with the yearly audit made active (the parameter set to true, nothing else changed)."""
    folder = tmp_path_factory.mktemp("caqes") / "2022"
    shutil.copytree(CAQES_2022, folder)
    regional = folder / "regional.spec"
    text = regional.read_text(encoding="utf-8")
    assert text.count(INACTIVE) == 1
    regional.write_text(text.replace(INACTIVE, INACTIVE.replace("false", "true")), encoding="utf-8")
    return qualispec.load(folder)


# ------------------------------------------------------------------ 2022: the audit is inactive
def test_the_2022_dataset_need_not_have_the_yearly_audit(caqes_2022):
    assert required(caqes_2022, "mpi_yearly_audit") == "facultative"
    # the criteria that count in 2022 are still asked for where the MPI status says « renseigne »
    assert required(caqes_2022, "mpi_reviews") == ACTIVE
    assert required(caqes_2022, "mpi_training") == ACTIVE


def test_a_2022_dataset_without_the_column_pays_and_scores_as_with_it(caqes_2022):
    full = caqes_2022.evaluate(example()).rows
    without = caqes_2022.evaluate(example().drop("mpi_yearly_audit")).rows
    assert without["mpi_audit_annuel_fait"].null_count() == without.height  # not given: not known
    same = [c for c in full.columns if c != "mpi_audit_annuel_fait"]
    assert without.select(same).equals(full.select(same))
    assert full["mpi_criteres_actifs"].unique().to_list() == [8]  # 4 quantitative + 4 qualitative, no audit


# ------------------------------------------------------------------ where the audit is active
def test_the_column_is_required_where_the_audit_is_active(audit_active):
    assert required(audit_active, "mpi_yearly_audit") == ACTIVE
    assert required(qualispec.load(CAQES_2023), "mpi_yearly_audit") == ACTIVE


def test_a_dataset_without_the_column_is_refused_in_french_at_each_row(audit_active):
    with pytest.raises(DataError) as refused:
        audit_active.evaluate(example().drop("mpi_yearly_audit"))
    said = str(refused.value)
    assert "rien n'a été calculé" in said
    for line in range(1, example().height + 1):
        assert (f"ligne {line}: mpi_yearly_audit est vide alors que l'établissement est concerné "
                "(mpi_status vide, lu « renseigne ») : remplissez mpi_yearly_audit") in said


def test_a_row_not_concerned_by_the_mpi_may_leave_it_empty(audit_active):
    frame = example().with_columns(mpi_status=pl.lit("non_concerne"), mpi_yearly_audit=pl.lit(None, pl.String))
    rows = audit_active.evaluate(frame).rows
    assert rows["mpi_status"].unique().to_list() == ["non concerné"]


def test_the_active_audit_counts_as_a_ninth_criterion(audit_active):
    rows = audit_active.evaluate(example().with_columns(mpi_yearly_audit=pl.lit("true"))).rows
    inactive = qualispec.load(CAQES_2022).evaluate(example()).rows
    assert rows["mpi_criteres_actifs"].unique().to_list() == [9]
    assert (rows["mpi_criteres_atteints"] - inactive["mpi_criteres_atteints"]).unique().to_list() == [1]


# ------------------------------------------------------------------ the forms a parameter decides
SPEC = """
campaign c {{ label: "C" }}
parameter off: boolean = false {{ label: "Critère inactif" }}
parameter on: boolean = true {{ label: "Critère toujours atteint" }}
input x: boolean {{ label: "Lu seulement par la forme essayée" }}
input y: count {{ label: "Toujours lu" }}
indicator i {{
  label: "I"
  unit: count
  let lu "Valeur lue" = x
  result: y + (if {form} then 1 else 0)
}}
"""


def columns_required(campaign_dir, form: str) -> dict[str, str]:
    compiled, diagnostics = compile_folder(campaign_dir({"c.spec": SPEC.format(form=form)}))
    assert compiled is not None and not diagnostics.errors, [d.message for d in diagnostics.errors]
    return {c.name: c.required_for for c in contract_rows(compiled.campaign)}


@pytest.mark.parametrize("form", ["off and lu", "lu and off", "on or lu", "lu or on", "not on and lu",
                                  "(if off then lu else false)", "(if on then true else lu)"])
def test_a_form_decided_by_parameters_does_not_read_the_column(campaign_dir, form):
    assert columns_required(campaign_dir, form) == {"finess": "all", "x": "none", "y": "all"}


@pytest.mark.parametrize("form", ["on and lu", "lu and on", "off or lu", "(if on then lu else false)", "y > 0 and lu"])
def test_a_form_that_depends_on_the_column_reads_it(campaign_dir, form):
    assert columns_required(campaign_dir, form)["x"] == "all"


def test_a_let_no_formula_reads_is_reported_so_its_column_is_asked_for(campaign_dir):
    assert columns_required(campaign_dir, "y > 0")["x"] == "all"
