"""`qualispec docs` run again writes only what changed, and its result is the one of a run into an empty folder.

A copy of the HOP'EN campaigns (2023 extends 2022) and IQSS 2022 (on its own) is documented into a folder,
then edited the way authors do; after each edit the folder, updated, must hold exactly the bytes that a
run from scratch writes — no page forgotten, none left over.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SPECS, run_cli
from qualispec.compiler.fiches.incremental import CACHE
from qualispec.compiler.fiches.writing import MANIFEST


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != CACHE}


def dates(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def docs(specs: Path, out: Path) -> str:
    code, stdout, err = run_cli("docs", specs, "--out", out)
    assert code == 0, err
    assert "Traceback" not in err
    return stdout


def from_scratch(specs: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    out = tmp_path / name
    docs(specs, out)
    return tree(out)


@pytest.fixture()
def specs(tmp_path):
    root = tmp_path / "specs"
    for campaign in ("hopen/2022", "hopen/2023", "iqss/2022"):
        # without its money report declaration (the example data is not copied; tests/test_site_money_report.py)
        shutil.copytree(SPECS / campaign, root / campaign, ignore=shutil.ignore_patterns("rapport-remunerations.toml"))
    return root


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_run_with_nothing_changed_builds_nothing_and_touches_no_file(specs, tmp_path):
    out = tmp_path / "site"
    assert "3 campagnes construites" in docs(specs, out)
    before, written = dates(out), tree(out)
    said = docs(specs, out)
    assert "0 campagne construite, 3 inchangées" in said, said
    assert dates(out) == before  # not one file rewritten, not even the manifest or the cache
    assert tree(out) == written


def test_a_target_changed_in_a_base_rebuilds_it_and_the_campaign_that_carries_it_only(specs, tmp_path):
    out = tmp_path / "site"
    docs(specs, out)
    iqss_pages = {p: d for p, d in dates(out).items() if p.startswith("iqss_2022/")}
    edit(specs / "hopen" / "2022" / "campaign.spec", "parameter d63_target: percent = 60%", "parameter d63_target: percent = 65%")
    said = docs(specs, out)
    assert "2 campagnes construites, 1 inchangée" in said, said
    assert tree(out) == from_scratch(specs, tmp_path, "full")
    assert "65 %" in (out / "hopen_2023" / "fiches" / "d63.md").read_text(encoding="utf-8")  # carried: changed too
    assert {p: d for p, d in dates(out).items() if p.startswith("iqss_2022/")} == iqss_pages


def test_a_new_title_rewrites_that_campaign_and_the_shared_menu_not_the_pages_of_the_others(specs, tmp_path):
    out = tmp_path / "site"
    docs(specs, out)
    hopen_pages = {p: d for p, d in dates(out).items() if p.startswith("hopen_")}
    edit(specs / "iqss" / "2022" / "campaign.spec", 'label: "', 'label: "Nouveau titre — ')
    said = docs(specs, out)
    assert "1 campagne construite, 2 inchangées" in said, said  # the side menu is one script, not in each page
    assert tree(out) == from_scratch(specs, tmp_path, "full")
    assert {p: d for p, d in dates(out).items() if p.startswith("hopen_")} == hopen_pages
    assert "Nouveau titre — " in (out / "assets" / "menu.js").read_text(encoding="utf-8")
    assert "Nouveau titre — " not in (out / "hopen_2023" / "index.html").read_text(encoding="utf-8")


def test_a_kept_campaign_keeps_its_part_of_the_menu(specs, tmp_path):
    out = tmp_path / "site"
    docs(specs, out)
    edit(specs / "iqss" / "2022" / "campaign.spec", 'label: "', 'label: "Nouveau titre — ')
    docs(specs, out)
    menu = (out / "assets" / "menu.js").read_text(encoding="utf-8")
    assert "hopen_2023/changements.html" in menu and "hopen_2023/fiches/d63.html" in menu  # from the cache


def test_a_campaign_removed_or_added_is_removed_or_added(specs, tmp_path):
    out = tmp_path / "site"
    docs(specs, out)
    moved = tmp_path / "aside"
    shutil.move(specs / "hopen" / "2023", moved)
    docs(specs, out)
    assert not (out / "hopen_2023").exists()
    assert tree(out) == from_scratch(specs, tmp_path, "without")
    shutil.move(moved, specs / "hopen" / "2023")
    docs(specs, out)
    assert tree(out) == from_scratch(specs, tmp_path, "with")


def test_a_page_edited_by_hand_is_written_again(specs, tmp_path):
    out = tmp_path / "site"
    docs(specs, out)
    page = out / "iqss_2022" / "index.html"
    page.write_text("modifié à la main", encoding="utf-8")
    said = docs(specs, out)
    assert "1 campagne construite, 2 inchangées" in said, said
    assert tree(out) == from_scratch(specs, tmp_path, "full")


@pytest.mark.parametrize("cache", ["{ pas du json", json.dumps({"format": 1, "tool": "autre", "campaigns": {}}),
                                   json.dumps([1, 2, 3]), "\x00\xff"])
def test_a_damaged_or_foreign_cache_is_a_full_run(specs, tmp_path, cache):
    out = tmp_path / "site"
    docs(specs, out)
    (out / CACHE).write_text(cache, encoding="utf-8", errors="surrogateescape")
    assert "3 campagnes construites" in docs(specs, out)
    assert tree(out) == from_scratch(specs, tmp_path, "full")


def test_a_cache_that_names_files_outside_the_folder_changes_nothing_there(specs, tmp_path):
    out = tmp_path / "site"
    docs(specs, out)
    data = json.loads((out / CACHE).read_text(encoding="utf-8"))
    victim = tmp_path / "precious.html"
    victim.write_text("à garder", encoding="utf-8")
    for entry in data["campaigns"].values():
        entry["files"]["../precious.html"] = "0" * 64
    (out / CACHE).write_text(json.dumps(data), encoding="utf-8")
    docs(specs, out)
    assert victim.read_text(encoding="utf-8") == "à garder"
    assert "../precious.html" not in (out / MANIFEST).read_text(encoding="utf-8")
    assert tree(out) == from_scratch(specs, tmp_path, "full")
