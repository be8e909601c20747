"""Formulas compared without false changes: in the same names, by reference and by value.

Every reference is translated into the new campaign's names (a renamed input is the same
symbol on both sides), and the parts of an indicator refer to "its own" parts (``@.part``).
A formula is then compared twice, with sympy: *by reference* (a parameter is a symbol) and
*by value* (every parameter replaced by its value). Equal either way: not a change (a
rewrite, or a renamed parameter with the same value). Different both ways: a formula
change. Equal by reference, different by value: the change belongs to a parameter.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import sympy as sp

from qualispec.compiler import french, ir, labels
from qualispec.compiler.check import literal_value, transform
from qualispec.compiler.diff.matching import TABLES, Matching, key
from qualispec.compiler.proofs import symbolic
from qualispec.compiler.syntax import ast


class Comparison(Matching):
    """Two campaigns, their declarations matched, and their formulas comparable."""

    def __init__(self, old: ir.Campaign, new: ir.Campaign, proofs: dict[str, bool] | None = None):
        super().__init__(old, new)
        self.proofs = {} if proofs is None else proofs  # formula pair → proved equal (symbolic.equivalent)

    # ------------------------------------------------------------ canonical expressions
    def canon(self, expr: ast.Expr | None, side: str, owner: str | None, by_value: bool,
              field: str | None = None, _depth: int = 0) -> ast.Expr | None:
        """``expr`` in the new campaign's names; parameters inlined when ``by_value`` (or unmatched)."""
        if expr is None:
            return None
        campaign = self.old if side == "old" else self.new
        kinds = self.kind_old if side == "old" else self.kind_new
        matched = self.forward if side == "old" else self.backward

        def name(n: str) -> str:
            return self.forward.get(n, "old:" + n) if side == "old" else n

        def fn(e):
            if isinstance(e, ast.Call):
                named = tuple(e.named)
                func = e.func + (f"[{','.join(k for k, _ in named)}]" if named else "")
                over = e.over
                if over and over not in ("group", "field", "all"):
                    over = "in_" + key(name(over))
                return replace(e, func=func, args=e.args + tuple(v for _, v in named), named=(), over=over)
            if not isinstance(e, ast.Ref) or not e.target:
                return e
            t = e.target
            if t.startswith(("field:", "@")) or t in ir.BUILTINS:
                return e
            if "." in t:
                head, part = t.split(".", 1)
                if head == owner:
                    return replace(e, target=f"@.{part}")
                return replace(e, target=f"{name(head)}.{part}")
            kind = kinds.get(t)
            if kind == "parameter" and (by_value or t not in matched) and _depth < 20:
                return self._param_value(campaign, side, t, field, by_value, _depth)
            if kind in ("group", "prerequisite") and by_value and _depth < 20:
                decl = getattr(campaign, TABLES[kind])[t]
                inner = self.canon(decl.when, side, None, True, field, _depth + 1)
                if inner is not None:
                    return inner
            return replace(e, target=name(t))

        return transform(expr, fn)

    def _param_value(self, campaign, side, name, field, by_value, depth) -> ast.Expr:
        param = campaign.parameters[name]
        if param.keyed_by is None:
            return self.canon(param.value, side, None, by_value, field, depth + 1)
        values = dict(param.values)
        if field is not None and field in values:
            return self.canon(values[field], side, None, by_value, field, depth + 1)
        shown = ",".join(f"{k}={const_text(self.canon(v, side, None, by_value, k, depth + 1))}"
                         for k, v in sorted(values.items()))
        unit = "boolean" if param.unit == "boolean" else param.unit
        return ast.Ref(ast.NO_SPAN, name, target=f"par_champ{{{shown}}}", unit=unit)

    # ------------------------------------------------------------ equality
    def same(self, a: ast.Expr | None, b: ast.Expr | None) -> bool:
        if a is None or b is None:
            return a is None and b is None
        if shape(a) == shape(b):  # the same tree once positions are forgotten
            return True
        try:
            left, right = to_sympy(a), to_sympy(b)
        except (TypeError, KeyError, ValueError, AttributeError, ZeroDivisionError):
            return False
        if left == right:
            return True
        return symbolic.equivalent(a, b, self.proofs)

    def compare(self, old_expr, new_expr, old_owner, new_owner, field=None) -> tuple[bool, bool]:
        """(equal by reference, equal by value)."""
        by_ref = self.same(self.canon(old_expr, "old", old_owner, False, field),
                           self.canon(new_expr, "new", new_owner, False, field))
        if by_ref and not self._reads_parameters(old_expr, "old") and not self._reads_parameters(new_expr, "new"):
            return True, True
        by_value = self.same(self.canon(old_expr, "old", old_owner, True, field),
                             self.canon(new_expr, "new", new_owner, True, field))
        return by_ref, by_value

    def _reads_parameters(self, expr, side) -> bool:
        kinds = self.kind_old if side == "old" else self.kind_new
        return expr is not None and any(isinstance(n, ast.Ref) and kinds.get(n.target or "") in
                                        ("parameter", "group", "prerequisite") for n in ast.walk(expr))

    def keyed(self, expr, side):
        """The parameters with a value by field that ``expr`` reads."""
        campaign = self.old if side == "old" else self.new
        for n in ast.walk(expr) if expr is not None else ():
            if isinstance(n, ast.Ref) and n.target in campaign.parameters and campaign.parameters[n.target].keyed_by:
                yield n.target

    def parameter_changed(self, new_name: str) -> bool:
        """Whether the new campaign's parameter ``new_name`` has another value than its old counterpart (a
        parameter the old campaign does not have is a change). By field, field by field."""
        b = self.new.parameters[new_name]
        a = self.old.parameters.get(self.backward.get(new_name, ""))
        if a is None or (a.keyed_by is None) != (b.keyed_by is None):
            return True
        if a.keyed_by is None:
            return not self.same(self.canon(a.value, "old", None, True), self.canon(b.value, "new", None, True))
        return bool(self.field_changes(a, b))

    def field_changes(self, a: ir.Parameter, b: ir.Parameter) -> list:
        """(field, old value, new value) of each field whose value differs between two by-field parameters."""
        da, db = dict(a.values), dict(b.values)
        return [(f, da.get(f), db.get(f)) for f in list(db) + [f for f in da if f not in db]
                if da.get(f) is None or db.get(f) is None or not self.same(self.canon(da[f], "old", None, True, f),
                                                                           self.canon(db[f], "new", None, True, f))]

    # ------------------------------------------------------------ written for people
    def words(self, side: str, expr: ast.Expr | None, owner: str | None = None) -> str | None:
        """A formula in French, each name by its label (an indicator's own parts, for ``owner``, by their
        short names: « résultat », « cible »), as the fiches write it."""
        if expr is None:
            return None
        return french.formula(expr, labels.namer(self.old if side == "old" else self.new, owner))

    def rule_text(self, side: str, expr: ast.Expr, unit: str | None, owner: str | None = None) -> str:
        """A rule in French, each parameter by its label followed by its value: « Valeur cible de Num.1 (50 %) »."""
        campaign = self.old if side == "old" else self.new
        value = constant(self.canon(expr, side, None, True))
        words = labels.namer(campaign, owner)

        def name_of(ref: ast.Ref) -> str:
            param = campaign.parameters.get(ref.target or "")
            if param is not None:
                return f"{words(ref)} ({param_text(param)})"
            return words(ref)

        text = french.formula(expr, name_of)
        if value is not None and not isinstance(expr, (ast.Num, ast.Bool, ast.Text)) and \
                not (isinstance(expr, ast.Ref) and expr.target in campaign.parameters):
            text += f" = {french.literal(value, unit)}"
        return text


# ------------------------------------------------------------------ helpers
def shape(e: ast.Expr) -> ast.Expr:
    def strip(x):
        try:
            return replace(x, span=ast.NO_SPAN)
        except TypeError:
            return x
    return transform(e, strip)


def to_sympy(e: ast.Expr):
    return symbolic.to_sympy(e, lambda r: r.target or r.text)


def constant(e: ast.Expr | None):
    """The value of an expression without names (after parameters are inlined), or None."""
    if e is None:
        return None
    v = literal_value(e)
    if v is not None:
        return v
    if any(isinstance(n, (ast.Ref, ast.Call, ast.Missing)) for n in ast.walk(e)):
        return None
    try:
        value = sp.nsimplify(to_sympy(e))
    except (TypeError, ValueError, AttributeError, KeyError):
        return None
    if value is sp.true or value is sp.false:
        return bool(value)
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    return None


def const_text(e) -> str:
    v = constant(e)
    return str(v) if v is not None else sp.srepr(to_sympy(e)) if e is not None else "∅"


def raw(v):
    """A value for JSON: a Fraction as a float, others unchanged."""
    if isinstance(v, Fraction):
        return float(v) if v.denominator != 1 else int(v)
    return v


def expr_text(e: ast.Expr | None, unit: str | None) -> str:
    if e is None:
        return "—"
    v = literal_value(e)
    if v is not None:
        return french.literal(v, unit)
    return french.formula(e)


def param_text(param: ir.Parameter) -> str:
    if param.keyed_by is None:
        return expr_text(param.value, param.unit)
    return " ; ".join(f"{k} : {expr_text(v, param.unit)}" for k, v in param.values)
