"""``qualispec inputs PATH``: the dataset a campaign needs, column by column."""

from __future__ import annotations

from qualispec.runtime.cli.common import add_quiet, compile_or_report, write_or_print


def register(sub) -> None:
    p = sub.add_parser("inputs", help="le jeu de données qu'attend une campagne",
                       description="Liste les colonnes que doit avoir un jeu de données pour évaluer la campagne de PATH : "
                                   "nom, unité, type, les champs qui doivent la remplir et son sens ; puis chaque table "
                                   "d'enregistrements (séjours…) avec ses colonnes et les données calculées à partir d'elle.")
    p.add_argument("path", metavar="PATH", help="le dossier de la campagne")
    add_quiet(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table : pour la lecture, en français ; csv et json : pour un programme, avec les clés "
                        "column, unit, type, required_for (all, none ou les champs) et meaning")
    p.add_argument("--out", metavar="FILE", help="écrire la liste dans FILE plutôt qu'au terminal")
    p.set_defaults(func=cmd_inputs)


def cmd_inputs(args) -> int:
    from qualispec.runtime.data.contract import contract_rows, render_contract

    compiled = compile_or_report(args.path, quiet_warnings=args.quiet)
    if compiled is None:
        return 1
    text = render_contract(contract_rows(compiled.campaign), args.format)
    if args.format == "table" and compiled.campaign.tables:  # the record tables, and what is computed from them
        from qualispec.runtime.data.records import describe_tables
        text += "\n" + describe_tables(compiled.campaign)
    write_or_print(text, args.out)
    return 0
