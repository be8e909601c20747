"""``qualispec lsp``: the language server editors start (stdio)."""

from __future__ import annotations

from qualispec.runtime.cli.common import add_quiet


def register(sub) -> None:
    p = sub.add_parser("lsp", help="le serveur de langage pour les éditeurs (Language Server Protocol sur stdio)",
                       description="Sert les éditeurs sur stdio : diagnostics pendant la frappe, survol, définitions et "
                                   "références à travers extends, complétion, plan, renommage et mise en forme.")
    add_quiet(p)
    p.set_defaults(func=cmd_lsp)


def cmd_lsp(args) -> int:
    from qualispec.compiler.lsp.server import serve

    serve()
    return 0
