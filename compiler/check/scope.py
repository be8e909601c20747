"""Names: what an expression can see, innermost first (its own parts, the campaign, the built-ins)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualispec.compiler import ir

if TYPE_CHECKING:
    from qualispec.compiler.check.checker import Checker


class Scope:
    """Names visible to an expression, innermost first."""

    def __init__(self, checker: Checker, local: dict[str, tuple[str, str | None]] | None = None,
                 owner: str | None = None, where: str = ""):
        self.checker, self.local, self.owner, self.where = checker, local or {}, owner, where

    def lookup(self, name: str):
        if name in self.local:
            return self.local[name]
        return self.checker.lookup_global(name, self.owner)

    def names(self):
        return list(self.local) + list(self.checker.global_names())


class Names:
    """The campaign-wide names, for a Scope to fall back on."""

    def lookup_global(self, name: str, owner: str | None):
        if name in ir.BUILTINS:
            return (name, ir.BUILTINS[name])
        decl = self.decls.get(name)
        if decl is None:
            return None
        if decl.kind in ("input", "parameter", "group", "prerequisite"):
            if decl.kind == "input":
                self.used_inputs.add(name)
            elif decl.kind == "parameter":
                self.read_parameters.add(name)
            node = self.nodes.get(name)
            unit = node.unit if node else ("boolean" if decl.kind in ("group", "prerequisite") else None)
            return (name, unit)
        if decl.kind == "field":
            return (f"field:{name}", "category")
        return ("kind:" + decl.kind, None)

    def global_names(self):
        return list(self.decls) + list(ir.BUILTINS)
