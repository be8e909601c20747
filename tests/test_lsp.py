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


TWO_LETS = '''campaign t {
  label: "T"
  assumption: "Campagne d'essai"
}
input a: count { label: "A" assumption: "essai" }
indicator first {
  label: "Premier"
  unit: count
  result: a
  let ok "Plus d'un acte" = a > 1
  let shown "Montré" = ok
  assumption: "essai"
}
indicator second {
  label: "Second"
  unit: count
  result: a
  let ok "Plus de deux actes" = a > 2
  let both "Les deux" = ok and first.ok
  assumption: "essai"
}
'''


async def _rename(client, path, text, occurrence, new_name):
    at = position_of(path, text, occurrence)
    return await client.text_document_rename_async(lsp.RenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(path)), position=at, new_name=new_name))


def _edited_lines(edit, path):
    lines = path.read_text(encoding="utf-8").split("\n")
    return sorted((e.range.start.line + 1, lines[e.range.start.line][e.range.start.character:e.range.end.character])
                  for e in edit.changes[uri(path)])


@pytest.mark.asyncio
async def test_rename_follows_what_a_name_stands_for_not_the_word(client: LanguageClient, tmp_path):
    """Two indicators each have a `let ok`: renaming the first one's changes its declaration, its use in
    `shown` and `first.ok` in the second indicator, never the second indicator's own `ok`."""
    spec = tmp_path / "c" / "c.spec"
    spec.parent.mkdir()
    spec.write_text(TWO_LETS, encoding="utf-8")
    open_file(client, spec)
    assert await diagnostics_of(client, spec, lambda d: True) == []

    edit = await _rename(client, spec, "ok \"Plus d'un acte\" = a > 1", 0, "au_moins_deux")
    assert _edited_lines(edit, spec) == [(10, "ok"), (11, "ok"), (19, "ok")]
    (member,) = [e for e in edit.changes[uri(spec)] if e.range.start.line == 18]
    assert member.range.start.character == len('  let both "Les deux" = ok and first.')  # the part, not the indicator

    edit = await _rename(client, spec, "ok \"Plus de deux actes\" = a > 2", 0, "au_moins_trois")
    assert _edited_lines(edit, spec) == [(18, "ok"), (19, "ok")]
    assert edit.changes[uri(spec)][-1].range.start.character == len('  let both "Les deux" = ')

    edit = await _rename(client, spec, "a: count", 0, "actes")  # the input: its declaration and its 4 uses
    assert [line for line, _ in _edited_lines(edit, spec)] == [5, 9, 10, 17, 18]


@pytest.mark.asyncio
async def test_what_is_not_a_declared_name_cannot_be_renamed(client: LanguageClient, tmp_path):
    spec = tmp_path / "c" / "c.spec"
    spec.parent.mkdir()
    spec.write_text(TWO_LETS.replace('let both "Les deux" = ok and first.ok', 'let both "Les deux" = ok and first.payout > 0 €'),
                    encoding="utf-8")
    open_file(client, spec)
    await diagnostics_of(client, spec, lambda d: True)
    for text, shift in (("label: \"Premier\"", 2), ("result: a", 1), ("first.payout", len("first."))):
        at = position_of(spec, text)
        answer = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(spec)),
            position=lsp.Position(line=at.line, character=at.character + shift)))
        assert answer is None, text  # a property key, a keyword, a part every indicator has
    at = position_of(spec, "ok \"Plus d'un acte\" = a > 1")
    answer = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(spec)), position=at))
    assert (answer.start.line, answer.start.character, answer.end.character) == (9, 6, 8)

    with pytest.raises(Exception, match="« shown » est déjà un nom de cette campagne"):
        await _rename(client, spec, "ok \"Plus d'un acte\" = a > 1", 0, "shown")
    with pytest.raises(Exception, match="« déjà » n'est pas un nom"):
        await _rename(client, spec, "ok \"Plus d'un acte\" = a > 1", 0, "déjà")


@pytest.mark.asyncio
async def test_hover_on_a_let_shows_its_label_and_formula(client: LanguageClient, ifaq):
    valuation = ifaq / "2022" / "valuation.spec"
    open_file(client, valuation)
    await diagnostics_of(client, valuation, lambda d: True)
    at = position_of(valuation, 'let level "Score du niveau atteint"')
    at = lsp.Position(line=at.line, character=at.character + len("let l"))
    card = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(valuation)), position=at))
    assert card.contents.value == ("**level** — Score du niveau atteint\n\nliaison let de la courbe « ifaq_standard »"
                                   "\n\nvaleur : `piecewise(result) { threshold -> 0%, target -> 100% }`")
