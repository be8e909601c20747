"""Source positions and the messages a policy author reads.

Every message has the form ``file:line:column: error: message``, followed by the
offending source line, a caret under the spot, and a hint saying what would fix it.
Nothing in the compiler raises a Python exception at a user for a bad spec: it
records a :class:`Diagnostic` and goes on, so that one run reports every problem.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
import unicodedata
from pathlib import Path

from qualispec.compiler import messages
from qualispec.compiler.limits import MAX_MESSAGE_CHARS


@dataclass(frozen=True, slots=True)
class Span:
    """Where a piece of spec text sits: file, 1-based line and column."""

    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @property
    def place(self) -> tuple[str, int, int]:
        """Where the span starts: two messages at one place are about one written value."""
        return self.file, self.line, self.column


NO_SPAN = Span("<builtin>", 0, 0)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: str  # "error" or "warning"
    message: str
    span: Span
    hint: str = ""
    notes: tuple[str, ...] = ()
    code: str = ""  # the catalog code of the message (compiler/messages), e.g. "syntax.decimal_comma"
    # The written values that make the problem (two weights whose sum is too large): the message is shown at
    # each of them that the campaign being checked writes itself, rather than at ``span`` (compiler/pipeline.py).
    causes: tuple[Span, ...] = ()


@dataclass
class Diagnostics:
    """Collects the problems of one run, and renders them with source context."""

    items: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    _lines: dict[str, tuple[str, list[str]]] = field(default_factory=dict, repr=False, compare=False)

    def error(self, code: str, span: Span, hint: str | None = None, notes: tuple[str, ...] = (),
              causes: tuple[Span, ...] = (), **args) -> None:
        """Record an error: ``code`` names a message of the catalog, ``args`` fill it in.

        ``hint`` replaces the catalog's hint when given (e.g. a 'did you mean' computed here).
        """
        self.items.append(replace(_make("error", code, span, hint, notes, args), causes=tuple(causes)))

    def warning(self, code: str, span: Span, hint: str | None = None, notes: tuple[str, ...] = (), **args) -> None:
        self.items.append(_make("warning", code, span, hint, notes, args))

    def places(self) -> set[tuple[str, int, int]]:
        """The places already told about (a value said out of range is not said again by another check)."""
        return {d.span.place for d in self.items}

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def unique(self, severity: str) -> list[Diagnostic]:
        """The problems of one severity as shown (duplicates once): what a count must count."""
        return [d for d in self.sorted() if d.severity == severity]

    def sorted(self) -> list[Diagnostic]:
        unique = {(d.severity, d.message, d.span): d for d in self.items}
        return sorted(unique.values(), key=lambda d: (d.span.file, d.span.line, d.span.column, d.message))

    def render(self) -> str:
        return "\n".join(self.render_one(d) for d in self.sorted())

    def render_one(self, d: Diagnostic) -> str:
        lines = [f"{d.span}: {messages.word('severity.' + d.severity)}: {one_line(d.message)}"]
        source = self._source_line(d.span)
        if source is not None:
            text, column = _window(visible(source.expandtabs(4)), d.span.column)
            lines.append(f"    {text}")
            width = max(1, (d.span.end_column - d.span.column) if d.span.end_line == d.span.line else 1)
            width = min(width, max(1, len(text) - column + 1))
            lines.append("    " + " " * (column - 1) + "^" * width)
        labels = messages.word("label.note"), messages.word("label.hint")
        for note in d.notes:
            lines.append(f"    {labels[0]}: {one_line(note)}")
        if d.hint:
            lines.append(f"    {labels[1]}: {one_line(d.hint)}")
        return "\n".join(lines)

    def _source_line(self, span: Span) -> str | None:
        if span.line <= 0:
            return None
        text = self.sources.get(span.file)
        if text is None:
            try:
                text = Path(span.file).read_text(encoding="utf-8", errors="replace")
            except (OSError, ValueError):
                return None
            self.sources[span.file] = text
        cached = self._lines.get(span.file)
        if cached is None or cached[0] is not text:  # split once per file, not once per message
            cached = self._lines[span.file] = (text, text.split("\n"))  # as the parser counts lines
        lines = cached[1]
        return lines[span.line - 1].rstrip("\r") if span.line <= len(lines) else None


def visible(text: str) -> str:
    """Control and invisible format characters (NUL, zero-width space…) as U+FFFD, one for one (carets stay aligned)."""
    return "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A message on one line: line breaks shown as ⏎, control characters made visible, cut at ``limit``."""
    text = visible(str(text).replace("\r\n", "⏎").replace("\n", "⏎"))
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} caractères de plus)"


def _window(text: str, column: int, width: int = MAX_MESSAGE_CHARS) -> tuple[str, int]:
    """A long source line cut around ``column``; returns the text shown and the column in it."""
    if len(text) <= width:
        return text, column
    start = max(0, min(column - 1 - width // 2, len(text) - width))
    shown = ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")
    return shown, column - start + (1 if start else 0)


def _make(severity: str, code: str, span: Span, hint: str | None, notes, args) -> Diagnostic:
    if not messages.known(code):  # a sentence not yet in the catalog, kept as written
        return Diagnostic(severity, code, span, hint or "", tuple(notes))
    message, catalog_hint = messages.text(code, **args)
    return Diagnostic(severity, message, span, catalog_hint if hint is None else hint, tuple(notes), code)


def a(word: str) -> str:
    """``un indicateur``, ``an indicator``: a declaration kind with its article."""
    return messages.word("phrase.kind_with_article", kind=word)


def did_you_mean(name: str, candidates, what: str = "") -> str:
    """A 'did you mean' hint for a misspelt name, or an empty string."""
    scored = []
    for candidate in set(candidates):
        matcher = difflib.SequenceMatcher(None, name, candidate)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6 and matcher.ratio() >= 0.6:
            scored.append((-matcher.ratio(), candidate))
    close = [c for _, c in sorted(scored)[:3]]  # most alike first, then alphabetical
    if not close:
        return ""
    return messages.word("hint.did_you_mean", options=messages.either(close))
