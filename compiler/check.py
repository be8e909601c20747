"""Names, properties and units: from loaded declarations to the typed IR.

Each expression is resolved in a scope (an indicator's own parts, then the
campaign's declarations, then the built-ins ``finess``, ``field``, ``group``), and
gets a unit. Curves and envelopes are templates: a curve's parameters and ``let``
bindings are written ``@name`` and become the parts of each indicator valued by it
(``num1.level``, ``num1.score``); an envelope's ``payout`` becomes ``num1.payout``.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from qualispec.compiler import ir, units
from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import Diagnostics, a, did_you_mean
from qualispec.compiler.syntax.load import Loaded

AGGREGATES = ("median", "quantile", "mean", "sum", "count", "min", "max")
FUNCTIONS = ("available", "min_of", "max_of", "abs", "round", "floor")
QUANTILE_METHODS = ("lower", "higher", "nearest", "linear", "midpoint")

COMMON = {"label": "text", "description": "text", "source": "source", "assumption": "text", "note": "text"}
ALLOWED = {
    "campaign": {"scheme": "text", "year": "number", "published": "text"},
    "document": {"file": "text", "date": "text", "issuer": "text"},
    "field": {},
    "category": {},
    "input": {"column": "text", "values": "list", "fields": "names", "optional": "expr"},
    "parameter": {},
    "group": {"field": "name", "when": "expr"},
    "prerequisite": {"when": "expr"},
    "curve": {"value": "expr"},
    "envelope": {"amount": "expr", "group_amount": "expr", "payout": "expr", "rounding": "text"},
    "indicator": {
        "former_names": "list", "category": "name", "fields": "names", "unit": "name",
        "numerator": "expr", "denominator": "expr", "result": "expr", "previous": "expr",
        "target": "expr", "threshold": "expr", "evolution_paid": "expr", "weight": "expr",
        "score": "expr", "payout": "expr", "expected": "expr", "valuation": "name", "envelope": "name",
        "prerequisites": "names", "not_applicable_allowed": "expr",
        **{k: "text" for k in ("definition", "exclusions", "measurement", "deadline", "not_computable",
                               "data_source", "frequency", "collection", "stay_definition", "direction",
                               "numerator_label", "denominator_label", "threshold_rule", "evolution_rule",
                               "weight_rule", "scope")},
    },
}
REQUIRED = {"group": ("field", "when"), "prerequisite": ("when",), "curve": ("value",),
            "envelope": ("payout",)}
# Indicator parts, in the order a reader expects them.
PART_ORDER = ("numerator", "denominator", "result", "previous", "expected", "target", "threshold",
              "evolution_paid", "not_applicable_allowed", "eligible", "level", "evolution", "score",
              "weight", "payout")


class _Scope:
    """Names visible to an expression, innermost first."""

    def __init__(self, checker: "Checker", local: dict[str, tuple[str, str | None]] | None = None,
                 owner: str | None = None, where: str = ""):
        self.checker, self.local, self.owner, self.where = checker, local or {}, owner, where

    def lookup(self, name: str):
        if name in self.local:
            return self.local[name]
        return self.checker.lookup_global(name, self.owner)

    def names(self):
        return list(self.local) + list(self.checker.global_names())


class Checker:
    def __init__(self, loaded: Loaded, diagnostics: Diagnostics):
        self.loaded, self.d = loaded, diagnostics
        self.decls = loaded.decls
        self.nodes: dict[str, ir.Node] = {}
        self._resolving: set[str] = set()
        self._part_exprs: dict[str, tuple[ast.Expr, ast.Decl, str]] = {}  # node id → (expr, decl, part)
        self.used_inputs: set[str] = set()
        self._scopes: dict[str, _Scope] = {}  # node id → the scope its formula is read in
        self._indicator_units: dict[str, str] = {}
        self._indicator_fields: dict[str, tuple[str, ...]] = {}
        self._payouts: dict[str, ast.Expr] = {}  # envelope → its resolved payout template

    # ------------------------------------------------------------ entry point
    def run(self) -> ir.Campaign | None:
        campaign = self.loaded.campaign
        if campaign is None:
            return None
        for decl in self.decls.values():
            self._check_properties(decl)
        for name, unit in ir.BUILTINS.items():
            self.nodes[name] = ir.Node(name, "builtin", unit, None, ast.NO_SPAN)
        built = {kind: {} for kind in ("document", "field", "category", "input", "parameter", "group",
                                       "prerequisite", "curve", "indicator", "envelope")}
        for decl in self.decls.values():
            if decl.kind == "input":
                built["input"][decl.name] = self._input(decl)
            elif decl.kind in ("document", "field", "category"):
                built[decl.kind][decl.name] = ir.Decl(decl.kind, decl.name, decl.span, **self._common(decl))
        for decl in self.decls.values():
            if decl.kind == "parameter":
                built["parameter"][decl.name] = self._parameter(decl)
        self.curves = {d.name: self._curve(d) for d in self.decls.values() if d.kind == "curve"}
        built["curve"] = self.curves
        self.envelope_templates = {d.name: d for d in self.decls.values() if d.kind == "envelope"}
        # Register every indicator part before resolving any, so that parts may refer to each other.
        plans = {d.name: self._plan_indicator(d) for d in self.decls.values() if d.kind == "indicator"}
        for name, plan in plans.items():
            built["indicator"][name] = self._indicator(self.decls[name], plan)
        for decl in self.decls.values():
            if decl.kind == "group":
                built["group"][decl.name] = self._group(decl)
            elif decl.kind == "prerequisite":
                built["prerequisite"][decl.name] = self._prerequisite(decl)
            elif decl.kind == "envelope":
                built["envelope"][decl.name] = self._envelope(decl)
        for node_id in list(self._part_exprs):
            self.resolve_node(node_id)
        self._warn_unused_inputs(built["input"])
        common = self._common(campaign)
        return ir.Campaign(
            "campaign", campaign.name, campaign.span, **common,
            scheme=self._text(campaign, "scheme"), year=self._year(campaign),
            extends=self.loaded.base_name, extends_path=self.loaded.base_path, path=self.loaded.path,
            documents=built["document"], field_decls=built["field"], categories=built["category"],
            inputs=built["input"], parameters=built["parameter"], groups=built["group"],
            prerequisites=built["prerequisite"], curves=built["curve"], indicators=built["indicator"],
            envelopes=built["envelope"], nodes=dict(self.nodes), lineage=dict(self.loaded.lineage),
            dropped=dict(self.loaded.dropped),
        )

    # ------------------------------------------------------------ properties
    def _check_properties(self, decl: ast.Decl) -> None:
        allowed = {**COMMON, **ALLOWED.get(decl.kind, {})}
        seen: dict[str, ast.Property] = {}
        for prop in decl.body:
            if prop.is_binding:
                if decl.kind not in ("indicator", "curve", "envelope"):
                    self.d.error(f"{a(decl.kind)} cannot hold 'let' bindings", prop.span)
                continue
            if prop.key in seen:
                self.d.error(f"property '{prop.key}' is given twice in {decl.kind} '{decl.name}'", prop.span,
                             hint=f"the first one is at {seen[prop.key].span}")
            seen[prop.key] = prop
            kind = allowed.get(prop.key)
            if kind is None:
                hint = did_you_mean(prop.key, allowed) or f"{a(decl.kind)} accepts: {', '.join(sorted(allowed))}"
                self.d.error(f"unknown property '{prop.key}' for {a(decl.kind)}", prop.span, hint=hint)
                continue
            self._check_value_kind(decl, prop, kind)
        for key in REQUIRED.get(decl.kind, ()):
            if key not in seen:
                self.d.error(f"{decl.kind} '{decl.name}' has no '{key}'", decl.span,
                             hint=f"add: {key}: …")
        if decl.kind != "campaign" and "source" not in seen and "assumption" not in seen and decl.kind not in ("field", "document"):
            self.d.warning(f"{decl.kind} '{decl.name}' says neither its source nor that it is an assumption", decl.span,
                           hint='add: source: <document> "<section>", or assumption: "…"')

    def _check_value_kind(self, decl, prop, kind) -> None:
        v = prop.value
        ok = {
            "text": isinstance(v, ast.Text),
            "source": isinstance(v, ast.SourceRef),
            "number": isinstance(v, ast.Num),
            "name": isinstance(v, ast.Ref) and v.member is None,
            "names": isinstance(v, ast.ListLit) and all(isinstance(i, ast.Ref) for i in v.items),
            "list": isinstance(v, ast.ListLit),
            "expr": not isinstance(v, (ast.SourceRef, ast.ListLit)),
        }[kind]
        if not ok:
            words = {"text": 'a text in quotes ("…")', "source": 'a document and a section: source: doc "§ …"',
                     "number": "a number", "name": "a name", "names": "a list of names: [A, B]",
                     "list": "a list: [\"…\", \"…\"]", "expr": "a formula"}[kind]
            self.d.error(f"property '{prop.key}' of {decl.kind} '{decl.name}' must be {words}", prop.value.span)
        if kind == "source" and ok:
            doc = self.decls.get(v.document)
            if doc is None or doc.kind != "document":
                docs = [n for n, x in self.decls.items() if x.kind == "document"]
                self.d.error(f"unknown document '{v.document}'", v.span,
                             hint=did_you_mean(v.document, docs) or "declare it: document NAME { label: \"…\" }")

    def _common(self, decl: ast.Decl) -> dict:
        texts = {}
        for prop in decl.body:
            if not prop.is_binding and isinstance(prop.value, ast.Text) and prop.key not in COMMON:
                texts[prop.key] = prop.value.value
        source = decl.get("source")
        return dict(
            label=self._text(decl, "label"), description=self._text(decl, "description"),
            source=source.value if source and isinstance(source.value, ast.SourceRef) else None,
            assumption=self._text(decl, "assumption"), carried=self.loaded.carried.get(decl.name, ""),
            texts=texts,
        )

    @staticmethod
    def _text(decl: ast.Decl, key: str) -> str:
        prop = decl.get(key)
        return prop.value.value if prop and isinstance(prop.value, ast.Text) else ""

    @staticmethod
    def _year(decl: ast.Decl) -> int | None:
        prop = decl.get("year")
        return int(prop.value.value) if prop and isinstance(prop.value, ast.Num) else None

    def _names(self, decl: ast.Decl, key: str, kind: str) -> tuple[str, ...]:
        prop = decl.get(key)
        if prop is None or not isinstance(prop.value, ast.ListLit):
            return ()
        names = []
        for item in prop.value.items:
            if isinstance(item, ast.Ref):
                self._expect_kind(item.name, kind, item.span)
                names.append(item.name)
        return tuple(names)

    def _expect_kind(self, name: str, kind: str, span) -> bool:
        decl = self.decls.get(name)
        if decl is not None and decl.kind == kind:
            return True
        options = [n for n, d in self.decls.items() if d.kind == kind]
        if decl is None:
            self.d.error(f"unknown {kind} '{name}'", span, hint=did_you_mean(name, options) or
                         (f"known {kind}s: {', '.join(options)}" if options else f"declare it: {kind} {name} {{ … }}"))
        else:
            self.d.error(f"'{name}' is {a(decl.kind)}, not {a(kind)}", span,
                         hint=did_you_mean(name, options) or "")
        return False

    # ------------------------------------------------------------ declarations
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
        scope = _Scope(self, where=f"parameter '{decl.name}'")
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
        if decl.value is not None and not _is_constant(decl.value):
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
        expr = self.resolve(prop.value, _Scope(self, where=what))
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
        scope = _Scope(self, local, where=f"curve '{decl.name}'")
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

    def _envelope(self, decl: ast.Decl) -> ir.Envelope:
        scope = self._envelope_scope(decl)
        parts = []
        for prop in decl.body:
            if prop.key in ("amount", "group_amount") or prop.is_binding:
                node_id = f"{decl.name}.{prop.key}"
                self._part_exprs[node_id] = (prop.value, decl, prop.key)
                self._scopes[node_id] = scope
                parts.append((prop.key, node_id))
        template = self._payout_template(decl.name)
        if template is not None and units.dimension(getattr(template, "unit", None)) not in ("euro", None):
            self.d.error(f"the payout of envelope '{decl.name}' must be in euro, not {template.unit}", template.span)
        return ir.Envelope("envelope", decl.name, decl.span, **self._common(decl), parts=tuple(parts), payout=template)

    def _envelope_scope(self, decl: ast.Decl) -> _Scope:
        """An envelope's names: its amounts and bindings, and @weight, @score of each indicator it pays."""
        local = {"weight": ("@weight", "ratio"), "score": ("@score", "percent")}
        for prop in decl.body:
            if prop.key in ("amount", "group_amount"):
                local[prop.key] = (f"{decl.name}.{prop.key}", "euro")
            elif prop.is_binding:
                local[prop.key] = (f"{decl.name}.{prop.key}", None)
        return _Scope(self, local, where=f"envelope '{decl.name}'")

    def _payout_template(self, envelope: str) -> ast.Expr | None:
        """The envelope's payout, resolved once, instantiated for each indicator it pays."""
        if envelope not in self._payouts:
            decl = self.envelope_templates[envelope]
            payout = decl.get("payout")
            self._payouts[envelope] = self.resolve(payout.value, self._envelope_scope(decl)) if payout else None
        return self._payouts[envelope]

    # ------------------------------------------------------------ indicators
    def _plan_indicator(self, decl: ast.Decl) -> dict:
        """Register the parts of an indicator (own, defaulted, from its curve and envelope)."""
        name = decl.name
        fields = self._names(decl, "fields", "field")
        parts: dict[str, tuple[ast.Expr | None, str]] = {}  # part → (expr or None for template, origin)
        for prop in decl.body:
            if prop.is_binding or ALLOWED["indicator"].get(prop.key) == "expr":
                if prop.key in parts:
                    self.d.error(f"'{prop.key}' is defined twice in indicator '{name}'", prop.span)
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
                self.d.error(f"indicator '{name}' has both a score and a valuation curve", decl.span,
                             hint="keep one: the curve computes the score")
            for pname, punit in curve.params:
                if pname not in parts:
                    self.d.error(f"curve '{curve.name}' needs '{pname}', which indicator '{name}' does not define",
                                 valuation.value.span, hint=f"add: {pname}: …")
            for bname, _ in curve.bindings:
                if bname in parts:
                    self.d.error(f"indicator '{name}' defines '{bname}', which its curve '{curve.name}' computes",
                                 parts[bname][0].span)
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
                self.d.error(f"indicator '{name}' has both a payout and an envelope", decl.span)
            parts["payout"] = (None, f"envelope:{envelope}")
        local = {p: (f"{name}.{p}", None) for p in parts}
        scope = _Scope(self, local, owner=name, where=f"indicator '{name}'")
        for part, (expr, origin) in parts.items():
            node_id = f"{name}.{part}"
            self._scopes[node_id] = scope
            if expr is not None:
                self._part_exprs[node_id] = (expr, decl, part)
            else:
                self._part_exprs[node_id] = (None, decl, origin)
        return {"parts": parts, "fields": fields, "curve": curve, "envelope": envelope, "prereqs": prereqs}

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
        self._indicator_units[decl.name] = unit
        self._indicator_fields[decl.name] = plan["fields"]
        return ir.Indicator(
            "indicator", decl.name, decl.span, **self._common(decl), fields=plan["fields"], category=cat, unit=unit,
            former_names=former_names, parts=tuple((p, f"{decl.name}.{p}") for p in names),
            valuation=plan["curve"].name if plan["curve"] else "", envelope=plan["envelope"],
            prerequisites=plan["prereqs"], renamed_from=renamed.split(":", 1)[1] if renamed.startswith("renamed:") else "",
        )

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
            declared = self._indicator_units.get(decl.name) or "percent"
            expr = self._typed(expr, declared, f"the result of indicator '{decl.name}'")
            expr = _with_unit(expr, declared)
        if decl.kind == "indicator" and part == "payout" and expr is not None and f"{decl.name}.eligible" in self._part_exprs:
            # Prerequisites gate the money: an indicator pays only where all of them hold.
            eligible = ast.Ref(expr.span, "eligible", target=f"{decl.name}.eligible", unit="boolean")
            expr = ast.If(expr.span, eligible, expr, ast.Num(expr.span, Fraction(0), "euro"), unit=expr.unit)
        if decl.kind == "envelope" and part in ("amount", "group_amount") and expr is not None:
            self._typed(expr, "euro", f"the {part} of envelope '{decl.name}'")
        if decl.kind == "indicator" and part == "weight" and expr is not None:
            self._typed(expr, "ratio", f"the weight of indicator '{decl.name}'")
        if decl.kind == "indicator" and part in ("eligible", "evolution_paid", "not_applicable_allowed") and expr is not None:
            self._boolean(expr, f"'{part}' of indicator '{decl.name}'")
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
                    self.d.error(f"curve '{curve.name}' expects '{pname}' in {punit}, but in indicator '{owner}' it is {actual}",
                                 decl.span)
        else:
            template = self._payout_template(what)
        if template is None:
            return None
        return _bind(template, owner)

    # ------------------------------------------------------------ names
    def lookup_global(self, name: str, owner: str | None):
        if name in ir.BUILTINS:
            return (name, ir.BUILTINS[name])
        decl = self.decls.get(name)
        if decl is None:
            return None
        if decl.kind in ("input", "parameter", "group", "prerequisite"):
            if decl.kind == "input":
                self.used_inputs.add(name)
            node = self.nodes.get(name)
            unit = node.unit if node else ("boolean" if decl.kind in ("group", "prerequisite") else None)
            return (name, unit)
        if decl.kind == "field":
            return (f"field:{name}", "category")
        return ("kind:" + decl.kind, None)

    def global_names(self):
        return list(self.decls) + list(ir.BUILTINS)

    # ------------------------------------------------------------ expressions
    def resolve(self, e: ast.Expr, scope: _Scope) -> ast.Expr:
        try:
            return self._resolve(e, scope)
        except units.UnitError as error:  # pragma: no cover - _resolve reports its own
            self.d.error(str(error), e.span)
            return e

    def _resolve(self, e: ast.Expr, scope: _Scope) -> ast.Expr:
        r = lambda x: self._resolve(x, scope)  # noqa: E731
        if isinstance(e, (ast.Num, ast.Text, ast.Bool, ast.Missing, ast.Wildcard, ast.SourceRef)):
            return e
        if isinstance(e, ast.Ref):
            return self._ref(e, scope)
        if isinstance(e, ast.Unary):
            operand = r(e.operand)
            if e.op == "not":
                self._boolean(operand, "'not'")
                return replace(e, operand=operand, unit="boolean")
            return replace(e, operand=operand, unit=self._units(lambda: (units.check_numeric(operand.unit, "'-'"), operand.unit)[1], e))
        if isinstance(e, ast.Binary):
            left, right = r(e.left), r(e.right)
            if e.op in ("and", "or"):
                self._boolean(left, f"'{e.op}'")
                self._boolean(right, f"'{e.op}'")
                unit = "boolean"
            elif e.op in ("+", "-"):
                verb = "add" if e.op == "+" else "subtract"
                unit = self._units(lambda: _numeric_same(left.unit, right.unit, verb), e)
            elif e.op == "*":
                unit = self._units(lambda: units.multiply(left.unit, right.unit), e)
            else:
                unit = self._units(lambda: units.divide(left.unit, right.unit), e)
            return replace(e, left=left, right=right, unit=unit)
        if isinstance(e, ast.Compare):
            left, right = r(e.left), r(e.right)
            self._units(lambda: units.same_dimension(left.unit, right.unit, "compare"), e, compare=True)
            if "boolean" in (left.unit, right.unit) and e.op not in ("=", "!="):
                self.d.error("yes/no values can only be compared with = or !=", e.span)
            return replace(e, left=left, right=right)
        if isinstance(e, ast.Member):
            operand = r(e.operand)
            options = tuple(r(o) for o in e.options)
            for o in options:
                self._units(lambda o=o: units.same_dimension(operand.unit, o.unit, "compare"), o, compare=True)
            return replace(e, operand=operand, options=options)
        if isinstance(e, ast.If):
            cond, then, else_ = r(e.cond), r(e.then), r(e.else_)
            self._boolean(cond, "the condition of 'if'")
            unit = self._units(lambda: _branches(then.unit, else_.unit), e)
            return replace(e, cond=cond, then=then, else_=else_, unit=unit)
        if isinstance(e, ast.Piecewise):
            x = r(e.x)
            points = tuple((r(a), r(b)) for a, b in e.points)
            out = None
            for a, b in points:
                self._units(lambda a=a: units.same_dimension(x.unit, a.unit, "place on the same axis"), a, compare=True)
                out = self._units(lambda b=b, out=out: _branches(out, b.unit), b)
            if len(points) < 2:
                self.d.error("a piecewise curve needs at least two points", e.span)
            consts = [a.value for a, _ in points if isinstance(a, ast.Num)]
            if len(consts) == len(points) and consts != sorted(consts):
                self.d.error("the points of a piecewise curve must go in increasing order", e.span)
            return replace(e, x=x, points=points, unit=out)
        if isinstance(e, ast.Decide):
            return self._decide(e, scope)
        if isinstance(e, ast.Call):
            return self._call(e, scope)
        if isinstance(e, ast.ListLit):
            return replace(e, items=tuple(r(i) for i in e.items))
        if isinstance(e, ast.MapLit):
            self.d.error("a table of values by field is only allowed as a parameter's value", e.span,
                         hint="declare: parameter NAME: unit by field = { … } { source: … }")
            return e
        return e

    def _units(self, compute, e: ast.Expr, compare: bool = False):
        try:
            return compute()
        except units.UnitError as error:
            message = str(error)
            if compare:
                message = message.replace(" and ", " with ", 1)
            self.d.error(f"unit mismatch: {message}", e.span, hint=_unit_hint(message))
            return None

    def _ref(self, e: ast.Ref, scope: _Scope) -> ast.Expr:
        if e.member is not None:
            decl = self.decls.get(e.name)
            if decl is None or decl.kind not in ("indicator", "envelope"):
                options = [n for n, d in self.decls.items() if d.kind in ("indicator", "envelope")]
                self.d.error(f"unknown indicator '{e.name}'", e.span, hint=did_you_mean(e.name, options))
                return e
            node_id = f"{e.name}.{e.member}"
            if node_id not in self._part_exprs and node_id not in self.nodes:
                parts = [k.split(".", 1)[1] for k in self._part_exprs if k.startswith(e.name + ".")]
                self.d.error(f"{decl.kind} '{e.name}' has no part '{e.member}'", e.span,
                             hint=did_you_mean(e.member, parts) or f"its parts are: {', '.join(parts)}")
                return e
            return replace(e, target=node_id, unit=self.resolve_node(node_id))
        found = scope.lookup(e.name)
        if found is None:
            hint = did_you_mean(e.name, scope.names())
            self.d.error(f"unknown name '{e.name}' in {scope.where}" if scope.where else f"unknown name '{e.name}'",
                         e.span, hint=hint or "declare it as an input, a parameter or a let binding")
            return e
        target, unit = found
        if target.startswith("kind:"):
            kind = target[5:]
            self.d.error(f"'{e.name}' is {a(kind)}; it has no value by itself", e.span,
                         hint=f"write {e.name}.result, {e.name}.score …" if kind == "indicator" else "")
            return e
        if unit is None and not target.startswith("@"):
            unit = self.resolve_node(target)
        return replace(e, target=target, unit=unit)

    def _call(self, e: ast.Call, scope: _Scope) -> ast.Expr:
        args = tuple(self._resolve(a, scope) for a in e.args)
        named = tuple((n, self._resolve(v, scope)) for n, v in e.named)
        if e.where is not None:
            where = self._resolve(e.where, scope)
            self._boolean(where, f"the 'where' of '{e.func}'")
            e = replace(e, where=where)
        if e.func in AGGREGATES:
            if e.over is None:
                self.d.error(f"'{e.func}' is a population aggregate: say over whom", e.span,
                             hint=f"write {e.func}(…) over group, over field, over all, or over a category input")
            elif e.over not in ("group", "field", "all"):
                decl = self.decls.get(e.over)
                if decl is None or decl.kind != "input":
                    self.d.error(f"cannot aggregate over '{e.over}'", e.span,
                                 hint=did_you_mean(e.over, ["group", "field", "all"] + [n for n, d in self.decls.items() if d.kind == "input"])
                                 or "use over group, over field, over all, or over a category input")
                else:
                    self.used_inputs.add(e.over)
            expected = 2 if e.func == "quantile" else 1
            if len(args) != expected:
                self.d.error(f"'{e.func}' takes {expected} argument{'s' if expected > 1 else ''}", e.span,
                             hint="quantile(x, 30%, method = \"lower\") over group" if e.func == "quantile" else f"{e.func}(x) over group")
                return replace(e, args=args, named=named)
            if e.func == "quantile":
                q = args[1]
                if units.dimension(q.unit) not in ("fraction", None):
                    self.d.error("the quantile must be a fraction, e.g. 30%", q.span)
                method = dict(named).get("method")
                if method is None:
                    self.d.error("quantile needs an explicit interpolation rule", e.span,
                                 hint='add method = "lower" (or "higher", "nearest", "linear", "midpoint")')
                elif not (isinstance(method, ast.Text) and method.value in QUANTILE_METHODS) and not (
                        isinstance(method, ast.Ref) and method.unit in ("text", "category")):
                    self.d.error("unknown quantile method", method.span,
                                 hint=f"use one of: {', '.join(QUANTILE_METHODS)}")
            for n, _ in named:
                if not (e.func == "quantile" and n == "method"):
                    self.d.error(f"'{e.func}' has no option '{n}'", e.span)
            unit = "count" if e.func == "count" else args[0].unit
            if e.func != "count":
                self._units(lambda: units.check_numeric(args[0].unit, f"'{e.func}'"), e)
            return replace(e, args=args, named=named, unit=unit)
        if e.over is not None:
            self.d.error(f"'over' goes with an aggregate ({', '.join(AGGREGATES)}), not with '{e.func}'", e.span)
        if e.func == "available":
            if len(args) != 1:
                self.d.error("'available' takes one argument", e.span)
            return replace(e, args=args, named=named, unit="boolean")
        if e.func in ("min_of", "max_of"):
            unit = None
            for a in args:
                unit = self._units(lambda a=a, unit=unit: _numeric_same(unit, a.unit, "compare"), a)
            return replace(e, args=args, named=named, unit=unit)
        if e.func in ("abs", "round", "floor"):
            if len(args) != 1:
                self.d.error(f"'{e.func}' takes one argument", e.span)
                return e
            return replace(e, args=args, named=named, unit=args[0].unit)
        known = AGGREGATES + FUNCTIONS + tuple(n for n, d in self.decls.items() if d.kind == "curve")
        if self.decls.get(e.func, None) is not None and self.decls[e.func].kind == "curve":
            self.d.error(f"'{e.func}' is a curve: attach it to an indicator with valuation: {e.func}", e.span)
        else:
            self.d.error(f"unknown function '{e.func}'", e.span, hint=did_you_mean(e.func, known) or
                         f"functions are: {', '.join(AGGREGATES + FUNCTIONS)}")
        return replace(e, args=args, named=named)

    def _decide(self, e: ast.Decide, scope: _Scope) -> ast.Expr:
        subjects = tuple(self._resolve(s, scope) for s in e.subjects)
        rules = []
        out = None
        for patterns, result in e.rules:
            if len(patterns) != len(subjects):
                self.d.error(f"this row has {len(patterns)} patterns for {len(subjects)} columns", result.span)
            pats = tuple(self._resolve(p, scope) for p in patterns)
            for p, s in zip(pats, subjects):
                if not isinstance(p, ast.Wildcard):
                    self._units(lambda p=p, s=s: units.same_dimension(s.unit, p.unit, "compare"), p, compare=True)
            res = self._resolve(result, scope)
            out = self._units(lambda res=res, out=out: _branches(out, res.unit), res)
            rules.append((pats, res))
        return replace(e, subjects=subjects, rules=tuple(rules), unit=out)

    def _warn_unused_inputs(self, inputs: dict[str, ir.Input]) -> None:
        for name, decl in inputs.items():
            # Only a campaign's own inputs: an inherited one may simply be unused this year.
            if name not in self.used_inputs and self.loaded.lineage.get(name, "new") == "new":
                self.d.warning(f"input '{name}' is declared but never used", decl.span,
                               hint="use it in a formula, or remove it so that datasets need not provide it")


def _numeric_same(a, b, verb):
    """The unit of ``a + b`` (or ``a - b``, ``min_of``…): numbers of one dimension."""
    units.check_numeric(a, f"'{verb}'")
    units.check_numeric(b, f"'{verb}'")
    return units.same_dimension(a, b, verb)


def _branches(a, b):
    """The unit of a value that is either ``a`` or ``b`` (if/else, table rows)."""
    if a is None:
        return b
    if b is None:
        return a
    if units.dimension(a) == units.dimension(b):
        return a if a == b else ("percent" if "percent" in (a, b) else a)
    if "number" in (a, b) and units.is_numeric(a) and units.is_numeric(b):
        return a if b == "number" else b
    raise units.UnitError(f"cannot mix {a} and {b} in one result")


def _unit_hint(message: str) -> str:
    if "euro" in message and ("count" in message or "percent" in message):
        return "amounts in euro only add to, and compare with, amounts in euro; convert with a rate or a price first"
    return "both sides must measure the same thing (count, euro, days, percent …)"


def _with_unit(expr: ast.Expr, unit: str) -> ast.Expr:
    try:
        return replace(expr, unit=unit)
    except TypeError:
        return expr


def _is_constant(expr: ast.Expr) -> bool:
    return all(not isinstance(n, (ast.Ref, ast.Call)) or (isinstance(n, ast.Ref) and n.name in ("true", "false"))
               for n in ast.walk(expr))


def _bind(template: ast.Expr, owner: str) -> ast.Expr:
    """Replace every ``@name`` reference of a template by the owner's part ``owner.name``."""
    def bind(e):
        if isinstance(e, ast.Ref) and e.target and e.target.startswith("@"):
            return replace(e, target=f"{owner}.{e.target[1:]}")
        return e
    return transform(template, bind)


def transform(expr: ast.Expr, fn) -> ast.Expr:
    """Rebuild an expression bottom-up, applying ``fn`` to every node."""
    changes = {}
    for f in expr.__dataclass_fields__:
        value = getattr(expr, f)
        if isinstance(value, ast.Expr):
            changes[f] = transform(value, fn)
        elif isinstance(value, tuple) and value and any(isinstance(v, (ast.Expr, tuple)) for v in value):
            changes[f] = _transform_tuple(value, fn)
    return fn(replace(expr, **changes) if changes else expr)


def _transform_tuple(values, fn):
    out = []
    for v in values:
        if isinstance(v, ast.Expr):
            out.append(transform(v, fn))
        elif isinstance(v, tuple):
            out.append(_transform_tuple(v, fn))
        else:
            out.append(v)
    return tuple(out)


def check(loaded: Loaded, diagnostics: Diagnostics) -> ir.Campaign | None:
    return Checker(loaded, diagnostics).run()


def literal_value(expr: ast.Expr) -> Fraction | bool | str | None:
    """The value of a constant expression (a parameter's), or None."""
    if isinstance(expr, ast.Num):
        return expr.value
    if isinstance(expr, (ast.Text, ast.Bool)):
        return expr.value
    if isinstance(expr, ast.Unary) and expr.op == "-" and isinstance(expr.operand, ast.Num):
        return -expr.operand.value
    return None
