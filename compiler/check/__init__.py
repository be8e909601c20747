"""Names, properties and units: from loaded declarations to the typed IR.

Each expression is resolved in a scope (an indicator's own parts, then the
campaign's declarations, then the built-ins ``finess``, ``field``, ``group``), and
gets a unit. Curves and envelopes are templates: a curve's parameters and ``let``
bindings are written ``@name`` and become the parts of each indicator valued by it
(``num1.level``, ``num1.score``); an envelope's ``payout`` becomes ``num1.payout``.
"""

from __future__ import annotations

from qualispec.compiler import ir
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.syntax.load import Loaded
from qualispec.compiler.check.checker import Checker
from qualispec.compiler.check.trees import literal_value, transform

__all__ = ["Checker", "check", "literal_value", "transform"]


def check(loaded: Loaded, diagnostics: Diagnostics) -> ir.Campaign | None:
    return Checker(loaded, diagnostics).run()

