"""``qualispec lsp``: the Language Server Protocol over stdio (pygls), from the same checker as ``check``.

Diagnostics follow typing (debounced; the z3 proofs run when a file is saved or opened), hover
shows a name's French card, definition and references reach across ``extends``, completion offers
the names in scope and the properties a declaration accepts, and the outline, rename and
formatting (``qualispec fmt``'s layout) work on any .spec file.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from qualispec import __version__
from qualispec.compiler import messages
from qualispec.compiler.lsp import model
from qualispec.compiler.syntax.layout import format_text

DEBOUNCE_SECONDS = 0.06
_SYMBOL_KINDS = {
    "campaign": lsp.SymbolKind.Module, "document": lsp.SymbolKind.File, "field": lsp.SymbolKind.Enum,
    "category": lsp.SymbolKind.EnumMember, "input": lsp.SymbolKind.Field, "parameter": lsp.SymbolKind.Constant,
    "indicator": lsp.SymbolKind.Function, "prerequisite": lsp.SymbolKind.Boolean, "group": lsp.SymbolKind.Class,
    "curve": lsp.SymbolKind.Method, "envelope": lsp.SymbolKind.Package, "override": lsp.SymbolKind.Event,
    "carry": lsp.SymbolKind.Event, "drop": lsp.SymbolKind.Event,
}


class SpecServer(LanguageServer):
    def __init__(self):
        super().__init__("qualispec", __version__)
        self.campaigns: dict[Path, model.Campaign] = {}
        self.published: dict[Path, set[str]] = {}  # folder → URIs that were given diagnostics
        self.pending: dict[Path, asyncio.Task] = {}

    def open_texts(self) -> dict[Path, str]:
        return {Path(to_fs_path(uri)).resolve(): doc.source for uri, doc in self.workspace.text_documents.items()}

    def campaign(self, uri: str) -> model.Campaign:
        folder = Path(to_fs_path(uri)).resolve().parent
        if folder not in self.campaigns:
            self.refresh(folder, proofs=False)
        return self.campaigns[folder]

    def refresh(self, folder: Path, proofs: bool) -> None:
        campaign = model.analyse(folder, self.open_texts(), proofs)
        self.campaigns[folder] = campaign
        by_uri: dict[str, list[lsp.Diagnostic]] = {from_fs_path(str(f)): [] for f in folder.glob("*.spec")}
        for d in campaign.diagnostics:
            file = Path(d.span.file).resolve()
            if file.parent == folder:
                by_uri.setdefault(from_fs_path(str(file)), []).append(_diagnostic(d))
        for uri in self.published.get(folder, set()) - set(by_uri):
            by_uri[uri] = []
        self.published[folder] = set(by_uri)
        for uri, items in by_uri.items():
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=items))

    def later(self, uri: str) -> None:
        """Check again once typing pauses: each new edit restarts the wait."""
        folder = Path(to_fs_path(uri)).resolve().parent
        if folder in self.pending:
            self.pending[folder].cancel()

        async def run():
            await asyncio.sleep(DEBOUNCE_SECONDS)
            self.pending.pop(folder, None)
            self.refresh(folder, proofs=False)

        self.pending[folder] = asyncio.ensure_future(run())


server = SpecServer()


@server.feature(lsp.INITIALIZE)
def initialize(ls: SpecServer, params: lsp.InitializeParams):
    lang = (params.initialization_options or {}).get("lang") if isinstance(params.initialization_options, dict) else None
    if lang in messages.CATALOGS:
        messages.set_language(lang)


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: SpecServer, params: lsp.DidOpenTextDocumentParams):
    ls.refresh(Path(to_fs_path(params.text_document.uri)).resolve().parent, proofs=True)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: SpecServer, params: lsp.DidChangeTextDocumentParams):
    ls.later(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: SpecServer, params: lsp.DidSaveTextDocumentParams):
    ls.refresh(Path(to_fs_path(params.text_document.uri)).resolve().parent, proofs=True)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: SpecServer, params: lsp.HoverParams):
    text = ls.workspace.get_text_document(params.text_document.uri).source
    name = model.word_at(text, params.position.line, params.position.character)
    campaign = ls.campaign(params.text_document.uri)
    symbol = campaign.symbol_at(Path(to_fs_path(params.text_document.uri)), params.position.line,
                                params.position.character)
    card = model.hover(campaign, name, symbol) if name else None
    if card is None:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=card))


def _symbol(ls: SpecServer, params) -> tuple[model.Campaign, str | None, str | None]:
    """The campaign, the symbol under the cursor (as the checker resolved it) and the word there."""
    text = ls.workspace.get_text_document(params.text_document.uri).source
    campaign = ls.campaign(params.text_document.uri)
    file = Path(to_fs_path(params.text_document.uri))
    symbol = campaign.symbol_at(file, params.position.line, params.position.character)
    return campaign, symbol, model.word_at(text, params.position.line, params.position.character)


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: SpecServer, params: lsp.DefinitionParams):
    campaign, symbol, word = _symbol(ls, params)
    declared = [s for s in campaign.uses(symbol) if s.declares] if symbol else []
    if declared:
        return lsp.Location(uri=from_fs_path(str(declared[0].file)), range=_site_range(declared[0]))
    decl = campaign.declaration(symbol or word) if (symbol or word) else None
    if decl is None:
        return None
    return lsp.Location(uri=from_fs_path(str(Path(decl.span.file).resolve())), range=_range(decl.span))


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: SpecServer, params: lsp.ReferenceParams):
    campaign, symbol, word = _symbol(ls, params)
    if symbol:
        return [lsp.Location(uri=from_fs_path(str(s.file)), range=_site_range(s)) for s in campaign.uses(symbol)
                if params.context.include_declaration or not s.declares]
    return [lsp.Location(uri=from_fs_path(str(o.file)), range=_occurrence_range(o))
            for o in campaign.occurrences(word)] if word else []


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: SpecServer, params: lsp.PrepareRenameParams):
    campaign, symbol, _ = _symbol(ls, params)
    site = next((s for s in campaign.uses(symbol) if s.file == Path(to_fs_path(params.text_document.uri)).resolve()
                 and s.line == params.position.line
                 and s.column <= params.position.character <= s.column + s.length), None) \
        if symbol and campaign.renamable(symbol) else None
    return _site_range(site) if site else None  # a property key, a keyword or a text: nothing to rename


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
def rename(ls: SpecServer, params: lsp.RenameParams):
    """Every use of the symbol under the cursor in the campaign's own files (an inherited campaign is not
    rewritten from here); refused when the new name is not a name or is already taken where it would go."""
    campaign, symbol, _ = _symbol(ls, params)
    if not symbol or not campaign.renamable(symbol):
        return None
    new = params.new_name
    if not model.is_name(new):
        raise ValueError(messages.word("lsp.rename_not_a_name", name=new))
    owner = symbol.rsplit(".", 1)[0] if "." in symbol else None
    taken = f"{owner}.{new}" if owner else new
    if campaign.uses(taken) or (owner is None and campaign.declaration(new) is not None):
        raise ValueError(messages.word("lsp.rename_taken", name=new))
    changes: dict[str, list[lsp.TextEdit]] = {}
    for site in campaign.uses(symbol):
        if site.file.parent == campaign.folder:
            changes.setdefault(from_fs_path(str(site.file)), []).append(
                lsp.TextEdit(range=_site_range(site), new_text=new))
    return lsp.WorkspaceEdit(changes=changes)


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[".", " "]))
def completion(ls: SpecServer, params: lsp.CompletionParams):
    text = ls.workspace.get_text_document(params.text_document.uri).source
    campaign = ls.campaign(params.text_document.uri)
    properties, names = model.completions(campaign, text, params.position.line, params.position.character)
    items = [lsp.CompletionItem(label=p, kind=lsp.CompletionItemKind.Property, insert_text=f"{p}: ")
             for p in properties]
    for name in names:
        decl = campaign.declaration(name)
        label = model._text(decl.get("label"))
        items.append(lsp.CompletionItem(label=name, kind=lsp.CompletionItemKind.Variable,
                                        detail=f"{messages.word('lsp.kind', kind=decl.kind)} — {label}" if label
                                        else messages.word("lsp.kind", kind=decl.kind)))
    return lsp.CompletionList(is_incomplete=False, items=items)


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(ls: SpecServer, params: lsp.DocumentSymbolParams):
    doc = ls.workspace.get_text_document(params.text_document.uri)
    symbols = []
    for decl in model.symbols(doc.source, str(Path(doc.path).resolve())):
        label = model._text(decl.get("label"))
        symbols.append(lsp.DocumentSymbol(name=decl.name, detail=label or decl.kind,
                                          kind=_SYMBOL_KINDS.get(decl.kind, lsp.SymbolKind.Variable),
                                          range=_range(decl.span), selection_range=_range(decl.span)))
    return symbols


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: SpecServer, params: lsp.DocumentFormattingParams):
    doc = ls.workspace.get_text_document(params.text_document.uri)
    formatted = format_text(doc.source, str(Path(doc.path).resolve()))
    if formatted is None or formatted == doc.source:
        return []
    end = len(doc.source.split("\n"))
    return [lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=0, character=0),
                                         end=lsp.Position(line=end, character=0)), new_text=formatted)]


def _range(span) -> lsp.Range:
    line, column = max(0, span.line - 1), max(0, span.column - 1)
    end_line = max(line, (span.end_line or span.line) - 1)
    end_column = max(0, (span.end_column or span.column + 1) - 1)
    if end_line == line and end_column <= column:
        end_column = column + 1
    return lsp.Range(start=lsp.Position(line=line, character=column),
                     end=lsp.Position(line=end_line, character=end_column))


def _site_range(site) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=site.line, character=site.column),
                     end=lsp.Position(line=site.line, character=site.column + site.length))


def _occurrence_range(o: model.Occurrence) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=o.line, character=o.column),
                     end=lsp.Position(line=o.line, character=o.column + len(o.name)))


def _diagnostic(d) -> lsp.Diagnostic:
    message = d.message + "".join(f"\n{n}" for n in d.notes) + (f"\n→ {d.hint}" if d.hint else "")
    severity = lsp.DiagnosticSeverity.Error if d.severity == "error" else lsp.DiagnosticSeverity.Warning
    return lsp.Diagnostic(range=_range(d.span), message=message, severity=severity, code=d.code or None,
                          source="qualispec")


def serve() -> None:
    server.start_io()
