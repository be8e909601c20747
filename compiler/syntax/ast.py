"""The syntax tree of a .spec file: immutable nodes that keep their source span.

Expressions are shared by the AST and the typed IR: the checker returns copies
of these nodes with ``unit`` filled in and each ``Ref`` pointing at the graph node
it reads (``target``). Frozen dataclasses rather than pydantic models: expression
trees are built and walked thousands of times per check, and these are plain,
immutable, pattern-matchable values at a fraction of the cost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from qualispec.compiler.diagnostics import NO_SPAN, Span


# ------------------------------------------------------------------ expressions
@dataclass(frozen=True, slots=True)
class Expr:
    span: Span

    def children(self) -> tuple["Expr", ...]:
        return ()


@dataclass(frozen=True, slots=True)
class Num(Expr):
    """A number; ``unit`` is the literal's suffix (percent, euro, days) or None."""

    value: Fraction
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Text(Expr):
    value: str
    unit: str | None = "text"


@dataclass(frozen=True, slots=True)
class Bool(Expr):
    value: bool
    unit: str | None = "boolean"


@dataclass(frozen=True, slots=True)
class Missing(Expr):
    """A value that is not available (SQL NULL)."""

    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Ref(Expr):
    """A name. After checking, ``target`` is the graph node it reads."""

    name: str
    member: str | None = None
    target: str | None = None
    unit: str | None = None

    @property
    def text(self) -> str:
        return f"{self.name}.{self.member}" if self.member else self.name


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """A function or population aggregate: ``quantile(x, 30%, method="lower") over group``."""

    func: str
    args: tuple[Expr, ...]
    named: tuple[tuple[str, Expr], ...] = ()
    over: str | None = None
    unit: str | None = None
    where: Expr | None = None  # ``over all where (cond)``: only the rows where cond holds

    def children(self):
        return self.args + tuple(e for _, e in self.named) + ((self.where,) if self.where is not None else ())

    def option(self, name: str) -> Expr | None:
        return next((e for n, e in self.named if n == name), None)


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    op: str  # "-" or "not"
    operand: Expr
    unit: str | None = None

    def children(self):
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    op: str  # + - * / and or
    left: Expr
    right: Expr
    unit: str | None = None

    def children(self):
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    op: str  # = != < <= > >=
    left: Expr
    right: Expr
    unit: str | None = "boolean"

    def children(self):
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Member(Expr):
    operand: Expr
    options: tuple[Expr, ...]
    unit: str | None = "boolean"

    def children(self):
        return (self.operand,) + self.options


@dataclass(frozen=True, slots=True)
class If(Expr):
    cond: Expr
    then: Expr
    else_: Expr
    unit: str | None = None

    def children(self):
        return (self.cond, self.then, self.else_)


@dataclass(frozen=True, slots=True)
class Piecewise(Expr):
    """Linear between points, flat outside them: ``piecewise(x) { a -> 0%, b -> 100% }``."""

    x: Expr
    points: tuple[tuple[Expr, Expr], ...]
    unit: str | None = None

    def children(self):
        return (self.x,) + tuple(e for p in self.points for e in p)


@dataclass(frozen=True, slots=True)
class Wildcard(Expr):
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Decide(Expr):
    """A decision table: the first rule whose patterns all match gives the value."""

    subjects: tuple[Expr, ...]
    rules: tuple[tuple[tuple[Expr, ...], Expr], ...]
    unit: str | None = None

    def children(self):
        return self.subjects + tuple(p for pats, _ in self.rules for p in pats) + tuple(r for _, r in self.rules)


@dataclass(frozen=True, slots=True)
class ListLit(Expr):
    items: tuple[Expr, ...]
    unit: str | None = "list"

    def children(self):
        return self.items


@dataclass(frozen=True, slots=True)
class MapLit(Expr):
    """``{ MCO: 17%, DIA: 50% }``: a value per field (or per group)."""

    entries: tuple[tuple[str, Span, Expr], ...]
    unit: str | None = None

    def children(self):
        return tuple(e for _, _, e in self.entries)


@dataclass(frozen=True, slots=True)
class SourceRef(Expr):
    """``source: guide_ifaq_2024 "Num.1 — définition"``: a document and a section."""

    document: str
    section: str
    unit: str | None = "source"


def walk(expr: Expr):
    """Every node of an expression tree, parents first."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))


def signed_number(e: Expr) -> Num | None:
    """A written number, its sign included (« -5 % » is a minus before 5 %: the number −5 %), else None."""
    if isinstance(e, Num):
        return e
    if isinstance(e, Unary) and e.op == "-" and isinstance(e.operand, Num):
        return replace(e.operand, span=e.span, value=-e.operand.value)
    return None


# ------------------------------------------------------------------ declarations
@dataclass(frozen=True, slots=True)
class Property:
    key: str
    value: Expr
    span: Span
    is_binding: bool = False  # `let name = expr`
    label: str = ""  # `let name "Libellé" = expr`: what the fiches call the value


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    unit: str
    span: Span


@dataclass(frozen=True, slots=True)
class Decl:
    """One declaration of a .spec file.

    ``kind`` is campaign, document, field, category, input, parameter, indicator,
    prerequisite, group, curve, envelope, override, carry or drop.
    """

    kind: str
    name: str
    span: Span
    body: tuple[Property, ...] = ()
    unit: str | None = None  # input, parameter, curve (its result)
    unit_span: Span = NO_SPAN
    value: Expr | None = None  # parameter
    keyed_by: str | None = None  # parameter ... by field
    params: tuple[Param, ...] = ()  # curve
    extends: str | None = None  # campaign
    new_name: str | None = None  # override ... as new_name
    targets: tuple[tuple[str, Span], ...] = ()  # carry / drop

    def get(self, key: str) -> Property | None:
        return next((p for p in self.body if p.key == key and not p.is_binding), None)

    @property
    def file(self) -> str:
        return self.span.file


@dataclass(frozen=True, slots=True)
class SpecFile:
    path: str
    decls: tuple[Decl, ...]
    broken: tuple[tuple[str, str], ...] = ()  # (kind, name) of declarations a syntax error made unreadable
