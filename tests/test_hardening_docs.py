"""`qualispec docs` writes and deletes only inside --out, never through a link, never trusting its manifest.

Each case is one the fuzzing campaign of issue 11 found: a manifest line naming an
absolute path deleted that file, a symlink inside --out was written through, raw HTML
from spec text reached the Markdown pages, two campaigns with one name overwrote each other.
"""

from __future__ import annotations

import os

from conftest import run_cli, write_campaign

OLD = '''campaign a_2022 { label: "A <b>2022</b>" scheme: "IFAQ" }
input n: count { label: "N" assumption: "x" }
input d: count { label: "D" assumption: "x" }
indicator i { label: "I <script>alert(1)</script>" unit: percent numerator: n denominator: d assumption: "y" }
'''
NEW = '''campaign a_2024 extends "../2022" { label: "A 2024" scheme: "IFAQ" }
override i { label: "I2 <img src=x onerror=alert(2)>" assumption: "<b>z</b> | `x` *y*" }
'''


def specs(tmp_path):
    write_campaign(tmp_path / "s" / "a" / "2022", {"c.spec": OLD})
    write_campaign(tmp_path / "s" / "a" / "2024", {"c.spec": NEW})
    return tmp_path / "s"


def docs(tmp_path, out):
    code, stdout, err = run_cli("docs", specs(tmp_path), "--out", out)
    assert "Traceback" not in err and "erreur interne" not in err, err
    return code, stdout + err


def test_an_absolute_path_in_the_manifest_is_never_deleted(tmp_path):
    victim = tmp_path / "precious.html"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".qualispec-docs").write_text(f"{victim}\n../precious.html\nassets/../../precious.html\n", encoding="utf-8")
    code, text = docs(tmp_path, out)
    assert code == 0, text
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_a_manifest_line_through_a_link_is_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.html").write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / "old")
    (out / ".qualispec-docs").write_text("old/page.html\n", encoding="utf-8")
    code, text = docs(tmp_path, out)
    assert code == 0, text
    assert (elsewhere / "page.html").read_text(encoding="utf-8") == "keep me"


def test_a_symlink_inside_out_stops_the_run_before_anything_is_written(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / "assets")
    code, text = docs(tmp_path, out)
    assert code == 1 and "un lien symbolique dans --out ; rien n'est écrit" in text
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in out.iterdir()) == ["assets"]


def test_a_file_symlink_inside_out_is_not_written_through(tmp_path):
    target = tmp_path / "target.css"
    target.write_text("mine", encoding="utf-8")
    out = tmp_path / "out"
    (out / "assets").mkdir(parents=True)
    os.symlink(target, out / "assets" / "style.css")
    code, text = docs(tmp_path, out)
    assert code == 1 and target.read_text(encoding="utf-8") == "mine"


def test_spec_text_is_escaped_in_every_markdown_page(tmp_path):
    out = tmp_path / "out"
    code, text = docs(tmp_path, out)
    assert code == 0, text
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.md")}
    assert "a_2024/changements.md" in pages
    for name, page in pages.items():
        for raw in ("<script", "<img", "<b>"):
            assert raw not in page, f"{name} holds raw HTML {raw}"
    assert "I2 &lt;img src=x onerror=alert(2)&gt;" in pages["a_2024/changements.md"]


def test_two_campaign_folders_with_one_campaign_name_are_an_error(tmp_path):
    write_campaign(tmp_path / "s" / "x", {"c.spec": 'campaign same { label: "X" }\n'})
    write_campaign(tmp_path / "s" / "y", {"c.spec": 'campaign same { label: "Y" }\n'})
    code, out, err = run_cli("check", tmp_path / "s")
    assert code == 1 and "y/c.spec:1:10: erreur: la campagne « same » est déjà déclarée" in err
    code, out, err = run_cli("docs", tmp_path / "s", "--out", tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()


def test_a_campaign_of_many_indicators_gives_pages_that_do_not_list_every_fiche(tmp_path):
    """A site whose every fiche linked every other grew as the square of its fiches (2 000 indicators:
    246 MB, minutes). Beyond 60 fiches, a fiche's menu links the campaign's list instead."""
    import sys

    sys.path.insert(0, str(__import__("conftest").ROOT / "benchmarks"))
    from bench_docs import synthetic_campaign

    synthetic_campaign(tmp_path / "specs" / "big", 120)
    code, _, err = run_cli("docs", tmp_path / "specs" / "big", "--out", tmp_path / "site")
    assert code == 0, err
    page = (tmp_path / "site" / "big" / "fiches" / "ind7.html").read_text(encoding="utf-8")
    assert 'data-fiche="ind7"' in page and 'href="../index.html"' in page
    assert page.count('href="') < 30 and 'ind8.html' not in page  # not the 119 others
    menu = (tmp_path / "site" / "assets" / "menu.js").read_text(encoding="utf-8")  # the side menu, one script
    assert '"count":120' in menu and "ind8.html" not in menu  # « Les 120 fiches de la campagne », linked
    listing = (tmp_path / "site" / "big" / "index.html").read_text(encoding="utf-8")
    assert all(f'fiches/ind{i}.html' in listing for i in range(120))  # the campaign page lists them all
