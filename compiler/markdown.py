"""Spec text inside Markdown: shown as written, never read as HTML or Markdown markup.

The HTML pages escape spec text through Jinja2's autoescape; the Markdown pages (fiches,
campaign pages, the rule diff's ``changements.md``) escape it here, in one place.
"""

from __future__ import annotations


def escape(text) -> str:
    """No raw HTML (``<script>`` stays text), no accidental emphasis, link, code or table break."""
    if text is None:
        return ""
    out = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in ("\\", "`", "*", "_", "[", "]", "|"):
        out = out.replace(ch, "\\" + ch)
    return out


def cell(text) -> str:
    """Escaped and on one line: a table cell or a list item."""
    return " ".join(escape(text).split())
