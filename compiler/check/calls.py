"""Calls: population aggregates (over whom, quantile order and method) and the built-in functions."""

from __future__ import annotations

from dataclasses import replace

from qualispec.compiler import messages
from qualispec.compiler import units
from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import did_you_mean
from qualispec.compiler.check.expressions import numeric_same
from qualispec.compiler.check.scope import Scope
from qualispec.compiler.check.vocabulary import AGGREGATES, FUNCTIONS, QUANTILE_METHODS


class Calls:
    """Aggregates and functions of the Checker (see checker.py)."""

    def _call(self, e: ast.Call, scope: Scope) -> ast.Expr:
        args = tuple(self._resolve(a, scope) for a in e.args)
        named = tuple((n, self._resolve(v, scope)) for n, v in e.named)
        if e.where is not None:
            where = self._resolve(e.where, scope)
            self._boolean(where, messages.word("what.where_of", func=e.func))
            e = replace(e, where=where)
        if e.func in AGGREGATES:
            if e.over is None:
                self.d.error("check.aggregate_needs_over", e.span, func=e.func)
            elif e.over not in ("group", "field", "all"):
                decl = self.decls.get(e.over)
                if decl is None or decl.kind != "input":
                    self.d.error("check.bad_over", e.span, over=e.over,
                                 hint=did_you_mean(e.over, ["group", "field", "all"] + [n for n, d in self.decls.items() if d.kind == "input"])
                                 or None)
                else:
                    self.used_inputs.add(e.over)
            expected = 2 if e.func == "quantile" else 1
            if len(args) != expected:
                self.d.error("check.aggregate_arity", e.span, func=e.func, expected=expected,
                             example="quantile(x, 30%, method = \"lower\") over group" if e.func == "quantile" else f"{e.func}(x) over group")
                return replace(e, args=args, named=named)
            if e.func == "quantile":
                q = args[1]
                if units.dimension(q.unit) not in ("fraction", None):
                    self.d.error("check.quantile_fraction", q.span)
                else:
                    self._quantile_order(q)
                method = dict(named).get("method")
                if method is None:
                    self.d.error("check.quantile_method_missing", e.span)
                elif not (isinstance(method, ast.Text) and method.value in QUANTILE_METHODS) and not (
                        isinstance(method, ast.Ref) and method.unit in ("text", "category")):
                    self.d.error("check.quantile_method_unknown", method.span, methods=", ".join(QUANTILE_METHODS))
                elif isinstance(method, ast.Ref) and method.target in self.nodes:  # a text parameter: its value
                    value = self.nodes[method.target].expr
                    if isinstance(value, ast.Text) and value.value not in QUANTILE_METHODS:
                        self.d.error("check.quantile_method_unknown", value.span, methods=", ".join(QUANTILE_METHODS))
            for n, _ in named:
                if not (e.func == "quantile" and n == "method"):
                    self.d.error("check.no_such_option", e.span, func=e.func, option=n)
            unit = "count" if e.func == "count" else args[0].unit
            if e.func != "count":
                self._units(lambda: units.check_numeric(args[0].unit, f"« {e.func} »"), e)
            return replace(e, args=args, named=named, unit=unit)
        if e.over is not None:
            self.d.error("check.over_without_aggregate", e.span, func=e.func, aggregates=", ".join(AGGREGATES))
        if e.func == "available":
            if len(args) != 1:
                self.d.error("check.one_argument", e.span, func="available")
            return replace(e, args=args, named=named, unit="boolean")
        if e.func in ("min_of", "max_of"):
            unit = None
            for a in args:
                for b in args:
                    self._bare_beside(a, b.unit)
                unit = self._units(lambda a=a, unit=unit: numeric_same(unit, a.unit, "compare"), a)
            return replace(e, args=args, named=named, unit=unit)
        if e.func in ("abs", "round", "floor"):
            if len(args) != 1:
                self.d.error("check.one_argument", e.span, func=e.func)
                return e
            return replace(e, args=args, named=named, unit=args[0].unit)
        known = AGGREGATES + FUNCTIONS + tuple(n for n, d in self.decls.items() if d.kind == "curve")
        if self.decls.get(e.func, None) is not None and self.decls[e.func].kind == "curve":
            self.d.error("check.curve_called", e.span, func=e.func)
        else:
            self.d.error("check.unknown_function", e.span, hint=did_you_mean(e.func, known) or None, func=e.func,
                         functions=", ".join(AGGREGATES + FUNCTIONS))
        return replace(e, args=args, named=named)

