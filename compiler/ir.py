"""The typed intermediate representation of one campaign.

A campaign compiles to declarations (for documentation and diffs) and to a table
of computed *nodes*, each a typed expression over the dataset's rows (one row per
establishment and field). Node ids are the names an author writes: ``stays`` (an
input), ``num1_target`` (a parameter), ``MCO_1`` (a group's condition),
``num1.result`` (a part of an indicator), ``ifaq.group_amount`` (a part of an
envelope), and the built-ins ``finess``, ``field`` and ``group``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qualispec.compiler.syntax.ast import Expr, SourceRef
from qualispec.compiler.diagnostics import Span

BUILTINS = {"finess": "text", "field": "category", "group": "category"}


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # input, parameter, builtin, group, prerequisite, part, envelope
    unit: str | None
    expr: Expr | None  # None for inputs and built-ins
    span: Span
    owner: str | None = None  # the indicator or envelope a part belongs to
    fields: tuple[str, ...] = ()  # rows where the value is defined (empty: every row)


@dataclass(frozen=True)
class Decl:
    """What every declaration has: a name, words for people, and where it comes from."""

    kind: str
    name: str
    span: Span
    label: str = ""
    description: str = ""
    source: SourceRef | None = None
    assumption: str = ""  # set when the value or rule is not in the source documents
    carried: str = ""  # set when inherited unchanged from the extended campaign, with why
    texts: dict[str, str] = field(default_factory=dict)  # other words: definition, exclusions…
    let_labels: dict[str, str] = field(default_factory=dict)  # `let name "Libellé" = …`: name → words


@dataclass(frozen=True)
class Document(Decl):
    primary: bool = False  # one of the documents the campaign's rules are read from (else: « hors documents sources »)


@dataclass(frozen=True)
class Table(Decl):
    """Records keyed to the establishment rows (stays, prescriptions…): their columns and what they mean."""

    key: tuple[str, ...] = ("finess",)  # finess, and field when the campaign has fields
    columns: tuple[tuple[str, str], ...] = ()  # (column, unit)
    meanings: dict[str, str] = field(default_factory=dict)  # column → what it holds, in words


@dataclass(frozen=True)
class Input(Decl):
    unit: str = "number"
    column: str = ""
    values: tuple[str, ...] = ()
    optional: bool = False  # may be empty on any row (otherwise: required where `fields` say)
    signed: bool = False  # a percent that may be negative or above 100 % (a growth rate); else 0–100
    from_records: Expr | None = None  # count(stays where …): computed from a table when it is given
    # `required_when: S` (filled where the status S reads « renseigne », empty included), `required_unless: X`
    # (filled where X is empty: one of the two), `required_with: X` (filled where X is filled): (kind, X)
    requirement: tuple[str, str] | None = None


@dataclass(frozen=True)
class Parameter(Decl):
    unit: str = "number"
    value: Expr | None = None
    values: tuple[tuple[str, Expr], ...] = ()  # parameter … by field = { MCO: …, DIA: … }
    keyed_by: str | None = None
    plausible: tuple[Expr, ...] = ()  # `range: [low, high]`, checked (compiler/check/ranges.py), shown in the fiches


@dataclass(frozen=True)
class Group(Decl):
    field_name: str = ""
    when: Expr | None = None


@dataclass(frozen=True)
class Prerequisite(Decl):
    when: Expr | None = None


@dataclass(frozen=True)
class Curve(Decl):
    params: tuple[tuple[str, str], ...] = ()
    unit: str = "percent"
    bindings: tuple[tuple[str, Expr], ...] = ()
    value: Expr | None = None


@dataclass(frozen=True)
class Indicator(Decl):
    fields: tuple[str, ...] = ()
    category: str = ""
    unit: str = "percent"
    former_names: tuple[str, ...] = ()
    parts: tuple[tuple[str, str], ...] = ()  # (part name, node id) in the order they compute
    valuation: str = ""
    envelope: str = ""
    prerequisites: tuple[str, ...] = ()
    renamed_from: str = ""
    unit_declared: bool = True  # False: the spec gives no unit (the fiche says « non précisée »)
    status: str = ""  # the input holding the row's status (renseigne, non_renseigne, non_applicable …)
    objective_default: bool = False  # the objective is the language's default, result >= target
    proportion: bool = False  # numerator counts part of denominator: a dataset with numerator > denominator is refused

    def part(self, name: str) -> str | None:
        return next((node for part, node in self.parts if part == name), None)

    @property
    def short_name(self) -> str:
        """How documents call the indicator in titles and tables (« Num.1 »): ``short_label``, else its name."""
        return self.texts.get("short_label") or self.name


@dataclass(frozen=True)
class Envelope(Decl):
    parts: tuple[tuple[str, str], ...] = ()
    payout: Expr | None = None  # the per-indicator template (with @weight, @score)


@dataclass(frozen=True)
class Campaign(Decl):
    scheme: str = ""
    year: int | None = None
    extends: str | None = None  # the extended campaign's name
    extends_path: str = ""  # and its folder
    path: str = ""
    documents: dict[str, Decl] = field(default_factory=dict)
    field_decls: dict[str, Decl] = field(default_factory=dict)
    categories: dict[str, Decl] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    inputs: dict[str, Input] = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    prerequisites: dict[str, Prerequisite] = field(default_factory=dict)
    curves: dict[str, Curve] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    envelopes: dict[str, Envelope] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    lineage: dict[str, str] = field(default_factory=dict)  # name → new, override, carry, renamed:old
    dropped: dict[str, str] = field(default_factory=dict)  # name → why
    out_of_scope: frozenset[str] = frozenset()  # dropped because outside the new campaign's documents

    def declarations(self):
        for table in (self.documents, self.field_decls, self.categories, self.tables, self.inputs, self.parameters,
                      self.groups, self.prerequisites, self.curves, self.indicators, self.envelopes):
            yield from table.values()

    def groups_of(self, field_name: str) -> list[Group]:
        return [g for g in self.groups.values() if g.field_name == field_name]

    def let_label(self, node_id: str) -> str:
        """The words an author gave a ``let`` (``let level "Niveau atteint" = …``) of an indicator (its
        own or its curve's) or of an envelope, for ``owner.name``; "" when none."""
        owner, _, name = node_id.partition(".")
        decl = self.indicators.get(owner) or self.envelopes.get(owner)
        return decl.let_labels.get(name, "") if decl is not None and name else ""
