"""A new campaign's value ten times or more above or below the one it inherits (700 € for 700 M€, 0,5 % for
50 %, 300 % for 30 %) is most often a typo: said at the new value, field by field for a value given by
field, unless the value is already outside the parameter's declared ``range:`` (that check says so) or the
override says why with ``large_change: "…"`` (for that change only: the next campaign does not inherit it,
compiler/syntax/load.py)."""

from __future__ import annotations

from fractions import Fraction

from qualispec.compiler import french, messages
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.syntax import ast
from qualispec.compiler.syntax.load import Loaded

FAR = 10  # a new value at least this many times the inherited one, or at most its tenth


def warn_far_from_inherited(loaded: Loaded, diagnostics: Diagnostics) -> None:
    for name, old in loaded.inherited_values.items():
        decl = loaded.decls.get(name)
        if decl is None or decl.value is None or decl.get("large_change") is not None:
            continue
        declared_range = decl.get("range")
        for key, was, now in _pairs(old, decl.value):
            was, now = ast.signed_number(was), ast.signed_number(now)
            if was is None or now is None or was.unit != now.unit or 0 in (was.value, now.value) \
                    or (was.value < 0) != (now.value < 0):
                continue
            times = now.value / was.value
            if (times >= FAR or times <= Fraction(1, FAR)) and _within(now, declared_range):
                diagnostics.warning("check.far_from_inherited", now.span, name=name, base=loaded.base_name,
                                    field=messages.word("check.in_field", field=key) if key else "",
                                    new=french.literal(now.value, now.unit), old=french.literal(was.value, was.unit),
                                    times=french.plain(max(times, 1 / times)),
                                    direction=messages.word("check.more" if times > 1 else "check.less"))


def _pairs(old: ast.Expr, new: ast.Expr):
    """(field or None, inherited value, new value): entry by entry for values given by field."""
    if isinstance(old, ast.MapLit) and isinstance(new, ast.MapLit):
        before = {key: e for key, _, e in old.entries}
        return [(key, before[key], e) for key, _, e in new.entries if key in before]
    return [(None, old, new)]


def _within(value: ast.Num, declared_range: ast.Property | None) -> bool:
    """False only when a declared ``range: [low, high]`` of written numbers leaves ``value`` out."""
    bounds = declared_range.value if declared_range is not None else None
    if not isinstance(bounds, ast.ListLit) or len(bounds.items) != 2:
        return True
    low, high = map(ast.signed_number, bounds.items)
    return low is None or high is None or low.value <= value.value <= high.value
