"""``qualispec new BASE FOLDER``: start a campaign that extends BASE, every inherited rule an explicit ``carry``.

The new campaign checks at once: each rule it inherits is carried with a placeholder assumption
(« À COMPLÉTER ») for the author to replace by what the new documents say, or to turn into an
``override`` (changed) or a ``drop`` (removed).
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

from qualispec.compiler import messages, whole_files
from qualispec.compiler.diagnostics import Diagnostics, Span
from qualispec.compiler.syntax.load import PLACEHOLDER
from qualispec.runtime.cli.common import add_quiet, report



def register(sub) -> None:
    p = sub.add_parser("new", help="commencer une campagne qui prolonge une autre (chaque règle héritée reprise)",
                       description="Crée FOLDER avec une campagne qui prolonge celle de BASE, en écrivant chaque règle "
                                   "héritée comme un carry explicite, avec une hypothèse à compléter.")
    p.add_argument("base", metavar="BASE", help="la campagne de départ, par exemple specs/ifaq/2024")
    p.add_argument("folder", metavar="FOLDER", help="le dossier de la nouvelle campagne, par exemple specs/ifaq/2025")
    p.add_argument("--name", help="le nom de la nouvelle campagne (par défaut : celui de la base, avec l'année du dossier)")
    add_quiet(p)
    p.set_defaults(func=cmd_new)


def cmd_new(args) -> int:
    from qualispec.compiler.pipeline import compile_one
    from qualispec.compiler.syntax.load import RULE_KINDS, load_folder

    base, folder = Path(args.base), Path(args.folder)
    diagnostics = Diagnostics()
    if folder.exists() and any(folder.iterdir()):
        diagnostics.error("new.folder_not_empty", Span(str(folder), 0, 0), folder=folder)
        report(diagnostics)
        return 1
    if compile_one(base, diagnostics) is None or diagnostics.has_errors():
        report(diagnostics)
        return 1
    loaded = load_folder(base.resolve() if base.is_dir() else base.resolve().parent, Diagnostics())
    year = _year(folder.name, loaded.campaign)
    name = args.name or _name(loaded.campaign.name, year)
    rules = [d for n, d in sorted(loaded.decls.items()) if d.kind in RULE_KINDS]
    folder.mkdir(parents=True, exist_ok=True)
    extends = Path(os.path.relpath(base.resolve(), folder.resolve())).as_posix()
    whole_files.write_text(folder / "campaign.spec", _campaign(loaded, name, year, extends))
    whole_files.write_text(folder / "carried.spec", _carried(loaded, rules))
    if not args.quiet:
        print(messages.word("new.done", folder=folder, name=name, base=loaded.campaign.name, count=len(rules)))
    return 0


def _year(folder_name: str, campaign) -> int | None:
    if re.fullmatch(r"(19|20)\d\d", folder_name):
        return int(folder_name)
    year = campaign.get("year")
    return int(year.value.value) + 1 if year is not None and hasattr(year.value, "value") else None


def _name(base_name: str, year: int | None) -> str:
    if year is None:
        return f"{base_name}_suite"
    return re.sub(r"(19|20)\d\d", str(year), base_name) if re.search(r"(19|20)\d\d", base_name) else f"{base_name}_{year}"


def _campaign(loaded, name: str, year: int | None, extends: str) -> str:
    base = loaded.campaign
    label = base.get("label")
    scheme = base.get("scheme")
    source = base.get("source")
    lines = [f"# {messages.word('new.header', name=name, base=base.name)}", "",
             f'campaign {name} extends "{extends}" {{',
             f'  label: "{_label(label, year)}"']
    if scheme is not None:
        lines.append(f'  scheme: "{scheme.value.value}"')
    if year is not None:
        lines.append(f"  year: {year}")
    if source is not None:
        lines.append(f'  source: {source.value.document} "{PLACEHOLDER}"')
    else:
        lines.append(f'  assumption: "{PLACEHOLDER}"')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _label(label, year) -> str:
    text = label.value.value if label is not None else ""
    if year is not None and re.search(r"(19|20)\d\d", text):
        return re.sub(r"(19|20)\d\d", str(year), text, count=1)
    return f"{text} ({PLACEHOLDER})" if text else PLACEHOLDER


def _carried(loaded, rules) -> str:
    base = loaded.campaign.name
    header = textwrap.wrap(messages.word("new.carried_header", base=base), 100)
    lines = [f"# {line}" for line in header] + [""]
    for decl in rules:
        label = decl.get("label")
        shown = label.value.value if label is not None else decl.name
        lines += [f"# {messages.word('lsp.kind', kind=decl.kind)} : {shown}",
                  f"carry {decl.name} {{",
                  f'  assumption: "{PLACEHOLDER} : {messages.word("new.placeholder", base=base)}"',
                  "}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
