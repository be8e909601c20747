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
                      r"\bd[ée]passe(?!r)", r"au-del[àa]", r"(?<![≥<>=-])>(?!=)", r"\ben hausse\b",
                      r"^progression\b"),
    ("above", False): (r"\bau moins\b", r"≥", r"[àa] minima", r"\bminimale?s?\b", r"sup[ée]rieure?s? ou [ée]gale?s?",
                       r"[àa] partir de (?=\d)", r">="),
    ("below", True): (r"strictement (?:moins|inf[ée]rieur)", r"inf[ée]rieure?s? [àa](?! ou)", r"en de[çc][àa]",
                      r"\bmoins de (?=\d)", r"(?<![≤<>=])<(?!=)", r"\ben baisse\b",
                      r"\bsous la moyenne\b", r"\ben dessous de\b"),
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
            for e, sided in _compared(expr):
                self._compare_with_wording(campaign, e, said_at, sided)

    def _compare_with_wording(self, campaign: ir.Campaign, e: ast.Compare, said_at: set, sided: bool) -> None:
        for threshold, op in ((e.right, e.op), (e.left, _FLIP[e.op])):  # op: the compared value's side of it
            if not (isinstance(threshold, ast.Ref) and threshold.member is None
                    and threshold.target in campaign.parameters):
                continue
            parameter = campaign.parameters[threshold.target]
            place = (e.span.place, threshold.target)
            if place not in said_at and self._judge(e, op, threshold_texts(parameter), threshold is e.left,
                                                    f"« {threshold.target} »", sided):
                said_at.add(place)

    def _judge(self, e: ast.Compare, op: str, texts, flipped: bool, what: str, sided: bool = True) -> bool:
        """``op``: the compared value's side of its threshold; ``flipped``: the threshold is written on the left.
        Said when the texts name the other side only (the test reads the wrong way round; judged when
        ``sided``), or this side with the other strictness (an establishment exactly on the threshold changes
        side). True when said."""
        side, strict = _SIDE[op]
        said = said_strictness(texts)
        other = "below" if side == "above" else "above"
        if sided and side not in said and other in said and not any(side in key for key in _named_sides(texts)):
            meant = _OPERATOR[(other, said[other][0])]
            self.d.warning("check.comparison_side", operator_span(e, self.d.sources), what=what, written=e.op,
                           words=said[other][1], meant=_FLIP[meant] if flipped else meant)
            return True
        if side not in said or said[side][0] == strict:
            return False
        meant = _OPERATOR[(side, said[side][0])]
        self.d.warning("check.comparison_wording", operator_span(e, self.d.sources), name=what, written=e.op,
                       words=said[side][1], meant=_FLIP[meant] if flipped else meant,
                       equality=messages.word("phrase.equality_excluded" if strict else "phrase.equality_counted"))
        return True

    def _check_labelled_comparisons(self, campaign: ir.Campaign) -> None:
        """A `let` whose label, or a prerequisite whose label or quoted source, says the comparison it makes
        (« Plus de 10 ré-hospitalisations », « (Séjours > médiane …) », « Établissement ciblé (au moins un
        risque) », « En baisse par rapport à l'année N−1 »): each comparison in it is read with its left side
        as the compared value (the right one when the left is a number or a parameter), and judged as a
        threshold's comparison is. Comparisons under a `not` are left alone (the words say the test, not its negation)."""
        said_at = self.d.places()
        for decl in list(campaign.indicators.values()) + list(campaign.envelopes.values()) \
                + list(campaign.prerequisites.values()):
            labelled = [(f"{decl.name}.{part}", [label]) for part, label in decl.let_labels.items()]
            if decl.kind == "prerequisite":
                labelled.append((decl.name, threshold_texts(decl)))
            for node_id, texts in labelled:
                node = campaign.nodes.get(node_id)
                if node is None or node.expr is None or not said_strictness(texts):
                    continue
                what = messages.word("phrase.labelled", name=node_id.rsplit(".", 1)[-1], label=texts[0])
                for e, sided in _compared(node.expr):
                    flipped = _is_threshold(e.left, campaign) and not _is_threshold(e.right, campaign)
                    if operator_span(e, self.d.sources).place not in said_at:
                        self._judge(e, _FLIP[e.op] if flipped else e.op, texts, flipped, what, sided)

    def _check_objective_direction(self, campaign: ir.Campaign) -> None:
        """An indicator's objective read the other way than its `direction:` (« Plus bas est meilleur », « Baisse
        des dépenses ») says: `result >= target` typed for `<=` would pay the establishments that got worse."""
        for indicator in campaign.indicators.values():
            words = indicator.texts.get("direction", "")
            better = _BETTER.search(words)
            node = campaign.nodes.get(f"{indicator.name}.objective")
            if better is None or node is None or node.expr is None or indicator.objective_default:
                continue
            side = "below" if better.group(1) else "above"
            for e, sided in _compared(node.expr):
                flipped = _is_threshold(e.left, campaign) and not _is_threshold(e.right, campaign)
                op = _FLIP[e.op] if flipped else e.op
                if _SIDE[op][0] != side and sided:
                    meant = _OPERATOR[(side, _SIDE[op][1])]
                    self.d.warning("check.objective_direction", operator_span(e, self.d.sources), name=indicator.name,
                                   written=e.op, words=better.group(0), meant=_FLIP[meant] if flipped else meant)

    def _check_equality_said_twice(self, campaign: ir.Campaign) -> None:
        """`result >= target or (target_reached_at_equality and result = target)`: with `>=` the equality the
        parameter decides is already counted, and the parameter decides nothing: `>` was meant."""
        for node in campaign.nodes.values():
            if node.expr is None:
                continue
            for e in ast.walk(node.expr):
                if not (isinstance(e, ast.Binary) and e.op == "or"):
                    continue
                for inclusive, other in ((e.left, e.right), (e.right, e.left)):
                    if isinstance(inclusive, ast.Compare) and inclusive.op in ("<=", ">=") \
                            and any(_same_sides(inclusive, eq) for eq in ast.walk(other)
                                    if isinstance(eq, ast.Compare) and eq.op == "="):
                        self.d.warning("check.equality_said_twice", operator_span(inclusive, self.d.sources),
                                       written=inclusive.op, meant=inclusive.op[0])


_BETTER = re.compile(r"plus (?:(bas)|haut) est meilleur|\b(?:(baisse|diminution)|hausse|augmentation) (?:des?|du)\b",
                     re.IGNORECASE)


def _named_sides(texts) -> set[tuple[str, bool]]:
    """Every (side, strict) some cue of the texts names."""
    return {key for text in texts for key, patterns in _PATTERNS.items() if any(p.search(text) for p in patterns)}


def _compared(expr: ast.Expr):
    """The ordering comparisons of an expression, each with whether its side may be judged: not when it is
    under a `not` (the words say the test, not its negation) or in the condition of an `if` (either side
    may be the one tested there, the branches say which pays)."""
    stack = [(expr, True)]
    while stack:
        e, sided = stack.pop()
        if isinstance(e, ast.Compare) and e.op in _SIDE:
            yield e, sided
        if isinstance(e, ast.If):
            stack += [(e.cond, False), (e.then, sided), (e.else_, sided)]
        else:
            stack.extend((child, sided and not (isinstance(e, ast.Unary) and e.op == "not")) for child in e.children())


def _is_threshold(e: ast.Expr, campaign: ir.Campaign) -> bool:
    return isinstance(e, ast.Num) or (isinstance(e, ast.Ref) and e.member is None and e.target in campaign.parameters)


def _same_sides(a: ast.Compare, b: ast.Compare) -> bool:
    """The same two operands (names or numbers), in any order."""
    def key(e):
        if isinstance(e, ast.Ref):
            return e.target or e.text
        return (e.value, e.unit) if isinstance(e, ast.Num) else None
    keys = {key(a.left), key(a.right)}
    return None not in keys and keys == {key(b.left), key(b.right)}


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
