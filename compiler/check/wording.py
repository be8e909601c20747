"""A comparison against a threshold, strict or inclusive as its threshold's texts say.

The shipped thresholds say in their label, or in the quotation of their source, which side of the
threshold a value equal to it falls on: « Prescription de plus de 8 500 boîtes », « (prérequis :
strictement plus) », « Taux de recours … ≥ 80% », « (prérequis : au moins) », « inférieur à 75 % »,
« Nombre maximal d'indicateurs ». A comparison that reads the threshold the other way (``>=`` typed for
``>``, ``<`` for ``<=``) checks clean otherwise and moves every establishment exactly on it: it is said
at the comparison. Only the strictness is judged, when the texts and the comparison agree on the side
(at least / above, at most / below) and the texts say one strictness only; a threshold whose texts say
nothing (a number of months, a national mean) is not judged. « plus de », « moins de », « à partir de »
count before a number only (« à partir des 4 indicateurs » says no side).
"""

from __future__ import annotations

import re

from qualispec.compiler import ir, messages
from qualispec.compiler.check.quoted import QUOTATION
from qualispec.compiler.diagnostics import Span
from qualispec.compiler.syntax import ast

# (side, strict) → the words that say it; the side is that of the compared value: above or below the threshold
_CUES = {
    ("above", True): (r"strictement (?:plus|sup[ée]rieur)", r"\bplus de (?=\d)", r"sup[ée]rieure?s? [àa](?! ou)",
                      r"\bd[ée]passe(?!r)", r"au-del[àa]", r"(?<![≥<>=])>(?!=)"),
    ("above", False): (r"\bau moins\b", r"≥", r"[àa] minima", r"\bminimale?s?\b", r"sup[ée]rieure?s? ou [ée]gale?s?",
                       r"[àa] partir de (?=\d)", r">="),
    ("below", True): (r"strictement (?:moins|inf[ée]rieur)", r"inf[ée]rieure?s? [àa](?! ou)", r"en de[çc][àa]",
                      r"\bmoins de (?=\d)", r"(?<![≤<>=])<(?!=)"),
    ("below", False): (r"\bau plus\b", r"≤", r"\bmaximale?s?\b", r"\bmaximum\b", r"dans la limite",
                       r"inf[ée]rieure?s? ou [ée]gale?s?", r"<="),
}
_PATTERNS = {key: [re.compile(p, re.IGNORECASE) for p in patterns] for key, patterns in _CUES.items()}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_SIDE = {">": ("above", True), ">=": ("above", False), "<": ("below", True), "<=": ("below", False)}
_OPERATOR = {value: key for key, value in _SIDE.items()}


def said_strictness(texts) -> dict[str, tuple[bool, str]]:
    """For each side the texts name, whether they say it strictly, and the words that say it.
    A side said both ways (« plus de » and « au moins ») is left out: the texts do not decide it."""
    found: dict[tuple[str, bool], str] = {}
    for text in texts:
        for key, patterns in _PATTERNS.items():
            for pattern in patterns:
                match = pattern.search(text)
                if match and key not in found:
                    found[key] = match.group(0)
    said = {}
    for side in ("above", "below"):
        ways = [strict for strict in (True, False) if (side, strict) in found]
        if len(ways) == 1:
            said[side] = (ways[0], found[(side, ways[0])])
    return said


def threshold_texts(parameter: ir.Parameter) -> list[str]:
    """The parameter's label and the quotations of its source: where the document's words are."""
    texts = [parameter.label or ""]
    section = parameter.source.section if parameter.source else ""
    texts += QUOTATION.findall(section or "")
    return texts


class Wording:
    """Checks mixed into the Checker (see checker.py), once the campaign is built."""

    def _check_comparison_wording(self, campaign: ir.Campaign) -> None:
        said_at: set[tuple] = set()
        for node in campaign.nodes.values():
            expr = getattr(node, "expr", None)
            if expr is None:
                continue
            for e in ast.walk(expr):
                if isinstance(e, ast.Compare) and e.op in _SIDE:
                    self._compare_with_wording(campaign, e, said_at)

    def _compare_with_wording(self, campaign: ir.Campaign, e: ast.Compare, said_at: set) -> None:
        for threshold, op in ((e.right, e.op), (e.left, _FLIP[e.op])):  # op: the compared value's side of it
            if not (isinstance(threshold, ast.Ref) and threshold.member is None
                    and threshold.target in campaign.parameters):
                continue
            parameter = campaign.parameters[threshold.target]
            side, strict = _SIDE[op]
            said = said_strictness(threshold_texts(parameter)).get(side)
            if said is None or said[0] == strict:
                continue
            place = (e.span.place, threshold.target)
            if place in said_at:
                continue
            said_at.add(place)
            meant = _OPERATOR[(side, said[0])]
            if threshold is e.left:
                meant = _FLIP[meant]
            self.d.warning("check.comparison_wording", operator_span(e, self.d.sources), name=threshold.target, written=e.op,
                           words=said[1], meant=meant,
                           equality=messages.word("phrase.equality_excluded" if strict else "phrase.equality_counted"))


def operator_span(e: ast.Compare, sources: dict[str, str]) -> Span:
    """Where the operator is written: after the left side, on its line or a next one (up to the right side)."""
    left, right = e.left.span, e.right.span
    if not left.end_line:
        return e.span
    lines = (sources.get(left.file) or "").split("\n")
    start = left.end_column - 1
    for number in range(left.end_line, min(max(right.line, left.end_line), len(lines)) + 1):
        column = lines[number - 1].find(e.op, start)
        if column >= 0:
            return Span(left.file, number, column + 1)
        start = 0
    return Span(left.file, left.end_line, left.end_column)
