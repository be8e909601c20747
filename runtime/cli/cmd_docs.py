"""``qualispec docs PATH --out DIR``: the indicator fiches and campaign pages, Markdown and HTML."""

from __future__ import annotations

import sys
from pathlib import Path

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.runtime.cli.common import add_quiet, progress


def register(sub) -> None:
    p = sub.add_parser(
        "docs", help="écrire les fiches des indicateurs et les pages des campagnes (Markdown et un site HTML hors ligne)",
        description="Compile chaque campagne sous PATH et écrit, sous --out, une fiche par indicateur et par campagne "
                    "(définition, numérateur et dénominateur, formules, cible, seuil, courbe de valorisation, ce qui "
                    "a changé, chaque hypothèse signalée), une page par campagne, ses groupes de comparaison, ses prérequis "
                    "et son graphe des dépendances : du Markdown pour le dépôt et un site HTML statique qui fonctionne "
                    "hors ligne (ouvrir DIR/index.html). Le résultat est déterministe ; les fichiers d'un passage "
                    "précédent qui ne sont plus produits sont retirés, les autres fichiers de DIR sont laissés.")
    p.add_argument("path", metavar="PATH", help="un dossier de campagnes (par exemple specs) ou un dossier de campagne")
    p.add_argument("--out", required=True, metavar="DIR", help="où écrire le site (par exemple generated)")
    add_quiet(p)
    p.set_defaults(func=cmd_docs)


def generate(path: str, out: str | Path, diagnostics: Diagnostics, quiet: bool = True):
    """Compile what changed under ``path`` and write the site to ``out``, with the money report of each campaign
    that declares an example dataset (:mod:`runtime.impact_site`); None (nothing written) on errors."""
    from qualispec.compiler.fiches import incremental
    from qualispec.compiler.syntax.load import campaign_folders
    from qualispec.runtime.impact_site import extra_pages

    extras = extra_pages(campaign_folders(path)) if Path(path).exists() else {}
    return incremental.generate(path, out, diagnostics, lambda items, what: progress(items, what, quiet), extras)


def cmd_docs(args) -> int:
    from qualispec.runtime.cli.common import report

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(f"qualispec docs : --out {args.out} est un fichier, pas un dossier", file=sys.stderr)
        return 1
    from qualispec.compiler.fiches.dependencies import GraphvizMissing
    from qualispec.compiler.fiches.writing import UnsafeOutput
    from qualispec.runtime.impact_site import DeclarationError

    diagnostics = Diagnostics()
    try:
        done = generate(args.path, out, diagnostics, args.quiet)
    except (UnsafeOutput, GraphvizMissing, DeclarationError) as error:
        print(f"qualispec docs: {error}", file=sys.stderr)
        return 1
    if done is None:
        report(diagnostics, quiet_warnings=True)
        print(f"{args.path} : les specs ont des erreurs ; rien n'a été écrit (voir : qualispec check {args.path})", file=sys.stderr)
        return 1
    if args.quiet:
        return 0
    fiches = sum(1 for p in done.files if "/fiches/" in p and p.endswith(".html"))
    campaigns = len(done.rebuilt) + len(done.kept)
    kept = f", {_count(len(done.kept), 'inchangée')} (pages gardées)" if done.kept else ""
    print(f"{_count(campaigns, 'campagne')}, {_count(fiches, 'fiche')} : {_count(len(done.rebuilt), 'campagne')} "
          f"construite{'s' if len(done.rebuilt) > 1 else ''}{kept} ; {len(done.files)} fichiers dans {out}/ "
          f"(ouvrir {out / 'index.html'})")
    return 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"
