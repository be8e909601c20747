"""``qualispec example-data``: a realistic synthetic IFAQ 2024 dataset."""

from __future__ import annotations

import sys
from pathlib import Path

from qualispec.compiler import french
from qualispec.runtime.cli.common import Steps, add_quiet


def register(sub) -> None:
    p = sub.add_parser("example-data", help="produire un jeu de données IFAQ 2024 synthétique et réaliste",
                       description="Produit un jeu de données synthétique au format IFAQ 2024, avec des établissements dans "
                                   "chaque groupe de comparaison et certains exactement sur les bornes des groupes.")
    p.add_argument("--rows", type=int, default=2000, metavar="N",
                   help="nombre de lignes établissement × champ (par défaut : 2\u202f000)")
    p.add_argument("--seed", type=int, default=1, metavar="S",
                   help="graine du tirage : la même graine donne le même jeu de données (par défaut : 1)")
    p.add_argument("--out", metavar="FILE", help=".csv ou .parquet (par défaut : CSV sur la sortie standard)")
    add_quiet(p)
    p.add_argument("--records", metavar="FOLDER",
                   help="écrire aussi dans FOLDER les enregistrements d'où vient le jeu de données (closed_stays.parquet, "
                        "correspondents.parquet) ; --out contient alors les établissements sans les comptes calculés à "
                        "partir d'eux (évaluer avec : --records closed_stays=FOLDER/closed_stays.parquet "
                        "--records correspondents=FOLDER/correspondents.parquet)")
    p.set_defaults(func=cmd_example_data)


def cmd_example_data(args) -> int:
    from qualispec.runtime.data import example_data

    if args.rows <= 0:
        print("qualispec example-data : --rows doit être un nombre positif", file=sys.stderr)
        return 1
    if args.out and Path(args.out).suffix.lower() not in (".csv", ".parquet"):
        print(f"qualispec example-data: {args.out}: use a .csv or .parquet file name", file=sys.stderr)
        return 1
    progress = Steps((2 if args.out else 1) + bool(args.records), args.quiet)
    progress(f"génération de {args.rows:,} lignes".replace(",", "\u202f"))
    frame = example_data.generate(args.rows, args.seed)
    if args.records:
        from qualispec.runtime.data import example_records

        progress(f"écriture des enregistrements dans {args.records}")
        paths = example_records.write_records(frame, args.seed, args.records)
        frame = example_records.establishments_without_counts(frame)
        for name, path in paths.items():
            print(f"{name}: {path}", file=sys.stderr)
    if args.out:
        progress(f"écriture de {Path(args.out).name}")
        example_data.write(frame, args.out)
        progress.close()
        if not args.quiet:
            print(f"{french.plain(frame.height)} lignes écrites dans {args.out}", file=sys.stderr)
    else:
        progress.close()
        sys.stdout.write(frame.write_csv())
    return 0
