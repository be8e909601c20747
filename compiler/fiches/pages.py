"""The documentation's page model: what a campaign page and an indicator fiche show, as data.

A :class:`Site` holds for each campaign a :class:`CampaignPage` (indicators by category and
field, weights, envelopes, groups, prerequisites, what changed), and for each indicator a
:class:`Fiche` in the spirit of the official ones — label, former names, fields, definition,
numerator and denominator, formulas, target, threshold and how it is computed, evolution,
weight, periods and deadlines, sources, the valuation curve, what changed since the extended
campaign, and every assumption it rests on.

Each rule shown carries a *status*: ``officiel`` (a source document and section),
``hors documents sources`` (a document the spec declares without a ``file:``: a published text
that is not one of the source documents),
``hypothèse`` (an ``assumption`` of the spec), ``reconduit`` (carried over from the extended
campaign without a new document, with why), or ``non sourcé``.

:mod:`build` fills this model from compiled campaigns (never from .spec text); :mod:`site`
only formats it (Markdown, HTML); :mod:`plots` draws its pictures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qualispec.compiler import labels
from qualispec.compiler.fiches import formulas

STATUS_OFFICIAL, STATUS_ASSUMPTION, STATUS_CARRIED, STATUS_UNSOURCED = "officiel", "hypothèse", "reconduit", "non sourcé"
STATUS_OUTSIDE = "hors documents sources"
_STATUS_RANK = {STATUS_OFFICIAL: 0, STATUS_OUTSIDE: 1, STATUS_UNSOURCED: 2, STATUS_CARRIED: 3, STATUS_ASSUMPTION: 4}
STATUS_WORDS = {
    STATUS_OFFICIAL: "Officiel : donné par un document source",
    STATUS_OUTSIDE: "Hors documents sources : tiré d'un texte publié qui n'est pas l'un des documents sources, à vérifier",
    STATUS_ASSUMPTION: "Hypothèse : absent des documents sources, choisi et justifié par les auteurs de la spec",
    STATUS_CARRIED: "Reconduit : repris de la campagne précédente sans nouveau document, à confirmer",
    STATUS_UNSOURCED: "Non sourcé : ni source ni hypothèse déclarée",
}


@dataclass(frozen=True)
class Source:
    document: str
    label: str
    section: str
    issuer: str = ""
    date: str = ""

    @property
    def text(self) -> str:
        return f"{self.label}, « {self.section} »" if self.section else self.label


@dataclass(frozen=True)
class Provenance:
    """Where a declaration comes from: a source, an assumption, or a carry-over."""

    kind: str
    name: str
    label: str
    status: str
    source: Source | None = None
    assumption: str = ""
    carried: str = ""


@dataclass(frozen=True)
class Rule:
    """One row of a fiche: a title, a value in words, maybe a formula, and where it comes from."""

    key: str
    title: str
    value: str
    formula: formulas.Formula | None = None
    detail: str = ""
    provenance: tuple[Provenance, ...] = ()
    note: str = ""

    @property
    def status(self) -> str:
        return worst(p.status for p in self.provenance) if self.provenance else ""


@dataclass(frozen=True)
class Symbol:
    shown: str
    meaning: str
    value: str
    status: str = ""


@dataclass(frozen=True)
class Assumption:
    kind: str  # words: paramètre, groupe de comparaison …
    names: tuple[tuple[str, str], ...]  # (name, label)
    text: str
    status: str  # hypothèse or reconduit


@dataclass(frozen=True)
class DataColumn:
    """A column of a file an indicator reads: what it holds in words, its name in the file, its type, the file."""
    words: str
    column: str
    unit: str
    file: str


@dataclass(frozen=True)
class ChangeLine:
    what: str
    old: str
    new: str
    detail: str = ""
    renamed: bool = False  # old and new are the two code names of a rename, shown as code


@dataclass(frozen=True)
class Series:
    label: str
    x: tuple[float, ...]
    y: tuple[float | None, ...]
    style: str  # level, positive, stable, negative


@dataclass(frozen=True)
class CurveData:
    title: str
    x_unit: str
    y_unit: str
    x_max: float
    series: tuple[Series, ...]
    threshold: float | None
    threshold_illustrative: bool
    target: float | None
    caption: str
    higher_is_better: bool = True


@dataclass(frozen=True)
class Fiche:
    campaign: str
    name: str
    label: str
    description: str
    former_names: tuple[str, ...]
    renamed_from: str
    lineage: str
    fields: tuple[tuple[str, str], ...]
    category: tuple[str, str]
    unit: str  # empty: the spec declares none (« non précisée »)
    source: Source | None
    provenance: Provenance
    texts: tuple[Rule, ...]
    numerator: Rule | None
    denominator: Rule | None
    exclusions: str
    rules: tuple[Rule, ...]
    evolution_rule: str
    formulas: tuple[tuple[str, formulas.Formula], ...]
    symbols: tuple[Symbol, ...]
    curve: CurveData | None
    curve_note: str
    valuation: tuple[str, str, str]  # curve name, label, description
    envelope: tuple[str, str]
    weights: tuple[tuple[str, str], ...]  # (field, weight in words)
    prerequisites: tuple[tuple[str, str], ...]
    assumptions: tuple[Assumption, ...]
    base: str  # the extended campaign's name, "" when none
    base_fiche: str  # the matching indicator in the base campaign, "" when none
    changes: tuple[ChangeLine, ...]
    change_summary: str
    graph_nodes: frozenset[str] = frozenset()
    short_name: str = ""  # ``short_label`` as documents write it (« Num.1 »), when declared
    columns: tuple[DataColumn, ...] = ()  # the data columns it reads, shown apart from the prose
    base_named: str = ""  # the base campaign's matching indicator inside a sentence (labels.named), "" when none

    @property
    def shown_name(self) -> str:
        """What breadcrumbs and captions call the indicator: its short label (« Num.1 »), else its label."""
        return self.short_name or self.label or self.name

    @property
    def named(self) -> str:
        """The indicator inside a sentence: « Num.1 », else « « Le bon usage des antibiotiques » »."""
        return labels.in_sentence(self.short_name, self.label, self.name)

    @property
    def title(self) -> str:
        """« Num.1 — Alimentation du DMP … », or the label alone when there is no short label."""
        return labels.titled(self.short_name, self.label, self.name)
    pays: bool = True  # False: the indicator sets objectives, it pays nothing

    @property
    def status_counts(self) -> dict[str, int]:
        counts = {s: 0 for s in _STATUS_RANK}
        for rule in self.rules:
            if rule.status:
                counts[rule.status] += 1
        return counts


@dataclass(frozen=True)
class GroupRow:
    name: str
    label: str
    cells: tuple[str, ...]
    condition: str
    description: str
    provenance: Provenance


@dataclass(frozen=True)
class GroupTable:
    field: str
    field_label: str
    columns: tuple[tuple[str, str], ...]  # (input name, label)
    rows: tuple[GroupRow, ...]


@dataclass(frozen=True)
class PrerequisiteView:
    name: str
    label: str
    description: str
    condition: formulas.Formula | None
    provenance: Provenance
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class EnvelopeView:
    name: str
    label: str
    description: str
    parts: tuple[Rule, ...]
    payout: formulas.Formula | None
    rounding: str
    provenance: Provenance
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    label: str
    fields: tuple[str, ...]
    weights: dict
    assumptions: int
    status: str


@dataclass(frozen=True)
class CampaignPage:
    name: str
    label: str
    scheme: str
    year: int | None
    description: str
    source: Source | None
    base: str
    base_label: str
    documents: tuple[tuple[str, str, str, str], ...]  # name, label, issuer, date
    fields: tuple[tuple[str, str], ...]
    by_category: tuple[tuple[str, str, tuple[IndicatorLine, ...]], ...]
    envelopes: tuple[EnvelopeView, ...]
    groups: tuple[GroupTable, ...]
    group_inputs: tuple[tuple[str, str, str], ...]  # name, label, unit words
    prerequisites: tuple[PrerequisiteView, ...]
    parameters: tuple[Rule, ...]
    dropped: tuple[tuple[str, str], ...]
    lineage_counts: dict
    fiches: tuple[Fiche, ...]
    assumptions: tuple[Assumption, ...]
    graph_size: tuple[int, int]


@dataclass(frozen=True)
class CampaignSummary:
    """What the home page and the side menu of every page show of a campaign; ``docs`` keeps it between runs
    (:mod:`..incremental`), so that an unchanged campaign is not compiled again to be listed."""
    name: str
    label: str
    scheme: str
    year: int | None
    base: str
    fiche_count: int
    assumption_count: int

    @classmethod
    def of(cls, page: CampaignPage) -> "CampaignSummary":
        return cls(page.name, page.label, page.scheme, page.year, page.base, len(page.fiches), len(page.assumptions))


@dataclass(frozen=True)
class Site:
    campaigns: tuple[CampaignPage, ...]
    compiled: dict = field(default_factory=dict, compare=False, repr=False)
    diffs: dict = field(default_factory=dict, compare=False, repr=False)  # campaign → rule diff with its base, computed once


def worst(statuses) -> str:
    return max(statuses, key=lambda s: _STATUS_RANK.get(s, 0), default="")
