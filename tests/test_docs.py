"""qualispec docs: the committed generated/ is up to date, spec text is escaped, assumptions are shown."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from conftest import ROOT, SPECS, run_cli, write_campaign
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_path
from markupsafe import escape
from qualispec.compiler import labels
from qualispec.compiler.markdown import cell as markdown_cell
from qualispec.compiler.fiches.site import MANIFEST

GENERATED = ROOT / "generated"
REGENERATE = "run `qualispec docs specs --out generated` and commit generated/"

EVIL = {
    "campaign.spec": """
        campaign evil_2024 {
          label: "Campagne <script>alert('campagne')</script>"
          scheme: "TEST"
          year: 2024
          source: doc "Section <b>gras</b>"
        }
        document doc { label: "Document <img src=x onerror=alert(1)>" }
        field MCO { label: "MCO <em>champ</em>" }
        category cat { label: "Catégorie <i>x</i>" source: doc "§ 1" }
        input num: count { label: "Numérateur <script>alert('input')</script>" fields: [MCO] source: doc "§ 1" }
        input den: count { label: "Dénominateur" fields: [MCO] source: doc "§ 1" }
        parameter evil_target: percent = 50% { label: "Cible" source: doc "§ 2" }
        parameter q: percent = 30% { label: "Centile <script>alert('param')</script>" assumption: "Hypothèse <script>alert('hyp')</script>" }
        indicator evil {
          label: "Indicateur <script>alert('xss')</script> & co"
          former_names: ["<script>alert('old')</script>"]
          category: cat
          fields: [MCO]
          definition: "Définition </td></tr></table><script>alert('def')</script>"
          numerator: num
          denominator: den
          target: evil_target
          threshold: quantile(result, q, method = "lower") over group
          source: doc "§ 3"
        }
        group all_mco { label: "Tous <script>alert('group')</script>" field: MCO when: true source: doc "§ 4" }
        """,
}


def _tree(folder: Path) -> dict[str, bytes]:
    manifest = folder / MANIFEST
    names = manifest.read_text(encoding="utf-8").split() if manifest.is_file() else []
    return {name: (folder / name).read_bytes() for name in names if (folder / name).is_file()}


def test_generated_is_up_to_date(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert (GENERATED / MANIFEST).is_file(), f"generated/ has no documentation: {REGENERATE}"
    code, _, err = run_cli("docs", "specs", "--out", tmp_path / "site")
    assert code == 0, err
    fresh, committed = _tree(tmp_path / "site"), _tree(GENERATED)
    missing = sorted(set(fresh) - set(committed))
    stale = sorted(set(committed) - set(fresh))
    differ = sorted(p for p in set(fresh) & set(committed) if fresh[p] != committed[p])
    problems = [f"{label}: {', '.join(paths[:8])}{' …' if len(paths) > 8 else ''}"
                for label, paths in (("missing", missing), ("no longer produced", stale), ("different", differ)) if paths]
    assert not problems, "generated/ is stale (" + "; ".join(problems) + f"): {REGENERATE}"


def test_output_is_deterministic_and_independent_of_the_working_folder(tmp_path, monkeypatch):
    spec = write_campaign(tmp_path / "specs" / "evil" / "2024", EVIL)
    monkeypatch.chdir(tmp_path)
    assert run_cli("docs", "specs", "--out", "a")[0] == 0
    monkeypatch.chdir(ROOT)
    assert run_cli("docs", spec.parent.parent, "--out", tmp_path / "b")[0] == 0
    assert run_cli("docs", spec.parent.parent, "--out", tmp_path / "b")[0] == 0  # a second run over the first
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_spec_text_is_escaped_in_html(tmp_path):
    write_campaign(tmp_path / "specs" / "2024", EVIL)
    code, out, err = run_cli("docs", tmp_path / "specs", "--out", tmp_path / "site")
    assert code == 0, err
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html and "<b>gras" not in html and "<em>champ" not in html, page
        assert html.count("<script") == 4, page  # only the site's own four scripts (menu, MiniSearch, index, search)
    fiche = (tmp_path / "site" / "evil_2024" / "fiches" / "evil.html").read_text(encoding="utf-8")
    assert "Indicateur &lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; &amp; co" in fiche
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in fiche
    markdown = (tmp_path / "site" / "evil_2024" / "fiches" / "evil.md").read_text(encoding="utf-8")
    assert "<script" not in markdown and "&lt;script&gt;" in markdown
    index = (tmp_path / "site" / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index.split("=", 1)[1]
    menu = (tmp_path / "site" / "assets" / "menu.js").read_text(encoding="utf-8")
    titles = menu.split("window.QUALISPEC_MENU = ", 1)[1].split(";\n", 1)[0]
    assert "<" not in titles and "\\u003cscript\\u003e" in titles  # the title is data, never markup


def test_fiche_shows_every_assumption_parameter_it_uses(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    site = GENERATED if (GENERATED / MANIFEST).is_file() else None
    if site is None:
        pytest.skip(f"generated/ is empty: {REGENERATE}")
    checked = 0
    for compiled in compile_path(SPECS, Diagnostics()):
        campaign, graph = compiled.campaign, compiled.graph
        for indicator in campaign.indicators.values():
            read: set[str] = set()
            for _, node_id in indicator.parts:
                if node_id in graph:
                    read |= nx.ancestors(graph, node_id)
            flagged = sorted(n for n in read if n in campaign.parameters
                             and (campaign.parameters[n].assumption or campaign.parameters[n].carried))
            html = (site / campaign.name / "fiches" / f"{indicator.name}.html").read_text(encoding="utf-8")
            markdown = (site / campaign.name / "fiches" / f"{indicator.name}.md").read_text(encoding="utf-8")
            if not flagged:
                continue
            section = html.split('<section id="hypotheses">', 1)
            assert len(section) == 2, f"{campaign.name}/{indicator.name}: no assumptions section"
            section = section[1].split("</section>", 1)[0]
            md_section = markdown.split("## Hypothèses et reconductions", 1)
            assert len(md_section) == 2, f"{campaign.name}/{indicator.name}.md: no assumptions section"
            for name in flagged:  # by its words, as a quality manager reads it, not its code name
                words = labels.decl_words(campaign.parameters[name])
                assert f"« {escape(words)} »" in section, \
                    f"{campaign.name}/{indicator.name}: assumption parameter {name} not shown"
                assert f"« {markdown_cell(words)} »" in md_section[1], f"{campaign.name}/{indicator.name}.md: {name} not shown"
                assert f">{name}</code>" not in section and f"`{name}`" not in md_section[1]
            checked += 1
    assert checked >= 2  # at least IFAQ 2024's Num.1 and Num.2


def test_num1_2024_fiche_content():
    fiche = (GENERATED / "ifaq_2024" / "fiches" / "num1.html")
    if not fiche.is_file():
        pytest.skip(f"generated/ is empty: {REGENERATE}")
    html = fiche.read_text(encoding="utf-8")
    for expected in ("D2.2, D2.2I", "30e centile des résultats du groupe (valeur observée immédiatement inférieure)",
                     "<math display=\"block\">", "num1-courbe.svg", "position illustrative",
                     "« Centile des résultats du groupe donnant la valeur seuil de début de rémunération »",
                     "Ce qui a changé depuis", "20 %", "Numérateur", "Dénominateur", "Exclusions",
                     "20 septembre 2024"):
        assert expected in html, expected
    assert "<code>threshold_quantile</code>" not in html  # the rule's parameter by its label, not its code name
    assert "<td><code>num1_previous</code></td>" in html  # the column of the file, in the « Colonnes du fichier »
    assert 'class="badge assumption"' in html and 'class="badge official"' in html


def test_docs_reports_compile_errors_without_writing(tmp_path):
    write_campaign(tmp_path / "bad", {"campaign.spec": """
        campaign bad { label: "x" }
        indicator i { label: "i" numerator: nothing_declared denominator: 1 source: nope "§" }
        """})
    code, out, err = run_cli("docs", tmp_path / "bad", "--out", tmp_path / "site")
    assert code == 1
    assert "nothing_declared" in err and "rien n'a été écrit" in err and "Traceback" not in err
    assert not (tmp_path / "site").exists()
    code, _, err = run_cli("docs", tmp_path / "nowhere", "--out", tmp_path / "site")
    assert code == 1 and "aucun fichier ni dossier" in err


def test_a_campaign_that_extends_another_has_its_changes_page():
    from pathlib import Path

    page = (Path(__file__).resolve().parent.parent / "generated" / "ifaq_2024" / "changements.html").read_text(encoding="utf-8")
    assert "Ce qui change depuis IFAQ 2022" in page
    assert "<code>num1</code></td><td>renommé (indicateur)</td><td class=\"old\"><code>d2_2</code></td>" in page
    index = (Path(__file__).resolve().parent.parent / "generated" / "ifaq_2024" / "index.html").read_text(encoding="utf-8")
    assert 'href="changements.html"' in index


def test_a_value_from_a_text_outside_the_source_documents_is_never_badged_official():
    from qualispec.compiler.fiches.build.provenance import provenance
    from qualispec.compiler.fiches.pages import STATUS_OFFICIAL, STATUS_OUTSIDE
    [ifaq_2022] = [c.campaign for c in compile_path(SPECS / "ifaq" / "2022", Diagnostics())]
    # 300 M€ on the 2019 volume: from the décret 2022-1775, a published text that is not a source document
    assert provenance(ifaq_2022, ifaq_2022.parameters["ifaq_part_2019_volume"]).status == STATUS_OUTSIDE
    # the D2.2 target (20 %) is printed in the 2022 webinar, a source document
    assert provenance(ifaq_2022, ifaq_2022.parameters["d2_2_target"]).status == STATUS_OFFICIAL
    page = GENERATED / "ifaq_2022" / "README.md"
    if page.is_file():
        assert "400 000 000 € 📄 hors documents sources" in page.read_text(encoding="utf-8")
