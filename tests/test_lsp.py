"""The language server driven by a real LSP client (pytest-lsp) over stdio, on a copy of the shipped specs."""

from __future__ import annotations

import asyncio
import shutil
import sys
import time

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import SPECS


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "qualispec.runtime.cli.main", "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def ifaq(tmp_path):
    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    return tmp_path / "ifaq"


def uri(path) -> str:
    return path.resolve().as_uri()


async def diagnostics_of(client, path, until, seconds=20.0):
    """The diagnostics the server published for ``path``, once ``until(them)`` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = client.diagnostics.get(uri(path))
        if found is not None and until(list(found)):
            return list(found)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no such diagnostics for {path}: {client.diagnostics.get(uri(path))}")


def open_file(client, path):
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri(path), language_id="qualispec", version=1, text=path.read_text(encoding="utf-8"))))


def position_of(path, text, occurrence=0):
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [(i, line.index(text)) for i, line in enumerate(lines) if text in line]
    line, column = hits[occurrence]
    return lsp.Position(line=line, character=column)


def type_over(client, path, version, line, start, end, text):
    """The author replaces columns start..end of a line by ``text``."""
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=line, character=start), end=lsp.Position(line=line, character=end)),
            text=text)]))


@pytest.mark.asyncio
async def test_a_typing_mistake_is_shown_in_french_then_cleared(client: LanguageClient, ifaq):
    numerique = ifaq / "2024" / "numerique.spec"
    open_file(client, numerique)
    assert await diagnostics_of(client, numerique, lambda d: True) == []
    where = position_of(numerique, "override d2_2_target as num1_target = 50%")
    column = where.character + len("override d2_2_target as num1_target = ")
    type_over(client, numerique, 2, where.line, column, column + 3, "60,5%")
    (problem,) = await diagnostics_of(client, numerique, lambda d: len(d) > 0)
    assert problem.message == ("« 60,5% » : une virgule décimale à la française ; les décimales s'écrivent avec un point"
                               "\n→ écrivez 60.5%")
    assert problem.code == "syntax.decimal_comma" and problem.severity == lsp.DiagnosticSeverity.Error
    assert (problem.range.start.line, problem.range.start.character, problem.range.end.character) == (
        where.line, column, column + 5)
    type_over(client, numerique, 3, where.line, column, column + 5, "50%")
    assert await diagnostics_of(client, numerique, lambda d: d == []) == []


@pytest.mark.asyncio
async def test_hover_definition_references_completion_outline_and_rename(client: LanguageClient, ifaq):
    numerique = ifaq / "2024" / "numerique.spec"
    open_file(client, numerique)
    await diagnostics_of(client, numerique, lambda d: True)

    # hover: the French card of an inherited parameter renamed in 2024
    at = position_of(numerique, "target: num1_target")
    at = lsp.Position(line=at.line, character=at.character + len("target: "))
    card = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(numerique)), position=at))
    text = card.contents.value
    assert text.startswith("**num1_target** — Valeur cible de rémunération de Num.1\n\nparamètre, en percent")
    assert "valeur : `50%`" in text
    assert "hérité de ifaq_2022 sous le nom « d2_2_target », renommé (override … as)" in text

    # definition across extends: a curve declared in 2022
    valuation = position_of(ifaq / "2024" / "valuation.spec", "ifaq_standard")
    location = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(ifaq / "2024" / "valuation.spec")), position=valuation))
    assert location.uri == uri(ifaq / "2022" / "valuation.spec")
    assert location.range.start == position_of(ifaq / "2022" / "valuation.spec", "ifaq_standard(")

    # references: in 2024 and in the 2022 campaign it extends
    found = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(numerique)), position=at,
        context=lsp.ReferenceContext(include_declaration=True)))
    assert {(r.uri, r.range.start.line) for r in found} >= {(uri(numerique), at.line)}

    # completion: the properties an indicator accepts, and the names in scope
    body = position_of(numerique, "  numerator: num1_numerator")
    items = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(numerique)),
        position=lsp.Position(line=body.line, character=2)))
    labels = {i.label: i for i in items.items}
    assert {"numerator", "denominator", "target", "weight", "label", "source"} <= set(labels)
    assert labels["num1_target"].detail == "paramètre — Valeur cible de rémunération de Num.1"

    # outline
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(numerique))))
    assert [s.name for s in symbols][:3] == ["d2_2_target", "d6_3_target", "d2_2_weight"]

    # rename: every use in the campaign's own files, none in the inherited campaign
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(numerique)), position=at, new_name="num1_cible"))
    edited = {u: len(edits) for u, edits in edit.changes.items()}
    assert uri(numerique) in edited and not any("/2022/" in u for u in edited)
    assert all(e.new_text == "num1_cible" for edits in edit.changes.values() for e in edits)


@pytest.mark.asyncio
async def test_formatting_gives_the_canonical_layout(client: LanguageClient, ifaq):
    spec = ifaq / "2024" / "dropped.spec"
    spec.write_text(spec.read_text(encoding="utf-8").replace("drop certification", "drop   certification"),
                    encoding="utf-8")
    open_file(client, spec)
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(spec)),
        options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)))
    (edit,) = edits
    assert "drop certification, iso_ortho" in edit.new_text and "drop   certification" not in edit.new_text
