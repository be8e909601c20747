"""Expressions: each node resolved in its scope and given a unit; unit mismatches reported where they are."""

from __future__ import annotations

from dataclasses import replace

from qualispec.compiler import messages
from qualispec.compiler import units
from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import did_you_mean
from qualispec.compiler.check.scope import Scope


class Expressions:
    """Name resolution and unit typing of expressions."""

    def resolve(self, e: ast.Expr, scope: Scope) -> ast.Expr:
        try:
            return self._resolve(e, scope)
        except units.UnitError as error:  # pragma: no cover - _resolve reports its own
            self.d.error(error.code, e.span, **error.params)
            return e

    def _resolve(self, e: ast.Expr, scope: Scope) -> ast.Expr:
        r = lambda x: self._resolve(x, scope)  # noqa: E731
        if isinstance(e, ast.Num) and e.unit == "euro":
            self._amount_range(e)
        if isinstance(e, (ast.Num, ast.Text, ast.Bool, ast.Missing, ast.Wildcard, ast.SourceRef)):
            return e
        if isinstance(e, ast.Ref):
            return self._ref(e, scope)
        if isinstance(e, ast.Unary):
            operand = r(e.operand)
            if e.op == "not":
                self._boolean(operand, "« not »")
                return replace(e, operand=operand, unit="boolean")
            return replace(e, operand=operand, unit=self._units(lambda: (units.check_numeric(operand.unit, "'-'"), operand.unit)[1], e))
        if isinstance(e, ast.Binary):
            left, right = r(e.left), r(e.right)
            if e.op in ("and", "or"):
                self._boolean(left, f"« {e.op} »")
                self._boolean(right, f"« {e.op} »")
                unit = "boolean"
            elif e.op in ("+", "-"):
                verb = "add" if e.op == "+" else "subtract"
                self._bare_pair(left, right)
                unit = self._units(lambda: numeric_same(left.unit, right.unit, verb), e)
            elif e.op == "*":
                unit = self._units(lambda: units.multiply(left.unit, right.unit), e)
            else:
                unit = self._units(lambda: units.divide(left.unit, right.unit), e)
            return replace(e, left=left, right=right, unit=unit)
        if isinstance(e, ast.Compare):
            left, right = r(e.left), r(e.right)
            self._bare_pair(left, right)
            self._units(lambda: units.same_dimension(left.unit, right.unit, "compare"), e, compare=True)
            if "boolean" in (left.unit, right.unit) and e.op not in ("=", "!="):
                self.d.error("check.boolean_compare", e.span)
            elif "boolean" in (left.unit, right.unit) and isinstance(right if left.unit == "boolean" else left, ast.Num):
                self.d.error("check.boolean_vs_number", e.span)
            return replace(e, left=left, right=right)
        if isinstance(e, ast.Member):
            operand = r(e.operand)
            options = tuple(r(o) for o in e.options)
            for o in options:
                self._bare_pair(operand, o)
                self._units(lambda o=o: units.same_dimension(operand.unit, o.unit, "compare"), o, compare=True)
                if operand.unit == "boolean" and isinstance(o, ast.Num):
                    self.d.error("check.boolean_vs_number", o.span)
            return replace(e, operand=operand, options=options)
        if isinstance(e, ast.If):
            cond, then, else_ = r(e.cond), r(e.then), r(e.else_)
            self._boolean(cond, messages.word("what.if_condition"))
            self._bare_pair(then, else_)
            unit = self._units(lambda: branches(then.unit, else_.unit), e)
            return replace(e, cond=cond, then=then, else_=else_, unit=unit)
        if isinstance(e, ast.Piecewise):
            x = r(e.x)
            points = tuple((r(a), r(b)) for a, b in e.points)
            out = None
            y_unit = next((b.unit for _, b in points if getattr(b, "unit", None) is not None), None)
            for a, b in points:
                self._bare_beside(a, x.unit)
                self._bare_beside(b, y_unit)
                self._units(lambda a=a: units.same_dimension(x.unit, a.unit, "axis"), a, compare=True)
                out = self._units(lambda b=b, out=out: branches(out, b.unit), b)
            if len(points) < 2:
                self.d.error("check.piecewise_two_points", e.span)
            consts = [a.value for a, _ in points if isinstance(a, ast.Num)]
            if len(consts) == len(points) and consts != sorted(consts):
                self.d.error("check.piecewise_order", e.span)
            return replace(e, x=x, points=points, unit=out)
        if isinstance(e, ast.Decide):
            return self._decide(e, scope)
        if isinstance(e, ast.Call):
            return self._call(e, scope)
        if isinstance(e, ast.ListLit):
            return replace(e, items=tuple(r(i) for i in e.items))
        if isinstance(e, ast.MapLit):
            self.d.error("check.map_outside_parameter", e.span)
            return e
        return e

    def _units(self, compute, e: ast.Expr, compare: bool = False):
        try:
            return compute()
        except units.UnitError as error:
            args = dict(error.params)
            detail = messages.word(error.code + ("_with" if compare and error.code == "units.compare" else ""), **args)
            money = "euro" in (args.get("a"), args.get("b")) and {args.get("a"), args.get("b")} & {"count", "percent"}
            self.d.error("check.unit_mismatch", e.span, detail=detail,
                         hint=messages.word("hint.unit_money" if money else "hint.unit_same"))
            return None

    def _ref(self, e: ast.Ref, scope: Scope) -> ast.Expr:
        if e.member is not None:
            decl = self.decls.get(e.name)
            if decl is None or decl.kind not in ("indicator", "envelope"):
                options = [n for n, d in self.decls.items() if d.kind in ("indicator", "envelope")]
                self.d.error("check.unknown_indicator", e.span, hint=did_you_mean(e.name, options), name=e.name)
                return e
            node_id = f"{e.name}.{e.member}"
            if node_id not in self._part_exprs and node_id not in self.nodes:
                parts = [k.split(".", 1)[1] for k in self._part_exprs if k.startswith(e.name + ".")]
                self.d.error("check.no_such_part", e.span, hint=did_you_mean(e.member, parts) or None, kind=decl.kind,
                             name=e.name, member=e.member, parts=", ".join(parts))
                return e
            return replace(e, target=node_id, unit=self.resolve_node(node_id))
        found = scope.lookup(e.name)
        if found is None:
            if e.name in self.loaded.broken:  # its declaration has a syntax error, reported already
                return e
            hint = did_you_mean(e.name, scope.names()) or None
            if scope.where:
                self.d.error("check.unknown_name_in", e.span, hint=hint, name=e.name, where=scope.where)
            else:
                self.d.error("check.unknown_name", e.span, hint=hint, name=e.name)
            return e
        target, unit = found
        if target.startswith("kind:"):
            kind = target[5:]
            self.d.error("check.no_value_by_itself", e.span, name=e.name, kind=kind,
                         hint=None if kind == "indicator" else "")
            return e
        if unit is None and not target.startswith("@"):
            unit = self.resolve_node(target)
        return replace(e, target=target, unit=unit)


    def _decide(self, e: ast.Decide, scope: Scope) -> ast.Expr:
        subjects = tuple(self._resolve(s, scope) for s in e.subjects)
        rules = []
        out = None
        for patterns, result in e.rules:
            if len(patterns) != len(subjects):
                self.d.error("check.decide_row_width", result.span, patterns=len(patterns), columns=len(subjects))
            pats = tuple(self._resolve(p, scope) for p in patterns)
            for p, s in zip(pats, subjects):
                if not isinstance(p, ast.Wildcard):
                    self._bare_beside(p, s.unit)
                    self._units(lambda p=p, s=s: units.same_dimension(s.unit, p.unit, "compare"), p, compare=True)
            res = self._resolve(result, scope)
            if out is not None:
                self._bare_beside(res, out)
            out = self._units(lambda res=res, out=out: branches(out, res.unit), res)
            rules.append((pats, res))
        return replace(e, subjects=subjects, rules=tuple(rules), unit=out)


def numeric_same(a, b, verb):
    """The unit of ``a + b`` (or ``a - b``, ``min_of``…): numbers of one dimension."""
    units.check_numeric(a, messages.word(f"what.{verb}"))
    units.check_numeric(b, messages.word(f"what.{verb}"))
    return units.same_dimension(a, b, verb)


def branches(a, b):
    """The unit of a value that is either ``a`` or ``b`` (if/else, table rows)."""
    if a is None:
        return b
    if b is None:
        return a
    if units.dimension(a) == units.dimension(b):
        return a if a == b else ("percent" if "percent" in (a, b) else a)
    if "number" in (a, b) and units.is_numeric(a) and units.is_numeric(b):
        return a if b == "number" else b
    raise units.UnitError("units.mix", a=a, b=b)

