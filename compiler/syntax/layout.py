"""The one layout of a .spec file (``qualispec fmt``): same tokens, same line breaks, canonical spaces.

- indentation: two spaces per open brace, bracket or parenthesis; a line that continues an
  expression (after or before an operator, ``and``, ``or``…) or a top-level list of names
  (``drop a, b,``) is indented four more;
- one space between tokens, none inside ``( )`` and ``[ ]``, before ``,`` ``:`` ``)`` ``]``, around
  ``.``, between a function and its ``(``, after a unary minus; ``50%`` glued, ``1000 €`` spaced;
- a comment keeps its line; a trailing comment is set two spaces after the code;
- at most one blank line in a row, none at the start or the end; no trailing spaces; one final newline;
- texts in triple quotes are kept exactly as written.

The author's line breaks are kept: the layout never moves a token to another line, so it never
changes a line number a reader refers to more than by blank lines. Formatting is idempotent, and
``format_text`` refuses (returns None) a file that does not parse or whose meaning would change.
"""

from __future__ import annotations

import dataclasses
import re

from qualispec.compiler.diagnostics import Diagnostics, Span
from qualispec.compiler.syntax.parse import parse_text

TOKEN = re.compile(r'''
    (?P<long>"""(?:.|\n)*?""") | (?P<string>"(?:[^"\\\n]|\\.)*") | (?P<comment>\#[^\n]*) | (?P<newline>\n)
  | (?P<space>[ \t\r\f\ufeff]+) | (?P<op>->|=>|>=|<=|!=|k€|M€|[-+*/=<>])
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\{[A-Za-z_][A-Za-z0-9_]*\}[A-Za-z0-9_]*)*) | (?P<number>[0-9][0-9_]*(?:\.[0-9]+)?) | (?P<other>.)
''', re.VERBOSE)

OPENERS, CLOSERS = "{([", "})]"
KEYWORDS = {"and", "or", "not", "if", "then", "else", "in", "over", "where", "by", "as", "extends",
            "piecewise", "decide", "let"}
_CALL_KEYWORDS = {"piecewise", "decide"}
_BINARY = {"+", "-", "*", "/", "=", ">=", "<=", "!=", "<", ">", "->", "=>", "and", "or"}
_LEADS = _BINARY | {"then", "else"}  # a line that starts with one of these continues the one before
_TRAILS = _BINARY | {"not", "if", "then", "else", "in"}  # so does the line after one that ends with one
_UNITS = {"%", "€", "k€", "M€"}


@dataclasses.dataclass
class _Line:
    tokens: list[tuple[str, str]]  # (kind, text), without spaces
    depth: int  # open brackets before the line


def format_text(text: str, path: str = "<spec>") -> str | None:
    """``text`` in the canonical layout, or None when it does not parse (or the layout would change it)."""
    before = Diagnostics()
    original = parse_text(text, path, before)
    if before.has_errors():
        return None
    formatted = _layout(_lines(text))
    after = Diagnostics()
    if after.has_errors() or _shape(parse_text(formatted, path, after)) != _shape(original):
        return None
    return formatted


def _lines(text: str) -> list[_Line]:
    lines, current, depth = [], [], 0
    start_depth = 0
    for match in TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "space":
            continue
        if kind == "newline":
            lines.append(_Line(current, start_depth))
            current, start_depth = [], depth
            continue
        if value in OPENERS:
            depth += 1
        elif value in CLOSERS:
            depth = max(0, depth - 1)
        current.append((kind, value))
    lines.append(_Line(current, start_depth))
    return lines


def _layout(lines: list[_Line]) -> str:
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if not line.tokens:
            if out and out[-1] != "":
                out.append("")
            continue
        depth = line.depth - _leading_closers(line.tokens)
        indent = "  " * max(0, depth)
        if previous is not None and _continues(previous, line):
            indent += "    "
        out.append(indent + _join(line.tokens))
        if any(kind != "comment" for kind, _ in line.tokens):
            previous = line
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _leading_closers(tokens) -> int:
    count = 0
    for _, value in tokens:
        if value not in CLOSERS:
            break
        count += 1
    return count


def _continues(previous: _Line, line: _Line) -> bool:
    """Does ``line`` go on with the expression or name list of ``previous``?"""
    kind, first = line.tokens[0]
    if first in CLOSERS or kind == "comment":
        return False
    if first in _LEADS:
        return True  # "then …", "else …", "and …", "+ …": the rest of an expression
    if _net_depth(previous) != 0:
        return False  # the previous line opened (or closed) a block: this line is inside it, not after it
    last = [value for kind, value in previous.tokens if kind != "comment"][-1]
    return last in _TRAILS or (last == "," and previous.depth == 0)


def _net_depth(line: _Line) -> int:
    return sum((v in OPENERS) - (v in CLOSERS) for k, v in line.tokens if k not in ("string", "long", "comment"))


def _join(tokens) -> str:
    text = ""
    for index, (kind, value) in enumerate(tokens):
        if index == 0:
            text = value
            continue
        before_kind, before = tokens[index - 1]
        text += _space(tokens, index, before_kind, before, kind, value) + value
    return text


def _space(tokens, index, before_kind, before, kind, value) -> str:
    if kind == "comment":
        return "  "
    if value in ",:)]." or before in "([.":
        return ""
    if value == "(" and before_kind == "word" and (before not in KEYWORDS or before in _CALL_KEYWORDS):
        return ""
    if value == "%" and before_kind == "number":
        return ""
    if before == "-" and _is_unary(tokens, index - 1):
        return ""
    return " "


def _is_unary(tokens, index) -> bool:
    if index == 0:
        return True
    kind, value = tokens[index - 1]
    if kind in ("number", "string", "long") or value in _UNITS or value in ")]}":
        return False
    return not (kind == "word" and value not in KEYWORDS)


def _shape(node):
    """A parsed file without its positions: what the layout must not change."""
    if isinstance(node, Span):
        return None
    if dataclasses.is_dataclass(node):
        return (type(node).__name__,) + tuple(_shape(getattr(node, f.name)) for f in dataclasses.fields(node)
                                              if f.name not in ("path",))
    if isinstance(node, (list, tuple)):
        return tuple(_shape(item) for item in node)
    return node
