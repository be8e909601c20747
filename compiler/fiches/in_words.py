"""Code names left in a page's prose put in words: a parameter, a named calculation (``let``) or an indicator
that an author's text or a table cites by its code name (« (digital_share) », « hypothèse de num1_weight »)
is shown by its French label, so that a quality manager reads words, not codes.

Only the text a reader sees is changed: not the tags and their attributes (ids, links), nor what is meant as
code (``<code>``, ``<pre>``, formulas in ``<math>``, scripts and styles), nor the name of a data column, which
the people who fill the tables need as it is written.
"""

from __future__ import annotations

import html
import re

from qualispec.compiler import ir

# a tag, or an element kept as written (code, formula, script): everything else between them is prose
_KEPT = re.compile(r"<(code|pre|math|script|style|textarea)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


def labels(c: ir.Campaign) -> dict[str, str]:
    """Code name → the words a page writes for it, for the campaign's parameters, lets and indicators."""
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
    # a code name is a word of its own only with an underscore or a digit (« num1 »): « les », an indicator of
    # CAQES, is also a French word and stays as written
    return {name: f"« {label} »" for name, label in words.items()
            if label and name not in c.inputs and label != name and re.search(r"[_0-9]", name)}


class InWords:
    def __init__(self, words: dict[str, str]):
        self.words = words
        names = sorted(words, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w.\-/#])(" + "|".join(map(re.escape, names)) + r")(?![\w\-]|\.\w)") \
            if names else None

    def text(self, prose: str) -> str:
        """``prose`` (escaped HTML text, no tag) with each code name replaced by its words."""
        if self.pattern is None:
            return prose
        return self.pattern.sub(lambda m: html.escape(self.words[m.group(1)], quote=False), prose)

    def page(self, page: str) -> str:
        out, at = [], 0
        for kept in _KEPT.finditer(page):
            out.append(self.text(page[at:kept.start()]))
            out.append(kept.group(0))
            at = kept.end()
        out.append(self.text(page[at:]))
        return "".join(out)
