"""The money report of a campaign on its example dataset, as a page of the fiches site.

A campaign folder that extends another may hold ``rapport-remunerations.toml``::

    donnees = "../../../examples/ifaq2022_2024.csv"   # relative to this file
    titre = "jeu d'exemple synthétique IFAQ 2022 → 2024"

``qualispec docs`` then evaluates both campaigns on that dataset and writes, next to the
campaign's pages, ``ecart-remunerations.html``: the report of ``qualispec diff OLD NEW --data
FILE --format html`` (headline, attribution, pictures), in the site's look, linked from the
campaign's « Changements » page and its side menu, and linking back to the campaign. The page is
built again only when the dataset, this file, the campaigns or the runtime change.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from qualispec.compiler.fiches.incremental import ExtraPage

DECLARATION = "rapport-remunerations.toml"
PAGE = "ecart-remunerations.html"
KEYS = {"donnees", "titre"}


class DeclarationError(Exception):
    """A ``rapport-remunerations.toml`` that cannot be used; the message says which file, what and what to do."""


def extra_pages(folders: list[Path]) -> dict[Path, ExtraPage]:
    """Resolved campaign folder → its money report page, for the folders that declare one."""
    pages = {}
    for folder in folders:
        declaration = folder / DECLARATION
        if declaration.is_file():
            pages[folder.resolve()] = _page(declaration)
    return pages


def _page(declaration: Path) -> ExtraPage:
    text = declaration.read_bytes()
    try:
        values = tomllib.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DeclarationError(f"{declaration} : illisible ({error}) ; écrivez donnees = \"chemin du jeu de données\"") from None
    unknown = sorted(set(values) - KEYS)
    if unknown:
        raise DeclarationError(f"{declaration} : clé inconnue « {unknown[0]} » ; les clés sont donnees et titre")
    if not isinstance(values.get("donnees"), str) or not values["donnees"].strip():
        raise DeclarationError(f"{declaration} : donnees manque ; écrivez donnees = \"chemin du jeu de données\" "
                               "(relatif à ce fichier)")
    data = (declaration.parent / values["donnees"]).resolve()
    if not data.is_file():
        raise DeclarationError(f"{declaration} : le jeu de données {values['donnees']} est introuvable ({data})")
    title = values.get("titre") if isinstance(values.get("titre"), str) else f"jeu de données {data.name}"
    key = hashlib.sha256(text + b"\0" + data.read_bytes() + b"\0" + _runtime_code().encode()).hexdigest()

    def render(old, new, rules) -> str:
        from qualispec.runtime import impact
        from qualispec.runtime.impact_report import render_all

        try:
            report = impact.compare_payouts(old, new, str(data), rules)
        except impact.ImpactError as error:
            raise DeclarationError(f"{declaration} : {error}") from None
        return render_all(rules, report, None, "html", site="index.html") + "\n"

    return ExtraPage(PAGE, title, key, render)


def _runtime_code() -> str:
    """The runtime's files (evaluation, money diff, report): a change in them makes the report again."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for file in sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts):
        digest.update(f"{file.relative_to(root)}\0".encode() + file.read_bytes())
    return digest.hexdigest()
