"""Whole cents for the payouts, by largest remainder, decided exactly in Polars.

Within a partition (a group when the envelope has a group amount, else everyone), each
(establishment, indicator) cell gets ⌊100·p⌋ cents; the leftover, round_half_even(Σ 100·p)
minus the floors, goes one cent each to the cells with the largest remainders, ties by
FINESS, field, then the indicators' order in the spec (runtime/plan.py).

A payout whose exact form is held (num/den in Int128, polars_engine.py) has its floor and
remainder r/den in integers; remainders are ranked in floating point (each within 2⁻⁴⁹ of
the exact one), and those too close to the cut-off to tell by an exact key: the first
binary digits of r/den, enough of them that two different remainders differ in them
(den < 2^b: 2b digits), computed by integer long division; equal keys are equal remainders.
The cut-off is found by selection (top_k), never by sorting every cell. Only what has no
exact form (integers beyond the guarded range) is settled with runtime/exact.py: a floor
within error of an integer, a partition total within error of a half cent, a remainder
within error of the cut-off.
"""

from __future__ import annotations

import math
from fractions import Fraction

import polars as pl

from qualispec.compiler.syntax import ast
from qualispec.runtime.engines import OverEnvelope
from qualispec.runtime.engines import polars_rational as rational
from qualispec.runtime.engines.polars_translate import GROUP_ID, U
from qualispec.runtime.exact import ExactRows, round_half_even
from qualispec.runtime.plan import Plan

ERR, NUM, DEN = "#err", "#num", "#den"
HELD_ERR = 2.0 ** -49  # |float(r)/float(den) − r/den| for exact integers r < den: three roundings
KEY_BITS = 115  # a denominator beyond 2^115 leaves too few bits per digit of the exact key


def exact_enough(q: rational.Q) -> bool:
    """Whether the cents of a payout with this exact form can be taken from it (100·num and the key fit)."""
    return q.num_max * 100 < rational.LIMIT and q.den_max.bit_length() <= KEY_BITS


def allocate(plan: Plan, frame: pl.DataFrame, exact: ExactRows, row: str,
             forms: dict[str, rational.Q] | None = None) -> pl.DataFrame:
    """Add ``<payout>#cents`` columns (Int64), adding up to what each partition distributes."""
    forms = forms or {}
    for allocation in plan.allocations:
        columns = [col for _, col in allocation.payouts]
        if not allocation.envelope:  # payouts of their own (profit-sharing): each rounded to the cent
            frame = _own_cents(frame, columns, exact, row, forms)
            continue
        by_group = allocation.group_amount is not None and plan.groups
        frame = _largest_remainder(frame, columns, GROUP_ID if by_group else None, exact, row, forms)
        if allocation.group_amount is not None:
            _check_envelope(frame, allocation, columns, GROUP_ID if by_group else None)
    return frame


def _scaled(frame: pl.DataFrame, column: str, relative: dict[str, float]) -> tuple[pl.Expr, pl.Expr]:
    """100·p in floating point and its error bound (``relative``: the columns whose bound is r·|value|)."""
    p100 = pl.col(column).fill_null(0.0) * 100
    if column in relative:
        err = p100.abs() * relative[column]
    else:
        err = pl.col(column + ERR).fill_null(0.0) * 100 if column + ERR in frame.columns else pl.lit(0.0)
    return p100, err + U * p100.abs()


def _held(frame: pl.DataFrame, column: str, forms: dict) -> pl.Expr:
    """Where the payout's exact form stands for the row (a missing payout is 0, exactly)."""
    if column not in forms or column + DEN not in frame.columns:
        return pl.lit(False)
    return (pl.col(column + DEN).fill_null(0) > 0) | pl.col(column).is_null()


def _cents_of_form(column: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """100·num and den of a held payout (a missing one: 0/1)."""
    num = pl.col(column + NUM).fill_null(0) * 100
    den = pl.when(pl.col(column + NUM).is_null()).then(pl.lit(1, rational.I128)).otherwise(pl.col(column + DEN))
    return num, den, num // den


def _exact_cents(exact: ExactRows, index: int, column: str) -> Fraction:
    value = exact.value(index, column)
    return Fraction(0) if value is None else value * 100


def _own_cents(frame, columns, exact, row, forms) -> pl.DataFrame:
    exprs, doubts = [], []
    for c in columns:
        p100, err = _scaled(frame, c, exact.relative)
        held = _held(frame, c, forms)
        approx = p100.round(0, mode="half_to_even").cast(pl.Int64)
        if c in forms:
            num, den, _ = _cents_of_form(c)
            q = forms[c]
            decided = rational.round_half_even(rational.Q(num, den, q.num_max * 100, q.den_max)).cast(pl.Int64)
            approx = pl.when(held).then(decided).otherwise(approx)
        exprs.append(approx.alias(c + "#cents"))
        doubts.append((~held & ((p100 - p100.floor() - 0.5).abs() < err)).alias(c + "#doubt"))
    wide = frame.lazy().with_columns(exprs + doubts).collect()
    for c in columns:
        rows = wide.filter(pl.col(c + "#doubt"))[row].to_list()
        if rows:
            cents = [round_half_even(_exact_cents(exact, i, c)) for i in rows]
            wide = wide.update(pl.DataFrame({row: rows, c + "#cents": cents},
                                            schema={row: wide.schema[row], c + "#cents": pl.Int64}), on=row)
    return wide.drop([c + "#doubt" for c in columns])


def _cell_columns(frame: pl.DataFrame, i: int, c: str, forms: dict, relative: dict[str, float]) -> list[pl.Expr]:
    """Cell i's floor, remainder (float), error bound, and where held its exact remainder r over den (when some
    payout's form is held: the fast pass holds none, and its cells carry no empty Int128 columns)."""
    p100, err = _scaled(frame, c, relative)
    floor = p100.floor()
    if c not in forms:
        none = [pl.lit(None, rational.I128).alias(f"#r{i}"), pl.lit(None, rational.I128).alias(f"#d{i}")] if forms else []
        return [floor.cast(pl.Int64).alias(f"#floor{i}"), (p100 - floor).alias(f"#rem{i}"), err.alias(f"#e{i}"),
                pl.lit(False).alias(f"#held{i}")] + none
    held = _held(frame, c, forms)
    num, den, whole = _cents_of_form(c)
    remainder = num - whole * den
    return [pl.when(held).then(whole.cast(pl.Int64)).otherwise(floor.cast(pl.Int64)).alias(f"#floor{i}"),
            pl.when(held).then(remainder.cast(pl.Float64) / den.cast(pl.Float64)).otherwise(p100 - floor)
            .alias(f"#rem{i}"),
            pl.when(held).then(pl.lit(HELD_ERR)).otherwise(err).alias(f"#e{i}"), held.alias(f"#held{i}"),
            pl.when(held).then(remainder).alias(f"#r{i}"), pl.when(held).then(den).alias(f"#d{i}")]


def _largest_remainder(frame, columns, partition, exact: ExactRows, row: str, forms: dict) -> pl.DataFrame:
    part = pl.lit("all") if partition is None else pl.col(partition)
    finess = pl.col("finess").cast(pl.String).fill_null("") if "finess" in frame.columns else pl.lit("")
    field = pl.col("field").cast(pl.String).fill_null("") if "field" in frame.columns else pl.lit("")
    # the tie-breaking keys, read only for the cells ranked among themselves (never copied for every cell)
    keys = frame.lazy().select(pl.col(row), finess.alias("#finess"), field.alias("#fieldkey"))
    exprs = []
    for i, c in enumerate(columns):
        exprs += _cell_columns(frame, i, c, forms, exact.relative)
    wide = frame.lazy().select(pl.col(row), part.alias("#partition"), *exprs).collect()
    # 1. Floors within error of an integer, without an exact form: take the exact payout.
    for i, c in enumerate(columns):
        unsure = wide.filter(~pl.col(f"#held{i}") & ((pl.col(f"#rem{i}") < pl.col(f"#e{i}"))
                                                      | (1 - pl.col(f"#rem{i}") < pl.col(f"#e{i}"))))
        if unsure.height:
            rows = unsure[row].to_list()
            values = [_exact_cents(exact, r, c) for r in rows]
            floors = [math.floor(v) for v in values]
            wide = wide.update(pl.DataFrame({row: rows, f"#floor{i}": floors,
                                             f"#rem{i}": [float(v - f) for v, f in zip(values, floors)],
                                             f"#e{i}": [0.0] * len(rows)},
                                            schema={row: wide.schema[row], f"#floor{i}": pl.Int64,
                                                    f"#rem{i}": pl.Float64, f"#e{i}": pl.Float64}), on=row)
    n = len(columns)
    rems = [f"#rem{i}" for i in range(n)]
    errs = [f"#e{i}" for i in range(n)]
    totals = wide.lazy().group_by("#partition").agg(
        pl.sum_horizontal(rems).sum().alias("rem_sum"),
        pl.sum_horizontal([f"#floor{i}" for i in range(n)]).sum().alias("floor_sum"),
        pl.sum_horizontal(errs).sum().alias("err_sum"),
    ).collect()
    # 2. The leftover: round_half_even(Σ 100·p) − Σ floors, that is round(Σ remainders) unless Σ remainders is
    # within error of a half: then exactly, the half going to the even total (so the floors' parity counts).
    leftover = {}
    for key, rem_sum, floor_sum, err_sum in zip(totals["#partition"], totals["rem_sum"], totals["floor_sum"],
                                                totals["err_sum"]):
        if abs(rem_sum - math.floor(rem_sum) - 0.5) < err_sum + U * rem_sum * (n * wide.height + 1):
            exact_sum = floor_sum + _exact_remainders(wide, key, columns, exact, row)
            leftover[key] = round_half_even(exact_sum) - floor_sum
        else:
            leftover[key] = round(rem_sum)
    # 3. The winners of the leftover cents, partition by partition.
    bits = max((forms[c].den_max.bit_length() for c in columns if c in forms), default=0)
    forms_of = (lambda i: [pl.col(f"#r{i}").alias("r"), pl.col(f"#d{i}").alias("d")]) if forms else (lambda i: [])
    cells = pl.concat([wide.lazy().select(row, "#partition", pl.lit(i, pl.Int64).alias("cell"),
                                          pl.col(f"#rem{i}").alias("rem"), pl.col(f"#e{i}").alias("e"),
                                          pl.col(f"#held{i}").alias("held"), *forms_of(i))
                       for i in range(n)]).filter(pl.col("rem") > 0).collect()
    by_partition = cells.partition_by("#partition", as_dict=True)
    won = [_winners(by_partition[(key,)], count, columns, exact, row, bits, keys)
           for key, count in leftover.items() if count > 0 and (key,) in by_partition]
    won = pl.concat(won) if won else pl.DataFrame(schema={row: wide.schema[row], "cell": pl.Int64})
    cents = wide.select((pl.col(f"#floor{i}") + pl.col(row).is_in(won.filter(pl.col("cell") == i)[row].implode())
                         .cast(pl.Int64)).alias(c + "#cents") for i, c in enumerate(columns))
    return frame.with_columns(cents)


def _exact_remainders(wide, key, columns, exact, row) -> Fraction:
    """Σ of the partition's remainders, exactly: from the held integers, else by runtime/exact.py."""
    members = wide.filter(pl.col("#partition") == key)
    total = Fraction(0)
    for i, c in enumerate(columns):
        held = members.filter(pl.col(f"#held{i}"))
        if held.height:
            total += sum((Fraction(r, d) for r, d in zip(held[f"#r{i}"].to_list(), held[f"#d{i}"].to_list())),
                         Fraction(0))
        for r in members.filter(~pl.col(f"#held{i}"))[row].to_list():
            value = _exact_cents(exact, r, c)
            total += value - math.floor(value)
    return total


def _winners(cells, count, columns, exact, row, bits, keys: pl.LazyFrame) -> pl.DataFrame:
    """The (row, cell) pairs of one partition that win a leftover cent.

    A cell's exact remainder lies within its error of its float (``slack``: twice it, and the roundings of
    these bounds), so the count-th largest exact remainder lies between the count-th largest lower bound
    and the count-th largest upper bound: a cell above both surely wins, below both surely loses, and
    only the cells in between are ranked exactly.
    """
    slack = 2 * pl.col("e") + 1e-12
    low, high = pl.col("rem") - slack, pl.col("rem") + slack
    least_low, least_high = cells.select(low.top_k(count).min(), high.top_k(count).min().alias("h")).row(0)
    sure = cells.filter(low > least_high)
    near = cells.filter((low <= least_high) & (high >= least_low))
    wanted = count - sure.height
    if wanted <= 0:
        return sure.select(row, "cell")
    if wanted >= near.height:  # no choice among them (most often: the cut-off cell alone)
        return pl.concat([sure.select(row, "cell"), near.select(row, "cell")])
    near = near.join(keys.filter(pl.col(row).is_in(near[row].implode())).collect(), on=row, how="left",
                     maintain_order="left")
    if near["held"].all():  # ranked by their exact keys, in Polars
        keyed, key = _with_exact_key(near, bits)
        ranked = keyed.sort(key + ["#finess", "#fieldkey", "cell"], descending=[True] * len(key) + [False] * 3)
        return pl.concat([sure.select(row, "cell"), ranked.head(wanted).select(row, "cell")])
    ranked, known = [], {}
    same = _same_payout_keys(near, columns, exact, row)
    for r, c, f, fd, key in zip(near[row].to_list(), near["cell"].to_list(), near["#finess"].to_list(),
                                near["#fieldkey"].to_list(), same):
        if key not in known:
            value = _exact_cents(exact, r, columns[c])
            known[key] = value - math.floor(value)
        ranked.append((-known[key], f, fd, c, r))
    ranked.sort()
    chosen = pl.DataFrame({row: [r for *_, r in ranked[:wanted]], "cell": [c for *_, c, _ in ranked[:wanted]]},
                          schema={row: cells.schema[row], "cell": pl.Int64})
    return pl.concat([sure.select(row, "cell"), chosen])


def _same_payout_keys(cells: pl.DataFrame, columns: list[str], exact: ExactRows, row: str) -> list[tuple]:
    """A key per cell that two cells share only if their payouts are exactly equal: the same payout and group,
    and the same values of what it reads, each read as its float where that float is exact (no error bound,
    or a bound of 0: the engine keeps every kept value's bound), else by what it reads in turn, down to the
    inputs (a population's aggregate is the same for all its members). Identical establishments at the
    cut-off are computed once, not once each."""
    rows, cell = cells[row].to_list(), cells["cell"].to_list()
    approx = exact.approx
    approx_columns, input_columns = set(approx.columns), set(exact.inputs.columns)  # asked once, not per node
    group = approx[GROUP_ID].gather(rows).to_list() if GROUP_ID in approx.columns else [None] * len(rows)
    gathered: dict[str, list] = {}

    def column(name: str) -> list:
        if name not in gathered:
            source = approx if name in approx_columns else exact.inputs
            gathered[name] = source[name].gather(rows).to_list()
        return gathered[name]

    memo: dict[tuple, object] = {}
    direct: dict[str, list[str]] = {}  # what each step reads on its row (the same for every cell)

    def key(node: str, i: int):
        if (node, i) not in memo:
            memo[(node, i)] = read(node, i)
        return memo[(node, i)]

    def exact_float(node: str, i: int) -> bool:  # no error bound, or a bound of 0 on this row
        if node in exact.relative:
            return exact.relative[node] == 0 or column(node)[i] in (0, None)
        return node + ERR not in approx_columns or column(node + ERR)[i] in (0, None)

    def read(node: str, i: int):
        if node in exact.steps:
            if node in approx_columns and exact_float(node, i):
                return column(node)[i]
            if node not in direct:
                direct[node] = _direct(exact.steps[node].expr)
            return tuple(key(n, i) for n in direct[node])
        if node in input_columns:
            return column(node)[i]
        return None  # a parameter or a literal: the same for every row

    keys = [(c, group[i], key(columns[c], i)) for i, c in enumerate(cell)]
    key = read = exact_float = None  # noqa: F841 - the closures refer to each other: a cycle that would hold ``exact``
    return keys


def _direct(expr) -> list[str]:
    """The nodes an expression reads on its row (a population's aggregate: only what keys the population)."""
    found, stack = ["field"], [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call) and node.over:
            found += [] if node.over in ("all", "group", "field") else [node.over]
            continue  # the same for every member of the population
        if isinstance(node, ast.Ref) and node.target:
            found.append(node.target)
        stack.extend(node.children())
    return sorted(set(found))


def _with_exact_key(cells: pl.DataFrame, bits: int) -> tuple[pl.DataFrame, list[str]]:
    """The first binary digits of r/d (0 ≤ r < d < 2^bits), b at a time by long division in Int128: two
    different remainders differ by at least 2^(−2·bits), so 2·bits digits tell them apart."""
    b = min(62, 125 - bits)
    key = [f"#key{j}" for j in range(-(-2 * bits // b) + 1)]
    cells = cells.with_columns(pl.col("r").alias("#rest"))
    for name in key:
        shifted = pl.col("#rest") * (2 ** b)
        cells = cells.with_columns((shifted // pl.col("d")).alias(name))
        cells = cells.with_columns((shifted - pl.col(name) * pl.col("d")).alias("#rest"), pl.col(name).cast(pl.Int64))
    return cells, key


def _check_envelope(frame: pl.DataFrame, allocation, columns, partition) -> None:
    """Refuse results that pay a partition more than its amount (a message, not a crash)."""
    paid = pl.sum_horizontal([pl.col(c + "#cents") for c in columns])
    amount = (pl.col(allocation.group_amount) * 100).round(0)
    key = partition or "#everyone"
    check = (frame.lazy().with_columns(pl.lit(0).alias("#everyone")) if partition is None else frame.lazy())
    check = check.group_by(key).agg(paid.sum().alias("paid"), amount.max().alias("amount")).collect()
    over = check.filter(pl.col("paid") > pl.col("amount") + 0.5)
    if over.height:
        first = over.row(0, named=True)
        raise OverEnvelope.of(allocation.envelope, first["paid"], first["amount"], first[key] if partition else None)
