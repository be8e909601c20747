"""What a syntax error really is: the cause a policy author can act on.

Lark says where it stopped (``unexpected ','``); this module looks at the text around
that spot and names the mistake behind it: a French decimal comma (``60,5%``), a name
with an accent (``num3_numérateur``), a text whose closing quote is missing, a brace
left open (pointing at where it was opened), a let's label written before its name. Each cause is a message code of
:mod:`qualispec.compiler.messages` with its arguments and the span to show.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qualispec.compiler.diagnostics import Span

_DECL_LINE = re.compile(
    r"(?:campaign|document|field|category|input|parameter|indicator|prerequisite|group|curve|envelope"
    r"|override|carry|drop)\b")
# Strings (one-line or triple-quoted), comments and brackets, in the order the lexer meets them.
_SCAN = re.compile(r'"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|[{}()\[\]]')
_CLOSER = {"{": "}", "(": ")", "[": "]"}


@dataclass(frozen=True)
class Cause:
    code: str
    span: Span
    args: dict


def explain(text: str, path: str, offset: int, line: int, column: int, char: str | None) -> Cause | None:
    """The cause of a syntax error at ``offset`` (line, column), or None when it is a plain one.

    ``char`` is the character the lexer could not read, None when a whole token was unexpected.
    """
    for rule in (_decimal_comma, _non_ascii_name, _unclosed_string, _unclosed_bracket, _let_label_first):
        cause = rule(text, path, offset, line, column, char)
        if cause is not None:
            return cause
    return None


def open_bracket_at_end(text: str, path: str) -> Cause | None:
    """When a file ends inside a declaration: the bracket left open, where it was opened."""
    stack = _open_brackets(text, len(text))
    if not stack:
        return None
    return _unclosed(text, path, stack[-1], None)


def _decimal_comma(text, path, offset, line, column, char):
    if char is not None or text[offset:offset + 1] != ",":
        return None
    before = re.search(r"[0-9][0-9_]*$", text[:offset])
    after = re.match(r"[0-9]+", text[offset + 1:])
    if not before or not after:
        return None
    start, end = before.start(), offset + 1 + after.end()
    unit = re.match(r"\s*(%|k€|M€|€)", text[end:])
    written = text[start:end] + (unit.group(1) if unit else "")
    fixed = written.replace(",", ".")
    first_col = column - (offset - start)
    return Cause("syntax.decimal_comma", Span(path, line, first_col, line, first_col + len(written)),
                 {"written": written, "fixed": fixed})


def _let_label_first(text, path, offset, line, column, char):
    """`let "Libellé" taux = …`: the label goes after the name."""
    if char is not None or not re.search(r"\blet[ \t]+$", text[:offset]):
        return None
    found = re.match(r'"([^"\\\n]*)"[ \t]*([A-Za-z_][A-Za-z0-9_]*)', text[offset:])
    if found is None:
        return None
    label, name = found.groups()
    return Cause("syntax.let_label_first", Span(path, line, column, line, column + found.end()),
                 {"label": label, "name": name})


def _non_ascii_name(text, path, offset, line, column, char):
    if char is None or char.isascii() or not (char.isalpha() or unicodedata.category(char) == "Mn"):
        return None
    start = offset
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    end = offset
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    name = text[start:end]
    fixed = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii") or "_"
    first_col = column - (offset - start)
    return Cause("syntax.non_ascii_name", Span(path, line, first_col, line, first_col + len(name)),
                 {"name": name, "fixed": fixed, "char": char})


def _unclosed_string(text, path, offset, line, column, char):
    if char != '"':
        return None
    if text.startswith('"""', offset):
        return Cause("syntax.unclosed_long_text", Span(path, line, column, line, column + 3), {})
    return Cause("syntax.unclosed_string", Span(path, line, column, line, column + 1), {})


def _unclosed_bracket(text, path, offset, line, column, char):
    """A declaration keyword where a property was expected: the brace before it was not closed."""
    if char is not None:
        return None
    line_start = text.rfind("\n", 0, offset) + 1
    if text[line_start:offset].strip():
        # not the first word of its line: was the word before it a declaration keyword at a line start?
        word = re.search(r"(\w+)\s+$", text[line_start:offset])
        if not word or word.start() != len(text[line_start:offset]) - len(text[line_start:offset].lstrip()):
            return None
        offset_kw = line_start + word.start(1)
    else:
        offset_kw = offset
    if not _DECL_LINE.match(text, offset_kw):
        return None
    stack = _open_brackets(text, line_start)
    if not stack:
        return None
    return _unclosed(text, path, stack[-1], text.count("\n", 0, offset_kw) + 1)


def _unclosed(text, path, opened: int, before_line: int | None) -> Cause:
    line = text.count("\n", 0, opened) + 1
    column = opened - (text.rfind("\n", 0, opened) + 1) + 1
    bracket = text[opened]
    args = {"bracket": bracket, "closer": _CLOSER[bracket], "line": line}
    if before_line is None:
        return Cause("syntax.unclosed_bracket_at_end", Span(path, line, column, line, column + 1), args)
    return Cause("syntax.unclosed_bracket", Span(path, line, column, line, column + 1),
                 {**args, "next_line": before_line})


def _open_brackets(text: str, end: int) -> list[int]:
    """Offsets of the brackets still open at ``end`` (strings and comments skipped)."""
    stack: list[int] = []
    for match in _SCAN.finditer(text, 0, end):
        token = match.group()
        if token in _CLOSER:
            stack.append(match.start())
        elif token in "})]" and stack and _CLOSER[text[stack[-1]]] == token:
            stack.pop()
    return stack
