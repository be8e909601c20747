"""Which declaration each name written in a campaign's files stands for, as the checker resolved it.

A *symbol* is a declaration (``num1_target``) or a ``let`` of one indicator (``contract.within_cap``):
two indicators may each have a ``let targeted``, a property key such as ``target:`` is no name at
all, and in ``ipp.payout`` the first word is the indicator and the second its part. Definitions,
references and rename follow symbols, not words: the sites come from the declarations (their
name, their ``let`` names, the names a ``carry`` or ``drop`` lists) and from every reference the
checker resolved in the typed campaign.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from qualispec.compiler.syntax import ast

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Site:
    """A name written in a file (0-based line and column, as editors count), standing for ``symbol``."""

    file: Path
    line: int
    column: int
    length: int
    symbol: str
    declares: bool = False


def resolved_sites(decls: list[ast.Decl], typed_campaign, texts: dict[Path, str]) -> list[Site]:
    """Every site of every symbol: the declarations of the campaign's files and the resolved references.
    A site is kept only where the file really shows its name there (a name a ``repeat`` builds is not
    written as such, and is neither renamed nor listed)."""
    found: set[Site] = set()
    for decl in decls:
        found.update(_declaration_sites(decl, texts))
    if typed_campaign is not None:
        for ref in _references(typed_campaign):
            found.update(_reference_sites(ref))
    lines = {file: text.split("\n") for file, text in texts.items()}
    return sorted((s for s in found if _written(s, lines)), key=lambda s: (str(s.file), s.line, s.column))


def _written(site: Site, lines: dict[Path, list[str]]) -> bool:
    rows = lines.get(site.file)
    if rows is None or not 0 <= site.line < len(rows):
        return False
    row = rows[site.line]
    end = site.column + site.length
    return (row[site.column:end] == short_name(site.symbol)
            and not (end < len(row) and (row[end].isalnum() or row[end] in "_{")))


def symbol_at(all_sites: list[Site], file: Path, line: int, column: int) -> str | None:
    for site in all_sites:
        if site.file == file and site.line == line and site.column <= column <= site.column + site.length:
            return site.symbol
    return None


def short_name(symbol: str) -> str:
    """The name as written: ``within_cap`` for the let ``contract.within_cap``."""
    return symbol.rsplit(".", 1)[-1]


def _position(span, length: int, symbol: str, declares: bool = False) -> Site:
    return Site(Path(span.file).resolve(), span.line - 1, span.column - 1, length, symbol, declares)


def _declaration_sites(decl: ast.Decl, texts: dict[Path, str]):
    if decl.kind == "campaign" or decl.span.line <= 0:
        return
    if decl.kind in ("carry", "drop") and decl.targets:
        for name, span in decl.targets:
            yield _position(span, len(name), name)
        return
    yield _position(decl.span, len(decl.name), decl.name, declares=decl.kind not in ("override", "carry", "drop"))
    lines = texts.get(Path(decl.span.file).resolve(), "").split("\n")
    if decl.new_name and 0 < decl.span.line <= len(lines):  # `override old as new`: where the new name is born
        at = lines[decl.span.line - 1].find(decl.new_name, decl.span.column - 1 + len(decl.name))
        if at >= 0:
            yield Site(Path(decl.span.file).resolve(), decl.span.line - 1, at, len(decl.new_name), decl.new_name, True)
    for prop in decl.body:
        if prop.is_binding and 0 < prop.span.line <= len(lines):
            row = lines[prop.span.line - 1]
            at = row.find(prop.key, prop.span.column - 1 + len("let"))  # `let name = …`
            if at >= 0:
                yield Site(Path(decl.span.file).resolve(), prop.span.line - 1, at, len(prop.key),
                           f"{decl.name}.{prop.key}", True)


def _reference_sites(ref: ast.Ref):
    if ref.span.line <= 0 or ref.name == "result":
        return
    if ref.member is not None:  # `ipp.payout`: the indicator, then its part
        yield _position(ref.span, len(ref.name), ref.name)
        member = dataclasses.replace(ref.span, column=ref.span.column + len(ref.name) + 1)
        yield _position(member, len(ref.member), f"{ref.name}.{ref.member}")
        return
    target = ref.target or ref.name
    yield _position(ref.span, len(ref.name), target if short_name(target) == ref.name else ref.name)


def _references(root):
    """Every :class:`ast.Ref` reachable from the typed campaign (its dataclasses, tuples, lists, dicts)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen or isinstance(node, (str, int, float, bool, bytes, type(None))):
            continue
        seen.add(id(node))
        if isinstance(node, ast.Ref):
            yield node
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)
