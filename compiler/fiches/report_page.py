"""A standalone page in the look of the fiches site (same stylesheet, same header): the money report of
``qualispec diff --data --format html`` reads like the site it is linked from, and works alone (the
stylesheet is inlined, the pictures are inline SVG)."""

from __future__ import annotations

import html

from qualispec.compiler.fiches.site import TEMPLATES


def page(title: str, body: str, site: str = "") -> str:
    """``body`` (HTML) under the site's header; ``site``: a link back to the fiches, when known."""
    e = html.escape
    css = (TEMPLATES / "style.css").read_text(encoding="utf-8")
    back = f' <a class="brand" href="{e(site)}"><span>· retour aux fiches</span></a>' if site else ""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="fr">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="qualispec diff">', f"<title>{e(title)} — qualispec</title>",
        f"<style>\n{css}\n.chart svg {{ max-width: 100%; height: auto; }}\n</style>", "</head>", "<body>",
        f'<header class="top"><span class="brand">qualispec <span>· effet des changements sur les rémunérations</span></span>{back}</header>',
        '<div class="layout"><main>', f"<h1>{e(title)}</h1>", body,
        "<footer>Rapport produit par <code>qualispec diff --data</code> ; les deux campagnes évaluées sur le même jeu de données.</footer>",
        "</main></div>", "</body>", "</html>", ""])
