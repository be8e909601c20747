"""Formulas of the fiches: presentation MathML (for browsers), LaTeX (for Markdown) and plain French.

All three start from the same IR expression. MathML and LaTeX go through the sympy form
of :mod:`symbolic`, printed by two small printers that speak French: a chain of ``if``
becomes one brace with « si … » / « sinon » rows, ``available(x)`` reads « x disponible »,
an aggregate reads ``centile₍groupe₎(…)``, and each name is shown as the caller chooses
(an indicator's own parts as « résultat », « seuil », « cible » …). Literals with a unit keep
it (« 100 % », « 700 000 000 € ») instead of becoming bare ratios.

Spec text is data: every name and literal that reaches MathML is XML-escaped here
(sympy's MathML writer does not escape text), so a label cannot inject markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.mathml import MathMLPresentationPrinter

from qualispec.compiler import french
from qualispec.compiler.syntax import ast
from qualispec.compiler.proofs import symbolic
from qualispec.compiler.check import transform

AGGREGATE_WORDS = {"quantile": "centile", "median": "médiane", "mean": "moyenne", "sum": "somme",
                   "count": "nombre", "min": "minimum", "max": "maximum"}
SCOPE_WORDS = {"group": "groupe", "field": "champ", "all": "national"}
FUNCTION_WORDS = {"floor": "partie entière", "round": "arrondi au pair"}  # round: to the nearest whole number, half to even
_LITERAL = "§"  # marks a symbol that stands for a literal with its unit ("50 %")


@dataclass(frozen=True)
class Formula:
    text: str  # plain French, one line
    mathml: str = ""  # <math display="block">…</math>, or "" when sympy has no form for it
    latex: str = ""
    symbols: tuple[str, ...] = field(default=())  # the names shown, in the order they appear in text


def render(expr: ast.Expr, name_of, lhs: str | None = None, prefer_left: frozenset[str] = frozenset()) -> Formula:
    """``expr`` as plain text, MathML and LaTeX; ``name_of(ref)`` gives each name's display.

    ``prefer_left``: names a comparison should show on its left (« résultat ≥ cible », not
    « cible ≤ résultat » as sympy orders it).
    """
    text = french.formula(expr, name_of)
    if lhs:
        text = f"{lhs} = {text}"
    symbols = _symbols_in_order(expr, name_of)
    try:
        form = symbolic.to_sympy(_literals_as_symbols(expr), lambda r: r.name if r.target == _LITERAL else name_of(r))
    except (TypeError, ValueError, AttributeError, KeyError):
        return Formula(text, "", "", symbols)
    try:
        body = _MathML(prefer_left).doprint(form)
        latex = _Latex(prefer_left).doprint(form)
    except Exception:  # sympy printers have gaps; a fiche then shows the plain formula only
        return Formula(text, "", "", symbols)
    body = body.replace("<mo><</mo>", "<mo>&lt;</mo>").replace("<mo>></mo>", "<mo>&gt;</mo>")
    if lhs:
        body = f"<mrow>{_mi(lhs)}<mo>=</mo>{body}</mrow>"
        latex = f"{_tex_text(lhs)} = {latex}"
    return Formula(text, f'<math display="block">{body}</math>', latex, symbols)


def _symbols_in_order(expr: ast.Expr, name_of) -> tuple[str, ...]:
    seen: list[str] = []
    for node in ast.walk(expr):
        if isinstance(node, ast.Ref) and node.target and not node.target.startswith(("field:", "kind:")):
            shown = name_of(node)
            if shown not in seen:
                seen.append(shown)
    return tuple(seen)


def _literals_as_symbols(expr: ast.Expr) -> ast.Expr:
    """Numbers with a unit (or not whole) become symbols named as written: 50 %, 0,25, 700 000 €."""
    def fn(e):
        if isinstance(e, ast.Num) and e.value != 0 and (e.unit or e.value.denominator != 1):
            return ast.Ref(e.span, french.literal(e.value, e.unit), target=_LITERAL, unit=e.unit or "number")
        return e
    return transform(expr, fn)


def _is_literal_name(name: str) -> bool:
    return bool(name) and (name[0].isdigit() or name[0] == "−")


def _mi(text: str) -> str:
    return f"<mi>{html.escape(text, quote=False)}</mi>"


def _tex_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in "_&%$#{}":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append(r"\textbackslash{}")
        elif ch in "~^":
            out.append({"~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}[ch])
        elif ch == "\u202f":
            out.append(r"\,")
        else:
            out.append(ch)
    return "".join(out)


def _tex_text(text: str) -> str:
    return r"\text{" + _tex_escape(text) + "}"


def _flatten(expr: sp.Piecewise) -> list[tuple[sp.Basic, sp.Basic]]:
    """``si a alors x sinon (si b alors y sinon z)`` as the rows (x, a), (y, b), (z, vrai)."""
    rows = []
    for piece in expr.args:
        if piece.cond == sp.true and isinstance(piece.expr, sp.Piecewise):
            rows.extend(_flatten(piece.expr))
        else:
            rows.append((piece.expr, piece.cond))
    return rows


def _aggregate(name: str) -> tuple[str, str] | None:
    func, _, over = name.partition("_")
    if func in AGGREGATE_WORDS and over:
        return AGGREGATE_WORDS[func], SCOPE_WORDS.get(over, over)
    return None


def _positive_first(expr):
    """``résultat précédent − résultat`` rather than ``−résultat + résultat précédent``."""
    terms = list(expr.as_ordered_terms())
    if terms and terms[0].could_extract_minus_sign():
        positive = [t for t in terms if not t.could_extract_minus_sign()]
        if positive:
            terms.remove(positive[0])
            terms.insert(0, positive[0])
    return sp.Add(*terms, evaluate=False)


def _oriented(e, prefer_left):
    """The comparison with the subject on the left: a measured value before a threshold."""
    def weight(side):
        if isinstance(side, sp.Symbol):
            if side.name in prefer_left:
                return 0
            return 2 if _is_literal_name(side.name) else 1
        if side.is_Number:
            return 3
        return 0 if {getattr(x, 'name', '') for x in side.free_symbols} & prefer_left else 1
    if weight(e.lhs) > weight(e.rhs):
        return e.reversed
    return e


class _MathML(MathMLPresentationPrinter):
    def __init__(self, prefer_left=frozenset()):
        super().__init__({"disable_split_super_sub": True, "mul_symbol": "times"})
        self.prefer_left = prefer_left

    def _text(self, tag: str, text: str):
        node = self.dom.createElement(tag)
        node.appendChild(self.dom.createTextNode(html.escape(text, quote=False)))
        return node

    def _row(self, *children):
        row = self.dom.createElement("mrow")
        for child in children:
            row.appendChild(child)
        return row

    def _print_Symbol(self, sym, style="plain"):
        name = sym.name
        if sym == symbolic.MISSING:
            return self._text("mi", "∅")
        return self._text("mn" if _is_literal_name(name) else "mi", name)

    def _print_Add(self, e, order=None):
        return super()._print_Add(_positive_first(e), order="none")

    def _print_BooleanTrue(self, e):
        return self._text("mtext", "vrai")

    def _print_BooleanFalse(self, e):
        return self._text("mtext", "faux")

    def _print_Relational(self, e):
        if e.rhs == symbolic.MISSING and e.rel_op in ("==", "!="):
            word = "\u00a0non disponible" if e.rel_op == "==" else "\u00a0disponible"
            return self._row(self._print(e.lhs), self._text("mtext", word))
        return super()._print_Relational(_oriented(e, self.prefer_left))

    def _join(self, args, word):
        row = self.dom.createElement("mrow")
        for i, arg in enumerate(args):
            if i:
                row.appendChild(self._text("mtext", f"\u00a0{word}\u00a0"))
            printed = self._print(arg)
            row.appendChild(self._paren(printed) if isinstance(arg, (sp.And, sp.Or)) else printed)
        return row

    def _paren(self, node):
        return self._row(self._text("mo", "("), node, self._text("mo", ")"))

    def _print_And(self, e):
        return self._join(e.args, "et")

    def _print_Or(self, e):
        return self._join(e.args, "ou")

    def _print_Not(self, e):
        inner = self._print(e.args[0])
        return self._row(self._text("mtext", "non\u00a0"), self._paren(inner) if isinstance(e.args[0], (sp.And, sp.Or)) else inner)

    def _print_Piecewise(self, e):
        table = self.dom.createElement("mtable")
        for value, cond in _flatten(e):
            tr = self.dom.createElement("mtr")
            left = self.dom.createElement("mtd")
            left.appendChild(self._print(value))
            right = self.dom.createElement("mtd")
            if cond == sp.true:
                right.appendChild(self._text("mtext", "sinon"))
            else:
                right.appendChild(self._row(self._text("mtext", "si\u00a0"), self._print(cond)))
            tr.appendChild(left)
            tr.appendChild(right)
            table.appendChild(tr)
        brace = self._text("mo", "{")
        return self._row(brace, table)

    def _print_Function(self, e):
        name = type(e).__name__
        agg = _aggregate(name)
        if agg:
            head = self.dom.createElement("msub")
            head.appendChild(self._text("mi", agg[0]))
            head.appendChild(self._text("mtext", agg[1]))
        else:
            head = self._text("mi", FUNCTION_WORDS.get(name, name))
        return self._row(head, self._paren_comma_separated(*e.args))

    def _print_floor(self, e):
        return self._row(self._text("mo", "⌊"), self._print(e.args[0]), self._text("mo", "⌋"))


class _Latex(LatexPrinter):
    def __init__(self, prefer_left=frozenset()):
        super().__init__({"mul_symbol": "times"})
        self.prefer_left = prefer_left

    def _print_Symbol(self, sym, style="plain"):
        if sym == symbolic.MISSING:
            return r"\varnothing"
        if _is_literal_name(sym.name):
            return r"\text{" + _tex_escape(sym.name) + "}"
        return _tex_text(sym.name)

    def _print_Add(self, e, order=None):
        return super()._print_Add(_positive_first(e), order="none")

    def _print_BooleanTrue(self, e):
        return r"\text{vrai}"

    def _print_BooleanFalse(self, e):
        return r"\text{faux}"

    def _print_Relational(self, e):
        if e.rhs == symbolic.MISSING and e.rel_op in ("==", "!="):
            return self._print(e.lhs) + (r"\ \text{non disponible}" if e.rel_op == "==" else r"\ \text{disponible}")
        return super()._print_Relational(_oriented(e, self.prefer_left))

    def _join(self, args, word):
        parts = []
        for arg in args:
            printed = self._print(arg)
            parts.append(rf"\left({printed}\right)" if isinstance(arg, (sp.And, sp.Or)) else printed)
        return rf"\ \text{{{word}}}\ ".join(parts)

    def _print_And(self, e):
        return self._join(e.args, "et")

    def _print_Or(self, e):
        return self._join(e.args, "ou")

    def _print_Not(self, e):
        inner = self._print(e.args[0])
        return r"\text{non}\ " + (rf"\left({inner}\right)" if isinstance(e.args[0], (sp.And, sp.Or)) else inner)

    def _print_Piecewise(self, e):
        rows = []
        for value, cond in _flatten(e):
            where = r"\text{sinon}" if cond == sp.true else r"\text{si } " + self._print(cond)
            rows.append(f"{self._print(value)} & {where}")
        return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"

    def _print_Function(self, e, exp=None):
        name = type(e).__name__
        args = ", ".join(self._print(a) for a in e.args)
        agg = _aggregate(name)
        if agg:
            head = rf"\operatorname{{{_tex_escape(agg[0])}}}_{{\text{{{_tex_escape(agg[1])}}}}}"
        else:
            head = rf"\operatorname{{{_tex_escape(FUNCTION_WORDS.get(name, name))}}}"
        return rf"{head}\left({args}\right)"

