"""``qualispec graph PATH``: the dependency graph of a campaign (dot, mermaid, json)."""

from __future__ import annotations

from qualispec.runtime.cli.common import add_quiet, compile_or_report, write_or_print


def register(sub) -> None:
    p = sub.add_parser("graph", help="le graphe des dépendances d'une campagne",
                       description="Affiche le graphe des dépendances de la campagne de PATH.")
    p.add_argument("path", metavar="PATH", help="le dossier de la campagne")
    add_quiet(p)
    p.add_argument("--format", choices=("dot", "mermaid", "json"), default="dot",
                   help="dot (Graphviz, par défaut), mermaid ou json")
    p.add_argument("--out", metavar="FILE", help="écrire dans FILE plutôt qu'au terminal")
    p.set_defaults(func=cmd_graph)


def cmd_graph(args) -> int:
    from qualispec.compiler import graph as graphs

    compiled = compile_or_report(args.path, quiet_warnings=args.quiet)
    if compiled is None:
        return 1
    render = {"dot": graphs.to_dot, "mermaid": graphs.to_mermaid, "json": graphs.to_json}[args.format]
    write_or_print(render(compiled.graph, compiled.campaign), args.out)
    return 0
