"""The plan run on Spark: steps as columns, the group, and payouts shared to the cent.

Steps are added in the plan's (dependency) order, each as one ``withColumns``;
aggregates are windows (translate.py). Decisions are exact on the executors (forms.py);
what may come to the driver is bounded and counted (money.py, exact_patch.py): the
result is a Spark DataFrame, evaluated where the data is.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from qualispec.compiler.graph import references
from qualispec.compiler.syntax import ast
from qualispec.runtime.engines import polars_shares
from qualispec.runtime.engines.spark.numbers import DoubleNumbers
from qualispec.runtime.engines.spark import exact_patch, money, rational
from qualispec.runtime.engines.spark.forms import DEN, NUM, Forms
from qualispec.runtime.engines.spark.translate import GROUP_ID, TOL, Translator, col
from qualispec.runtime.engines.spark.exact_patch import DOUBT, WRITTEN
from qualispec.runtime.plan import WHOLE_UNITS, Plan, written_scale
from qualispec.runtime.shares import share_cents

ROW = "__row"


def execute(plan: Plan, frame: DataFrame, keep: set[str] | None = None, numbers=None, inputs=None,
            collected: dict | None = None) -> DataFrame:
    """Every node's column (or only those in ``keep``), the group, written digits and payouts in whole cents.

    Steps are scheduled by depth (one more than the deepest step they read), and a
    step's hidden columns (a window's argument, a quantile's ranks) just before it:
    each (depth, stage) is one ``withColumns``, so that the plan Spark analyses stays
    a few projections deep however many steps the campaign has. Numbers are binary
    floating point with their decisions taken on exact forms (forms.py), on the
    executors; a step's exact form is computed only if a later decision or a written
    digit reads it. A row whose decision has no exact form is recomputed on the driver
    (exact_patch.py; ``inputs`` is the validated Polars frame, when there is one);
    ``collected`` receives how many rows and cells came to the driver.
    """
    collected = {} if collected is None else collected
    t = Translator(plan, numbers or DoubleNumbers())  # with the Columns it builds: its own
    r = t.rationals
    # group amounts from the local table when there is one; for a table validated on Spark, on Spark (below)
    shared = polars_shares.group_cents(plan, inputs) if inputs is not None and not callable(inputs) else {}
    depth: dict[str, int] = {}
    stages: dict[tuple[int, int], dict[str, Column]] = {}
    hidden: list[str] = []
    staged: set[str] = set()

    def add(level: int, columns: list[tuple[str, Column]], first: int = 0) -> None:
        for stage, (name, column) in enumerate(columns, start=first):
            stages.setdefault((level, stage), {})[name] = column
            staged.add(name)

    def add_group() -> None:
        if "group" in depth:
            return
        level = 1 + max((depth.get(case.condition, 0) for case in plan.groups), default=0)
        depth[GROUP_ID] = depth["group"] = level
        add(level, [(GROUP_ID, _group_id(plan)), ("group", _group_label(plan))])

    def request(steps) -> None:
        """A step's exact form, as two columns after the step (and its own hidden columns, then its steps')."""
        for name in steps:
            if NUM + name in staged:
                continue
            q = t.forms.steps[name]
            pre = [(n, c) for n, c in q.pre if n not in staged]
            hidden.extend(n for n, _ in pre)
            add(depth[name], pre + [(NUM + name, q.num)], first=FORMS)
            stages[(depth[name], FORMS + len(pre))][DEN + name] = q.den
            hidden.extend((NUM + name, DEN + name))
            request(q.needs)

    frame, t.forms = _with_exact_inputs(plan, frame, t)
    sdf = frame if ROW in frame.columns else frame.withColumn(ROW, F.monotonically_increasing_id())
    # the inputs' exact integers and floating-point values, computed once (decimal arithmetic is slow)
    sdf = sdf.withColumns({c: col(c).cast("double") for c, kind in sdf.dtypes if kind.startswith("decimal")
                           and not c.startswith(NUM)}).localCheckpoint()
    t.request = request
    for step in plan.steps:
        needs = references(step.expr)  # what the dependency graph says the step reads
        if "group" in needs:
            add_group()
        level = 1 + max((depth.get(n, 0) for n in needs), default=0)
        depth[step.column] = level
        t.pre, t.doubts = [], []
        expr = t(step.expr)
        form = t.exact(step.expr)
        if step.fields and plan.has_fields:
            within = t.in_fields(tuple(step.fields))
            expr = F.when(within, expr)
            form = None if form is None else replace(form, num=F.when(within, form.num))
        if step.shared_by_group and plan.groups and step.column not in shared and form is not None:
            cents = _group_cents(sdf, stages, level, t, form)  # one exact amount per group, fetched: a few rows
            if cents is _NOT_HELD and callable(inputs):  # a denominator not > 0: runtime/exact.py on the table
                inputs = inputs()
                collected["rows"] = collected.get("rows", 0) + inputs.height
                shared.update(polars_shares.group_cents(plan, inputs))
            elif isinstance(cents, dict):
                shared[step.column] = cents
        if step.column in shared:  # group amounts sharing the envelope to the cent (runtime/shares.py)
            expr = _per_group(shared[step.column])
            form = _per_group_form(shared[step.column], r)
        elif step.round_cents:
            cents = None if form is None else r.round_half_even(r.scaled(form, 100))
            if cents is None:
                t.doubt(F.abs(expr * 100 - F.floor(expr * 100) - 0.5) < F.abs(expr * 100) * TOL + 1e-6)
                expr = t.numbers.round_even(expr, 2)
            else:  # whole cents, exactly
                t.use(form)
                cents = _within(cents, rational.kind(form.num_max * 100 + 1), AMOUNT_CENTS, step.column)
                expr = cents.cast("double") / 100
                form = r.integer(cents, AMOUNT_CENTS, form)
                form = None if form is None else replace(form, den=r.constant(100).num, den_max=100, fixed=100)
        if form is not None:
            t.forms.steps[step.column] = form
        hidden += [name for name, _ in t.pre]
        add(level, t.pre + [(step.column, expr)])
        if t.doubts:  # beside the step, in its stage
            stages[(level, len(t.pre))][DOUBT + step.column] = _any(t.doubts)
    if plan.groups:
        add_group()
    sdf = _apply(sdf, stages)
    stages.clear()  # the written digits and the cents: their exact forms are computed next
    t.pre = []
    last = 1 + max(depth.values(), default=0)
    written, payouts = _written_and_floors(plan, sdf, t)
    add(last, [(name, column) for name, column in t.pre if name not in staged])
    stages[(last, FORMS * 2)] = written
    sdf = _apply(sdf, stages)
    hidden += [name for name, _ in t.pre]
    kept = _read_by(payouts, sdf.columns)  # a near cell's exact cents are computed from them (money.py)
    sdf = sdf.drop(*[h for h in dict.fromkeys(hidden) if h not in kept and h in sdf.columns])
    sdf = sdf.drop(*[c for c in sdf.columns if c.startswith(NUM) and c not in kept])
    sdf = exact_patch.patch(plan, sdf, inputs, collected)
    if keep is not None:  # intermediate columns are computed in passing, never held (amounts: checked after)
        keep = set(keep) | {a.group_amount for a in plan.allocations if a.group_amount is not None}
        sdf = sdf.select([col(c) for c in sdf.columns if c in keep or c in (ROW, GROUP_ID) or "#" in c])
    if plan.allocations:  # computed once, where the data is, before the cells are ranked and joined back
        sdf = sdf.localCheckpoint()
    return money.allocate(plan, sdf, t.numbers, inputs, collected, payouts)


def _read_by(forms: dict, columns: list[str]) -> set[str]:
    """The hidden and exact-integer columns these exact forms read (by their names in the expressions:
    one named by mistake is only kept; one missed would stop the job, naming it)."""
    text = " ".join(str(q.num) + str(q.den) for q in forms.values())
    return {c for c in columns if "#" in c and c in text}


CENTS_DOUBT, CENTS_NUM, CENTS_DEN = "#cd:", "#cn:", "#ce:"  # a payout's cents in doubt, and its exact form there
FORMS = 1000  # stages of a step's exact form come after the step's own
AMOUNT_CENTS = 10 ** 16  # an envelope's amount is below 100 000 billion euros (literals: below 10¹² €, check/typos)


def _within(cents: Column, kind: str, bound: int, name: str) -> Column:
    """The amount in cents (an integer column of type ``kind``), or the job stops with a French message
    if it is not below ``bound`` (so that its exact form's bound, which keeps the integers below
    10³⁸, holds on every row)."""
    return F.when(cents.isNull() | (F.abs(cents) < F.lit(bound).cast(kind)), cents).otherwise(
        F.raise_error(F.lit(f"le montant « {name} » dépasse {f'{bound // 100:_}'.replace('_', ' ')} € : au-delà de "
                            "ce que le moteur Spark calcule exactement")).cast(kind))


def _apply(sdf: DataFrame, stages: dict) -> DataFrame:
    for key in sorted(stages):
        sdf = sdf.withColumns(stages[key])
    return sdf


def _with_exact_inputs(plan: Plan, frame: DataFrame, t: Translator) -> tuple[DataFrame, Forms]:
    """The inputs' exact integers (a decimal by its unscaled digits) and their largest magnitudes.

    One small aggregate over the dataset gives the bounds (and the number of rows, a bound
    on any population's size) that keep every exact integer below 10³⁸; each integer is then
    held in 64 bits when its bound allows (rational.kind)."""
    kinds = dict(frame.dtypes)
    names = [c for c in (plan.typed_ir.inputs if plan.typed_ir else ()) if c in kinds
             and (kinds[c] in ("bigint", "int") or kinds[c].startswith("decimal"))]
    scale = {c: int(kinds[c].split(",")[1].rstrip(")")) if kinds[c].startswith("decimal") else 0 for c in names}
    unscaled = {c: (col(c) * F.lit(str(10 ** scale[c])).cast(f"decimal({len(str(10 ** scale[c]))},0)"))
                .cast(rational.INTEGER) if scale[c] else col(c).cast(rational.LONG) for c in names}
    frame = frame.withColumns({NUM + c: unscaled[c] for c in names})

    def fraction(c: str):  # the decimal digits of each value, as an integer below 10^scale (64 bits)
        digits = F.pmod(col(NUM + c), F.lit(str(10 ** scale[c])).cast(rational.INTEGER))
        return digits.cast(rational.kind(10 ** scale[c]))

    unused = [F.max((F.pmod(fraction(c), F.lit(str(10 ** k)).cast(rational.kind(10 ** k))) != 0).cast("int"))
              .alias(f"{c}#{k}")
              for c in names for k in range(1, scale[c] + 1)]  # decimals no value uses (a float read at scale 12)
    row = frame.agg(F.count(F.lit(1)).alias("#rows"), *[F.max(F.abs(col(NUM + c))).alias(c) for c in names],
                    *unused).first()
    forms = {}
    for c in names:
        drop = max([k for k in range(1, scale[c] + 1) if not row[f"{c}#{k}"]], default=0)
        largest = int(row[c] or 0) // 10 ** drop
        unscaled = F.try_divide(col(NUM + c), F.lit(str(10 ** drop)).cast(rational.INTEGER)) if drop else col(NUM + c)
        frame = frame.withColumn(NUM + c, unscaled.cast(rational.kind(largest)))  # 64 bits when it fits
        q = t.rationals.decimal(col(NUM + c), scale[c] - drop, largest) if scale[c] > drop else \
            t.rationals.integer(col(NUM + c), largest)
        if q is not None:
            forms[c] = q
    return frame, Forms(t, forms, max(int(row["#rows"]), 1))


_NOT_HELD = object()


def _group_cents(sdf: DataFrame, stages: dict, level: int, t: Translator, form) -> dict | object | None:
    """Each group's amount in whole cents, shared by largest remainder (runtime/shares.py), computed on Spark
    from the step's exact form: the columns it reads, as they stand at the step, grouped by GROUP_ID, one row
    per group fetched. None when the amount differs within a group (then it is not shared, as on the
    embedded engine); _NOT_HELD when a denominator is not above 0 (the embedded engine's exact rows decide)."""
    before = list(t.pre)
    t.use(form)
    pending = {key: dict(columns) for key, columns in stages.items()}
    for stage, (name, column) in enumerate(t.pre):
        pending.setdefault((level, stage), {})[name] = column
    t.pre = before
    probe = _apply(sdf, pending).select(col(GROUP_ID), form.num.alias("#n"), form.den.alias("#d"))
    rows = probe.groupBy(GROUP_ID).agg(F.size(F.collect_set(F.struct("#n", "#d"))).alias("#values"),
                                       F.first("#n").alias("#n"), F.first("#d").alias("#d"),
                                       F.min(F.coalesce(col("#d"), F.lit(1))).alias("#least")).collect()
    if any(r["#values"] != 1 for r in rows):
        return None
    if any(r["#least"] <= 0 for r in rows):
        return _NOT_HELD
    return share_cents({r[GROUP_ID]: None if r["#n"] is None or r["#d"] is None else Fraction(int(r["#n"]), int(r["#d"]))
                        for r in rows})


def _per_group(cents: dict) -> Column:
    """Whole cents per group (None: the rows in no group), as euros."""
    out = F.when(col(GROUP_ID).isNull(), F.lit(None if cents.get(None) is None else cents[None] / 100))
    for group, whole in cents.items():
        if group is not None:
            out = out.when(col(GROUP_ID) == group, F.lit(None if whole is None else whole / 100))
    return out


def _per_group_form(cents: dict, r: rational.Rationals):
    """The exact form of whole cents per group: a known fraction of 100 on each row."""
    branches = [((col(GROUP_ID).isNull() if group is None else col(GROUP_ID) == group),
                 r.constant(None if whole is None else Fraction(whole, 100))) for group, whole in cents.items()]
    if not branches or any(q is None for _, q in branches):
        return None
    return r.choose(branches, r.constant(None))


def _any(conditions: list[Column]) -> Column:
    out = conditions[0]
    for c in conditions[1:]:
        out = out | c
    return out


def integer_valued(plan: Plan, kinds: dict[str, str]) -> set[str]:
    """The columns that hold whole numbers whatever the row: integer inputs, and steps made of them
    with + - ×, if, abs, min_of, max_of, floor, round, count, sum, min, max, lower/higher/nearest
    quantiles (as the embedded engine reckons: such counts are written as integers, not decimals)."""
    whole = {c for c, kind in kinds.items() if kind in ("bigint", "int")}

    def of(e) -> bool:
        if isinstance(e, ast.Num):
            return e.value.denominator == 1
        if isinstance(e, ast.Ref):
            value = plan.parameters.get(e.target or "")
            if value is not None:
                values = list(value.values()) if isinstance(value, dict) else [value]
                return all(isinstance(v, Fraction) and v.denominator == 1 for v in values) and bool(values)
            return e.target in whole
        if isinstance(e, ast.Unary):
            return e.op != "not" and of(e.operand)
        if isinstance(e, ast.Binary):
            return e.op in ("+", "-", "*") and of(e.left) and of(e.right)
        if isinstance(e, ast.If):
            return of(e.then) and of(e.else_)
        if isinstance(e, ast.Call):
            if e.func in ("floor", "round", "count"):
                return True
            if e.func == "quantile":
                method = e.option("method")
                return of(e.args[0]) and (method is None or getattr(method, "value", None) in ("lower", "higher", "nearest"))
            return e.func in ("min_of", "max_of", "abs", "sum", "min", "max") and all(of(a) for a in e.args)
        return False

    for step in plan.steps:
        if of(step.expr):
            whole.add(step.column)
    return whole


def _written_and_floors(plan: Plan, sdf: DataFrame, t: Translator) -> tuple[dict[str, Column], dict]:
    """Each numeric output's written digits, each payout's cent floor and remainder; and the payouts'
    exact forms (by column). Digits are from the exact forms where they exist (their steps' forms are
    then computed), else in floating point with a doubt. Cents are in floating point, and from the
    payout's exact form on the rows where that could be wrong, else a doubt (exact_patch.py)."""
    kinds = dict(sdf.dtypes)
    whole = integer_valued(plan, kinds)
    out: dict[str, Column] = {}
    for o in plan.outputs:
        numeric = o.unit not in ("text", "category", "boolean")  # None: a number without a unit (a count of ifs)
        if o.part == "payout" or not numeric or o.source not in kinds:
            continue
        if o.source in whole and o.unit in WHOLE_UNITS:
            if kinds[o.source] not in ("bigint", "int"):
                out[o.source] = col(o.source).cast("long")  # a whole number, held in floating point
            continue  # integers are written as they are
        factor, decimals = written_scale(o.unit)
        form = t.forms.ref(o.source)
        digits = None
        if form is not None and (factor * 10 ** decimals).denominator == 1:
            digits = t.rationals.round_scaled(form, int(factor * 10 ** decimals))
        if digits is not None:
            t.use(form)
            out[WRITTEN + o.source] = digits.cast("long")
            continue
        scaled = col(o.source) * float(factor * 10 ** decimals)
        out[WRITTEN + o.source] = F.rint(scaled).cast("long")
        out[DOUBT + WRITTEN + o.source] = F.coalesce(
            F.abs(scaled - F.floor(scaled) - 0.5) < F.abs(scaled) * TOL + 1e-6, F.lit(False))
    payouts: dict = {}
    for allocation in plan.allocations:
        for _, c in allocation.payouts:
            approx = F.coalesce(col(c), F.lit(0.0)) * 100
            frac = approx - F.floor(approx)
            err = F.abs(approx) * TOL + money.CENT_ERR
            near_whole = (frac < err) | (1 - frac < err)
            form = t.forms.steps.get(c)  # the payout's exact form as an expression, not as columns
            if form is not None and t.rationals.scaled(form, 100) is not None:
                # cents in floating point; where they are within error of a whole or half cent, from the exact
                # form: its integers are computed on those rows only (a column that is missing elsewhere)
                t.use(form)
                payouts[c] = form
                doubt, num, den = CENTS_DOUBT + c, CENTS_NUM + c, CENTS_DEN + c
                t.pre += [(doubt, near_whole | (F.abs(frac - 0.5) < err)),
                          (num, F.when(col(doubt), form.num)), (den, F.when(col(doubt), form.den))]
                cents = t.rationals.scaled(replace(form, num=col(num), den=col(den), pre=(), needs=frozenset()), 100)
                floor = t.rationals.floor(cents)
                missing = cents.num.isNull()
                out[c + "#floor"] = F.when(col(doubt), F.when(missing, F.lit(0)).otherwise(floor).cast("long")) \
                    .otherwise(F.floor(approx).cast("long"))
                out[c + "#rem"] = F.when(col(doubt), F.when(missing, F.lit(0.0)).otherwise(
                    t.rationals.remainder(cents, floor).cast("double") / cents.den.cast("double"))).otherwise(frac)
                continue
            out[c + "#floor"] = F.floor(approx).cast("long")
            out[c + "#rem"] = frac
            out[DOUBT + "cents:" + c] = (approx != 0) & near_whole
    return out, payouts


def _group_id(plan: Plan) -> Column:
    """The index of the row's group in the plan (missing when none holds)."""
    chain = None
    for i, case in enumerate(plan.groups):
        cond = F.coalesce(col(case.condition), F.lit(False))
        if plan.has_fields:
            cond = (col("field") == F.lit(case.field_name)) & cond
        chain = F.when(cond, F.lit(i)) if chain is None else chain.when(cond, F.lit(i))
    return chain.otherwise(F.lit(None)).cast("int") if chain is not None else F.lit(None).cast("int")


def _group_label(plan: Plan) -> Column:
    chain = None
    for i, case in enumerate(plan.groups):
        test = col(GROUP_ID) == F.lit(i)
        chain = F.when(test, F.lit(case.label)) if chain is None else chain.when(test, F.lit(case.label))
    return chain.otherwise(F.lit(None).cast("string")) if chain is not None else F.lit(None).cast("string")
