"""``qualispec eval PATH --data FILE``: scores and payouts of every establishment, with a summary per group."""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from qualispec.compiler import french
from qualispec.runtime.cli.common import Steps, add_data, add_quiet, compile_or_report, load_or_report, parse_records


def register(sub) -> None:
    p = sub.add_parser("eval", help="évaluer une campagne sur un jeu de données : scores et versements",
                       description="Évalue la campagne de PATH sur le jeu de données FILE (CSV, XLSX ou Parquet). Écrit une "
                                   "ligne par établissement et champ (groupe, valeurs de chaque indicateur, score, poids, "
                                   "versement) dans --out (CSV, Parquet ou XLSX selon l'extension) et affiche un résumé par groupe.")
    p.add_argument("path", metavar="PATH", help="un dossier de campagne, par exemple specs/ifaq/2024")
    add_data(p)
    p.add_argument("--records", action="append", metavar="TABLE=FILE",
                   help="une table d'enregistrements (CSV ou Parquet, de toute taille) dont la campagne calcule des "
                        "données, par exemple --records stays=stays.parquet (répétable)")
    p.add_argument("--out", metavar="FILE", help="où écrire les résultats (.csv, .parquet ou .xlsx)")
    p.add_argument("--excel-fr", action="store_true",
                   help="CSV pour Excel en français : séparateur « ; », virgule décimale, UTF-8 avec BOM")
    add_quiet(p)
    p.add_argument("--engine", choices=("polars", "spark"), default="polars",
                   help="le moteur de calcul : polars (intégré, par défaut) ou spark (PySpark : pip install 'qualispec[spark]')")
    p.add_argument("--spark", metavar="WHERE", default=None,
                   help="avec --engine spark : local[*] (cette machine), l'adresse d'un maître (spark://hôte:7077, yarn) "
                        "ou sc://hôte:15002 (Spark Connect) ; par défaut : $SPARK_MASTER, sinon le --master de "
                        "spark-submit, sinon local[*]")
    p.set_defaults(func=cmd_eval)


def cmd_eval(args) -> int:
    import polars as pl

    from qualispec.runtime.engines import EngineUnavailable, spark_engine
    from qualispec.runtime.on_engine import evaluate_on
    from qualispec.runtime.data.output import OutputError, check_destination, check_rows, write_table
    from qualispec.runtime.objectives import format_counts, objective_counts, pays, with_objectives

    on_storage = args.engine == "spark" and args.out and "://" in str(args.out)  # written by Spark, where it runs
    if args.out and not on_storage:
        try:
            check_destination(args.out, inputs=(args.data,))
        except OutputError as error:
            print(f"qualispec eval: {error}", file=sys.stderr)
            return 1
    compiled = compile_or_report(args.path)
    if compiled is None:
        return 1
    progress = Steps(3 if args.out else 2, args.quiet)
    progress("lecture et contrôle des données")
    records = parse_records(args.records)
    if records is None:
        return 1
    try:
        spark = args.spark_session = spark_engine().session(args.spark) if args.engine == "spark" else None
    except EngineUnavailable as error:
        print(f"qualispec eval : {error}", file=sys.stderr)
        return 1
    aggregate_with = None
    if spark is not None and records:  # Spark reads and aggregates the records where they are stored
        from qualispec.runtime.engines.spark.records import aggregate as spark_aggregate
        aggregate_with = lambda campaign, tables: spark_aggregate(campaign, tables, spark)  # noqa: E731
    frame = load_or_report(compiled, args, records, aggregate_with)
    if frame is None:
        return 1
    if args.out and not on_storage:
        try:
            check_rows(args.out, lambda: frame.height if isinstance(frame, pl.DataFrame) else frame.count())  # or on Spark
        except OutputError as error:
            print(f"qualispec eval: {error}", file=sys.stderr)
            return 1
    progress("calcul")
    from qualispec.runtime.engines import NotExact, OverEnvelope

    try:
        evaluation = evaluate_on(args.engine, compiled, frame, spark)
    except (OverEnvelope, NotExact) as error:  # refused, not a defect: nothing is written
        progress.close()
        print(f"qualispec eval: {error}", file=sys.stderr)
        return 1
    if on_storage:
        progress(f"écriture de {args.out} par Spark")
        evaluation.write(args.out)
    elif args.out:
        progress(f"écriture de {Path(args.out).name}")
        from qualispec.runtime.data.headers import french_headers, group_headers

        write_table(evaluation.rows, args.out, evaluation.groups, french_headers(compiled.campaign, evaluation.plan.outputs,
                                                                                evaluation.rows.columns),
                    excel_fr=args.excel_fr, group_headers=group_headers(compiled.campaign, evaluation.groups.columns))
    progress.close()
    if not args.quiet:
        campaign = compiled.campaign
        if pays(campaign) or not with_objectives(campaign):
            print(format_groups(evaluation.groups, campaign))
        if with_objectives(campaign):
            print(format_counts(objective_counts(campaign, evaluation.rows), pays(campaign)))
        if args.out:
            print(f"{french.plain(evaluation.rows.height)} lignes écrites dans {args.out}")
    if not args.out and args.quiet:
        print(evaluation.rows.write_csv(), end="")
    return 0


def format_groups(groups, campaign=None) -> str:
    """The per-group summary as a terminal table, with a total line: the headers of the XLSX « groupes » sheet
    (French, with units; an envelope shared nationally by its label) and the share paid as computed exactly
    (runtime/group_share.py), for every group and for the total."""
    import polars as pl

    from qualispec.runtime.data.headers import group_headers
    from qualispec.runtime.group_share import share_paid

    records = groups.to_dicts()
    others = [c for c in groups.columns if c.startswith("paid_")]  # envelopes shared nationally
    shown = [c for c in ("group", "establishments", "envelope", "paid", "share_paid") if c in groups.columns] + others
    header = [h.title for h in group_headers(campaign, shown)]

    def total(column):
        return sum((g[column] or 0 for g in records), Decimal(0)) if column in groups.columns else None

    totals = {"group": "total", "establishments": sum(g["establishments"] for g in records),
              **{c: total(c) for c in ("envelope", "paid", *others)}}
    if "share_paid" in groups.columns:
        totals["share_paid"] = pl.DataFrame({"paid": [totals["paid"]], "envelope": [totals["envelope"]]},
                                            schema={"paid": pl.Decimal(38, 2), "envelope": pl.Decimal(38, 2)}
                                            ).select(share_paid()).item()

    def cell(column, v):
        if column == "group":
            return str(v)
        if column == "establishments":
            return french.plain(v)  # 2 000, as the euros are grouped
        if v is None:
            return "—"
        return f"{_exact(v, 1)} %" if column == "share_paid" else f"{_exact(v, 2)} €"

    rows = [header] + [[cell(c, g.get(c)) for c in shown] for g in records + [totals]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[j]) if j == 0 else c.rjust(widths[j]) for j, c in enumerate(r)))
        if i in (0, len(rows) - 2):
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _exact(value, decimals: int) -> str:
    """An exact decimal in French (« 1 234 567,89 »), never through a binary float."""
    from qualispec.compiler.french import NBSP

    text = f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP):,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")
