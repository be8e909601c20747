"""The Checker: the passes in the order they run, from loaded declarations to the typed IR campaign."""

from __future__ import annotations

from dataclasses import replace

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.syntax.load import Loaded
from qualispec.compiler.check.calls import Calls
from qualispec.compiler.check.declarations import Declarations
from qualispec.compiler.check.envelopes import Envelopes
from qualispec.compiler.check.formulas import Formulas
from qualispec.compiler.check.expressions import Expressions
from qualispec.compiler.check.indicators import Indicators
from qualispec.compiler.check.inherited import warn_far_from_inherited
from qualispec.compiler.check.properties import Properties
from qualispec.compiler.check.quoted import Quoted
from qualispec.compiler.check.ranges import Ranges
from qualispec.compiler.check.records import Records
from qualispec.compiler.check.scope import Names, Scope
from qualispec.compiler.check.typos import Typos
from qualispec.compiler.check.wording import Wording
from qualispec.compiler.check.statuses import Statuses


class Checker(Properties, Declarations, Ranges, Quoted, Wording, Formulas, Records, Envelopes, Indicators, Statuses, Names, Expressions, Calls, Typos):
    """One campaign's check; each base class is one pass's methods, all sharing the state set here."""

    def __init__(self, loaded: Loaded, diagnostics: Diagnostics):
        self.loaded, self.d = loaded, diagnostics
        self.decls = loaded.decls
        self.nodes: dict[str, ir.Node] = {}
        self._resolving: set[str] = set()
        self._part_exprs: dict[str, tuple[ast.Expr, ast.Decl, str]] = {}  # node id → (expr, decl, part)
        self.used_inputs: set[str] = set()
        self.read_parameters: set[str] = set()
        self._scopes: dict[str, Scope] = {}  # node id → the scope its formula is read in
        self._indicator_units: dict[str, str] = {}
        self._indicator_fields: dict[str, tuple[str, ...]] = {}
        self._payouts: dict[str, ast.Expr] = {}  # envelope → its resolved payout template

    def run(self) -> ir.Campaign | None:
        campaign = self.loaded.campaign
        if campaign is None:
            return None
        for decl in self.decls.values():
            self._check_properties(decl)
        warn_far_from_inherited(self.loaded, self.d)
        for name, unit in ir.BUILTINS.items():
            self.nodes[name] = ir.Node(name, "builtin", unit, None, ast.NO_SPAN)
        built = {kind: {} for kind in ("document", "field", "category", "table", "input", "parameter", "group",
                                       "prerequisite", "curve", "indicator", "envelope")}
        for decl in self.decls.values():
            if decl.kind == "table":
                built["table"][decl.name] = self._table(decl)
        for decl in self.decls.values():
            if decl.kind == "input":
                built["input"][decl.name] = self._input(decl)
            elif decl.kind == "document":
                primary = decl.get("primary")
                built["document"][decl.name] = ir.Document(
                    decl.kind, decl.name, decl.span, **self._common(decl),
                    primary=bool(primary and isinstance(primary.value, ast.Bool) and primary.value.value))
            elif decl.kind in ("field", "category"):
                built[decl.kind][decl.name] = ir.Decl(decl.kind, decl.name, decl.span, **self._common(decl))
        for decl in self.decls.values():
            if decl.kind == "parameter":
                built["parameter"][decl.name] = self._parameter(decl)
        for name, built_input in built["input"].items():  # after the parameters: a condition may read them
            from_records = self._from_records(self.decls[name], built_input.unit, built["table"])
            if from_records is not None:
                built["input"][name] = replace(built_input, from_records=from_records)
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
        built["indicator"] = self._apply_statuses(built["indicator"], built["input"])
        self._warn_unused_inputs(built["input"])
        self._warn_unread_parameters(built["parameter"])
        common = self._common(campaign)
        built_campaign = ir.Campaign(
            "campaign", campaign.name, campaign.span, **common,
            scheme=self._text(campaign, "scheme"), year=self._year(campaign),
            extends=self.loaded.base_name, extends_path=self.loaded.base_path, path=self.loaded.path,
            documents=built["document"], field_decls=built["field"], categories=built["category"], tables=built["table"],
            inputs=built["input"], parameters=built["parameter"], groups=built["group"],
            prerequisites=built["prerequisite"], curves=built["curve"], indicators=built["indicator"],
            envelopes=built["envelope"], nodes=dict(self.nodes), lineage=dict(self.loaded.lineage),
            dropped=dict(self.loaded.dropped), out_of_scope=frozenset(self.loaded.out_of_scope),
        )
        self._check_ranges(built_campaign)
        self._check_quoted_values(built_campaign)
        self._check_comparison_wording(built_campaign)
        self._check_labelled_comparisons(built_campaign)
        self._check_objective_direction(built_campaign)
        self._check_equality_said_twice(built_campaign)
        self._check_formula_numbers(built_campaign)
        self._check_year(campaign, built_campaign.year)
        return built_campaign

    def _warn_unused_inputs(self, inputs: dict[str, ir.Input]) -> None:
        for name, decl in inputs.items():
            # Only a campaign's own inputs: an inherited one may simply be unused this year.
            if name not in self.used_inputs and self.loaded.lineage.get(name, "new") == "new":
                self.d.warning("check.unused_input", decl.span, name=name)

    def _warn_unread_parameters(self, parameters: dict[str, ir.Parameter]) -> None:
        """A parameter no rule reads pays nothing: a typo in its value (12.5 € for 12,5 M€) would go unseen.
        Said where this campaign writes its value, unless an `informative:` text says why it is only shown;
        an informative parameter a rule reads after all is said at its `informative:` text (it now pays)."""
        for name, decl in parameters.items():
            informative = self.decls[name].get("informative")
            if name in self.read_parameters and informative is not None:  # « lue par aucune règle » no longer holds
                self.d.warning("check.informative_but_read", informative.span, name=name)
            if name in self.read_parameters or self.loaded.lineage.get(name, "new") not in ("new", "override"):
                continue
            if informative is None:
                self.d.warning("check.unread_parameter", decl.span, name=name)

