"""Envelopes: their amounts and bindings, and the payout template each indicator it pays is valued by."""

from __future__ import annotations

from qualispec.compiler import messages
from qualispec.compiler import ir, units
from qualispec.compiler.syntax import ast
from qualispec.compiler.check.scope import Scope


class Envelopes:
    """Envelopes and their payout templates."""

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
            self.d.error("check.envelope_payout_euro", template.span, name=decl.name, unit=template.unit)
        return ir.Envelope("envelope", decl.name, decl.span, **self._common(decl), parts=tuple(parts), payout=template)

    def _envelope_scope(self, decl: ast.Decl) -> Scope:
        """An envelope's names: its amounts and bindings, and @weight, @score of each indicator it pays."""
        local = {"weight": ("@weight", "ratio"), "score": ("@score", "percent")}
        for prop in decl.body:
            if prop.key in ("amount", "group_amount"):
                local[prop.key] = (f"{decl.name}.{prop.key}", "euro")
            elif prop.is_binding:
                local[prop.key] = (f"{decl.name}.{prop.key}", None)
        return Scope(self, local, where=messages.word("what.decl", kind="envelope", name=decl.name))

    def _payout_template(self, envelope: str) -> ast.Expr | None:
        """The envelope's payout, resolved once, instantiated for each indicator it pays."""
        if envelope not in self._payouts:
            decl = self.envelope_templates[envelope]
            payout = decl.get("payout")
            self._payouts[envelope] = self.resolve(payout.value, self._envelope_scope(decl)) if payout else None
        return self._payouts[envelope]

