"""The embedded engine: a plan executed as one Polars lazy query, exact in Polars.

Chosen by measurement (benchmarks/bench_eval.py): on this 2-core machine, Polars
lazy expressions with window functions beat hand-written DuckDB SQL several times
over at 1 M rows. Each IR expression becomes a Polars expression in floating point
with a bound on its error and an exact form in Int128 integers (polars_translate.py,
polars_rational.py), in two passes:

- the fast pass holds no exact form in its query: only their static bounds. Two values
  within error of each other whose denominators are bounded cannot differ by less than
  their grid (polars_translate.grid_gap): when their errors are below it, they are equal,
  exactly. So values exactly on a threshold or equal to the previous result are decided
  in floating point, exactly; cents go by largest remainder on floats, the few cells too
  close to the cut-off ranked exactly; a written digit within error of a half is
  recomputed in Python (runtime/exact.py).
- if any other decision is in doubt on any row, the exact pass runs instead: every form a
  decision or a written digit reads is held in Int128 and decides in Polars; what the
  forms cannot hold (integers beyond the guarded range) stays a *doubt*, recomputed in
  Python.

The result follows the plan's exact numeric contract (runtime/plan.py), whatever the
row order and whichever pass ran.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from qualispec.compiler.graph import references
from qualispec.compiler.syntax import ast
from qualispec.runtime.engines import polars_rational as rational
from qualispec.runtime.engines.polars_translate import (GROUP_ID, ROW, U, EngineError, Translator, V, abs_err, grid_gap,
                                                        relative)
from qualispec.runtime.engines import polars_money, polars_shares
from qualispec.runtime.engines.polars_common import COMMON, common_steps
from qualispec.runtime.exact import ORDER_STATISTICS, ExactRows, round_half_even
from qualispec.runtime.plan import WHOLE_UNITS, Plan, written_scale

DOUBT = "#doubt:"  # a step's doubt column: some decision of this row is within error of its boundary
ERR = "#err"  # suffix of a column's error bound
NUM, DEN = "#num", "#den"  # a column's exact form: numerator and denominator (Int128)
WRITTEN = "#w:"
# Below this many rows the in-memory engine wins (planning a wide query for streaming costs seconds: a
# 2-row IFAQ 2022 case 14,6 s streaming, 1,6 s in memory); above, streaming does (IFAQ 2024 50 k rows 0,55 s
# streaming, 1,1 s in memory).
STREAMING_FROM = 20_000  # an output's written digits: round_half_even(value · factor · 10^decimals), an integer


def execute(plan: Plan, frame: pl.DataFrame, keep: set[str] | None = None, stats: dict | None = None,
            fast: bool = True) -> pl.DataFrame:
    """Every node's column (or only those in ``keep``), the group, written digits and cents.

    ``stats`` (if given) receives ``exact_rows``: how many rows were evaluated in Python (runtime/exact.py),
    and ``pass``: "fast" or "exact". First the fast pass (``fast``): floats and error bounds only, every
    decision taken exactly on the grid of its exact form (polars_translate.grid_gap), cents by largest
    remainder on floats with exact ties; a written digit in doubt is recomputed in Python. Any other
    decision in doubt on any row, and the exact pass runs instead: every value with its exact form in Int128.

    Steps are scheduled by depth (a step's depth is one more than the deepest step it
    reads), and each depth is one ``with_columns``, which Polars runs in parallel.
    """
    if fast:
        quick = _approximate(plan, frame, {}, keep, fast=True)
        digits = [c for c in quick.frame.columns if c.startswith(DOUBT + WRITTEN)]  # a written digit reads nothing
        if not _doubtful_rows(quick.frame.drop(digits)):  # every decision settled in floats, exactly
            exact = ExactRows(plan.typed_ir, plan, frame, quick.frame, GROUP_ID, quick.shared, quick.ordered,
                              quick.relative)
            approx = polars_money.allocate(plan, _exact_digits(plan, quick.frame, exact, digits), exact, ROW, {})
            return _finish(approx, exact, keep, stats, "fast")
    approx, cents_forms, shared, _, relative_bounds = _approximate(plan, frame, {}, keep)
    exact = ExactRows(plan.typed_ir, plan, frame, approx, GROUP_ID, shared, relative=relative_bounds)
    doubtful = _doubtful_rows(approx)
    moved = {i: g for i in doubtful if (g := exact.row(i).group_index()) != approx[GROUP_ID][i]} if plan.groups else {}
    if moved:  # a row whose group was in doubt changes group: the populations are recomputed with it
        approx, cents_forms, shared, _, relative_bounds = _approximate(plan, frame, moved, keep)
        exact = ExactRows(plan.typed_ir, plan, frame, approx, GROUP_ID, shared, relative=relative_bounds)
        doubtful = _doubtful_rows(approx)
    if doubtful:
        approx = _patch(plan, approx, exact, doubtful)
    approx = polars_money.allocate(plan, approx, exact, ROW, cents_forms)
    return _finish(approx, exact, keep, stats, "exact")


def _finish(approx: pl.DataFrame, exact: ExactRows, keep: set[str] | None, stats: dict | None, path: str):
    if stats is not None:
        stats["exact_rows"] = len(exact.rows)
        stats["pass"] = path
    columns = [c for c in approx.columns if not c.startswith((DOUBT, COMMON)) and not c.endswith((ERR, NUM, DEN))]
    if keep is not None:  # intermediate columns are computed in passing, never held
        columns = [c for c in columns if c in keep or c == ROW or c.startswith(WRITTEN) or c.endswith("#cents")]
    return approx.select(columns)


class Pass(NamedTuple):
    frame: pl.DataFrame
    cents_forms: dict[str, rational.Q]  # the payouts' exact forms held as columns
    shared: dict[str, dict]  # group amounts sharing their envelope: cents per group
    ordered: frozenset[str] = frozenset()  # columns whose float order is their exact order (fast pass)
    relative: dict[str, float] = {}  # columns whose error bound is r·|value|, held in no column


def _approximate(plan: Plan, frame: pl.DataFrame, moved: dict[int, int], keep: set[str] | None = None,
                 fast: bool = False) -> Pass:
    """The Polars pass: every step in floating point with its error bound and exact form, doubts, written digits.

    With ``keep``, only those columns come out (and what the money and the doubts read): Polars
    then never computes the rest. Also returns the exact forms held for the payouts (columns
    ``<payout>#num``/``#den``), from which polars_money takes the cents exactly, and the group
    amounts shared to the cent (polars_shares.py).
    """
    inexact, integer, exact = set(), set(), {}
    relative_bounds: dict[str, float] = {}  # inexact columns whose bound is r·|value| (no error column)
    casts = []
    largest, zeros = _largest(frame)
    for name, dtype in frame.schema.items():
        if dtype.is_decimal():  # its unscaled integers, read before the column is turned into floats
            unscaled = pl.col(name).to_physical().cast(rational.I128)
            if zeros[name]:  # trailing zeros every value has (a float read at 12 decimals): smaller integers
                unscaled = unscaled // 10 ** zeros[name]
            casts.append(unscaled.alias(name + NUM))
            exact[name] = rational.known(rational.decimal(pl.col(name + NUM), dtype.scale - zeros[name],
                                                          largest[name] // 10 ** zeros[name]))
        elif dtype.is_integer():
            exact[name] = rational.known(rational.integer(pl.col(name), largest[name]))
            integer.add(name)
        if dtype.is_decimal() or dtype.is_float():
            casts.append(pl.col(name).cast(pl.Float64))
            inexact.add(name)
            relative_bounds[name] = U
    t = Translator(plan, inexact, integer, exact)
    t.relative = relative_bounds
    t.rows = max(frame.height, 1)
    t.fast = fast
    needed: set[str] = set()  # steps whose exact form a decision or a written digit reads: held as columns

    def column_form(name: str, v: V) -> rational.Lazy:
        def make():
            if not fast:  # the fast pass reads a form's bounds only; it holds what its query reads (_lazy)
                needed.add(name)
            q = rational.form(v.exact)
            return None if q is None else rational.columns(name + NUM, name + DEN, q)
        return rational.Lazy(make)

    depth: dict[str, int] = {}
    levels: dict[int, list[pl.Expr]] = {}
    field_masks: set[str] = set()

    def field_mask(fields: tuple[str, ...]) -> pl.Expr:
        """One yes/no column per set of fields, computed first."""
        mask = "#in:" + ",".join(fields)
        if mask not in field_masks:
            field_masks.add(mask)
            levels.setdefault(0, []).append(pl.col("field").is_in(list(fields)).alias(mask))
        return pl.col(mask)

    def add_group() -> None:
        if "group" in depth:
            return
        level = 1 + max((depth.get(case.condition, 0) for case in plan.groups), default=0)
        depth[GROUP_ID] = depth["group"] = level
        levels.setdefault(level, []).append(_group_id_expr(plan, field_mask, moved))
        levels.setdefault(level + 1, []).append(_group_label_expr(plan))

    translated = []
    shared: dict[str, dict] = {}  # group amounts sharing their envelope: cents per group
    for step, expr in common_steps(plan.steps):  # shared sub-expressions as hidden columns (polars_common)
        needs = references(expr)  # what the dependency graph says the step reads
        if "group" in needs:
            add_group()
        level = 1 + max((depth.get(n, 0) for n in needs), default=0)
        depth[step.column] = level
        t.doubts = []
        v = t(expr)
        if step.fields and plan.has_fields:
            mask = field_mask(step.fields)
            form = rational.lazy(lambda q, m=mask: rational.masked(q, m), v.exact)
            if v.rel is not None:
                v = relative(pl.when(mask).then(v.value), v.rel, v.integer, form, v.rounded)
            else:
                v = V(pl.when(mask).then(v.value), None if v.err is None else pl.when(mask).then(v.err), v.integer,
                      form, v.rounded)
        extra = []
        if step.shared_by_group:
            share = polars_shares.shared(plan, frame, step, v, lambda exprs, at=level: _lazy(
                frame, casts, levels, translated, needed, {at: exprs}, fast), _engine(frame))
            if share is not None:
                v, extra, shared[step.column] = share
        if step.round_cents and not extra:
            v = _whole_cents(t, v)
        if v.err is not None:
            inexact.add(step.column)
            if v.rel is not None:
                relative_bounds[step.column] = v.rel
        elif v.integer:
            integer.add(step.column)
        if extra:
            exact[step.column] = v.exact
        elif v.exact is not None:
            exact[step.column] = column_form(step.column, v)
        if v.rounded:
            t.rounded.add(step.column)
        translated.append((step, level, v, t.doubts, extra))
    if plan.groups:
        add_group()
    written = []
    for out in plan.outputs:
        numeric = out.unit not in ("text", "category", "boolean")  # None: a number without a unit (a count of ifs)
        known = out.source in depth or out.source in frame.columns
        as_is = out.source in integer and out.unit in WHOLE_UNITS  # integers are written as they are
        if out.part != "payout" and numeric and known and not as_is:
            bound = relative_bounds.get(out.source, _error(out.source, inexact, relative_bounds))
            written += _written(out.source, out.unit, bound, rational.form(exact.get(out.source)), fast)
    cents_forms = {}
    for allocation in plan.allocations if not fast else ():  # the payouts' exact forms, for exact cents
        for _, column in allocation.payouts:
            read_elsewhere = column in needed
            q = rational.form(exact.get(column))
            if q is not None and polars_money.exact_enough(q):
                cents_forms[column] = q
            elif not read_elsewhere:
                needed.discard(column)
    levels[max([*levels, *(level for _, level, *_ in translated)], default=0) + 1] = written
    lf = _lazy(frame, casts, levels, translated, needed, {}, fast)
    money = ({a.group_amount for a in plan.allocations if a.group_amount}
             | {c for a in plan.allocations for _, c in a.payouts})
    # what a payout reads keeps its error bound: where it is 0 the float is exact (polars_money._same_payout_keys);
    # a relative bound is r·|value|, computed where it is read (Pass.relative), in no column
    read = money | _read_by(plan, money)
    if keep is not None:
        # the exact forms of the money: for the exact pass's cents only (the fast pass holds no form: polars_money
        # reads none, and a group amount's Int128 form would be two columns of 16 bytes a row read by nothing)
        forms = set() if fast else {c + suffix for c in money for suffix in (NUM, DEN)}
        wanted = (keep | {ROW, GROUP_ID} | money | {c + ERR for c in money} | forms
                  | {c + ERR for c in read} | _ordered_by_runtime_exact(plan))
        lf = lf.select([c for c in lf.collect_schema().names() if c in wanted or c.startswith((WRITTEN, DOUBT))])
    # one chunk per column: a streaming result's columns are cut in different chunks, which every later select
    # or drop of the frame aligns again (0,3 s each at 1 M rows, more than rechunking once)
    return Pass(_one_chunk(lf.collect(engine=_engine(frame))), cents_forms, shared, frozenset(t.ordered),
                relative_bounds)


def _one_chunk(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each column in one chunk, copied a column at a time: each column's chunks are let go as
    soon as it is copied, so that the pass's result is never held twice (DataFrame.rechunk copies every column
    before letting any go)."""
    for index, column in enumerate(frame.columns):
        if frame[column].n_chunks() > 1:
            frame.replace_column(index, frame[column].rechunk())
    return frame


def _error(column: str, inexact: set[str], relative_bounds: dict[str, float]) -> pl.Expr | None:
    """The column's error bound: r·|value|, its error column, or None when it is exact."""
    if column in relative_bounds:
        return pl.col(column).cast(pl.Float64).abs() * relative_bounds[column]
    return pl.col(column + ERR) if column in inexact else None


def _engine(frame: pl.DataFrame) -> str:
    return "in-memory" if frame.height < STREAMING_FROM else "auto"


def _lazy(frame: pl.DataFrame, casts: list[pl.Expr], levels: dict[int, list[pl.Expr]], translated: list,
          needed: set[str], extra: dict[int, list[pl.Expr]], hold_read: bool = False) -> pl.LazyFrame:
    """The lazy query of the translated steps, level by level (``extra``: more columns at some levels).

    The steps in ``needed`` hold their exact forms as columns; with ``hold_read`` (the fast pass), also
    every step whose form the query reads, and what those forms read in turn.
    """
    by_level = {level: list(exprs) for level, exprs in levels.items()}
    steps = {}
    for step, level, v, doubts, columns in translated:
        exprs = [v.value.alias(step.column)] + columns
        if v.err is not None and v.rel is None:  # a relative bound is r·|value|, in no column
            exprs.append(v.err.alias(step.column + ERR))
        if doubts:
            exprs.append(pl.any_horizontal(doubts).alias(DOUBT + step.column))
        steps[step.column] = v
        by_level.setdefault(level, []).extend(exprs)
    for level, exprs in extra.items():
        by_level.setdefault(level, []).extend(exprs)
    held = needed  # the exact pass: building a form marks the forms it reads in ``needed`` (column_form)
    if hold_read:
        held = needed | _forms_read([e for exprs in by_level.values() for e in exprs], steps)
    for step, level, v, _, _ in reversed(translated):  # a held form reads its operands' forms: they are held too
        q = rational.form(v.exact) if step.column in held else None
        if q is not None:
            if hold_read:
                held |= _forms_read([q.num, q.den], steps)
            by_level[level] += [q.num.alias(step.column + NUM), q.den.alias(step.column + DEN)]
    lf = frame.lazy().with_row_index(ROW).with_columns(casts)
    for level in sorted(by_level):
        lf = lf.with_columns(by_level[level])
    return lf


def _forms_read(exprs: list[pl.Expr], steps: dict) -> set[str]:
    """The steps whose exact form's columns (``<step>#num``, ``#den``) these expressions read."""
    names = {name for e in exprs for name in e.meta.root_names()}
    return {name[:-len(NUM)] for name in names if name.endswith((NUM, DEN)) and name[:-len(NUM)] in steps}


def _read_by(plan: Plan, columns: set[str]) -> set[str]:
    """The steps these columns read, directly or not."""
    steps = {s.column: s for s in plan.steps}
    seen, todo = set(), list(columns)
    while todo:
        name = todo.pop()
        if name in steps and name not in seen:
            seen.add(name)
            todo += references(steps[name].expr)
    return seen


def _ordered_by_runtime_exact(plan: Plan) -> set[str]:
    """The columns whose approximate values runtime/exact.py reads to order a population (order statistics)."""
    return {node.args[0].target for step in plan.steps for node in ast.walk(step.expr)
            if isinstance(node, ast.Call) and node.over and node.func in ORDER_STATISTICS
            and isinstance(node.args[0], ast.Ref)}


def _whole_cents(t: Translator, v: V) -> V:
    """An envelope's amount rounded half to even to the cent: exactly where its exact form is held."""
    cents = v.value * 100
    approx = v.value.round(2, mode="half_to_even")
    q = rational.form(v.exact)
    digits = None if q is None else rational.scaled_digits(q, 100)
    if digits is None:
        if v.err is not None:
            t.doubt(((cents - cents.floor() - 0.5).abs() < v.err * 100 + U * cents.abs()).fill_null(False))
        return relative(approx, U)
    digits, held = digits
    value = digits.cast(pl.Float64) / 100
    exact = rational.Q(digits.cast(rational.I128), pl.lit(100, rational.I128), q.num_max * 100 // q.den_max + 1, 100, 100)
    if held is not None:
        near = ((cents - cents.floor() - 0.5).abs() < abs_err(v) * 100 + U * cents.abs()).fill_null(False)
        t.doubt(near & ~held)
        value = pl.when(held).then(value).otherwise(approx)
        exact = rational.Q(exact.num, pl.when(held).then(exact.den).otherwise(pl.lit(0, rational.I128)), exact.num_max,
                           100, 100, False)
    return relative(value, U, False, rational.known(exact))


def _largest(frame: pl.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """The static bounds: the largest magnitude of each integer column and of each decimal's unscaled integer;
    and how many trailing zeros every unscaled integer of a decimal column has (at most its scale)."""
    numbers = [name for name, dtype in frame.schema.items() if dtype.is_decimal() or dtype.is_integer()]
    if not numbers:
        return {}, {}
    # the least and the greatest in the column's own integers, their magnitudes in Python (a cast of every value
    # to Int128 and its absolute value cost 3 times more: 0,13 s for 14 columns at 1 M rows)
    integers = {name: pl.col(name).to_physical() if frame.schema[name].is_decimal() else pl.col(name) for name in numbers}
    ends = frame.select(e for name, col in integers.items()
                        for e in (col.min().alias(name + "#min"), col.max().alias(name + "#max"))).row(0, named=True)
    row = {name: max(abs(ends[name + "#min"] or 0), abs(ends[name + "#max"] or 0)) for name in numbers}
    zeros = {name: 0 for name, dtype in frame.schema.items() if dtype.is_decimal()}
    pending = [name for name in zeros if frame.schema[name].scale > 0]
    while pending:  # one more zero at a time, every column in one select: mostly a single test (none to drop)
        divisible = frame.select((pl.col(name).to_physical() % 10 ** (zeros[name] + 1) == 0).all().alias(name)
                                 for name in pending).row(0, named=True)
        for name in pending:
            zeros[name] += bool(divisible[name])
        pending = [name for name in pending if divisible[name] and zeros[name] < frame.schema[name].scale]
    return {name: int(row[name] or 0) for name in numbers}, zeros


def _written(column: str, unit: str | None, bound: float | pl.Expr | None, exact: rational.Q | None,
             fast: bool) -> list[pl.Expr]:
    """The written digits of an output column, exact where its exact form is held, else a doubt near a boundary.

    ``bound``: the value's error bound (a number: relative, r·|value|; None: the value is exact).
    The fast pass holds no exact form: a value within error of a half (of its last digit) IS that half
    when its error is below a quarter of its grid (grid_gap, halved for halves), and goes to the even digit.
    """
    factor, decimals = written_scale(unit)
    scaled = pl.col(column) * (factor * 10 ** decimals)
    rounded = scaled.round(0, mode="half_to_even")
    digits = rounded.cast(pl.Int64)
    if bound is None:
        return [digits.alias(WRITTEN + column)]
    if isinstance(bound, float):
        err = scaled.abs() * (bound + U)
    else:
        err = bound * (factor * 10 ** decimals) + U * scaled.abs()
    near = ((scaled - scaled.floor() - 0.5).abs() < err).fill_null(False)
    gap = None if exact is None or not fast else grid_gap(exact)
    if gap is not None:  # the grid of value · factor · 10^decimals: 1/D as the value's
        tie = (scaled * 0.5).round(0) * 2  # within 1/8 of k + 1/2: the even one of k and k + 1
        return [pl.when(near).then(tie).otherwise(rounded).cast(pl.Int64).alias(WRITTEN + column),
                (near & (err * 8 >= gap)).alias(DOUBT + WRITTEN + column)]
    if exact is None or fast:
        return [digits.alias(WRITTEN + column), near.alias(DOUBT + WRITTEN + column)]
    decided = rational.scaled_digits(exact, factor * 10 ** decimals)
    if decided is None:
        return [digits.alias(WRITTEN + column), near.alias(DOUBT + WRITTEN + column)]
    exact_digits, held = decided
    if held is None:
        return [exact_digits.alias(WRITTEN + column)]
    return [pl.when(held).then(exact_digits).otherwise(digits).alias(WRITTEN + column),
            (near & ~held).alias(DOUBT + WRITTEN + column)]


def _doubtful_rows(approx: pl.DataFrame) -> list[int]:
    doubts = [c for c in approx.columns if c.startswith(DOUBT)]
    if not doubts:
        return []
    return approx.lazy().filter(pl.any_horizontal(doubts)).select(ROW).collect()[ROW].to_list()


def _exact_digits(plan: Plan, approx: pl.DataFrame, exact: ExactRows, doubts: list[str]) -> pl.DataFrame:
    """The written digits in doubt, from the rows' exact values (runtime/exact.py)."""
    doubtful = approx.lazy().filter(pl.any_horizontal(doubts)).select(ROW, *doubts).collect() if doubts else None
    if doubtful is None or doubtful.height == 0:
        return approx
    fixed = []
    for doubt in doubts:
        rows = doubtful.filter(pl.col(doubt))[ROW].to_list()
        if rows:
            column = doubt[len(DOUBT):]
            if approx[ROW].gather(rows).to_list() != rows:
                raise EngineError("the pass must keep the rows in order")  # ROW is each row's place
            digits = pl.Series(_digits_of(plan, exact, column[len(WRITTEN):], rows), dtype=pl.Int64)
            fixed.append(approx[column].cast(pl.Int64).clone().scatter(rows, digits))
    return approx.with_columns(fixed)


def _digits_of(plan: Plan, exact: ExactRows, source: str, rows: list[int]) -> list[int | None]:
    unit = plan.typed_ir.nodes[source].unit if source in plan.typed_ir.nodes else None
    factor, decimals = written_scale(unit)
    return [None if (v := exact.value(i, source)) is None else round_half_even(v * factor * 10 ** decimals)
            for i in rows]


def _patch(plan: Plan, approx: pl.DataFrame, exact: ExactRows, rows: list[int]) -> pl.DataFrame:
    """Replace the doubtful rows' values by their exact ones (as floats; written digits exactly)."""
    steps = [s.column for s in plan.steps if s.column in approx.columns]
    patch: dict[str, list] = {ROW: rows}
    for column in steps:
        dtype = approx.schema[column]
        values = [exact.value(i, column) for i in rows]
        patch[column] = [None if v is None else float(v) if dtype.is_float() else int(v) if dtype.is_integer() else v
                         for v in values]
        if column + ERR in approx.columns:
            patch[column + ERR] = [None if v is None else abs(float(v)) * U for v in values]
        if column + DEN in approx.columns:  # the exact form computed in Polars no longer stands for these rows
            patch[column + NUM], patch[column + DEN] = [0] * len(rows), [0] * len(rows)
    for column in (c for c in approx.columns if c.startswith(WRITTEN)):
        patch[column] = _digits_of(plan, exact, column[len(WRITTEN):], rows)
    if GROUP_ID in approx.columns:
        patch[GROUP_ID] = [exact.row(i).group_index() for i in rows]
    schema = {c: approx.schema[c] for c in patch}
    return approx.update(pl.DataFrame(patch, schema=schema), on=ROW, include_nulls=True)


def _group_id_expr(plan: Plan, field_mask, moved: dict[int, int]) -> pl.Expr:
    """The index of the row's group in the plan (missing when none holds)."""
    chain = None
    if moved:  # rows whose exact group differs from the approximate one
        chain = pl.when(pl.col(ROW).is_in(list(moved))).then(
            pl.col(ROW).replace_strict(moved, default=None, return_dtype=pl.Int16))
    for i, case in enumerate(plan.groups):
        cond = field_mask((case.field_name,)) & pl.col(case.condition).fill_null(False)
        chain = (pl.when(cond) if chain is None else chain.when(cond)).then(pl.lit(i, pl.Int16))
    return chain.otherwise(None).alias(GROUP_ID)


def _group_label_expr(plan: Plan) -> pl.Expr:
    """The group's label, as an enumeration of the campaign's labels (not millions of strings)."""
    labels = {i: case.label for i, case in enumerate(plan.groups)}
    enum = pl.Enum(list(dict.fromkeys(labels.values())))
    return pl.col(GROUP_ID).replace_strict(labels, default=None, return_dtype=enum).alias("group")


__all__ = ["EngineError", "GROUP_ID", "ROW", "execute"]
