"""Inputs, parameters, groups, prerequisites and curves: each declaration becomes an IR node with its unit."""

from __future__ import annotations

from qualispec.compiler import ir, units
from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import did_you_mean
from qualispec.compiler.check.scope import Scope
from qualispec.compiler.check.trees import is_constant


class Declarations:
    """Declarations other than indicators and envelopes."""

    def _input(self, decl: ast.Decl) -> ir.Input:
        unit = self._unit(decl.unit, decl.unit_span)
        values = ()
        prop = decl.get("values")
        if prop and isinstance(prop.value, ast.ListLit):
            values = tuple(i.value for i in prop.value.items if isinstance(i, ast.Text))
        fields = self._names(decl, "fields", "field")
        self.nodes[decl.name] = ir.Node(decl.name, "input", unit, None, decl.span, fields=fields)
        column = self._text(decl, "column") or decl.name
        optional_prop = decl.get("optional")
        optional = isinstance(optional_prop.value, ast.Bool) and optional_prop.value.value if optional_prop else False
        if optional_prop is not None and not isinstance(optional_prop.value, ast.Bool):
            self.d.error(f"'optional' of input '{decl.name}' must be true or false", optional_prop.value.span)
        if optional and fields:
            self.d.error(f"input '{decl.name}' cannot be both optional and required on fields {', '.join(fields)}",
                         optional_prop.span, hint="keep one: optional: true, or fields: [...] where it must be filled")
        return ir.Input("input", decl.name, decl.span, **self._common(decl), unit=unit, column=column, values=values,
                        optional=optional)

    def _unit(self, name: str | None, span) -> str:
        name = units.ALIASES.get(name, name)
        if name not in units.UNITS:
            self.d.error(f"unknown unit '{name}'", span,
                         hint=did_you_mean(name, units.UNITS) or f"units are: {', '.join(units.UNITS)}")
            return "number"
        return name

    def _parameter(self, decl: ast.Decl) -> ir.Parameter:
        unit = self._unit(decl.unit, decl.unit_span)
        scope = Scope(self, where=f"parameter '{decl.name}'")
        value, values = None, ()
        if decl.keyed_by is not None:
            if decl.keyed_by not in ("field", "group"):
                self.d.error(f"a parameter can be given by field or by group, not by '{decl.keyed_by}'", decl.span)
            if not isinstance(decl.value, ast.MapLit):
                self.d.error(f"parameter '{decl.name}' is given by {decl.keyed_by}: write {{ MCO: …, SSR: … }}",
                             decl.value.span)
            else:
                entries = []
                for key, span, expr in decl.value.entries:
                    self._expect_kind(key, decl.keyed_by, span)
                    entries.append((key, self._typed(self.resolve(expr, scope), unit, f"parameter '{decl.name}'")))
                values = tuple(entries)
        else:
            value = self._typed(self.resolve(decl.value, scope), unit, f"parameter '{decl.name}'")
        if decl.value is not None and not is_constant(decl.value):
            self.d.error(f"parameter '{decl.name}' must be a value, not a formula over the data", decl.value.span,
                         hint="compute it in an indicator part or a let binding instead")
        self.nodes[decl.name] = ir.Node(decl.name, "parameter", unit, value, decl.span)
        return ir.Parameter("parameter", decl.name, decl.span, **self._common(decl), unit=unit, value=value,
                            values=values, keyed_by=decl.keyed_by)

    def _typed(self, expr: ast.Expr, unit: str, what: str) -> ast.Expr:
        actual = getattr(expr, "unit", None)
        if not units.compatible(unit, actual):
            self.d.error(f"{what} is declared {unit} but its value is {actual}", expr.span,
                         hint=f"write the value in {unit}" + (" (e.g. 50%)" if unit == "percent" else ""))
        return expr

    def _group(self, decl: ast.Decl) -> ir.Group:
        field_prop = decl.get("field")
        field_name = ""
        if field_prop and isinstance(field_prop.value, ast.Ref):
            field_name = field_prop.value.name
            self._expect_kind(field_name, "field", field_prop.value.span)
        when = self._condition(decl, "when", f"the condition of group '{decl.name}'")
        self.nodes[decl.name] = ir.Node(decl.name, "group", "boolean", when, decl.span,
                                        fields=(field_name,) if field_name else ())
        return ir.Group("group", decl.name, decl.span, **self._common(decl), field_name=field_name, when=when)

    def _condition(self, decl: ast.Decl, key: str, what: str) -> ast.Expr | None:
        prop = decl.get(key)
        if prop is None or isinstance(prop.value, (ast.SourceRef, ast.ListLit)):
            return None
        expr = self.resolve(prop.value, Scope(self, where=what))
        self._boolean(expr, what)
        return expr

    def _boolean(self, expr: ast.Expr, what: str) -> None:
        unit = getattr(expr, "unit", None)
        if unit not in ("boolean", None):
            self.d.error(f"{what} must be true or false, but it is {unit}", expr.span,
                         hint="compare it with something: >=, <, = …")

    def _prerequisite(self, decl: ast.Decl) -> ir.Prerequisite:
        when = self._condition(decl, "when", f"prerequisite '{decl.name}'")
        self.nodes[decl.name] = ir.Node(decl.name, "prerequisite", "boolean", when, decl.span)
        return ir.Prerequisite("prerequisite", decl.name, decl.span, **self._common(decl), when=when)

    def _curve(self, decl: ast.Decl) -> ir.Curve:
        params = tuple((p.name, self._unit(p.unit, p.span)) for p in decl.params)
        result_unit = self._unit(decl.unit, decl.unit_span)
        local = {name: (f"@{name}", unit) for name, unit in params}
        scope = Scope(self, local, where=f"curve '{decl.name}'")
        bindings = []
        for prop in decl.body:
            if prop.is_binding:
                if prop.key in local:
                    self.d.error(f"'{prop.key}' is already a parameter of curve '{decl.name}'", prop.span)
                expr = self.resolve(prop.value, scope)
                local[prop.key] = (f"@{prop.key}", getattr(expr, "unit", None))
                bindings.append((prop.key, expr))
        value_prop = decl.get("value")
        value = None
        if value_prop is not None:
            value = self._typed(self.resolve(value_prop.value, scope), result_unit, f"the value of curve '{decl.name}'")
        return ir.Curve("curve", decl.name, decl.span, **self._common(decl), params=params, unit=result_unit,
                        bindings=tuple(bindings), value=value)

