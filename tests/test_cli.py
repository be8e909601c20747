"""The commands as a user types them."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import polars as pl

from conftest import EXAMPLE, IFAQ_2024, SPECS, run_cli

CONTRACT = ["finess", "field", "stays", "activity_groups_80", "nosological_groups_80", "sessions", "active_file",
            "sectorised", "full_time_care", "economic_volume", "num1_numerator", "num1_denominator", "num1_previous",
            "num2_numerator", "num2_denominator", "num2_previous"]
# the oSIS fiche's other items, optional (« Présentation des fiches indicateurs oSIS »): listed, may be absent
OSIS_ITEMS = ["measurement_month_num1", "total_stays_num1", "measurement_month_num2", "total_stays_num2"]
# whether each indicator was entered by the deadline (guide IFAQ 2024, « limite au 20/09/2024 »): optional
STATUSES = ["num1_status", "num2_status"]


def test_check_passes_on_every_shipped_spec():
    code, out, err = run_cli("check", SPECS)
    assert code == 0, err
    assert " : 0 erreur, 0 avertissement" in out


def test_inputs_lists_exactly_the_ifaq_2024_dataset_contract():
    code, out, _ = run_cli("inputs", IFAQ_2024, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["column"] for r in rows] == CONTRACT + STATUSES + OSIS_ITEMS
    required = {r["column"]: r["required_for"] for r in rows}
    assert required["economic_volume"] == "MCO, SSR, HAD, DIA, PSY"
    assert required["num1_numerator"] == "if num1_status = renseigne or empty on MCO, SSR, HAD, DIA"
    assert required["num1_status"] == "none"
    assert required["num1_previous"] == "none"
    assert required["measurement_month_num1"] == "none" and required["total_stays_num2"] == "none"
    code, out, _ = run_cli("inputs", IFAQ_2024, "--format", "json")
    assert [c["name"] for c in json.loads(out)] == CONTRACT + STATUSES + OSIS_ITEMS
    code, out, _ = run_cli("inputs", IFAQ_2024)
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["colonne", "unité", "type", "à"]
    said = {line.split()[0]: line for line in lines[2:] if line.strip()}
    assert "si num1_status vaut « renseigne » ou est vide (lignes MCO, SSR, HAD, DIA)" in said["num1_numerator"]
    assert "facultative" in said["num1_previous"] and "toujours" in said["finess"]
    assert "l'un de renseigne, non_renseigne" in said["num1_status"]
    assert not re.search(r"\b(integer|required_for|none|all|characters)\b", out.split("\ntable ")[0])


def test_graph_json_lists_nodes_with_kind_name_unit_and_edges():
    code, out, _ = run_cli("graph", IFAQ_2024, "--format", "json")
    graph = json.loads(out)
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes["num1.result"]["kind"] == "part" and nodes["num1.result"]["unit"] == "percent"
    assert nodes["stays"]["kind"] == "input" and nodes["stays"]["unit"] == "count"
    edges = {(e["from"], e["to"]) for e in graph["edges"]}
    assert ("num1.result", "num1.threshold") in edges
    assert ("group", "num1.threshold") in edges  # a quantile over the group reads the group
    assert ("MCO_3", "group") in edges


def test_graph_dot_and_mermaid():
    code, dot, _ = run_cli("graph", IFAQ_2024, "--format", "dot")
    assert code == 0 and dot.startswith('digraph "ifaq_2024"') and '"num1.result" -> "num1.threshold";' in dot
    code, mermaid, _ = run_cli("graph", IFAQ_2024, "--format", "mermaid")
    assert code == 0 and mermaid.startswith("flowchart LR") and "n_num1_result --> n_num1_threshold" in mermaid


def test_help_everywhere():
    for command in ("check", "graph", "inputs", "eval", "explain", "example-data", "test"):
        try:
            run_cli(command, "--help")
        except SystemExit as exit_:
            assert exit_.code == 0


def test_eval_writes_csv_parquet_and_xlsx_with_the_same_numbers(tmp_path):
    outputs = {}
    for suffix in ("csv", "parquet", "xlsx"):
        out = tmp_path / f"results.{suffix}"
        code, stdout, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--out", out)
        assert code == 0, err
        assert stdout.splitlines()[0].split("  ")[0] == "Groupe de comparaison"
        outputs[suffix] = out
    csv_rows = pl.read_csv(outputs["csv"], infer_schema=False)  # the text as written
    parquet_rows = pl.read_parquet(outputs["parquet"])
    assert parquet_rows.schema["total_payout"] == pl.Decimal(38, 2)  # exact decimals, not binary floats
    assert csv_rows["total_payout"].to_list() == [str(x) for x in parquet_rows["total_payout"].to_list()]
    sheet = openpyxl.load_workbook(outputs["xlsx"], read_only=True)["résultats"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:3] == ["FINESS", "Champ", "Groupe de comparaison"] and header[-1] == "Rémunération totale (€)"
    for ind in ("Num.1", "Num.2"):  # French headers with their unit (codes stay in CSV and Parquet)
        for part in ("résultat (%)", "valeur seuil de début de rémunération (%)", "valeur cible de rémunération (%)",
                     "Score du niveau atteint (%)", "Score de l'évolution (%)", "score (%)", "poids (", "rémunération (€)"):
            assert any(h.startswith(f"{ind} — {part}") for h in header), part


def test_explain_tells_the_chain_in_french():
    rows = pl.read_csv(EXAMPLE, schema_overrides={"finess": pl.String})
    finess = rows.filter(pl.col("field") == "MCO")["finess"][0]
    code, out, err = run_cli("explain", IFAQ_2024, "--data", EXAMPLE, "--finess", finess)
    assert code == 0, err
    assert out.startswith(f"Établissement {finess}, champ MCO : groupe de comparaison MCO-")
    assert "valeur seuil de début de rémunération" in out and "30e centile" in out
    assert "évolution non rémunérée pour cet indicateur cette année" in out  # Num.1 in 2024
    code, out, _ = run_cli("explain", IFAQ_2024, "--data", EXAMPLE, "--finess", finess, "--format", "json")
    data = json.loads(out)
    assert data[0]["indicators"][0]["id"] == "num1"


def test_explain_unknown_finess():
    code, _, err = run_cli("explain", IFAQ_2024, "--data", EXAMPLE, "--finess", "000000000")
    assert code == 1 and "aucun établissement de FINESS 000000000" in err


def test_example_data_is_deterministic(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    run_cli("example-data", "--rows", "300", "--seed", "4", "--out", a)
    run_cli("example-data", "--rows", "300", "--seed", "4", "--out", b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_text().splitlines()[0].split(",") == CONTRACT


def test_the_bundled_example_is_what_the_generator_makes(tmp_path):
    fresh = tmp_path / "ifaq2024.csv"
    run_cli("example-data", "--rows", "2000", "--seed", "2024", "--out", fresh)
    assert fresh.read_bytes() == EXAMPLE.read_bytes()


def test_policy_author_cases_pass():
    code, out, _ = run_cli("test", SPECS)
    assert code == 0, out
    assert out.splitlines()[-1].endswith(" 0 en échec")


def test_a_failing_case_says_what_was_expected(tmp_path):
    import shutil

    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    cases = tmp_path / "ifaq" / "2024" / "cases"
    for f in cases.glob("*.csv"):
        f.unlink()
    (cases / "faux.csv").write_text(
        "case," + ",".join(CONTRACT) + ",expect.group\n"
        "Un MCO de 499 séjours n'est pas en MCO-1,590000001,MCO,499,10,,,,,,1000000,1,2,,1,2,,MCO-1\n",
        encoding="utf-8")
    code, out, _ = run_cli("test", tmp_path / "ifaq" / "2024")
    assert code == 1
    assert "ÉCHEC" in out and "group attendu MCO-1, obtenu MCO-5" in out
    assert out.splitlines()[-1] == "0 cas réussi, 1 en échec"


def test_the_output_file_has_ordinary_permissions(tmp_path):
    import os
    import stat

    out = tmp_path / "results.csv"
    run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--out", out, "--quiet")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
