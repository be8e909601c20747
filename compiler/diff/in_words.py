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
# in Markdown: a code span, a formula (``$$ … $$``), a link's target
_MD_KEPT = re.compile(r"(`[^`\n]*`|\$\$.*?\$\$|\]\([^)]*\))", re.S)


labels = prose_words  # code name → the words a page writes for it (compiler/labels.py)


def report_words(report: RuleDiff) -> "InWords":
    """The words of a page comparing two campaigns (both campaigns' names, and each campaign's name by its label)."""
    return InWords(dict(report.prose))


# A code name with words of its own (labels.prose_words): an identifier with an underscore or a digit. Every word of
# that shape is looked up in the words (one dictionary look-up), instead of trying each name at each position: the
# cost of a page no longer grows with the number of names (a campaign of 2 000 indicators has 6 000).
_CODE = r"(?:_|[A-Za-z]+[_0-9])\w*"
_CODE_MD = r"(?:\\?_|[A-Za-z]+(?:\\?_|[0-9]))(?:\w|\\_)*"  # in Markdown, written num1\_target or not


class InWords:
    def __init__(self, words: dict[str, str]):
        self.words = words
        names = sorted(words, key=len, reverse=True)
        code = _CODE if all(re.fullmatch(_CODE, n) for n in names) else "|".join(map(re.escape, names))
        code_md = _CODE_MD if code == _CODE else "|".join(re.escape(n).replace("_", r"\\?_") for n in names)
        self.pattern = re.compile(r"(?<![\w.\-/#])(" + code + r")(?![\w\-]|\.\w)") if names else None
        self.md_pattern = re.compile(r"(?<![\w.\-/#\\])(" + code_md + r")(?![\w\-\\]|\.\w)") if names else None

    def _said(self, match: re.Match, escape=lambda t: t) -> str:
        name = match.group(1).replace("\\_", "_")
        return escape(self.words[name]) if name in self.words else match.group(0)

    def text(self, prose: str) -> str:
        """``prose`` (escaped HTML text, no tag) with each code name replaced by its words."""
        if self.pattern is None:
            return prose
        return self.pattern.sub(lambda m: self._said(m, lambda t: html.escape(t, quote=False)), prose)

    def said(self, text: str) -> str:
        """Plain ``text`` (a picture's label, not HTML) with each code name replaced by its words."""
        return self.pattern.sub(self._said, text) if self.pattern is not None else text

    def markdown(self, page: str) -> str:
        """A Markdown page with each code name of its prose in words (written ``num1\\_target`` or not); code spans
        (`` `num1` ``), formulas (``$$ … $$``) and link targets kept as written."""
        if self.md_pattern is None:
            return page
        return "".join(part if part.startswith(("`", "$$", "](")) else self.md_pattern.sub(
            lambda m: self._said(m, markdown.cell), part) for part in _MD_KEPT.split(page))

    def page(self, page: str) -> str:
        out, at = [], 0
        for kept in _KEPT.finditer(page):
            out.append(self.text(page[at:kept.start()]))
            out.append(kept.group(0))
            at = kept.end()
        out.append(self.text(page[at:]))
        return "".join(out)
