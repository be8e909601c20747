"""What the language server knows about a campaign being edited, without any LSP type.

A :class:`Campaign` is one folder compiled with the editor's open texts: its diagnostics,
its declarations after ``extends`` (where each comes from), and the name tokens of every
file it reads (its own and the inherited ones), for definitions, references and rename.
Parsed files are cached per text (compiler.syntax.parse): an edit re-parses only that file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from qualispec.compiler import messages
from qualispec.compiler.check.vocabulary import ALLOWED, COMMON
from qualispec.compiler.diagnostics import Diagnostic, Diagnostics, Span
from qualispec.compiler.lsp.symbols import Site, resolved_sites, symbol_at
from qualispec.compiler.pipeline import compile_folder
from qualispec.compiler.syntax import ast
from qualispec.compiler.syntax.layout import TOKEN
from qualispec.compiler.syntax.load import Loaded, load_folder, shown_path
from qualispec.compiler.syntax.parse import DECL_KEYWORDS, parse_text


@dataclass(frozen=True)
class Occurrence:
    """A name written in a file (0-based line and column, as editors count)."""

    file: Path
    line: int
    column: int
    name: str


@dataclass
class Campaign:
    folder: Path
    loaded: Loaded
    diagnostics: list[Diagnostic]
    files: list[Path] = field(default_factory=list)  # every .spec read: this folder's, then the inherited ones
    texts: dict[Path, str] = field(default_factory=dict)
    sites: list[Site] = field(default_factory=list)  # every name, with the symbol it stands for

    def declaration(self, name: str) -> ast.Decl | None:
        return self.loaded.decls.get(name)

    def symbol_at(self, file: Path, line: int, column: int) -> str | None:
        return symbol_at(self.sites, file.resolve(), line, column)

    def uses(self, symbol: str) -> list[Site]:
        """Where ``symbol`` is declared and used, in this campaign's files and the ones it extends."""
        return [s for s in self.sites if s.symbol == symbol]

    def renamable(self, symbol: str) -> bool:
        """Declared somewhere in the spec text (not a part every indicator has, such as ``payout``)."""
        return any(s.declares for s in self.uses(symbol))

    def occurrences(self, name: str) -> list[Occurrence]:
        """Every word ``name`` (for a file the checker could not read: no symbols then)."""
        return [o for file in self.files for o in names_in(file, self.texts[file]) if o.name == name]


def analyse(folder: Path, open_texts: dict[Path, str], proofs: bool) -> Campaign:
    """Compile the campaign in ``folder``, reading ``open_texts`` instead of the disk where given."""
    folder = folder.resolve()
    diagnostics = Diagnostics()
    compiled = compile_folder(folder, diagnostics, texts=open_texts, proofs=proofs)
    loaded = load_folder(folder, Diagnostics(), texts=open_texts)  # cheap: every file is parsed already
    files, texts = [], {}
    base, seen = folder, set()
    while base is not None and base not in seen and base.is_dir():
        seen.add(base)
        for file in sorted(base.glob("*.spec")):
            text = open_texts.get(file)
            if text is None:
                try:
                    text = file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
            files.append(file)
            texts[file] = text
        base = _extended(base, texts)
    decls = [d for file in files for d in parse_text(texts[file], shown_path(file), Diagnostics()).decls]
    sites = resolved_sites(decls, compiled.campaign if compiled else None, texts)
    return Campaign(folder, loaded, diagnostics.sorted(), files, texts, sites)


def _extended(folder: Path, texts: dict[Path, str]) -> Path | None:
    for file, text in texts.items():
        if file.parent == folder:
            match = re.search(r'^campaign\s+\w+\s+extends\s+"([^"\n]*)"', text, re.MULTILINE)
            if match:
                return (folder / match.group(1)).resolve()
    return None


def names_in(file: Path, text: str) -> list[Occurrence]:
    """Every name token of ``text`` (not in texts or comments), with its position."""
    found, line, line_start = [], 0, 0
    for match in TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word" and value not in DECL_KEYWORDS:
            found.append(Occurrence(file, line, match.start() - line_start, value))
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = match.start() + value.rfind("\n") + 1
    return found


RESERVED = frozenset(DECL_KEYWORDS) | {"let", "and", "or", "not", "if", "then", "else", "over", "where", "all",
                                        "missing", "true", "false", "result", "extends", "as", "in", "by"}


def is_name(text: str) -> bool:
    """A name a spec may declare: ASCII letters, digits and _, not a keyword of the language."""
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text) is not None and text not in RESERVED


def word_at(text: str, line: int, column: int) -> str | None:
    lines = text.split("\n")
    if line >= len(lines):
        return None
    row = lines[line]
    for match in re.finditer(r"[A-Za-z_][A-Za-z0-9_]*", row):
        if match.start() <= column <= match.end():
            return match.group()
    return None


def hover(campaign: Campaign, name: str, symbol: str | None = None) -> str | None:
    """The French card of a name: label, kind and unit, value, source or assumption, where it comes from;
    for a ``let`` (``symbol`` ``owner.name``), its label, whose it is and its formula."""
    decl = campaign.declaration(name)
    if decl is None:
        return _let_hover(campaign, symbol) if symbol else None
    label = _text(decl.get("label"))
    lines = [f"**{name}** — {label}" if label else f"**{name}**",
             messages.word("lsp.kind_unit", kind=decl.kind, unit=decl.unit) if decl.unit else
             messages.word("lsp.kind", kind=decl.kind)]
    if decl.value is not None:
        lines.append(messages.word("lsp.value", value=_source_of(campaign, decl.value.span)))
    source = decl.get("source")
    if source is not None and isinstance(source.value, ast.SourceRef):
        document = campaign.declaration(source.value.document)
        title = _text(document.get("label")) if document is not None else source.value.document
        lines.append(messages.word("lsp.source", document=title, section=source.value.section))
    assumption = _text(decl.get("assumption")) or campaign.loaded.carried.get(name, "")
    if assumption:
        lines.append(messages.word("lsp.assumption", text=" ".join(assumption.split())))
    lines.append(_lineage(campaign, name, decl))
    return "\n\n".join(line for line in lines if line)


def _let_hover(campaign: Campaign, symbol: str) -> str | None:
    owner_name, _, key = symbol.rpartition(".")
    owner = campaign.declaration(owner_name)
    binding = next((p for p in owner.body if p.is_binding and p.key == key), None) if owner is not None else None
    if binding is None:
        return None
    lines = [f"**{key}** — {binding.label}" if binding.label else f"**{key}**",
             messages.word("lsp.let_of", kind=owner.kind, name=owner_name),
             messages.word("lsp.value", value=_source_of(campaign, binding.value.span))]
    if not binding.label:
        lines.append(messages.word("lsp.let_without_label", name=key))
    return "\n\n".join(lines)


def _lineage(campaign: Campaign, name: str, decl: ast.Decl) -> str:
    how = campaign.loaded.lineage.get(name, "new")
    base = campaign.loaded.base_name or "?"
    place = f"{decl.span.file}:{decl.span.line}"
    if how == "carry":
        return messages.word("lsp.carried", base=base, place=place)
    if how == "override":
        return messages.word("lsp.overridden", base=base, place=place)
    if how.startswith("renamed:"):
        return messages.word("lsp.renamed", base=base, old=how.split(":", 1)[1], place=place)
    if how == "inherited":
        return messages.word("lsp.inherited", base=base, place=place)
    return messages.word("lsp.declared", place=place)


def _source_of(campaign: Campaign, span: Span) -> str:
    file = Path(span.file).resolve()
    text = campaign.texts.get(file)
    if text is None or span.line <= 0:
        return "?"
    lines = text.split("\n")
    if span.end_line == span.line:
        return lines[span.line - 1][span.column - 1:span.end_column - 1]
    return " ".join(line.strip() for line in lines[span.line - 1:span.end_line]).strip()


def completions(campaign: Campaign, text: str, line: int, column: int) -> tuple[list[str], list[str]]:
    """(properties the enclosing declaration accepts, when a property key is being typed; names in scope)."""
    row = text.split("\n")[line][:column] if line < len(text.split("\n")) else ""
    kind = enclosing_kind(campaign, text, line)
    properties = []
    if kind is not None and re.fullmatch(r"\s*[A-Za-z_]*", row) and row[:1].isspace():
        properties = sorted({**COMMON, **ALLOWED.get(kind, {})})
    names = sorted(n for n, d in campaign.loaded.decls.items() if d.kind != "campaign")
    return properties, names


def enclosing_kind(campaign: Campaign, text: str, line: int) -> str | None:
    """The kind of the declaration whose body holds ``line``, from the last declaration line above it
    (for ``override x as y``, the kind of what it overrides)."""
    for row in reversed(text.split("\n")[:line + 1]):
        match = re.match(r"(%s)\s+(\w+)(?:\s+as\s+(\w+))?" % "|".join(DECL_KEYWORDS), row)
        if match:
            kind, name, new_name = match.groups()
            if kind == "override":
                target = campaign.declaration(new_name or name)
                return target.kind if target is not None else None
            return kind
    return None


def symbols(text: str, path: str) -> list[ast.Decl]:
    """The declarations of one file, for the outline."""
    return list(parse_text(text, path, Diagnostics()).decls)


def _text(prop) -> str:
    return prop.value.value if prop is not None and isinstance(prop.value, ast.Text) else ""
