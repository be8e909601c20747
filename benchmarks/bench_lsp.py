"""How soon `qualispec lsp` shows diagnostics after an edit, against running `qualispec check` on each edit.

    python benchmarks/bench_lsp.py [CAMPAIGN] [EDITS]

A real LSP client (pygls) starts the server over stdio on a copy of the campaign (default
specs/ifaq/2024), opens one file, then makes EDITS edits (default 20), alternately breaking the
file (a French decimal comma) and repairing it. For each edit it measures the time from sending
`didChange` to receiving the `publishDiagnostics` that reflects it (debounce included). The
baseline is what an editor without a server would do: run `qualispec check CAMPAIGN` in a fresh
process on each save. Target: diagnostics within 200 ms of an edit.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent


PERCENT = re.compile(r"(?<== )(\d+) ?%")  # a value given to a name, not a percentage quoted in a text


def file_to_edit(folder: Path) -> tuple[Path, str, str]:
    """The first spec of the campaign that writes a percentage, its text, and the text with that
    percentage written with a French decimal comma (« 50 % » → « 50,5 % »), which the parser refuses."""
    for spec in sorted(folder.glob("*.spec")):
        text = spec.read_text(encoding="utf-8")
        found = PERCENT.search(text)
        if found:
            return spec, text, text[:found.start()] + f"{found.group(1)},5 %" + text[found.end():]
    raise SystemExit(f"{folder}: no .spec file writes a percentage to break; name another campaign")


async def measure(folder: Path, edits: int) -> tuple[float, list[float]]:
    spec, text, broken = file_to_edit(folder)
    client = LanguageClient("bench", "1")
    arrived: dict[str, asyncio.Event] = {}
    latest: list = []

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams):
        if params.uri == spec.as_uri():
            latest[:] = params.diagnostics
            arrived.setdefault("any", asyncio.Event()).set()

    await client.start_io(sys.executable, "-m", "qualispec.runtime.cli.main", "lsp")
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    client.initialized(lsp.InitializedParams())
    start = time.perf_counter()
    arrived["any"] = asyncio.Event()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=spec.as_uri(), language_id="qualispec", version=1, text=text)))
    await asyncio.wait_for(arrived["any"].wait(), 60)
    first = time.perf_counter() - start
    times = []
    for version in range(2, edits + 2):
        wanted_error = version % 2 == 0
        arrived["any"] = asyncio.Event()
        start = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=spec.as_uri(), version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=broken if wanted_error else text)]))
        while True:
            await asyncio.wait_for(arrived["any"].wait(), 60)
            if bool(latest) == wanted_error:
                break
            arrived["any"] = asyncio.Event()
        times.append(time.perf_counter() - start)
        await asyncio.sleep(0.3)  # the author reads the message before typing again
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, times


def check_in_a_fresh_process(folder: Path, runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "qualispec.runtime.cli.main", "check", str(folder)],
                       capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    campaign = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "specs" / "ifaq" / "2024"
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as tmp:
        scheme = campaign.resolve().parent
        shutil.copytree(scheme, Path(tmp) / scheme.name)
        folder = Path(tmp) / scheme.name / campaign.resolve().name
        edited = file_to_edit(folder)[0].name
        first, times = asyncio.run(measure(folder, edits))
        baseline = check_in_a_fresh_process(folder)
    ms = [t * 1000 for t in times]
    print(f"campaign {campaign}, {edits} edits of {edited} (a decimal comma made, then mended)")
    print(f"  lsp: first diagnostics after open (proofs included): {first * 1000:7.0f} ms")
    print(f"  lsp: diagnostics after an edit: median {statistics.median(ms):5.0f} ms, "
          f"90th percentile {sorted(ms)[int(0.9 * (len(ms) - 1))]:5.0f} ms, worst {max(ms):5.0f} ms "
          f"(debounce {60} ms included; target 200 ms)")
    print(f"  baseline: qualispec check in a fresh process: median {statistics.median(baseline) * 1000:5.0f} ms, "
          f"best {min(baseline) * 1000:5.0f} ms")


if __name__ == "__main__":
    main()
