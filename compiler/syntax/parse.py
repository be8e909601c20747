"""Text to syntax tree: the Lark LALR parser, error messages in words, and recovery.

A syntax error in the middle of a file does not hide the rest of it: after an
error the parser restarts at the next line that begins a declaration, so one run
reports every broken declaration of a file.
"""

from __future__ import annotations

from dataclasses import dataclass

import re
import unicodedata
from fractions import Fraction
from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from qualispec.compiler import messages
from qualispec.compiler.syntax import ast, causes, repeat
from qualispec.compiler.syntax.literals import unquote
from qualispec.compiler.syntax.parser_cache import private_cache_file
from qualispec.compiler.diagnostics import Diagnostics, Span
from qualispec.compiler.limits import MAX_NESTING, MAX_NUMBER_DIGITS, MAX_SYNTAX_ERRORS

DECL_KEYWORDS = (
    "campaign", "document", "field", "category", "input", "parameter", "indicator",
    "prerequisite", "group", "curve", "envelope", "override", "carry", "drop", "repeat",
)
_DECL_START = re.compile(r"^(?:%s)\b" % "|".join(DECL_KEYWORDS), re.MULTILINE)

_UNITS = {"%": "percent", "€": "euro", "k€": "euro", "M€": "euro", "days": "days"}
_SCALE = {"%": Fraction(1, 100), "k€": Fraction(1000), "M€": Fraction(1_000_000)}


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = resources.files("qualispec.grammar").joinpath("qualispec.lark").read_text(encoding="utf-8")
    # The LALR tables are a pickle: cached only in a folder that this user alone can write
    # (never the shared temp folder, where anyone could plant a file that runs when unpickled).
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True,
                cache=private_cache_file(grammar) or False)





_PARSED: dict[str, tuple[str, ast.SpecFile, list]] = {}  # path → (its text, parsed, problems): the latest only


def parse_text(text: str, path: str, diagnostics: Diagnostics) -> ast.SpecFile:
    """Parse one file's text; syntax errors go to ``diagnostics``, good declarations are kept.

    A file is parsed once per text (a campaign and the ones extending it share it; an editor
    re-parses only the file being typed in); its syntax errors are replayed to each caller.
    """
    diagnostics.sources[path] = text
    cached = _PARSED.get(path)
    if cached is None or cached[0] != text:
        own = Diagnostics(sources={path: text})
        cached = _PARSED[path] = (text, _parse_uncached(text, path, own), own.items)
    _, parsed, problems = cached
    diagnostics.items.extend(problems)
    return parsed


def _parse(text: str, path: str, diagnostics: Diagnostics) -> list[ast.Decl]:
    tree = _parser().parse(text)
    tree.children = [decl for decl in tree.children if _shallow_enough(decl, path, diagnostics)]
    return _Builder(path, diagnostics).transform(tree)


def _shallow_enough(decl: Tree, path: str, diagnostics: Diagnostics) -> bool:
    """A declaration nested deeper than MAX_NESTING is refused (the checker walks trees recursively)."""
    stack = [(decl, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            meta = node.meta
            diagnostics.error("syntax.too_deep", Span(path, getattr(meta, "line", 1), getattr(meta, "column", 1)),
                              limit=MAX_NESTING)
            return False
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return True


def _parse_uncached(text: str, path: str, diagnostics: Diagnostics) -> ast.SpecFile:
    decls: list[ast.Decl] = []
    broken: list[tuple[str, str]] = []  # (kind, name) declared in the text a syntax error made unreadable
    remaining = text
    errors = 0
    while True:
        try:
            parsed = _parse(remaining, path, diagnostics)
        except UnexpectedInput as error:
            _report_syntax_error(error, path, diagnostics)
            errors += 1
            offset = _error_offset(error, remaining)
            good, lost_from = _parse_prefix(remaining, offset, path, diagnostics)
            decls.extend(good)
            restart = _next_declaration(remaining, offset)
            broken.extend(_declared_names(remaining[lost_from:restart]))
            if restart is None:
                break
            if errors >= MAX_SYNTAX_ERRORS:
                line = remaining.count("\n", 0, restart) + 1
                diagnostics.error("syntax.too_many_errors", Span(path, line, 1), limit=MAX_SYNTAX_ERRORS)
                break
            # What was read becomes blank lines, so that line and column numbers stay true.
            remaining = "\n" * remaining.count("\n", 0, restart) + remaining[restart:]
            continue
        decls.extend(parsed)
        break
    return ast.SpecFile(path, tuple(decls), tuple(broken))


_DECLARED = re.compile(r"^(%s)\s+([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)(?:\s+as\s+(\w+))?"
                       % "|".join(DECL_KEYWORDS), re.MULTILINE)


def _declared_names(text: str) -> list[tuple[str, str]]:
    """(kind, name) of the declarations of ``text``; carry a, b decides on both; override a as b names both."""
    return [(match.group(1), name.strip()) for match in _DECLARED.finditer(text)
            for name in match.group(2).split(",") + ([match.group(3)] if match.group(3) else [])]


def _parse_prefix(text: str, error_offset: int, path: str, diagnostics: Diagnostics,
                  tries: int = 3) -> tuple[list[ast.Decl], int]:
    """The complete declarations that stand before a syntax error, and where the lost text begins.

    When the error shows only at a later declaration (a '}' left out), the declaration before it
    is the broken one: go back up to ``tries`` declarations to keep the good ones before it.
    """
    start = _previous_declaration(text, error_offset) or 0
    for _ in range(tries):
        if not text[:start].strip():
            return [], 0
        try:
            return _parse(text[:start], path, diagnostics), start
        except UnexpectedInput:
            start = _previous_declaration(text, start - 1) or 0
    return [], 0


def _previous_declaration(text: str, offset: int) -> int | None:
    starts = [m.start() for m in _DECL_START.finditer(text, 0, offset + 20) if m.start() <= offset]
    return starts[-1] if starts else None


def _next_declaration(text: str, offset: int) -> int | None:
    line_end = text.find("\n", offset)
    if line_end < 0:
        return None
    match = _DECL_START.search(text, line_end + 1)
    return match.start() if match else None


def _error_offset(error: UnexpectedInput, text: str) -> int:
    if isinstance(error, UnexpectedEOF) or getattr(error, "pos_in_stream", None) is None:
        return len(text)
    return error.pos_in_stream


def _report_syntax_error(error: UnexpectedInput, path: str, diagnostics: Diagnostics) -> None:
    text = diagnostics.sources[path]
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        cause = causes.open_bracket_at_end(text, path)
        if cause is not None:
            diagnostics.error(cause.code, cause.span, **cause.args)
            return
        line, column = _end_position(text)
        expected = _expected_words(error.expected) if isinstance(error, UnexpectedToken) else ""
        diagnostics.error("syntax.unexpected_end", Span(path, line, column), expected=expected)
        return
    line, column = error.line, error.column
    char = error.char if isinstance(error, UnexpectedCharacters) else None
    # The parser reads a copy whose already-reported part is blanked: find the spot by line and column.
    offset = sum(len(text_line) + 1 for text_line in text.split("\n")[:line - 1]) + column - 1
    cause = causes.explain(text, path, offset, line, column, char)
    if cause is not None:
        diagnostics.error(cause.code, cause.span, **cause.args)
        return
    if isinstance(error, UnexpectedCharacters):
        diagnostics.error("syntax.unexpected_character", Span(path, line, column, line, column + 1),
                          char=_visible_char(char), expected=_expected_words(error.allowed) if error.allowed else "")
        return
    assert isinstance(error, UnexpectedToken)
    token = error.token
    shown = str(token).splitlines()[0] if str(token) else token.type
    diagnostics.error("syntax.unexpected_token", Span(path, line, column, line, column + len(shown)),
                      token=shown, expected=_expected_words(error.expected))


def _visible_char(char: str) -> str:
    """A character as a message can show it: 'x', or its code and name when it is invisible."""
    if char.isprintable() and not char.isspace() and unicodedata.category(char) not in ("Cf", "Co", "Cs"):
        return messages.either([char])
    name = unicodedata.name(char, "").lower()
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _end_position(text: str) -> tuple[int, int]:
    lines = text.rstrip().split("\n")
    return len(lines), len(lines[-1]) + 1


def _expected_words(expected) -> str:
    words = []
    for name in sorted(expected):
        if messages.token_word(name):
            word = messages.token_word(name)
        elif name.isupper() and not name.startswith("__"):
            word = f"'{name.lower()}'"
        else:
            continue
        if word not in words:
            words.append(word)
    if not words:
        return messages.word("phrase.something_else")
    if len(words) > 6:
        words = words[:6] + ["…"]
    return ", ".join(words[:-1]) + (f" {messages.word('phrase.or')} " if len(words) > 1 else "") + words[-1]


# ------------------------------------------------------------------ tree to AST
def _span(path: str, meta_or_token) -> Span:
    m = meta_or_token
    if isinstance(m, Token):
        return Span(path, m.line, m.column, m.end_line or m.line, m.end_column or m.column + len(m))
    if getattr(m, "empty", False):
        return Span(path, 0, 0)
    return Span(path, m.line, m.column, m.end_line, m.end_column)


@dataclass(frozen=True)
class _Filtered:
    """``stays where cond`` inside a call: the records, and which of them count."""

    records: ast.Expr
    condition: ast.Expr


@v_args(meta=True)
class _Builder(Transformer):
    """Lark tree → AST nodes, attaching a span to each."""

    def __init__(self, path: str, diagnostics: Diagnostics):
        super().__init__()
        self.path, self.diagnostics = path, diagnostics

    def unquote(self, token: Token) -> str:
        return unquote(token, self.path, self.diagnostics)

    def s(self, meta) -> Span:
        return _span(self.path, meta)

    # declarations
    def start(self, meta, decls):
        return repeat.check_expanded(repeat.flatten(decls), self.diagnostics)

    def repeat_item(self, meta, children):
        (token,) = children
        return (self.unquote(token) if token.type == "STRING" else str(token), _span(self.path, token))

    def repeat_decl(self, meta, children):
        variable, *rest = children
        items = [c for c in rest if isinstance(c, tuple)]
        decls = repeat.flatten(c for c in rest if not isinstance(c, tuple))
        return repeat.expand(str(variable), items, decls, _span(self.path, variable), self.diagnostics)

    def body(self, meta, items):
        return tuple(items)

    def property(self, meta, children):
        key, value = children
        return ast.Property(str(key), value, self.s(meta))

    def binding(self, meta, children):
        key, label, value = children
        return ast.Property(str(key), value, self.s(meta), is_binding=True,
                            label=self.unquote(label) if label is not None else "")

    def type(self, meta, children):
        return children[0]

    def campaign(self, meta, children):
        name, extends, body = children
        return ast.Decl("campaign", str(name), _span(self.path, name), body,
                        extends=self.unquote(extends) if extends is not None else None)

    def simple_decl(self, meta, children):
        kind, name, body = children
        return ast.Decl(str(kind), str(name), _span(self.path, name), body)

    def input_decl(self, meta, children):
        name, unit, body = children
        return ast.Decl("input", str(name), _span(self.path, name), body or (),
                        unit=str(unit), unit_span=_span(self.path, unit))

    def parameter_decl(self, meta, children):
        name, unit, keyed_by, value, body = children
        return ast.Decl("parameter", str(name), _span(self.path, name), body,
                        unit=str(unit), unit_span=_span(self.path, unit), value=value,
                        keyed_by=str(keyed_by) if keyed_by is not None else None)

    def param(self, meta, children):
        name, unit = children
        return ast.Param(str(name), str(unit), _span(self.path, name))

    def curve_decl(self, meta, children):
        name, *params, unit, body = children
        return ast.Decl("curve", str(name), _span(self.path, name), body,
                        unit=str(unit), unit_span=_span(self.path, unit),
                        params=tuple(p for p in params if p is not None))

    def override_decl(self, meta, children):
        name, new_name, value, body = children
        return ast.Decl("override", str(name), _span(self.path, name), body,
                        new_name=str(new_name) if new_name is not None else None, value=value)

    def name_list(self, meta, names):
        return tuple((str(n), _span(self.path, n)) for n in names)

    def carry_decl(self, meta, children):
        targets, body = children
        return ast.Decl("carry", ", ".join(n for n, _ in targets), targets[0][1], body, targets=targets)

    def drop_decl(self, meta, children):
        targets, body = children
        return ast.Decl("drop", ", ".join(n for n, _ in targets), targets[0][1], body, targets=targets)

    def source_ref(self, meta, children):
        document, section = children
        return ast.SourceRef(self.s(meta), str(document), self.unquote(section))

    # expressions
    def quantity(self, meta, children):
        number, unit = children
        text = str(number).replace("_", "")
        if len(text) > MAX_NUMBER_DIGITS:
            self.diagnostics.error("syntax.number_too_long", _span(self.path, number), digits=len(text),
                                   limit=MAX_NUMBER_DIGITS)
            text = "0"
        value = Fraction(text)
        if unit is not None:
            value *= _SCALE.get(str(unit), 1)
        return ast.Num(self.s(meta), value, _UNITS[str(unit)] if unit is not None else None)

    def text(self, meta, children):
        return ast.Text(self.s(meta), self.unquote(children[0]))

    def true(self, meta, children):
        return ast.Bool(self.s(meta), True)

    def false(self, meta, children):
        return ast.Bool(self.s(meta), False)

    def missing(self, meta, children):
        return ast.Missing(self.s(meta))

    def wildcard(self, meta, children):
        return ast.Wildcard(self.s(meta))

    def ref(self, meta, children):
        return ast.Ref(self.s(meta), str(children[0]))

    def dotted_ref(self, meta, children):
        name, member = children
        return ast.Ref(self.s(meta), str(name), str(member))

    def call(self, meta, children):
        name, *args, over = children
        scope, where = over if over is not None else (None, None)
        filtered = [a for a in args if isinstance(a, _Filtered)]
        if filtered:  # an aggregate over records: count(stays where cond)
            where = filtered[0].condition
            args = [a.records if isinstance(a, _Filtered) else a for a in args]
        positional = tuple(a for a in args if a is not None and not isinstance(a, tuple))
        named = tuple(a for a in args if isinstance(a, tuple))
        return ast.Call(_span(self.path, name), str(name), positional, named, over=scope, where=where)

    def filtered_arg(self, meta, children):
        records, condition = children
        return _Filtered(records, condition)

    def over(self, meta, children):
        scope, where = children
        return (str(scope), where)

    def named_arg(self, meta, children):
        name, value = children
        return (str(name), value)

    def neg(self, meta, children):
        return ast.Unary(self.s(meta), "-", children[0])

    def not_op(self, meta, children):
        return ast.Unary(self.s(meta), "not", children[0])

    def binop(self, meta, children):
        left, op, right = children
        return ast.Binary(_span(self.path, op), str(op), left, right)

    def and_op(self, meta, children):
        left, right = children
        return ast.Binary(self.s(meta), "and", left, right)

    def or_op(self, meta, children):
        left, right = children
        return ast.Binary(self.s(meta), "or", left, right)

    def compare(self, meta, children):
        left, op, right = children
        return ast.Compare(_span(self.path, op), str(op), left, right)

    def member(self, meta, children):
        operand, options = children
        return ast.Member(self.s(meta), operand, options.items)

    def if_expr(self, meta, children):
        cond, then, else_ = children
        return ast.If(self.s(meta), cond, then, else_)

    def point(self, meta, children):
        return (children[0], children[1])

    def piecewise(self, meta, children):
        x, *points = children
        return ast.Piecewise(self.s(meta), x, tuple(points))

    def rule(self, meta, children):
        *patterns, result = children
        return (tuple(patterns), result)

    def decide(self, meta, children):
        subjects = tuple(c for c in children if isinstance(c, ast.Expr))
        rules = tuple(c for c in children if isinstance(c, tuple))
        return ast.Decide(self.s(meta), subjects, rules)

    def list(self, meta, children):
        return ast.ListLit(self.s(meta), tuple(c for c in children if c is not None))

    def map_entry(self, meta, children):
        key, value = children
        return (str(key), _span(self.path, key), value)

    def map(self, meta, children):
        return ast.MapLit(self.s(meta), tuple(children))
