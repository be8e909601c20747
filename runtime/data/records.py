"""Tables of records (stays, prescriptions…): checked, then aggregated per establishment row.

A campaign's ``table`` says which columns its records hold; an input with ``from_records``
(``count(stays where dmp_fed and has_dmp)``) is computed here, per establishment (and
field), when the table is given with the dataset. Files of any size are scanned lazily and
aggregated by Polars' streaming engine, in bounded memory. One pass aggregates and counts
the malformed records; only when there are some does a second pass find them, to refuse
them with their file and line.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import polars as pl

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast
from qualispec.runtime.data.dataset import MAX_SHOWN, DataError, _FALSE, _TRUE
from qualispec.runtime.data.reading import ReadError, refuse_repeated_headers
from qualispec.runtime.data.rules import POLARS, Rule, record_rules

EXACT = pl.Decimal(38, 9)  # amounts and numbers of records: exact decimals, up to 9 after the point
LINE = "#line"


def computed_inputs(campaign: ir.Campaign, table: str) -> list[ir.Input]:
    return [i for i in campaign.inputs.values() if i.from_records is not None and i.from_records.args[0].name == table]


def aggregate(campaign: ir.Campaign, paths: dict[str, str | Path]) -> pl.DataFrame | None:
    """One row per establishment (and field) with a record, one column per input computed from records."""
    result = None
    for name, path in paths.items():
        table = campaign.tables.get(name)
        if table is None:
            known = ", ".join(campaign.tables) or "aucune"
            raise DataError(str(path), [f"la campagne ne déclare pas de table « {name} » (tables : {known})"])
        frame = _aggregate_table(campaign, table, path)
        result = frame if result is None else result.join(frame, on=list(table.key), how="full", coalesce=True)
    return result


def with_records(raw: pl.DataFrame, campaign: ir.Campaign, sums: pl.DataFrame | None, path: str) -> pl.DataFrame:
    """The establishment table with the computed inputs' columns (0 where an establishment has no record)."""
    if sums is None:
        return raw
    computed = [c for c in sums.columns if c not in ("finess", "field")]
    twice = [c for c in computed if c in raw.columns]
    if twice:
        raise DataError(path, [f"la colonne {c} est aussi calculée à partir des enregistrements : retirez-la du "
                               f"jeu de données, ou ne donnez pas la table" for c in twice])
    key = [k for k in ("finess", "field") if k in sums.columns]
    keyed = raw.with_columns([pl.col(k).cast(pl.String) for k in key])
    joined = keyed.join(sums, on=key, how="left", maintain_order="left")
    return joined.with_columns([pl.col(c).fill_null(0) for c in computed])


# ------------------------------------------------------------------ reading and checking
def scan(path: str | Path) -> tuple[pl.LazyFrame, bool]:
    p = Path(path)
    if not p.exists():
        raise DataError(str(path), ["fichier introuvable"])
    suffix = p.suffix.lower()
    if suffix == ".csv":
        _refuse_repeated_headers(p)
        return pl.scan_csv(p, infer_schema=False, null_values=[""]), True
    if suffix in (".parquet", ".pq"):
        return pl.scan_parquet(p), False
    raise DataError(str(path), [f"type de fichier inconnu « {suffix} » : utilisez .csv ou .parquet"])


def _refuse_repeated_headers(path: Path) -> None:
    """A record column named twice would be read from the first of the two without a word (Polars renames the
    second)."""
    with path.open("rb") as file:
        first = file.readline(1 << 20).decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        refuse_repeated_headers(next(csv.reader([first]), []))
    except ReadError as error:
        raise DataError(str(path), error.problems) from None


def _aggregate_table(campaign: ir.Campaign, table: ir.Table, path: str | Path) -> pl.DataFrame:
    lf, is_csv = scan(path)
    try:
        names = lf.collect_schema().names()
    except (pl.exceptions.PolarsError, OSError) as error:
        raise DataError(str(path), [f"illisible : {str(error).strip().splitlines()[0] if str(error).strip() else error}"]) from None
    wanted = list(table.key) + [c for c, _ in table.columns]
    missing = [c for c in wanted if c not in names]
    if missing:
        raise DataError(str(path), [f"colonnes manquantes : {', '.join(missing)} (la table {table.name} a les colonnes "
                                    f"{', '.join(wanted)})"])
    units = dict(table.columns)
    typed = {c: _typed(pl.col(c), units[c], is_csv) for c, _ in table.columns}
    on_key, on_values = key_and_value_rules(table, campaign)
    value_checks = _checks(table, typed, on_values)
    is_bad = pl.any_horizontal([cond for cond, _ in value_checks]) if value_checks else pl.lit(False)
    sums = (lf.with_columns(is_bad.alias("#bad"))
            .with_columns([pl.col(k).cast(pl.String) for k in table.key] + [typed[c].alias(c) for c in units])
            .group_by(list(table.key))
            .agg([_aggregate(i.from_records, campaign).alias(i.column) for i in computed_inputs(campaign, table.name)]
                 + [pl.col("#bad").sum().alias("#bad")])
            .collect(engine="streaming"))
    if sums["#bad"].sum() or breaks_a_key_rule(sums, table, on_key):
        _refuse(lf, _checks(table, typed, on_key) + value_checks, wanted, path, is_csv)
    return sums.drop("#bad")


def key_and_value_rules(table: ir.Table, campaign: ir.Campaign) -> tuple[list[Rule], list[Rule]]:
    """The rules a record follows (runtime/data/rules.py): those that read only its key (FINESS, field), and the others.

    A key rule is tested once per establishment row, after grouping, since all its records share the key:
    testing 50 M FINESS against their pattern cost more than the aggregation itself.
    """
    rules = record_rules(table, campaign)
    reads_only_key = [set(rule.breaks(POLARS).meta.root_names()) <= set(table.key) for rule in rules]
    return ([r for r, only in zip(rules, reads_only_key) if only],
            [r for r, only in zip(rules, reads_only_key) if not only])


def breaks_a_key_rule(sums: pl.DataFrame, table: ir.Table, on_key: list[Rule]) -> bool:
    """Whether an establishment row of the aggregates (its key as text) breaks a key rule."""
    checks = [cond for cond, _ in _checks(table, {}, on_key)]
    return bool(checks) and sums.height > 0 and sums.select(pl.any_horizontal(checks).any()).item()


def _refuse(lf: pl.LazyFrame, checks, wanted: list[str], path, is_csv: bool) -> None:
    """The first malformed records, with their line (CSV) or record number (Parquet) and what is wrong."""
    bad = (lf.with_row_index(LINE).filter(pl.any_horizontal([cond for cond, _ in checks]))
           .select([LINE] + [cond.alias(f"#bad{i}") for i, (cond, _) in enumerate(checks)] + wanted)
           .head(MAX_SHOWN).collect(engine="streaming"))
    problems = []
    for row in bad.iter_rows(named=True):
        where = f"{path}:{row[LINE] + 2}" if is_csv else f"{path}: enregistrement {row[LINE] + 1}"
        said = [describe(row) for i, (_, describe) in enumerate(checks) if row[f"#bad{i}"]]
        problems.append(f"{where}: " + " ; ".join(said))
    raise DataError(str(path), problems + ["corrigez ces enregistrements ; rien n'a été calculé"])


def _typed(column: pl.Expr, unit: str, is_csv: bool) -> pl.Expr:
    if unit in ("text", "category"):
        return column.cast(pl.String)
    if unit == "boolean":
        if not is_csv:
            return column.cast(pl.Boolean, strict=False)
        lower = column.str.strip_chars().str.to_lowercase()
        return pl.when(lower.is_in(_TRUE)).then(True).when(lower.is_in(_FALSE)).then(False).otherwise(None)
    if is_csv:
        column = column.str.strip_chars().str.replace_all(r"[\u00a0\u202f ]", "").str.replace(",", ".", literal=True)
    if unit in ("count", "days"):
        as_decimal = column.cast(EXACT, strict=False)
        return pl.when(as_decimal == as_decimal.round(0)).then(as_decimal).cast(pl.Int64, strict=False)
    return column.cast(EXACT, strict=False)


def _checks(table: ir.Table, typed: dict, rules: list[Rule]) -> list[tuple[pl.Expr, object]]:
    """(a record is bad when…, what to say about it) for each rule."""
    key = {k: pl.col(k).cast(pl.String) for k in table.key}
    operations = replace(POLARS, value=lambda name: typed.get(name, key.get(name)))
    return [(rule.breaks(operations).fill_null(False), rule.said) for rule in rules]


# ------------------------------------------------------------------ aggregates
def _aggregate(call: ast.Call, campaign: ir.Campaign) -> pl.Expr:
    records = call.args[0]
    keep = _condition(call.where, campaign).fill_null(False) if call.where is not None else None
    if call.func == "count":
        return keep.sum().cast(pl.Int64) if keep is not None else pl.len().cast(pl.Int64)
    values = pl.col(records.member)
    if keep is not None:
        values = values.filter(keep)
    if call.func == "count_distinct":
        return values.drop_nulls().n_unique().cast(pl.Int64)
    return {"sum": values.sum(), "min": values.min(), "max": values.max()}[call.func]


def _condition(e: ast.Expr, campaign: ir.Campaign) -> pl.Expr:
    """A record condition (the table's columns, parameters, literals) as a Polars expression."""
    c = lambda x: _condition(x, campaign)  # noqa: E731
    if isinstance(e, ast.Ref):
        target = e.target or ""
        if target in campaign.parameters:
            return pl.lit(exact_literal(parameter_value(campaign, target)))
        return pl.lit(target[6:]) if target.startswith("field:") else pl.col(target.split(".", 1)[1])
    if isinstance(e, (ast.Bool, ast.Text)):
        return pl.lit(e.value)
    if isinstance(e, ast.Num):
        return pl.lit(exact_literal(e.value))
    if isinstance(e, ast.Unary):
        return ~c(e.operand) if e.op == "not" else -c(e.operand)
    if isinstance(e, ast.Binary) and e.op in ("and", "or"):
        a, b = c(e.left), c(e.right)
        return a & b if e.op == "and" else a | b
    if isinstance(e, ast.Compare):
        a, b = c(e.left), c(e.right)
        return {"=": a.eq, "!=": a.ne, "<": a.lt, "<=": a.le, ">": a.gt, ">=": a.ge}[e.op](b)
    if isinstance(e, ast.Member):
        return c(e.operand).is_in([o.value for o in e.options])
    raise DataError("", [f"condition sur des enregistrements non prise en charge : {type(e).__name__}"])


def parameter_value(campaign: ir.Campaign, name: str):
    from qualispec.compiler.check import literal_value

    return literal_value(campaign.parameters[name].value)


def exact_literal(value):
    if not isinstance(value, Fraction):
        return value
    return int(value) if value.denominator == 1 else Decimal(value.numerator) / Decimal(value.denominator)


def load_with_records(path: str | Path, campaign: ir.Campaign, tables: dict[str, str | Path],
                      aggregate_with=None, dialect=None, notes: list[str] | None = None) -> pl.DataFrame:
    """The establishment dataset, its inputs computed from the record tables, validated like any dataset.

    ``aggregate_with(campaign, tables)``: who aggregates the records (default: Polars, streaming; the
    Spark engine passes its own, which reads them where they are stored).
    """
    from qualispec.runtime.data.contract import contract_rows
    from qualispec.runtime.data.dataset import _INTEGER_UNITS, _NUMBER_UNITS, _Where, read_table, validate

    sums = (aggregate_with or aggregate)(campaign, tables)
    columns = contract_rows(campaign)
    numeric = {c.name for c in columns if c.unit in _NUMBER_UNITS + _INTEGER_UNITS}
    raw, is_csv = read_table(path, dialect, numeric, notes, {c.name for c in columns})
    return validate(with_records(raw, campaign, sums, str(path)), campaign, _Where(str(path), is_csv))


def describe_tables(campaign: ir.Campaign) -> str:
    """Each table's columns and the inputs computed from it, for ``qualispec inputs``."""
    from qualispec.compiler import french

    lines = []
    for table in campaign.tables.values():
        lines += ["", f"table {table.name} — {table.label or table.description} (clé : {', '.join(table.key)})"]
        width = max([len(c) for c, _ in table.columns] + [6])
        for column, unit in table.columns:
            lines.append(f"  {column.ljust(width)}  {unit.ljust(8)}  {table.meanings.get(column, '')}".rstrip())
        for inp in computed_inputs(campaign, table.name):
            lines.append(f"  → {inp.column} : {french.from_records(inp.from_records, table)}")
    return "\n".join(lines)
