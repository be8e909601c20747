"""Functions and aggregates of the IR as Polars expressions, on both lanes (see polars_translate.py).

Aggregates are windows over the partition named after ``over``. A sum of values with one
fixed denominator (integer and decimal inputs, literals) is an exact sum of numerators;
an order statistic takes the exact form of the member it picks, held unless a member of
another exact value sorts within error of it (then the exact lane lets go and the float
bound decides, with doubts). In the fast pass, a population whose errors are below a quarter
of its grid sorts in floats as it does exactly: the pick is then a member on that grid, and a
result equal to it (the one the quantile picked) is decided equal (_sorted_on_grid).
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl

from qualispec.compiler.syntax import ast
from qualispec.runtime.engines import polars_rational as rational
from qualispec.runtime.engines.polars_rational import I128, Lazy, Q, form, known, lazy
from qualispec.runtime.engines.polars_translate import (GROUP_ID, ROW, U, EngineError, Translator, V, abs_err, grid_gap,
                                                        rel_of, relative)
from qualispec.runtime.plan import as_fraction


def call(t: Translator, e: ast.Call) -> V:
    if e.over is None:
        return _function(t, e)
    return _aggregate(t, e)


def _function(t: Translator, e: ast.Call) -> V:
    f = e.func
    args = [t(a) for a in e.args]
    if f == "available":
        return V(args[0].value.is_not_null())
    if f in ("min_of", "max_of"):
        return _extreme(f, args)
    x = args[0]
    if f == "abs":
        return V(x.value.abs(), x.err, x.integer, lazy(rational.absolute, x.exact), False, x.rel)
    if f in ("floor", "round"):
        if f == "floor":
            approx = x.value.floor()
            near = None if x.err is None else ((x.value - approx < x.err) | (1 - (x.value - approx) < x.err))
        else:
            approx = x.value.round(0, mode="half_to_even")
            near = None if x.err is None else ((x.value - x.value.floor() - 0.5).abs() < x.err)
        whole = rational.floor if f == "floor" else rational.round_half_even
        exact = lazy(lambda q: rational.integer(whole(q), q.num_max + 1), x.exact)
        if near is None:
            return V(approx, None, True, exact)
        near = near.fill_null(False)
        q = form(x.exact)
        if t.fast:
            return _fast_whole(t, f, x, approx, near, q, exact)
        if q is None:
            t.doubt(near)
            return V(approx, None, True)
        held = q.held()
        if held is None:
            return V(whole(q).cast(pl.Float64), None, True, exact)
        t.doubt(near & ~held)
        return V(pl.when(near & held).then(whole(q).cast(pl.Float64)).otherwise(approx), None, True, exact)
    raise EngineError(f"unknown function {f}")


def _fast_whole(t: Translator, f: str, x: V, approx: pl.Expr, near: pl.Expr, q: Q | None, exact: Lazy | None) -> V:
    """floor or round without the exact lane: a value within error of an integer (floor) or of a half (round)
    IS that integer or half when its error is below a quarter of its exact form's grid (grid_gap; a half's
    grid is half as fine). Elsewhere, a doubt."""
    gap = None if q is None else grid_gap(q)
    if gap is None:
        t.doubt(near)
        return V(approx, None, True, exact)
    t.doubt(near & (x.err * (4 if f == "floor" else 8) >= gap))
    if f == "floor":
        on = x.value.round(0)  # the integer it is
    else:
        below = (x.value - 0.5).round(0)  # an exact half k + 1/2 goes to the even one of k and k + 1
        on = below + (below - 2 * (below / 2).floor())
    return V(pl.when(near).then(on).otherwise(approx), None, True, exact)


def _extreme(f: str, args: list[V]) -> V:
    """min_of / max_of, missing values left out; the exact lane follows exact comparisons."""
    horizontal = pl.min_horizontal if f == "min_of" else pl.max_horizontal
    errs = [a.err for a in args if a.err is not None]
    value = horizontal(*[a.value for a in args])

    def pick(first: Q, *others: Q) -> Q:
        best = first
        for other in others:
            decided = rational.compare("<" if f == "min_of" else ">", other, best)
            if decided is None:
                return None
            better, held = decided
            take = best.num.is_null() | (other.num.is_not_null() & better.fill_null(False))
            branches = [(take, other)]
            if held is not None:
                branches.insert(0, (best.num.is_not_null() & other.num.is_not_null() & ~held, rational.NOT_HELD))
            best = rational.choose(branches, best)
        return best

    exact = lazy(pick, *[a.exact for a in args])
    rels = [rel_of(a) for a in args]
    if errs and None not in rels:  # the least (largest) of values each within r·|x|: within the largest r
        return relative(value, max(rels), all(a.integer for a in args), exact)
    return V(value, pl.max_horizontal(errs) if errs else None, all(a.integer for a in args), exact)


def _over(expr: pl.Expr, partition: str | None) -> pl.Expr:
    return expr.over(partition) if partition else expr


def _aggregate(t: Translator, e: ast.Call) -> V:  # noqa: C901 - one branch per aggregate
    f = e.func
    partition = {"all": None, "group": GROUP_ID, "field": "field"}.get(e.over, e.over)
    x = t(e.args[0])
    value, exact = x.value, x.exact
    if e.where is not None:  # only the rows where the condition holds count in the population
        outer, t.doubts = t.doubts, []
        where = t(e.where).value.fill_null(False)
        inner, t.doubts = t.doubts, outer
        if inner:  # a doubtful member makes the whole population's aggregate doubtful
            t.doubt(_over(pl.any_horizontal(inner).any(), partition))
        value = pl.when(where).then(value)
        exact = lazy(lambda q: rational.masked(q, where), exact)
    err = x.err if x.err is None else pl.when(value.is_not_null()).then(x.err)
    if f == "count":
        count = _over(value.count(), partition)
        return V(count, None, True, known(rational.integer(count, t.rows)))
    if f in ("sum", "mean"):
        return _sum_or_mean(t, e, x, value, exact, err, partition)
    spread = None if err is None else _over(err.max(), partition)
    on_grid = t.fast and not _exactly_ordered(x) and _sorted_on_grid(t, x, err, partition)
    if t.fast and isinstance(e.args[0], ast.Ref) and e.where is None and (on_grid or _exactly_ordered(x)):
        t.ordered.add(e.args[0].target)  # runtime/exact.py then picks its member by the float order alone
    # a picked member is within r·|pick| of the exact pick when every member is within r·|x| (module doc)
    picked_rel = x.rel if x.err is not None else None
    if f in ("min", "max", "median"):
        agg = {"min": value.min(), "max": value.max(), "median": value.median()}[f]
        out = _over(agg, partition)
        q, method = {"min": (Fraction(0), "lower"), "max": (Fraction(1), "lower"), "median": (Fraction(1, 2), "midpoint")}[f]
        exact_pick = _exact_quantile(x, value, exact, spread, q, method, partition, on_grid)
        if f != "median" and picked_rel is not None:
            return relative(out, picked_rel, x.integer, exact_pick)
        if f == "median" and not x.integer:
            spread = abs_err(V(out, spread)) + U * out.abs()
        return V(out, spread, x.integer and f != "median", exact_pick)
    if f == "quantile":
        q = as_fraction(t.constant(e.args[1]))
        method = t.constant(e.option("method")) if e.option("method") is not None else "lower"
        out = quantile(value, q, method, partition)
        exact_pick = _exact_quantile(x, value, exact, spread, q, method, partition, on_grid)
        if method in ("midpoint", "linear"):
            return V(out, 4 * abs_err(V(out, spread)) + U * out.abs(), False, exact_pick)
        if picked_rel is not None:  # lower, higher, nearest: a member
            return relative(out, picked_rel, x.integer, exact_pick)
        return V(out, spread, x.integer, exact_pick)
    raise EngineError(f"unknown function {f}")


def _sum_or_mean(t: Translator, e: ast.Call, x: V, value: pl.Expr, exact: Lazy | None, err: pl.Expr | None,
                 partition: str | None) -> V:
    n = _over(value.count(), partition)
    exact_total = lazy(lambda q: _exact_sum(value, q, partition, t.rows), exact)
    if e.func == "sum" and err is None and x.integer:
        return V(_over(value.sum(), partition), None, True, exact_total)
    bound = _over(err.sum(), partition) if err is not None else pl.lit(0.0)
    bound = bound + U * n * _over(value.abs().sum(), partition)
    total = _over(value.sum(), partition)
    if e.func == "mean":
        total = _over(value.mean(), partition)
        bound = bound / n + U * total.abs()
        exact_total = lazy(lambda q: rational.div(q, rational.integer(n, t.rows)), exact_total)
    if not (isinstance(e.args[0], ast.Ref) and e.args[0].target in t.inputs):
        return V(total, bound, False, exact_total)  # the exact form only if a decision asks for it
    q = form(exact_total)  # an input's decimals: summed exactly, then rounded once to float
    if q is None:
        return V(total, bound)
    held = q.held()
    from_exact = q.num.cast(pl.Float64) / q.den.cast(pl.Float64)
    if held is None:
        return relative(from_exact, 4 * U, False, known(q))
    return V(pl.when(held).then(from_exact).otherwise(total),
             pl.when(held).then(from_exact.abs() * (4 * U)).otherwise(bound), False, known(q))


def _exact_sum(value: pl.Expr, exact: Q, partition: str | None, rows: int) -> Q | None:
    """Σ num over one fixed denominator, held where every member of the population is held."""
    if exact.fixed is None:
        return None
    num = exact.num.cast(pl.Int64) if exact.num_max * rows < 2 ** 62 else exact.num  # Int64 when it cannot wrap
    total = _over(pl.when(value.is_not_null()).then(num).sum().cast(I128), partition)
    held = exact.held()
    if held is None:
        return rational.Q(total, pl.lit(exact.fixed, I128), exact.num_max * rows, exact.fixed, exact.fixed)
    unheld = (value.is_not_null() & ~held).any()
    den = _over(pl.when(unheld).then(pl.lit(0, I128)).otherwise(pl.lit(exact.fixed, I128)), partition)
    return rational._checked(total, den, exact.num_max * rows, exact.fixed, exact.fixed, False)


def _indices(value: pl.Expr, q: Fraction) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Inside a window: ⌊h⌋, ⌈h⌉ and the remainder of h = q·(n−1) over q's denominator, in integers."""
    n = value.count().cast(pl.Int64)  # count() is UInt32: (n - 1) must not wrap around
    scaled = (n - 1).clip(0) * q.numerator  # h = scaled / q.denominator
    lo = scaled // q.denominator
    rem = scaled % q.denominator
    return lo, lo + (rem > 0).cast(pl.Int64), rem


def _full(x: pl.Expr) -> pl.Expr:
    """A column of the frame's length, even from a literal (row numbers are gathered from it)."""
    return pl.when(pl.col(ROW).is_not_null()).then(x)


def _picks(value: pl.Expr, q: Fraction, partition: str | None) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """The row numbers holding x(⌊h⌋) and x(⌈h⌉) in each partition (one sort), and h's remainder."""
    lo, hi, rem = _indices(value, q)
    order = pl.col(ROW).sort_by(value, nulls_last=True)  # missing values last: index k is the k-th smallest
    return _over(order.get(lo), partition), _over(order.get(hi), partition), _over(rem, partition)


def quantile(x: pl.Expr, q: Fraction, method: str, partition: str | None) -> pl.Expr:
    """The q-quantile of x's non-missing values in each partition, with exact index arithmetic.

    Values sorted x(0) ≤ … ≤ x(n−1); h = q·(n−1) computed exactly (q is a fraction,
    n an integer, so there is no floating-point doubt about floor and ceil):
    lower = x(⌊h⌋), higher = x(⌈h⌉), nearest = the closer of the two (ties: lower),
    midpoint = their mean, linear = x(⌊h⌋) + (h − ⌊h⌋)·(x(⌈h⌉) − x(⌊h⌋)).
    """
    lo, hi, rem = _picks(x, q, partition)
    x = _full(x)
    if method == "lower":
        return x.gather(lo)
    if method == "higher":
        return x.gather(hi)
    if method == "nearest":
        return pl.when(2 * rem > q.denominator).then(x.gather(hi)).otherwise(x.gather(lo))
    if method == "midpoint":
        return (x.gather(lo) + x.gather(hi)) / 2
    if method == "linear":
        return x.gather(lo) + (rem / q.denominator) * (x.gather(hi) - x.gather(lo))
    raise EngineError(f"unknown quantile method {method}")


def _exact_quantile(x: V, value: pl.Expr, exact: Lazy | None, spread: pl.Expr | None, q: Fraction, method: str,
                    partition: str | None, on_grid: bool = False) -> Lazy | None:
    """The exact form of the quantile: the exact forms of the members at ⌊h⌋ and ⌈h⌉, then the method's rule."""
    return lazy(lambda q_: _exact_pick(x, value, q_, spread, q, method, partition, on_grid), exact)


def _sorted_on_grid(t: Translator, x: V, err: pl.Expr | None, partition: str | None) -> bool:
    """Fast pass: the float order of the population is its exact order, every member's exact form being held.

    Two members of different exact values n/d, m/e are at least their grid apart (grid_gap of x with itself:
    1/D for one fixed denominator D); when every member's float is within a quarter of it of its exact value,
    the floats of different values cannot swap or meet, so the member sorted k-th in floats holds the exact
    k-th smallest value (equal exact values may come in any order: they are the same value). A population
    with a larger error is a doubt (the exact pass then runs). False when x's form has no grid.
    """
    q = form(x.exact)
    gap = None if q is None or err is None else grid_gap(q, q)
    if gap is None:
        return False
    t.doubt(_over((err.max() * 4 >= gap), partition).fill_null(False))
    return True


def _distinct_floats(exact: Q) -> bool:
    """Values n/d correctly rounded, with n·d² ≤ 2⁵²: distinct values are at least 1/d² apart, more than the
    spacing of floats near them, so (rounding being monotone) the float order is the exact order and equal
    floats are equal values."""
    return exact.num_max < 2 ** 53 and exact.den_max < 2 ** 53 and exact.num_max * exact.den_max ** 2 <= 2 ** 52


def _exactly_ordered(x: V) -> bool:
    """The floats are correctly rounded values with distinct floats (_distinct_floats) on every row."""
    q = form(x.exact) if x.rounded else None
    return q is not None and q.held() is None and _distinct_floats(q)


def _exact_pick(x: V, value: pl.Expr, exact: Q, spread: pl.Expr | None, q: Fraction, method: str,
                partition: str | None, on_grid: bool = False) -> Q | None:
    """The exact forms of the members the quantile reads; ``on_grid`` (fast pass, _sorted_on_grid): the float
    order is the exact order, the picks are held on every row."""
    lo, hi, rem = _picks(value, q, partition)
    lo_in, hi_in, _ = _indices(value, q)
    in_order = pl.int_range(pl.len()).sort_by(value, nulls_last=True)  # inside a window: positions in the partition
    margin = None if spread is None else 2 * x.err.max()  # inside a window
    local = {id(lo): lo_in, id(hi): hi_in}

    def pick(row: pl.Expr) -> Q | None:
        num = _full(exact.num).gather(row)
        den = pl.lit(exact.fixed, I128) if exact.fixed is not None else _full(exact.den).gather(row)
        held = exact.held()
        if on_grid:
            return rational.Q(num, den, exact.num_max, exact.den_max, exact.fixed)
        if margin is None or (x.rounded and held is None and _distinct_floats(exact)):
            # the float order is the exact order, and a float stands for one exact value
            if held is None:
                return rational.Q(num, den, exact.num_max, exact.den_max, exact.fixed)
            bad = _over((value.is_not_null() & ~held).any(), partition)
        else:  # a member sorting within error of the pick must hold the same exact value
            at = in_order.get(local[id(row)])  # the same pick, found inside the window (gathers are positional)
            picked = value.gather(at)
            near = (value - picked).abs() <= margin + U * picked.abs()
            den_at = pl.lit(exact.fixed, I128) if exact.fixed is not None else _full(exact.den).gather(at)
            decided = rational.compare("!=", exact, rational.Q(_full(exact.num).gather(at), den_at, exact.num_max,
                                                               exact.den_max, exact.fixed))
            if decided is None:
                return None
            unsure = decided[0] if held is None else decided[0] | ~held
            bad = _over((value.is_not_null() & near & unsure).fill_null(False).any(), partition) | den.is_null()
        den = pl.when(bad).then(pl.lit(0, I128)).otherwise(den)
        return rational.Q(num, den, exact.num_max, exact.den_max, exact.fixed, False)

    low = pick(lo)
    if method == "lower" or low is None:
        return low
    high = pick(hi)
    if method == "higher" or high is None:
        return high
    if method == "nearest":
        return rational.choose([(2 * rem > q.denominator, high)], low)
    half = rational.constant(Fraction(1, 2))
    if method == "midpoint":
        total = rational.add(low, high)
        return None if total is None else rational.mul(total, half)
    if method == "linear":
        fraction = rational.Q(rem.cast(I128), pl.lit(q.denominator, I128), q.denominator,
                              q.denominator, q.denominator)
        spread_ = rational.add(high, low, -1)
        step = None if spread_ is None else rational.mul(fraction, spread_)
        return None if step is None else rational.add(low, step)
    raise EngineError(f"unknown quantile method {method}")
