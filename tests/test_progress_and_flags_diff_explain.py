"""`diff` and `explain` take seconds (two compilations, evaluations, one per rule change undone): they show their
progress to a person at a terminal, never in a pipe, with -q or in CI; they write their report with --out FILE and
name the terminal's format `text`, as `check` and `explain` do."""

from __future__ import annotations

from conftest import ROOT, SPECS, run_cli
from test_cli_conventions import _in_a_terminal

OLD, NEW, DATA = SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024", ROOT / "examples" / "ifaq2022_2024.csv"
TARGET = ROOT / "tests" / "fixtures" / "diff" / "target"
NOW = {"QUALISPEC_PROGRESS_DELAY": "0"}  # the bar at once, however fast this machine is


def test_diff_shows_its_steps_at_a_terminal_only():
    shown = _in_a_terminal(["diff", TARGET / "old", TARGET / "new", "--data", ROOT / "tests" / "fixtures" / "diff" /
                            "demo.csv"], NOW)
    assert "compilation de" in shown and "versements des deux campagnes" in shown, shown[-500:]
    quiet = _in_a_terminal(["diff", TARGET / "old", TARGET / "new", "-q"], NOW)
    assert "compilation de" not in quiet
    ci = _in_a_terminal(["diff", TARGET / "old", TARGET / "new"], {**NOW, "CI": "true"})
    assert "compilation de" not in ci


def test_diff_in_a_pipe_shows_no_progress():
    code, _, err = run_cli("diff", TARGET / "old", TARGET / "new")
    assert code == 0 and "compilation de" not in err and "\r" not in err


def test_explain_shows_its_steps_at_a_terminal():
    shown = _in_a_terminal(["explain", NEW, "--data", ROOT / "examples" / "ifaq2024.csv", "--finess", "080000017"], NOW)
    assert "évaluation" in shown, shown[-500:]


def test_the_terminal_format_is_called_text_on_every_command(tmp_path):
    code, text, err = run_cli("diff", TARGET / "old", TARGET / "new", "--format", "text")
    assert code == 0, err
    code, default, _ = run_cli("diff", TARGET / "old", TARGET / "new")
    code_table, table, _ = run_cli("diff", TARGET / "old", TARGET / "new", "--format", "table")  # its former name
    assert text == default == table and code_table == 0


def test_explain_writes_to_out_like_diff_graph_and_inputs(tmp_path):
    out = tmp_path / "explication.txt"
    code, said, err = run_cli("explain", "--diff", OLD, NEW, "--data", DATA, "--finess", "590000004", "--out", out, "-q")
    assert code == 0, err
    assert said == "" and out.read_text(encoding="utf-8").startswith("Établissement 590000004, champ MCO : de ")
    code, _, err = run_cli("explain", NEW, "--data", ROOT / "examples" / "ifaq2024.csv", "--finess", "080000017",
                           "--out", tmp_path / "absent" / "x.txt")
    assert code == 1 and "le dossier n'existe pas" in err and "Traceback" not in err
