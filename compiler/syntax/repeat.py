"""Repetition inside a row: declarations written once, read once per item of a list.

    repeat root in ["05C02", "06C04", "08C38"] {
      input readmissions_{root}: count { label: "Ré-hospitalisations, racine {root}" … }
      indicator rehosp_{root} { numerator: readmissions_{root} … }
    }

declares ``readmissions_05C02``, ``rehosp_05C02``, ``readmissions_06C04`` … : ``{root}`` is
replaced by the item in every name, formula and text of the block. Each copy keeps the
spans of the block, so a message about ``rehosp_06C04`` points at the line written once.
"""

from __future__ import annotations

import dataclasses
import re

from qualispec.compiler.diagnostics import Diagnostics, Span
from qualispec.compiler.syntax import ast

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def flatten(decls) -> list[ast.Decl]:
    """Declarations, with the copies a nested ``repeat`` made put in place."""
    out: list[ast.Decl] = []
    for d in decls:
        out.extend(d if isinstance(d, list) else [d])
    return out


def expand(variable: str, items: list[tuple[str, Span]], decls: list[ast.Decl], span: Span,
           diagnostics: Diagnostics) -> list[ast.Decl]:
    """The block's declarations once per item, ``{variable}`` replaced by the item."""
    seen: dict[str, Span] = {}
    out: list[ast.Decl] = []
    for item, item_span in items:
        if item in seen:
            diagnostics.error("repeat.item_twice", item_span, item=item, variable=variable, line=seen[item].line)
            continue
        seen[item] = item_span
        if not re.fullmatch(r"[A-Za-z0-9_]+", item):
            diagnostics.error("repeat.item_not_a_name", item_span, item=item)
            continue
        out.extend(_substitute(d, "{" + variable + "}", item) for d in decls)
    if not decls:
        diagnostics.error("repeat.empty", span, variable=variable)
    return out


def check_expanded(decls: list[ast.Decl], diagnostics: Diagnostics) -> list[ast.Decl]:
    """A placeholder left in a name means a `{…}` that no enclosing repeat defines."""
    for d in decls:
        for text in _names(d):
            found = _PLACEHOLDER.search(text)
            if found:
                diagnostics.error("repeat.undefined_placeholder", d.span, variable=found.group(1), name=text)
                break
    return decls


def _names(node):
    """Every name a declaration writes or reads."""
    if isinstance(node, ast.Decl):
        yield node.name
    if isinstance(node, ast.Ref):
        yield node.name
    if dataclasses.is_dataclass(node) and not isinstance(node, Span):
        for f in dataclasses.fields(node):
            yield from _names_in(getattr(node, f.name))


def _names_in(value):
    if isinstance(value, tuple):
        for v in value:
            yield from _names_in(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, Span):
        yield from _names(value)


def _substitute(node, placeholder: str, item: str):
    """A copy of an AST node with ``placeholder`` replaced by ``item`` in every text it holds."""
    if isinstance(node, str):
        return node.replace(placeholder, item)
    if isinstance(node, tuple):
        return tuple(_substitute(v, placeholder, item) for v in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, Span):
        changes = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            new = _substitute(value, placeholder, item)
            if new is not value and new != value:
                changes[f.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    return node
