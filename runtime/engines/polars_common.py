"""Sub-expressions that several steps share, computed once as columns of their own.

A step's expression is translated into one Polars expression tree: what it reads by name is a
column, but a sub-expression written out in several steps is translated, and planned by Polars,
once per step. The statuses pass writes such trees: each indicator's redistributed weight divides
by the sum of the weights of what counts on the row, the same sum of 19 terms in each of IFAQ
2022's 19 indicators; with its error bound (which repeats each partial sum) that made a query of
about 17 MB of expressions, which Polars took seconds to plan for 360 rows.

``common_steps`` finds the sub-expressions of at least ``SMALLEST`` nodes that occur twice or more
(the same tree, spans included) and gives each a hidden column (``COMMON`` + a number) computed
before its first reader; the steps, and the larger shared trees, read it by name. The values are
the same: the same operations on the same values, in the same order, with the same error bound
and exact form, held in a column. A direct argument of a call is never replaced (some calls read
a column argument differently, e.g. an order statistic of an input), nor is a whole step.
"""

from __future__ import annotations

import dataclasses

from qualispec.compiler.syntax import ast
from qualispec.runtime.plan import Step

COMMON = "#common:"  # the hidden columns' prefix: never in an evaluation's result
SMALLEST = 12  # nodes: smaller trees cost Polars less to plan twice than a column costs to hold
LEAVES = (ast.Ref, ast.Num, ast.Text, ast.Bool, ast.Missing)


def common_steps(steps: list[Step] | tuple[Step, ...]) -> list[tuple[Step, ast.Expr]]:
    """(step, the expression to translate for it), hidden steps first before their first reader.

    A hidden step is a ``Step`` with a ``COMMON`` column; a plan step keeps its own ``Step`` (its
    written expression still what exact evaluation and the group shares read) beside its rewritten
    expression."""
    keys = _Keys()
    counts: dict[int, int] = {}
    for step in steps:
        for node, inside_call in _below(step.expr):
            if _worth(node, keys) and not inside_call:
                counts[keys.of(node)] = counts.get(keys.of(node), 0) + 1
    shared = {k for k, n in counts.items() if n > 1}
    if not shared:
        return [(step, step.expr) for step in steps]
    hidden: dict[int, tuple[str, ast.Expr]] = {}  # key → (column, rewritten expression)
    order: list[int] = []  # keys in the order their columns must be computed

    def replace(node: ast.Expr, root: bool) -> ast.Expr:
        key = keys.of(node) if not isinstance(node, LEAVES) else None
        if not root and key in shared:
            if key not in hidden:
                column = f"{COMMON}{len(hidden)}"
                hidden[key] = (column, None)
                hidden[key] = (column, replace(node, True))
                order.append(key)
            return ast.Ref(ast.NO_SPAN, column_of(key), target=column_of(key), unit=getattr(node, "unit", None))
        return _with_children(node, lambda child: child if isinstance(node, ast.Call) else replace(child, False))

    def column_of(key: int) -> str:
        return hidden[key][0]

    out: list[tuple[Step, ast.Expr]] = []
    for step in steps:
        before = len(order)
        expr = replace(step.expr, True)  # registers a shared tree after the smaller shared trees it reads
        out += [(Step(hidden[k][0], hidden[k][1], getattr(hidden[k][1], "unit", None)), hidden[k][1])
                for k in order[before:]]
        out.append((step, expr))
    return out


def _worth(node: ast.Expr, keys: "_Keys") -> bool:
    """Large enough to be planned once, or an aggregate over a population whatever its size: Polars plans a
    window inside a branch (``x / sum(x) over group`` where the sum is not 0) once per occurrence, and an error
    bound repeats its operands (IFAQ 2024's payouts: each product's error reads the volume's share 4 times)."""
    if isinstance(node, LEAVES):
        return False
    return keys.size(node) >= SMALLEST or (isinstance(node, ast.Call) and node.over is not None)


def _below(expr: ast.Expr):
    """Every node under ``expr`` (not itself), with whether it is a direct argument of a call."""
    stack = [(child, isinstance(expr, ast.Call)) for child in expr.children()]
    while stack:
        node, inside_call = stack.pop()
        yield node, inside_call
        stack.extend((child, isinstance(node, ast.Call)) for child in node.children())


def _with_children(node: ast.Expr, fn) -> ast.Expr:
    """``node`` with ``fn`` applied to each of its child expressions (wherever a field holds them)."""
    changes = {}
    for name in _names(node):
        value = getattr(node, name)
        if isinstance(value, ast.Expr):
            new = fn(value)
            if new is not value:
                changes[name] = new
        elif isinstance(value, tuple) and any(isinstance(v, (ast.Expr, tuple)) for v in value):
            new = _tuple(value, fn)
            if new != value:
                changes[name] = new
    return dataclasses.replace(node, **changes) if changes else node


def _names(node: ast.Expr) -> tuple[str, ...]:
    """The field names of a node's class (``dataclasses.fields`` is slow to ask each time)."""
    names = _NAMES.get(type(node))
    if names is None:
        names = _NAMES[type(node)] = tuple(f.name for f in dataclasses.fields(node))
    return names


_NAMES: dict[type, tuple[str, ...]] = {}


def _tuple(values: tuple, fn) -> tuple:
    return tuple(fn(v) if isinstance(v, ast.Expr) else _tuple(v, fn) if isinstance(v, tuple) else v for v in values)


class _Keys:
    """A small integer per distinct tree (equal trees, spans included, get the same), and each tree's size."""

    def __init__(self):
        self.interned: dict[tuple, int] = {}
        self.by_id: dict[int, tuple[int, int, ast.Expr]] = {}  # id(node) → (key, size, node kept alive)

    def of(self, node: ast.Expr) -> int:
        return self._entry(node)[0]

    def size(self, node: ast.Expr) -> int:
        return self._entry(node)[1]

    def _entry(self, node: ast.Expr) -> tuple[int, int, ast.Expr]:
        known = self.by_id.get(id(node))
        if known is not None:
            return known
        size = 1
        parts = [type(node).__name__]
        for name in _names(node):
            value = getattr(node, name)
            shape, n = self._shape(value)
            parts.append(shape)
            size += n
        key = self.interned.setdefault(tuple(parts), len(self.interned))
        entry = (key, size, node)
        self.by_id[id(node)] = entry
        return entry

    def _shape(self, value) -> tuple[object, int]:
        if isinstance(value, ast.Expr):
            key, size, _ = self._entry(value)
            return ("expr", key), size
        if isinstance(value, tuple):
            shapes = [self._shape(v) for v in value]
            return ("tuple", tuple(s for s, _ in shapes)), sum(n for _, n in shapes)
        return value, 0
