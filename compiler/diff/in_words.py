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

from qualispec.compiler import markdown
from qualispec.compiler.diff.changes import RuleDiff
from qualispec.compiler.labels import prose_words

# a tag, or an element kept as written (code, formula, script): everything else between them is prose
_KEPT = re.compile(r"<(code|pre|math|script|style|textarea)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


labels = prose_words  # code name → the words a page writes for it (compiler/labels.py)


def report_words(report: RuleDiff) -> "InWords":
    """The words of a page comparing two campaigns (both campaigns' names, and each campaign's name by its label)."""
    return InWords(dict(report.prose))


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

    def said(self, text: str) -> str:
        """Plain ``text`` (a picture's label, not HTML) with each code name replaced by its words."""
        return self.pattern.sub(lambda m: self.words[m.group(1)], text) if self.pattern is not None else text

    def markdown(self, page: str) -> str:
        """A Markdown page with each code name of its prose in words (written ``num1\\_target`` or not); code spans
        (`` `num1` ``) kept as written."""
        if self.pattern is None:
            return page
        names = sorted(self.words, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w.\-/#\\])(" + "|".join(re.escape(n).replace("_", r"\\?_") for n in names)
                             + r")(?![\w\-\\]|\.\w)")

        def say(m: re.Match) -> str:
            return markdown.cell(self.words[m.group(1).replace("\\_", "_")])

        return "".join(part if part.startswith("`") else pattern.sub(say, part)
                       for part in re.split(r"(`[^`\n]*`)", page))

    def page(self, page: str) -> str:
        out, at = [], 0
        for kept in _KEPT.finditer(page):
            out.append(self.text(page[at:kept.start()]))
            out.append(kept.group(0))
            at = kept.end()
        out.append(self.text(page[at:]))
        return "".join(out)
