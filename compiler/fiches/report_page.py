"""A standalone page in the look of the fiches site (same stylesheet, same header): the reports of
``qualispec diff --format html`` (the rules, and with ``--data`` the money) read like the site they are
linked from, and work alone (the stylesheet is inlined, the pictures are inline SVG)."""

from __future__ import annotations

import html
from pathlib import Path

from qualispec.compiler.diff import render as diff_render
from qualispec.compiler.diff.changes import RuleDiff

TEMPLATES = Path(__file__).parent / "templates"  # the site's stylesheet (not through .site: no Jinja2 to import here)

MONEY = ("effet des changements sur les rémunérations",
         "Rapport produit par <code>qualispec diff --data</code> ; les deux campagnes évaluées sur le même jeu de données.")
RULES = ("changements de règles entre deux campagnes",
         "Rapport produit par <code>qualispec diff</code> ; une formule réécrite sous une forme équivalente n'est pas "
         "un changement.")


def rules_page(rules: RuleDiff, site: str = "") -> str:
    """The rule diff alone (``qualispec diff --format html``), in the site's look."""
    return page(diff_render.title(rules), f'<div class="changes">{diff_render.to_html_body(rules)}</div>', site, RULES)


def page(title: str, body: str, site: str = "", kind: tuple[str, str] = MONEY) -> str:
    """``body`` (HTML) under the site's header; ``site``: a link back to the fiches, when known; ``kind``: the
    header's subtitle and the footer (:data:`MONEY`, :data:`RULES`)."""
    subtitle, footer = kind
    e = html.escape
    css = (TEMPLATES / "style.css").read_text(encoding="utf-8")
    # the words are not in a <span>: the site hides those at phone width, and the way back must stay
    back = f' <a class="brand back" href="{e(site)}">← retour aux fiches</a>' if site else ""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="fr">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="qualispec diff">', f"<title>{e(title)} — qualispec</title>",
        f"<style>\n{css}\n.chart {{ overflow-x: auto; margin: 1em 0; }}\n.chart svg {{ max-width: 100%; min-width: 640px; height: auto; }}\n</style>", "</head>", "<body>",
        f'<header class="top"><span class="brand">qualispec <span>· {e(subtitle)}</span></span>{back}</header>',
        '<div class="layout"><main>', f"<h1>{e(title)}</h1>", body,
        f"<footer>{footer}</footer>",
        "</main></div>", "</body>", "</html>", ""])
