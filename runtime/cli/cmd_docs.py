"""``qualispec docs PATH --out DIR``: the indicator fiches and campaign pages, Markdown and HTML."""

from __future__ import annotations

import sys
from pathlib import Path

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.runtime.cli.common import add_quiet, progress


def register(sub) -> None:
    p = sub.add_parser(
        "docs", help="write the indicator fiches and campaign pages (Markdown and an offline HTML site)",
        description="Compile every campaign under PATH and write, under --out, one fiche per indicator and campaign "
                    "(definition, numerator and denominator, formulas, target, threshold, valuation curve, what "
                    "changed, every assumption flagged), one page per campaign, its comparison groups, prerequisites "
                    "and dependency graph: Markdown for the repository and a static HTML site that works offline "
                    "(open DIR/index.html). The output is deterministic; files of a previous run that are no longer "
                    "produced are removed, other files in DIR are left alone.")
    p.add_argument("path", metavar="PATH", help="a folder of campaigns (e.g. specs) or one campaign folder")
    p.add_argument("--out", required=True, metavar="DIR", help="where to write the site (e.g. generated)")
    add_quiet(p)
    p.set_defaults(func=cmd_docs)


def generate(path: str, out: str | Path, diagnostics: Diagnostics, quiet: bool = True) -> list[str] | None:
    """Compile ``path`` and write the site to ``out``; None (nothing written) when the specs have errors."""
    from qualispec.compiler.fiches import site
    from qualispec.compiler.fiches.build import build_site, find_bases
    from qualispec.compiler.pipeline import compile_path

    compiled = compile_path(path, diagnostics, lambda folders: progress(folders, "compilation", quiet))
    if diagnostics.has_errors() or not compiled:
        return None
    model = build_site(compiled, find_bases(compiled, diagnostics), lambda pages: progress(pages, "fiches", quiet))
    return site.write_site(model, out, lambda campaigns: progress(campaigns, "pages", quiet))


def cmd_docs(args) -> int:
    from qualispec.runtime.cli.common import report

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(f"qualispec docs : --out {args.out} est un fichier, pas un dossier", file=sys.stderr)
        return 1
    from qualispec.compiler.fiches.dependencies import GraphvizMissing
    from qualispec.compiler.fiches.writing import UnsafeOutput

    diagnostics = Diagnostics()
    try:
        written = generate(args.path, out, diagnostics, args.quiet)
    except (UnsafeOutput, GraphvizMissing) as error:
        print(f"qualispec docs: {error}", file=sys.stderr)
        return 1
    if written is None:
        report(diagnostics, quiet_warnings=True)
        print(f"{args.path} : les specs ont des erreurs ; rien n'a été écrit (voir : qualispec check {args.path})", file=sys.stderr)
        return 1
    fiches = sum(1 for p in written if "/fiches/" in p and p.endswith(".html"))
    campaigns = sum(1 for p in written if p.count("/") == 1 and p.endswith("/index.html"))
    if args.quiet:
        return 0
    print(f"{campaigns} campaign{'s' if campaigns != 1 else ''}, {fiches} fiche{'s' if fiches != 1 else ''}: "
          f"{len(written)} files written to {out}/ (open {out / 'index.html'})")
    return 0
