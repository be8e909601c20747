"""What the fiches and the rule diff call each name a spec declares, in French: the words a quality manager reads
in formulas, tables and pictures instead of code names (``economic_volume`` → « Volume économique
de l'établissement dans le champ »). A declaration's ``short_label`` wins over its ``label``."""

from __future__ import annotations

import re

from qualispec.compiler import french, ir

BUILTIN_WORDS = {"finess": "numéro FINESS", "field": "champ de l'établissement", "group": "groupe de comparaison"}
ENVELOPE_PARTS = {"amount": "montant", "group_amount": "montant par groupe", "payout": "rémunération"}


def decl_words(decl: ir.Decl) -> str:
    return decl.texts.get("short_label") or decl.label or decl.name


def indicator_words(ind: ir.Indicator) -> str:
    """« Num.1 — Alimentation du DMP … » when a short label is declared, else the label."""
    return titled(ind.texts.get("short_label", ""), ind.label, ind.name)


def named(ind: ir.Indicator) -> str:
    """An indicator inside a sentence (« Score de Num.1 », « Score de « Le bon usage des antibiotiques » »)."""
    return in_sentence(ind.texts.get("short_label", ""), ind.label, ind.name)


def in_sentence(short: str, label: str, name: str) -> str:
    """Its short label (« Num.1 »), else its label in quotes, else its code name."""
    return short or (f"« {label} »" if label else name)


def titled(short: str, label: str, name: str) -> str:
    """An indicator's title: « Num.1 — Alimentation du DMP … » with a short label, else its label (its code name
    only when it has neither)."""
    if short and label and short != label:
        return f"{short} — {label}"
    return label or short or name


def node_label(campaign: ir.Campaign, node_id: str, own: str | None = None, short: bool = False) -> str:
    """A node's French words; ``own``: the indicator whose fiche it is (its parts need no prefix);
    ``short``: inside a formula (an indicator's parts by their short names, « seuil »)."""
    c = campaign
    if node_id.startswith("curve:"):
        curve = c.curves.get(node_id[6:])
        return f"Courbe : {curve.label or curve.name}" if curve else node_id[6:]
    if node_id in ir.BUILTINS:
        return BUILTIN_WORDS[node_id]
    for table in (c.inputs, c.parameters, c.groups, c.prerequisites):
        if node_id in table:
            return decl_words(table[node_id])
    if node_id in c.indicators:
        return indicator_words(c.indicators[node_id])
    if node_id in c.envelopes:
        return f"Enveloppe : {c.envelopes[node_id].label or node_id}"
    owner, _, part = node_id.partition(".")
    if owner in c.indicators:
        words = part_words(c, node_id, short)
        ind = c.indicators[owner]  # another indicator's part: by its short label, else its label, not its code name
        return words if owner == own else f"{ind.short_name if ind.short_name != ind.name else ind.label or owner} : {words}"
    if owner in c.envelopes:
        envelope = c.envelopes[owner]
        words = c.let_label(node_id) or ENVELOPE_PARTS.get(part, part)
        return words if owner == own else f"{words} de l'enveloppe « {envelope.label or owner} »"
    return node_id


def part_words(campaign: ir.Campaign, node_id: str, short: bool = False) -> str:
    """An indicator's part in words: the label its ``let`` was given, else the language's words for the
    part (« seuil » inside a formula when ``short``, « valeur seuil de début de rémunération » else)."""
    owner, _, part = node_id.partition(".")
    if campaign.let_label(node_id) or short:
        return campaign.let_label(node_id) or french.PART_SHORT.get(part, part)
    ind = campaign.indicators.get(owner)  # a target of a scheme that only monitors is an objective: « (objectif) »
    return french.part_label(part, pays=ind is None or ind.part("payout") is not None)


def namer(campaign: ir.Campaign, own: str | None = None):
    """``name_of(ref)`` for :func:`french.formula`: each name by its French words (an indicator's own
    parts, when ``own`` is that indicator, by their short names: « résultat », « seuil »)."""
    def name_of(ref) -> str:
        target = ref.target or ref.text
        if target.startswith("field:"):
            return target[6:]
        if target in campaign.nodes or target in ir.BUILTINS or target.partition(".")[0] in campaign.indicators:
            return node_label(campaign, target, own=own, short=True)
        return french.PART_SHORT.get(ref.text, ref.text)  # an envelope's payout names the paying indicator's parts
    return name_of


def prose_words(c: ir.Campaign) -> dict[str, str]:
    """Code name → the words a page writes for it: the campaign's parameters, lets, indicators and curves."""
    words: dict[str, str] = {}
    for ind in c.indicators.values():
        for name, label in ind.let_labels.items():
            words.setdefault(name, label)
    for env in c.envelopes.values():
        for name, label in getattr(env, "let_labels", {}).items():
            words.setdefault(name, label)
    for p in c.parameters.values():
        if p.label:
            words[p.name] = p.texts.get("short_label") or p.label
    for ind in c.indicators.values():
        shown = ind.texts.get("short_label") or ind.label
        if shown:
            words[ind.name] = shown
    for env in c.envelopes.values():
        if env.label:
            words.setdefault(env.name, env.label)
    for curve in c.curves.values():
        if curve.label:
            words.setdefault(curve.name, curve.label)
    # a code name is a word of its own only with an underscore or a digit (« num1 »): « les », an indicator of
    # CAQES, is also a French word and stays as written
    return {name: f"« {label} »" for name, label in words.items()
            if label and name not in c.inputs and label != name and re.search(r"[_0-9]", name)}


def column_words(c: ir.Campaign) -> dict[str, str]:
    """Each input's code name → its words, for the fiches: their « Colonnes du fichier » give each column's name
    as code, so their prose says what a column holds (the money and diff reports keep the names people fill)."""
    return {d.name: f"« {decl_words(d)} »" for d in c.inputs.values()
            if d.label and decl_words(d) != d.name and re.search(r"[_0-9]", d.name)}


def campaign_short(c: ir.Campaign) -> str:
    """A campaign in a table's header: « IFAQ 2024 » (its scheme and year), else its label."""
    return f"{c.scheme} {c.year}" if c.scheme and c.year else c.label or c.name


def campaign_said(c: ir.Campaign) -> str:
    """A campaign inside a sentence for people: « IFAQ 2024 — indicateurs numériques » (its title), else its name."""
    return f"« {c.label} »" if c.label and c.label != c.name else c.name


def comparison_words(old: ir.Campaign, new: ir.Campaign) -> dict[str, str]:
    """The words of a page comparing two campaigns: the names of both (the new one's words first), and each
    campaign's name by its label (« IFAQ 2024 — indicateurs numériques », not ifaq_2024)."""
    words = {**prose_words(old), **prose_words(new)}
    words.update({c.name: campaign_said(c) for c in (old, new) if c.label and c.label != c.name})
    return words
