"""`qualispec check` over several campaigns says each by its title, with the folder to give to the other commands
and what was found in it."""

from __future__ import annotations

import shutil

from conftest import SPECS, run_cli


def test_several_campaigns_are_listed_by_their_titles_with_their_folders():
    code, out, _ = run_cli("check", SPECS / "ifaq")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2 campagnes vérifiées : 0 erreur, 0 avertissement"
    assert len(lines) == 3  # the folder as the spans say it (relative to where the command runs)
    assert lines[1].startswith("  « IFAQ 2022 — tous les indicateurs » — ") and lines[1].endswith("ifaq/2022")
    assert lines[2].startswith("  « IFAQ 2024 — indicateurs numériques » — ") and lines[2].endswith("ifaq/2024")
    assert "ifaq_2022" not in out and "ifaq_2024" not in out


def test_the_campaign_with_an_error_is_the_one_whose_folder_says_so(tmp_path):
    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    inputs = tmp_path / "ifaq" / "2024" / "inputs.spec"
    inputs.write_text(inputs.read_text(encoding="utf-8") + "\nparameter oops: percent = nothing_declared\n",
                      encoding="utf-8")
    code, _, err = run_cli("check", tmp_path / "ifaq")
    assert code == 1
    summary = err.splitlines()[-3:]
    assert summary[0].startswith("2 campagnes vérifiées : 1 erreur")
    assert summary[1].startswith("  « IFAQ 2022 — tous les indicateurs » — ") and summary[1].endswith("ifaq/2022")
    assert summary[2].startswith("  « IFAQ 2024 — indicateurs numériques » — ") and "ifaq/2024 : 1 erreur" in summary[2]
