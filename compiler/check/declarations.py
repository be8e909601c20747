"""Inputs, parameters, groups, prerequisites and curves: each declaration becomes an IR node with its unit."""

from __future__ import annotations

from qualispec.compiler import messages
from qualispec.compiler import ir, units
from qualispec.compiler.syntax import ast
from qualispec.compiler.check.typos import written as plain
from qualispec.compiler.syntax.ast import signed_number
from qualispec.compiler.diagnostics import did_you_mean
from qualispec.compiler.check.scope import Scope
from qualispec.compiler.check.trees import is_constant
from qualispec.compiler.check.vocabulary import CONCERNED, REQUIREMENTS


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
            self.d.error("check.optional_boolean", optional_prop.value.span, name=decl.name)
        if optional and fields:
            self.d.error("check.optional_and_required", optional_prop.span, name=decl.name, fields=", ".join(fields))
        signed_prop = decl.get("signed")
        signed = isinstance(signed_prop.value, ast.Bool) and signed_prop.value.value if signed_prop else False
        if signed_prop is not None and not isinstance(signed_prop.value, ast.Bool):
            self.d.error("check.signed_boolean", signed_prop.value.span, name=decl.name)
        elif signed and unit != "percent":
            self.d.error("check.signed_not_percent", signed_prop.span, name=decl.name, unit=unit)
        return ir.Input("input", decl.name, decl.span, **self._common(decl), unit=unit, column=column, values=values,
                        optional=optional, signed=signed, requirement=self._requirement(decl, optional, fields))

    def _requirement(self, decl: ast.Decl, optional: bool, fields: tuple[str, ...]) -> tuple[str, str] | None:
        """`required_when: S` / `required_unless: X` / `required_with: X`: an optional column another one makes required.

        `required_when: S` may also narrow an input's `fields:` (required on those fields' rows while S reads
        « renseigne » or is empty): the IFAQ 2024 numerators, which a « non_renseigne » status excuses."""
        props = [p for p in decl.body if not p.is_binding and p.key in REQUIREMENTS]
        if not props:
            return None
        for extra in props[1:]:
            self.d.error("check.requirement_twice", extra.span, name=decl.name, first=props[0].key, second=extra.key)
        prop = props[0]
        if not isinstance(prop.value, ast.Ref) or not self._expect_kind(prop.value.name, "input", prop.value.span):
            return None
        other = self.decls[prop.value.name]
        if other.name == decl.name:
            self.d.error("check.requirement_itself", prop.value.span, name=decl.name, key=prop.key)
            return None
        if not optional and not (prop.key == "required_when" and fields):
            self.d.error("check.requirement_not_optional", prop.span, name=decl.name, key=prop.key)
        other_optional = other.get("optional")
        if prop.key == "required_when":
            values_prop = other.get("values")
            values = [i.value for i in values_prop.value.items if isinstance(i, ast.Text)] \
                if values_prop and isinstance(values_prop.value, ast.ListLit) else []
            if units.ALIASES.get(other.unit, other.unit) != "category" or CONCERNED not in values:
                self.d.error("check.requirement_not_status", prop.value.span, name=decl.name, other=other.name,
                             concerned=CONCERNED)
                return None
        elif not (other_optional and isinstance(other_optional.value, ast.Bool) and other_optional.value.value):
            self.d.error("check.requirement_other_required", prop.value.span, name=decl.name, key=prop.key,
                         other=other.name)
            return None
        self.used_inputs.add(other.name)
        return prop.key, other.name

    def _unit(self, name: str | None, span) -> str:
        name = units.ALIASES.get(name, name)
        if name not in units.UNITS:
            self.d.error("check.unknown_unit", span, hint=did_you_mean(name, units.UNITS) or None, name=name,
                          units=", ".join(units.UNITS))
            return "number"
        return name

    def _parameter(self, decl: ast.Decl) -> ir.Parameter:
        unit = self._unit(decl.unit, decl.unit_span)
        scope = Scope(self, where=messages.word("what.decl", kind="parameter", name=decl.name))
        value, values = None, ()
        if decl.keyed_by is not None:
            if decl.keyed_by not in ("field", "group"):
                self.d.error("check.keyed_by", decl.span, by=decl.keyed_by)
            if not isinstance(decl.value, ast.MapLit):
                self.d.error("check.keyed_needs_map", decl.value.span, name=decl.name, by=decl.keyed_by)
            else:
                entries = []
                for key, span, expr in decl.value.entries:
                    self._expect_kind(key, decl.keyed_by, span)
                    entries.append((key, self._typed(self.resolve(expr, scope), unit, messages.word("what.decl", kind="parameter", name=decl.name), declared=True)))
                values = tuple(entries)
        else:
            value = self._typed(self.resolve(decl.value, scope), unit, messages.word("what.decl", kind="parameter", name=decl.name),
                                declared=True)
        if decl.value is not None and not is_constant(decl.value):
            self.d.error("check.parameter_formula", decl.value.span, name=decl.name)
        self.nodes[decl.name] = ir.Node(decl.name, "parameter", unit, value, decl.span)
        return ir.Parameter("parameter", decl.name, decl.span, **self._common(decl), unit=unit, value=value,
                            values=values, keyed_by=decl.keyed_by)

    def _typed(self, expr: ast.Expr, unit: str, what: str, declared: bool = False) -> ast.Expr:
        """``expr`` where ``unit`` is expected; ``declared``: the value of a parameter declared in that unit."""
        actual = getattr(expr, "unit", None)
        self._bare_declared(expr, unit, what)
        written = signed_number(expr)
        # `parameter w: ratio = 25%`: 0.25 or 0.0025? (An indicator's `weight: 60%` is the natural way to write it.)
        if declared and unit == "ratio" and actual == "percent" and written is not None:
            self.d.error("check.percent_for_ratio", expr.span, what=what, suggestion=plain(written.value))
            return expr
        written_with_unit = unit == "number" and actual in ("percent", "euro") and written is not None
        if not units.compatible(unit, actual) or written_with_unit:  # `months: number = 2 %` reads 0,02
            self.d.error("check.declared_unit", expr.span, what=what, unit=unit, actual=actual,
                         example=" (50%)" if unit == "percent" else "")
        return expr

    def _group(self, decl: ast.Decl) -> ir.Group:
        field_prop = decl.get("field")
        field_name = ""
        if field_prop and isinstance(field_prop.value, ast.Ref):
            field_name = field_prop.value.name
            self._expect_kind(field_name, "field", field_prop.value.span)
        when = self._condition(decl, "when", messages.word("what.group_condition", name=decl.name))
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
            self.d.error("check.not_boolean", expr.span, what=what, unit=unit)

    def _prerequisite(self, decl: ast.Decl) -> ir.Prerequisite:
        when = self._condition(decl, "when", messages.word("what.decl", kind="prerequisite", name=decl.name))
        self.nodes[decl.name] = ir.Node(decl.name, "prerequisite", "boolean", when, decl.span)
        return ir.Prerequisite("prerequisite", decl.name, decl.span, **self._common(decl), when=when)

    def _curve(self, decl: ast.Decl) -> ir.Curve:
        params = tuple((p.name, self._unit(p.unit, p.span)) for p in decl.params)
        result_unit = self._unit(decl.unit, decl.unit_span)
        local = {name: (f"@{name}", unit) for name, unit in params}
        scope = Scope(self, local, where=messages.word("what.decl", kind="curve", name=decl.name))
        bindings = []
        for prop in decl.body:
            if prop.is_binding:
                if prop.key in local:
                    self.d.error("check.binding_is_param", prop.span, key=prop.key, name=decl.name)
                expr = self.resolve(prop.value, scope)
                local[prop.key] = (f"@{prop.key}", getattr(expr, "unit", None))
                bindings.append((prop.key, expr))
        value_prop = decl.get("value")
        value = None
        if value_prop is not None:
            value = self._typed(self.resolve(value_prop.value, scope), result_unit, messages.word("what.curve_value", name=decl.name))
        return ir.Curve("curve", decl.name, decl.span, **self._common(decl), params=params, unit=result_unit,
                        bindings=tuple(bindings), value=value)

