"""``qualispec lsp``: the language server editors start (stdio)."""

from __future__ import annotations

from qualispec.runtime.cli.common import add_quiet


def register(sub) -> None:
    p = sub.add_parser("lsp", help="the language server for editors (Language Server Protocol on stdio)",
                       description="Serve editors over stdio: diagnostics as you type, hover, definitions and "
                                   "references across extends, completion, outline, rename and formatting.")
    add_quiet(p)
    p.set_defaults(func=cmd_lsp)


def cmd_lsp(args) -> int:
    from qualispec.compiler.lsp.server import serve

    serve()
    return 0
