"""Indicators: their parts (own, defaulted, from their curve and envelope), resolved on demand so that
parts may use each other; curve and envelope templates bound to each indicator."""

from __future__ import annotations

from fractions import Fraction

from qualispec.compiler import messages
from qualispec.compiler import ir, units
from qualispec.compiler.syntax import ast
from qualispec.compiler.check.scope import Scope
from qualispec.compiler.check.trees import bind_template, with_unit
from qualispec.compiler.check.vocabulary import ALLOWED, PART_ORDER, STATUSES
from qualispec.compiler.diagnostics import did_you_mean


class Indicators:
    """Indicator parts, registered first and resolved on demand."""

    def _plan_indicator(self, decl: ast.Decl) -> dict:
        """Register the parts of an indicator (own, defaulted, from its curve and envelope)."""
        name = decl.name
        fields = self._names(decl, "fields", "field")
        parts: dict[str, tuple[ast.Expr | None, str]] = {}  # part → (expr or None for template, origin)
        for prop in decl.body:
            if prop.is_binding or ALLOWED["indicator"].get(prop.key) == "expr":
                if prop.key in parts:
                    self.d.error("check.part_twice", prop.span, key=prop.key, name=name)
                parts[prop.key] = (prop.value, "own")
        if "result" not in parts and "numerator" in parts and "denominator" in parts:
            num, den = parts["numerator"][0], parts["denominator"][0]
            parts["result"] = (ast.Binary(decl.span, "/", ast.Ref(num.span, "numerator"), ast.Ref(den.span, "denominator")), "own")
        prereqs = self._names(decl, "prerequisites", "prerequisite")
        if prereqs:
            cond: ast.Expr = ast.Ref(decl.span, prereqs[0])
            for p in prereqs[1:]:
                cond = ast.Binary(decl.span, "and", cond, ast.Ref(decl.span, p))
            parts["eligible"] = (cond, "own")
        valuation = decl.get("valuation")
        curve = None
        if valuation and isinstance(valuation.value, ast.Ref):
            if self._expect_kind(valuation.value.name, "curve", valuation.value.span):
                curve = self.curves.get(valuation.value.name)
        if curve is not None:
            if "score" in parts:
                self.d.error("check.score_and_curve", decl.span, name=name)
            for pname, punit in curve.params:
                if pname not in parts:
                    self.d.error("check.curve_needs", valuation.value.span, curve=curve.name, param=pname, name=name)
            for bname, _ in curve.bindings:
                if bname in parts:
                    self.d.error("check.curve_computes", parts[bname][0].span, name=name, part=bname, curve=curve.name)
                else:
                    parts[bname] = (None, f"curve:{bname}")
            parts["score"] = (None, "curve:value")
        envelope_prop = decl.get("envelope")
        envelope = ""
        if envelope_prop and isinstance(envelope_prop.value, ast.Ref):
            if self._expect_kind(envelope_prop.value.name, "envelope", envelope_prop.value.span):
                envelope = envelope_prop.value.name
        elif "payout" not in parts and len(self.envelope_templates) == 1:
            envelope = next(iter(self.envelope_templates))
        if envelope:
            if "payout" in parts:
                self.d.error("check.payout_and_envelope", decl.span, name=name)
            parts["payout"] = (None, f"envelope:{envelope}")
        if "objective" not in parts and "payout" not in parts and _numeric_target(parts):
            # A scheme that monitors rather than pays: the objective is met when the result reaches its target.
            parts["objective"] = (ast.Compare(decl.span, ">=", ast.Ref(decl.span, "result"),
                                              ast.Ref(decl.span, "target")), "default")
        local = {p: (f"{name}.{p}", None) for p in parts}
        scope = Scope(self, local, owner=name, where=messages.word("what.decl", kind="indicator", name=name))
        for part, (expr, origin) in parts.items():
            node_id = f"{name}.{part}"
            self._scopes[node_id] = scope
            if expr is not None:
                self._part_exprs[node_id] = (expr, decl, part)
            else:
                self._part_exprs[node_id] = (None, decl, origin)
        return {"parts": parts, "fields": fields, "curve": curve, "envelope": envelope, "prereqs": prereqs,
                "status": self._status_input(decl)}

    def _indicator(self, decl: ast.Decl, plan: dict) -> ir.Indicator:
        unit_prop = decl.get("unit")
        unit = self._unit(unit_prop.value.name, unit_prop.value.span) if unit_prop and isinstance(unit_prop.value, ast.Ref) else "percent"
        category = decl.get("category")
        cat = ""
        if category and isinstance(category.value, ast.Ref):
            self._expect_kind(category.value.name, "category", category.value.span)
            cat = category.value.name
        former = decl.get("former_names")
        former_names = tuple(i.value for i in former.value.items if isinstance(i, ast.Text)) if former and isinstance(former.value, ast.ListLit) else ()
        order = {p: i for i, p in enumerate(PART_ORDER)}
        names = sorted(plan["parts"], key=lambda p: (order.get(p, 100), list(plan["parts"]).index(p)))
        renamed = self.loaded.lineage.get(decl.name, "")
        self._indicator_units[decl.name] = unit if unit_prop is not None else None  # None: the result's own unit
        self._indicator_fields[decl.name] = plan["fields"]
        common = self._common(decl)
        if plan["curve"] is not None:  # the curve's lets are parts of the indicator, with their words
            common["let_labels"] = {**plan["curve"].let_labels, **common["let_labels"]}
        return ir.Indicator(
            "indicator", decl.name, decl.span, **common, fields=plan["fields"], category=cat, unit=unit,
            former_names=former_names, parts=tuple((p, f"{decl.name}.{p}") for p in names),
            valuation=plan["curve"].name if plan["curve"] else "", envelope=plan["envelope"],
            prerequisites=plan["prereqs"], renamed_from=renamed.split(":", 1)[1] if renamed.startswith("renamed:") else "",
            unit_declared=unit_prop is not None, status=plan["status"],
            objective_default=plan["parts"].get("objective", (None, ""))[1] == "default",
            proportion=self._proportion(decl, plan["parts"], unit if unit_prop is not None else None),
        )

    def _proportion(self, decl: ast.Decl, parts: dict, unit: str | None) -> bool:
        """Does the numerator count part of the denominator? A percent of counts (or of days), unless
        `proportion: false` says otherwise; days per stay, euro / euro, observed / expected are rates."""
        prop = decl.get("proportion")
        if prop is not None and isinstance(prop.value, ast.Bool):
            return prop.value.value
        sides = [parts.get(p, (None, ""))[0] for p in ("numerator", "denominator")]
        kinds = {units.ALIASES.get(self.decls[e.name].unit, self.decls[e.name].unit)
                 if isinstance(e, ast.Ref) and e.member is None and getattr(self.decls.get(e.name), "kind", "") == "input"
                 else None for e in sides}
        return unit == "percent" and kinds in ({"count"}, {"days"})

    def _status_input(self, decl: ast.Decl) -> str:
        """The input a `status:` names, checked: a category whose values are statuses the language knows."""
        prop = decl.get("status")
        if prop is None or not isinstance(prop.value, ast.Ref) or not self._expect_kind(prop.value.name, "input", prop.value.span):
            return ""
        name = prop.value.name
        source = self.decls[name]
        known = ", ".join(STATUSES)
        if units.ALIASES.get(source.unit, source.unit) != "category":
            self.d.error("check.status_not_category", prop.value.span, indicator=decl.name, name=name, unit=source.unit)
            return ""
        values_prop = source.get("values")
        values = [i for i in values_prop.value.items if isinstance(i, ast.Text)] \
            if values_prop and isinstance(values_prop.value, ast.ListLit) else []
        if not values:
            self.d.error("check.status_without_values", source.span, name=name, indicator=decl.name, known=known)
        for item in values:
            if item.value not in STATUSES:
                self.d.error("check.status_unknown", item.span, hint=did_you_mean(item.value, STATUSES) or None,
                             value=item.value, name=name, known=known)
        self.used_inputs.add(name)
        return name

    def resolve_node(self, node_id: str) -> str | None:
        """Resolve one indicator or envelope part (on demand, so parts can use each other)."""
        if node_id in self.nodes:
            return self.nodes[node_id].unit
        if node_id not in self._part_exprs:
            return None
        if node_id in self._resolving:
            return None  # a cycle: reported by the graph with the whole loop
        self._resolving.add(node_id)
        expr, decl, part = self._part_exprs[node_id]
        scope = self._scopes[node_id]
        if expr is None:
            expr = self._instantiate(decl, part, node_id)
        else:
            expr = self.resolve(expr, scope)
        if decl.kind == "indicator" and part == "result" and expr is not None:
            declared = self._indicator_units.get(decl.name)
            if declared is not None:
                expr = self._typed(expr, declared, messages.word("what.indicator_result", name=decl.name))
                expr = with_unit(expr, declared)
        if decl.kind == "indicator" and part == "payout" and expr is not None and f"{decl.name}.eligible" in self._part_exprs:
            # Prerequisites gate the money: an indicator pays only where all of them hold.
            eligible = ast.Ref(expr.span, "eligible", target=f"{decl.name}.eligible", unit="boolean")
            expr = ast.If(expr.span, eligible, expr, ast.Num(expr.span, Fraction(0), "euro"), unit=expr.unit)
        if decl.kind == "envelope" and part in ("amount", "group_amount") and expr is not None:
            self._typed(expr, "euro", messages.word("what.envelope_part", part=part, name=decl.name))
        if decl.kind == "indicator" and part in ("target", "threshold") and expr is not None:
            result_unit = self.resolve_node(f"{decl.name}.result")
            self._bare_beside(expr, result_unit)  # « target: 50 » for 50 %
            if {result_unit, getattr(expr, "unit", None)} == {"number", "percent"}:  # 80 % for a score of 80 / 100
                self.d.error("check.target_unit", expr.span, what=messages.word(f"reach.{part}"), name=decl.name,
                             unit=expr.unit, result=result_unit)
            elif result_unit == "percent" and self._declared_ratio(expr):  # « target: d2_2_weight » for d2_2_target
                self.d.error("check.ratio_with_percent", expr.span, name=expr.name)
        if decl.kind == "indicator" and part == "score" and expr is not None:
            self._bare_declared(expr, "percent", messages.word("what.indicator_part", part=part, name=decl.name))  # `score: 100`
        if decl.kind == "indicator" and part == "weight" and expr is not None:
            self._typed(expr, "ratio", messages.word("what.indicator_weight", name=decl.name))
        if decl.kind == "indicator" and part in ("eligible", "evolution_paid", "not_applicable_allowed", "objective") \
                and expr is not None:
            self._boolean(expr, messages.word("what.indicator_part", part=part, name=decl.name))
        unit = getattr(expr, "unit", None) if expr is not None else None
        fields = self._indicator_fields.get(decl.name, ()) if decl.kind == "indicator" else ()
        self.nodes[node_id] = ir.Node(node_id, "part" if decl.kind == "indicator" else "envelope", unit, expr,
                                      expr.span if expr is not None else decl.span, owner=decl.name, fields=fields)
        self._resolving.discard(node_id)
        return unit

    def _instantiate(self, decl: ast.Decl, origin: str, node_id: str) -> ast.Expr | None:
        """A curve's or envelope's template, with @names bound to this indicator's parts."""
        owner = decl.name
        kind, _, what = origin.partition(":")
        if kind == "curve":
            curve = self.curves[decl.get("valuation").value.name]
            template = curve.value if what == "value" else dict(curve.bindings).get(what)
            params = dict(curve.params)
            for pname, punit in params.items():
                actual = self.resolve_node(f"{owner}.{pname}")
                if actual is not None and not units.compatible(punit, actual):
                    self.d.error("check.curve_param_unit", decl.span, curve=curve.name, param=pname, unit=punit, name=owner,
                                 actual=actual)
        else:
            template = self._payout_template(what)
        if template is None:
            return None
        return bind_template(template, owner)



def _numeric_target(parts: dict) -> bool:
    """A target to reach, written as a value (not a sentence such as « A négocier localement »)."""
    target = parts.get("target", (None, ""))[0]
    return "result" in parts and target is not None and not isinstance(target, ast.Text)
