"""What every command shares: compiling with the compiler's messages, reading a dataset with
its messages, writing text, and a progress line for long runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from qualispec.compiler.diagnostics import Diagnostics


def compile_or_report(path: str, quiet_warnings: bool = True):
    """The campaign in ``path``, or None after printing the compiler's messages."""
    from qualispec.compiler.pipeline import compile_one

    diagnostics = Diagnostics()
    compiled = compile_one(path, diagnostics)
    if compiled is None or diagnostics.has_errors():
        report(diagnostics, quiet_warnings=quiet_warnings)
        print(f"{path} : les specs ont des erreurs ; corrigez-les d'abord (qualispec check {path})", file=sys.stderr)
        return None
    return compiled


def report(diagnostics: Diagnostics, quiet_warnings: bool = False) -> None:
    shown = [d for d in diagnostics.sorted() if not (quiet_warnings and d.severity == "warning")]
    if shown:
        print("\n".join(diagnostics.render_one(d) for d in shown), file=sys.stderr)


def folder_missing(command: str, out: str | None) -> bool:
    """Whether ``out`` (a file to write) is in a folder that does not exist, said on stderr: checked before any
    work, so that nothing is computed for a report that cannot be written."""
    if out and not Path(out).resolve().parent.is_dir():
        print(f"qualispec {command} : impossible d'écrire {out} : le dossier n'existe pas", file=sys.stderr)
        return True
    return False


def write_or_print(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


def add_data(parser, required: bool = True, help_text: str = "le jeu de données (.csv, .xlsx ou .parquet)") -> None:
    """``--data FILE`` and how its CSV is written, the same on every command that reads a dataset."""
    parser.add_argument("--data", required=required, metavar="FILE", help=help_text)
    parser.add_argument("--sep", metavar="C", help="séparateur du CSV (, ; tab |) ; deviné s'il est absent")
    parser.add_argument("--decimal", choices=(".", ","), help="séparateur décimal du CSV ; deviné s'il est absent")
    parser.add_argument("--encoding", metavar="NOM", help="encodage du CSV (utf-8, windows-1252…) ; deviné s'il est absent")


def dialect_of(args):
    from qualispec.runtime.data.reading import Dialect

    sep = {"tab": "\t", "\\t": "\t"}.get(args.sep, args.sep) if args.sep else None
    return Dialect(sep, args.decimal, args.encoding)


def load_or_report(compiled, args, records: dict[str, str] | None = None, aggregate_with=None):
    """The dataset ``args.data`` checked against the campaign, or None after printing why it is refused.

    ``records``: table name → file; the inputs computed from them are added first, by
    ``aggregate_with(campaign, records)`` (default: Polars, streaming)."""
    from qualispec.runtime.data.dataset import DataError, load_dataset
    from qualispec.runtime.data.records import load_with_records

    notes: list[str] = []
    try:
        spark = getattr(args, "spark_session", None)
        if spark is not None and "://" in str(args.data) and not records:  # a storage path: read and checked by Spark
            from qualispec.runtime.engines.spark import read_and_validate
            return read_and_validate(compiled, args.data, spark, dialect_of(args), notes)
        if records:
            frame = load_with_records(args.data, compiled.campaign, records, aggregate_with, dialect_of(args), notes)
        else:
            frame = load_dataset(args.data, compiled.campaign, dialect_of(args), notes)
    except DataError as error:
        print(error.render(), file=sys.stderr)
        return None
    finally:
        if not getattr(args, "quiet", False) and notes:
            print("\n".join(notes), file=sys.stderr)
    return frame


def add_quiet(parser) -> None:
    """``-q/--quiet``, the same on every command: no warnings, no summary, no progress display."""
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="silencieux : ni avertissements, ni résumé, ni barre de progression")


def showing_progress(quiet: bool) -> bool:
    """A progress display only for a person at a terminal: never in a pipe, a file or CI."""
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


def _progress_delay() -> float:
    """Seconds of work before a progress bar appears: 1, or ``QUALISPEC_PROGRESS_DELAY`` (0 shows it at once)."""
    try:
        return max(0.0, float(os.environ.get("QUALISPEC_PROGRESS_DELAY", "1")))
    except ValueError:
        return 1.0


def progress(items, what: str, quiet: bool, total: int | None = None):
    """``items``, with a progress bar on standard error that appears once the work has taken a second."""
    from tqdm import tqdm

    return tqdm(items, desc=what, total=total, disable=not showing_progress(quiet), delay=_progress_delay(), leave=False,
                file=sys.stderr, unit="", dynamic_ncols=True)


class Steps:
    """A progress bar over named steps (read, compute, write …) for one long command."""

    def __init__(self, steps: int, quiet: bool):
        from tqdm import tqdm

        self.bar = tqdm(total=steps, disable=not showing_progress(quiet), delay=_progress_delay(), leave=False, file=sys.stderr,
                        unit="étape", dynamic_ncols=True, bar_format="{desc} {bar} {n_fmt}/{total_fmt} {elapsed}")
        self.started = False

    def __call__(self, label: str) -> None:
        if self.started:
            self.bar.update(1)
        self.started = True
        self.bar.set_description_str(label)

    def close(self) -> None:
        """The bar taken off the terminal (before the command's output); closing it again does nothing."""
        if self.started:
            self.bar.update(1)
        self.started = False
        self.bar.close()


def parse_records(values: list[str] | None) -> dict[str, str] | None:
    """``--records stays=stays.parquet`` (repeatable) → {"stays": "stays.parquet"}; None if one is malformed."""
    tables = {}
    for value in values or []:
        name, sep, path = value.partition("=")
        if not sep or not name or not path:
            print(f"--records {value} : écrivez TABLE=FICHIER, par exemple --records stays=sejours.parquet",
                  file=sys.stderr)
            return None
        tables[name.strip()] = path.strip()
    return tables
