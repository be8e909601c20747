"""The change model of the rule diff: a list of changes, each one difference, written for people.

A :class:`Change` has a section (one of :data:`SECTIONS`), a kind (``added``, ``removed``,
``renamed``, ``changed``, ``fields``, ``condition``, ``formula``, ``text``,
``assumption_added`` …), a subject (the name in the new campaign, or in the old one when it
was removed), the old and new values written for people, a French detail, and the raw
values for JSON. A :class:`RuleDiff` is the whole comparison; the renderers only format it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTIONS = (
    ("scope", "Hors du périmètre de la nouvelle campagne (non comparé)"),
    ("indicators", "Indicateurs"),
    ("rules", "Règles des indicateurs (cibles, seuils, poids, évolution, applicabilité)"),
    ("parameters", "Paramètres"),
    ("groups", "Groupes de comparaison"),
    ("prerequisites", "Prérequis"),
    ("formulas", "Formules"),
    ("envelopes", "Enveloppes"),
    ("inputs", "Données attendues"),
    ("texts", "Textes (définitions, périodes de mesure, dates limites …)"),
    ("assumptions", "Hypothèses"),
    ("declarations", "Autres déclarations (documents, champs, catégories, courbes)"),
)

# Parts of an indicator a reader looks for: reported with their values, even when the
# change comes from a parameter the part refers to.
RULE_PARTS = ("target", "objective", "threshold", "weight", "evolution_paid", "not_applicable_allowed")

KIND_WORDS = {
    "indicator": "indicateur", "parameter": "paramètre", "group": "groupe", "prerequisite": "prérequis",
    "input": "donnée", "envelope": "enveloppe", "curve": "courbe", "document": "document",
    "field": "champ", "category": "catégorie", "table": "table d'enregistrements",
}
SECTION_OF_KIND = {"indicator": "indicators", "parameter": "parameters", "group": "groups",
                   "prerequisite": "prerequisites", "input": "inputs", "envelope": "envelopes"}


@dataclass(frozen=True)
class Change:
    """One difference. ``old``/``new`` are written for people; ``data`` holds raw values (JSON)."""

    section: str  # one of SECTIONS
    kind: str  # added, removed, renamed, changed, fields, condition, formula, text, assumption_added …
    subject: str  # the name in the new campaign (in the old one when removed)
    what: str = ""  # which property: "cible", "target", "label" …
    old: str | None = None
    new: str | None = None
    detail: str = ""
    data: tuple[tuple[str, object], ...] = ()

    def get(self, key: str, default=None):
        return dict(self.data).get(key, default)


@dataclass(frozen=True)
class RuleDiff:
    old: str  # campaign names
    new: str
    old_label: str
    new_label: str
    changes: tuple[Change, ...]
    renames: tuple[tuple[str, str, str], ...]  # (kind, old name, new name) for every matched pair with two names
    warnings: tuple[str, ...] = ()  # what could not be proved (the change is then reported, to be safe)
    words: dict[str, str] = field(default_factory=dict, compare=False)  # subject → its French words (labels)
    prose: dict[str, str] = field(default_factory=dict, compare=False)  # code name → « words », for prose
    old_short: str = ""  # each campaign in a table's header: « IFAQ 2022 » (labels.campaign_short)
    new_short: str = ""

    def said(self, subject: str) -> str:
        """A change's subject as a reader calls it (« Valeur cible de rémunération de Num.1 »); its code name
        when it has no label."""
        return self.words.get(subject) or subject

    def said_in_prose(self, name: str) -> str:
        """A name inside a sentence: « IFAQ 2024 — indicateurs numériques » for a campaign, « … » for a parameter
        or an indicator with a label (:func:`labels.comparison_words`), else the name."""
        return self.prose.get(name) or name

    def section(self, name: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.section == name)

    @property
    def empty(self) -> bool:
        return not self.changes

    def indicator_pairs(self) -> tuple[tuple[str, str], ...]:
        """(old name, new name) of every indicator present in both campaigns."""
        return tuple((o, n) for k, o, n in self.renames if k == "indicator")


@dataclass
class ChangeList:
    """The changes found so far, in the order they are reported, and what could not be proved."""

    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, section, kind, subject, what="", old=None, new=None, detail="", **data) -> None:
        self.changes.append(Change(section, kind, subject, what, old, new, detail, tuple(sorted(data.items()))))
