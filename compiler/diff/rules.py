"""The rule diff: what changed between two compiled campaigns, and only what changed.

``diff(old, new)`` takes two :class:`ir.Campaign` and returns a :class:`RuleDiff`, an
immutable list of :class:`Change` (:mod:`.changes`). The renderers (:mod:`.render`) only
format this list. The comparison runs in this order, one module per step:

- :mod:`.matching` pairs the declarations of both campaigns (declared renames, same names,
  former names, labels, roles);
- :mod:`.expressions` puts formulas in the same names and compares them with sympy, by
  reference and by value (no false changes);
- :mod:`.declarations` reports what was added, removed or renamed, inputs, texts and
  assumptions; :mod:`.indicators` the indicators, their rules, parameters and envelopes;
  :mod:`.conditions` group and prerequisite conditions, with an example establishment
  found by z3.

:func:`reverts` (:mod:`.reverts`) undoes one change at a time, for the money diff.
"""

from __future__ import annotations

from qualispec.compiler import ir, labels
from qualispec.compiler.diff import conditions, declarations, indicators
from qualispec.compiler.diff.changes import KIND_WORDS, RULE_PARTS, SECTIONS, Change, ChangeList, RuleDiff
from qualispec.compiler.diff.expressions import Comparison
from qualispec.compiler.diff.reverts import Revert, reverts

__all__ = ["diff", "reverts", "Revert", "Change", "RuleDiff", "SECTIONS", "RULE_PARTS", "KIND_WORDS"]


def diff(old: ir.Campaign, new: ir.Campaign, proofs: dict[str, bool] | None = None) -> RuleDiff:
    """``proofs``: the formula equalities already proved (:func:`symbolic.equivalent`), completed by this diff."""
    c = Comparison(old, new, proofs)
    out = ChangeList()
    declarations.added_removed_renamed(c, out)
    indicators.indicators(c, out)
    indicators.parameters(c, out)
    conditions.conditions(c, out, "group")
    conditions.conditions(c, out, "prerequisite")
    indicators.envelopes(c, out)
    declarations.inputs(c, out)
    declarations.texts_and_assumptions(c, out)
    renames = tuple(sorted((c.kind_new[n], o, n) for o, n in c.forward.items()))
    return RuleDiff(old.name, new.name, old.label, new.label,
                    tuple(out.changes), renames, tuple(dict.fromkeys(out.warnings)),
                    {c.subject: _words(c.subject, new, old) for c in out.changes}, labels.comparison_words(old, new),
                    *_shorts(old, new))


def _shorts(old: ir.Campaign, new: ir.Campaign) -> tuple[str, str]:
    """« IFAQ 2022 », « IFAQ 2024 »: each campaign's short name for table headers; their labels when both say the
    same (two campaigns of one scheme and year), their names when the labels do too."""
    shorts = labels.campaign_short(old), labels.campaign_short(new)
    if shorts[0] == shorts[1]:
        shorts = (old.label or old.name, new.label or new.name)
    return shorts if shorts[0] != shorts[1] else (old.name, new.name)


def _words(subject: str, *campaigns: ir.Campaign) -> str:
    """A subject's French words, from the first campaign that declares it with a label; "" when none does."""
    for campaign in campaigns:
        said = labels.node_label(campaign, subject)
        if said != subject:
            return said
        for table in (campaign.documents, campaign.field_decls, campaign.categories, campaign.tables, campaign.curves):
            if subject in table and (table[subject].label or subject) != subject:
                return table[subject].label
    return ""
