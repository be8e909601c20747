"""The mistakes a policy author makes starting a campaign, each with its cause, its place and its fix, in French
(and in English on request)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import SPECS, compile_folder, run_cli
from qualispec.compiler import messages
from qualispec.compiler.messages import en, fr

HEADER = '''campaign demo { label: "Démo" source: doc "§1" }
document doc { label: "Document" }
'''


def errors(folder):
    _, d = compile_folder(folder)
    return [(e.span.line, e.span.column, e.message, e.hint) for e in d.unique("error")]


def test_a_french_decimal_comma_is_named_with_its_fix(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + 'parameter p: percent = 60,5% { source: doc "§2" }\n'})
    assert errors(folder) == [(3, 24, "« 60,5% » : une virgule décimale à la française ; les décimales s'écrivent "
                                      "avec un point", "écrivez 60.5%")]


def test_an_accented_name_is_named_whole_with_its_ascii_spelling(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + 'input num3_numérateur: count { label: "N" source: doc "§2" }\n'})
    assert errors(folder) == [(3, 7, "le nom « num3_numérateur » contient « é » : un nom s'écrit sans accent ni lettre "
                                     "hors de a-z, A-Z, 0-9 et _",
                               "écrivez num3_numerateur (le libellé, lui, peut garder les accents : label: \"…\")")]


def test_an_unclosed_text_points_at_its_opening_quote(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + 'input n: count {\n  label: "Séjours\n  source: doc "§2"\n}\n'})
    assert errors(folder) == [(4, 10, "ce texte n'est pas fermé : le guillemet ouvert ici n'a pas de guillemet fermant "
                                      "sur la ligne",
                               "ajoutez « \" » à la fin du texte ; un texte sur plusieurs lignes s'écrit entre \"\"\" et \"\"\"")]


def test_a_missing_closing_brace_points_at_where_it_was_opened(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''input num3_numerator: count {
  label: "Numérateur"
  source: doc "§2"
input num3_denominator: count { label: "Dénominateur" source: doc "§2" }
'''})
    assert errors(folder) == [(3, 29, "« { » ouvert ici, ligne 3, n'est pas fermé avant la déclaration de la ligne 6",
                               "ajoutez « } » à la fin de la déclaration, avant la ligne 6")]


def test_a_brace_still_open_at_the_end_of_the_file(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + 'input n: count {\n  label: "N"\n  source: doc "§2"\n'})
    assert errors(folder) == [(3, 16, "« { » ouvert ici, ligne 3, n'est jamais fermé : le fichier se termine avant",
                               "ajoutez « } » à la fin de la déclaration")]


def test_a_name_lost_to_a_syntax_error_gives_no_knock_on_unknown_name(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''input n: count { label: "N" source: doc "§2" }
parameter rate: percent = 60,5% { source: doc "§2" }
indicator a { label: "A" result: n / n target: rate source: doc "§3" }
'''})
    assert [(line, code) for line, code, *_ in errors(folder)] == [(4, 27)]


def new_campaign(tmp_path, text):
    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    folder = tmp_path / "ifaq" / "2025"
    folder.mkdir()
    (folder / "campaign.spec").write_text(text, encoding="utf-8")
    return folder


def test_a_bad_extends_path_is_one_error_not_one_per_decision(tmp_path):
    folder = new_campaign(tmp_path, '''campaign ifaq_2025 extends "../2042" { label: "IFAQ 2025" source: guide_ifaq_2024 "§" }
carry num1 { assumption: "inchangé" }
carry num2 { assumption: "inchangé" }
override num1_target = 60% { source: guide_ifaq_2024 "§" }
''')
    assert errors(folder) == [(1, 10, "la campagne « ifaq_2025 » étend \"../2042\", qui n'est pas un dossier de fichiers .spec",
                               "le chemin part du dossier de cette campagne, par exemple \"../2022\"")]


def test_carry_and_override_of_one_name_are_contradictory(tmp_path):
    folder = new_campaign(tmp_path, '''campaign ifaq_2025 extends "../2024" { label: "IFAQ 2025" source: guide_ifaq_2024 "§" }
carry num1_target { assumption: "inchangé" }
override num1_target = 60% { source: guide_ifaq_2024 "§" }
''')
    found = [e for e in errors(folder) if "contradictoires" in e[2]]
    assert found == [(3, 10, "deux décisions contradictoires sur « num1_target » : carry en "
                             f"{folder / 'campaign.spec'}:2:7, puis override ici",
                      "gardez une seule décision pour « num1_target » : override (modifié), carry (repris) ou drop (retiré)")]


def test_the_count_printed_is_the_count_shown(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + 'input n: count { label: "N" source: doc "§2" }\n'
                                     'indicator a { label: "A" result: nn / n source: doc "§3" }\n'})
    code, _, err = run_cli("check", folder)
    assert code == 1
    assert err.count(": erreur: ") == 1
    assert err.splitlines()[-1] == "1 campagne vérifiée (« Démo ») : 1 erreur, 0 avertissement"


def test_english_on_request(campaign_dir, monkeypatch):
    folder = campaign_dir({"c.spec": HEADER + 'parameter p: percent = 60,5% { source: doc "§2" }\n'})
    code, _, err = run_cli("--lang", "en", "check", folder)
    assert code == 1
    assert ": error: '60,5%': a French decimal comma; decimals are written with a point" in err
    assert "    hint: write 60.5%" in err
    assert err.splitlines()[-1] == "1 campaign checked (« Démo »): 1 error, 0 warnings"
    messages.set_language(None)
    monkeypatch.setenv("QUALISPEC_LANG", "en")
    assert errors(folder)[0][3] == "write 60.5%"


def test_json_and_sarif_for_editors_and_ci(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + 'parameter p: percent = 60,5% { source: doc "§2" }\n'})
    code, out, _ = run_cli("check", folder, "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["errors"] == 1 and report["language"] == "fr"
    (item,) = report["diagnostics"]
    assert (item["code"], item["line"], item["column"], item["end_column"], item["hint"]) == (
        "syntax.decimal_comma", 3, 24, 29, "écrivez 60.5%")
    code, out, _ = run_cli("check", folder, "--format", "sarif")
    sarif = json.loads(out)
    (result,) = sarif["runs"][0]["results"]
    assert sarif["version"] == "2.1.0" and result["ruleId"] == "syntax.decimal_comma" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 24, "endLine": 3, "endColumn": 29}


def test_both_catalogs_say_the_same_things():
    assert set(fr.MESSAGES) == set(en.MESSAGES)
    for code in fr.MESSAGES:
        for catalog in (fr, en):
            message, hint = catalog.MESSAGES[code]
            assert message, code


def test_every_message_of_the_compiler_comes_from_the_catalog():
    """A message written in place has no code (editors and CI cannot filter it) and no English: each call
    that records a diagnostic names a code of the catalog, never a sentence."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    written_in_place = []
    for path in sorted((root / "compiler").rglob("*.py")) + sorted((root / "runtime").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("error", "warning") and node.args):
                first = node.args[0]
                sentence = isinstance(first, ast.JoinedStr) or (
                    isinstance(first, ast.Constant) and isinstance(first.value, str) and not messages.known(first.value))
                if sentence:
                    written_in_place.append(f"{path.relative_to(root)}:{node.lineno}")
    assert written_in_place == []


def test_a_code_chosen_at_run_time_is_in_the_catalog_too():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "compiler").rglob("*.py")):
        for code in re.findall(r'"((?:load|syntax|repeat|check)\.[a-z_]+)"', path.read_text(encoding="utf-8")):
            assert code in fr.MESSAGES or code.endswith("."), f"{path.name}: {code}"


@pytest.fixture(autouse=True)
def _french_by_default():
    messages.set_language(None)
    yield
    messages.set_language(None)
