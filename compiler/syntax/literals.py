"""Texts in quotes: what their escapes mean, and which characters they may not hold.

``"…"`` holds one line; ``\"\"\"…\"\"\"`` several, with their common indentation removed.
The escapes are ``\\"``, ``\\\\``, ``\\n``, ``\\t`` and ``\\uXXXX`` (a character by its
code, e.g. ``"Prix en \\u20ac"``). Any other backslash, and any control character
(written raw or as ``\\u0000``…), is an error at its line and column: such a text
would end up in a path, a fiche or a message where it cannot be seen.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

from lark import Token

from qualispec.compiler.diagnostics import Diagnostics, Span

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.|\n|$)")
_SIMPLE = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def unquote(token: Token, path: str, diagnostics: Diagnostics) -> str:
    raw = str(token)
    if raw.startswith('"""'):
        body, start = raw[3:-3], 3
    else:
        body, start = raw[1:-1], 1

    def where(index: int) -> Span:
        before = raw[:start + index]
        line = token.line + before.count("\n")
        column = (len(before) - before.rfind("\n")) if "\n" in before else token.column + len(before)
        return Span(path, line, column, line, column + 2)

    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code in _SIMPLE:
            return _SIMPLE[code]
        if len(code) == 5:
            char = chr(int(code[1:], 16))
            if not _control(char):
                return char
            diagnostics.error("syntax.control_escape", where(match.start()), escape=code)
            return ""
        diagnostics.error("syntax.unknown_escape", where(match.start()), escape=code.strip())
        return "\\" + code

    for index, char in enumerate(body):
        if _control(char) and char not in "\n\t":
            diagnostics.error("syntax.control_character", where(index), char=f"U+{ord(char):04X}")
            body = "".join(c for c in body if not (_control(c) and c not in "\n\t"))
            break
    text = _ESCAPE.sub(replace, body) if "\\" in body else body
    if raw.startswith('"""'):
        return textwrap.dedent(text).strip("\n")
    return text


def _control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"
