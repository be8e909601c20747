"""``docs`` run again: only the campaigns whose rules changed are compiled and written again.

The out folder keeps, next to the list of what was written (``.qualispec-docs``), a cache
(``.qualispec-docs-cache.json``): the tool's fingerprint (its code and templates, the versions of
the libraries and of Graphviz that shape the pages); for each campaign folder, a hash of its .spec
files and of those of every campaign it extends, the hash of each file it wrote, and what the home
page, the side menu and the search show of it; and the formula equalities sympy had to prove.

A campaign is kept as it is when the tool, its files and its bases' files are those of the previous
run, and its files in the out folder are still the bytes written then. Anything else, or a cache
that does not read, builds it again. What lists every campaign — the home page, the search and
the side menu of every page (one script, ``assets/menu.js``) — is always written, from what is kept
of the others: a new title or campaign rewrites those and the pages of that campaign, no other. The result is byte for byte the one of a run into an empty folder
(tests/test_docs_incremental.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Callable

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.fiches import pages, site, writing
from qualispec.compiler.fiches.extra import ExtraPage
from qualispec.compiler.fiches.build import build_site, find_bases
from qualispec.compiler.pipeline import Compiled, compile_folder, compile_path
from qualispec.compiler.syntax.load import campaign_folders
from qualispec.compiler.whole_files import write_bytes

CACHE = ".qualispec-docs-cache.json"
FORMAT = 2  # 2: each campaign keeps its menu entry; the side menu is one file
LIBRARIES = ("jinja2", "markupsafe", "sympy", "mpmath", "networkx", "graphviz", "lark", "z3-solver")


@dataclass(frozen=True)
class Outcome:
    files: list[str]      # every file of the site (written now or kept), relative to the out folder
    rebuilt: list[str]    # campaigns compiled and written again
    kept: list[str]       # campaigns left as the previous run wrote them


def generate(path: str | Path, out: str | Path, diagnostics: Diagnostics, progress=None,
             extras: dict[Path, ExtraPage] | None = None) -> Outcome | None:
    """Compile what changed under ``path`` and write the site into ``out``; None (nothing written) on errors.
    ``progress(items, what)`` wraps the long loops (compilation, fiches, pages); ``extras``: campaign folder
    (resolved) → a page added to that campaign."""
    extras = extras or {}
    progress = progress or (lambda items, what: items)
    root, out = Path(path), Path(out)
    folders = [f.resolve() for f in campaign_folders(root)] if root.exists() else []
    if not folders:
        compile_path(path, diagnostics)  # says why: no such path, no .spec file
        return None
    tool = fingerprint()
    previous = _read(out, tool)
    hashes = _Hashes()
    fresh = {f: e for f in folders if _still_valid(f, e := previous["campaigns"].get(str(f)), hashes, out)
             and e.get("extra") == (extras[f].key if f in extras else None)}
    for folder in folders:
        if folder in extras and folder not in fresh and extras[folder].prepare is not None:
            extras[folder].prepare()  # the money reports are made meanwhile, in another process
    compiled = _compile([f for f in folders if f not in fresh], fresh, diagnostics, progress)
    if compiled is None:
        return None
    proofs = previous["proofs"]
    # the titles of the others are in the side menu, one file (assets/menu.js): a kept campaign's pages do not show them
    kept = {e["name"]: (_summary(e), e["search"], e["menu"]) for e in fresh.values()}
    in_site = {*kept, *(c.campaign.name for c in compiled.values())}
    model, bases = _build(compiled, proofs, diagnostics, progress, _ready(compiled, extras, in_site))
    added = _extra_pages(compiled, extras, model, {n: b for n, b in bases.items() if n in in_site})
    links = {name: (extra.name, extra.title) for name, (extra, _) in added.items()}
    menus: dict[str, dict] = {}
    files = site.render_site(model, lambda campaigns: progress(campaigns, "pages"), kept, links, menus)
    files.update({f"{name}/{extra.name}": make().encode("utf-8") for name, (extra, make) in added.items()})
    kept_files = frozenset(p for e in fresh.values() for p in e["files"])
    writing.write_files(files, out, kept_files)
    by_name = {**bases, **{c.campaign.name: c for c in compiled.values()}}  # bases: also those outside ``path``
    entries = {str(f): e for f, e in fresh.items()}
    for folder, c in compiled.items():
        entry = _entry(folder, c, model, files, by_name, fresh, hashes, extras[folder].key if folder in extras else None,
                       menus)
        if entry is not None:
            entries[str(folder)] = entry
    _write_cache(out, {"format": FORMAT, "tool": tool, "campaigns": dict(sorted(entries.items())), "proofs": dict(sorted(proofs.items()))})
    return Outcome(sorted(set(files) | kept_files), sorted(c.campaign.name for c in compiled.values()),
                   sorted(kept))


def _build(compiled: dict, proofs: dict, diagnostics: Diagnostics, progress, diffed) -> tuple[pages.Site, dict]:
    campaigns = list(compiled.values())
    bases = find_bases(campaigns, diagnostics)
    first = frozenset(c.campaign.name for c in campaigns if getattr(diffed, "wants", lambda c: False)(c))
    return build_site(campaigns, bases, lambda contexts: progress(contexts, "fiches"), proofs, diffed, first), bases


def _ready(compiled: dict, extras: dict, in_site: set) -> Callable:
    """What tells each added page, as soon as its rule diff is known, its two campaigns and their diff (the money
    reports then start in the other process while the rest is diffed and the fiches built), for the pages
    :func:`_extra_pages` will ask; its ``wants(compiled)`` names the campaigns to diff first."""
    folders = {id(c): folder for folder, c in compiled.items()}

    def diffed(ctx) -> None:
        extra = extras.get(folders.get(id(ctx.compiled)))
        if extra is not None and extra.ready is not None and ctx.base is not None and ctx.diff is not None \
                and ctx.base.campaign.name in in_site:
            extra.ready(ctx.base, ctx.compiled, ctx.diff)
    diffed.wants = lambda c: (e := extras.get(folders.get(id(c)))) is not None and e.ready is not None
    return diffed


def _extra_pages(compiled: dict, extras: dict, model: pages.Site, bases: dict) -> dict[str, tuple[ExtraPage, Callable]]:
    """campaign → (its added page, what makes the page's HTML), for the campaigns built now whose base is in the site
    (their « Changements » page links to it) and whose rule diff is known. ``bases``: the bases kept from the last
    run. The HTML is made last, once the rest of the site is: a page prepared in the background has had that time."""
    known = {**bases, **{c.campaign.name: c for c in compiled.values()}}
    added = {}
    for folder, c in compiled.items():
        extra, base = extras.get(folder), known.get(c.campaign.extends or "")
        rules = model.diffs.get(c.campaign.name)
        if extra is not None and base is not None and rules is not None:
            added[c.campaign.name] = (extra, lambda extra=extra, base=base, c=c, rules=rules: extra.render(base, c, rules))
    return added


# ------------------------------------------------------------------ what a run depends on
def fingerprint() -> str:
    """The tool that writes the pages: the compiler's files (code, templates, grammar), Python, the libraries, dot."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]}".encode())
    compiler = Path(__file__).resolve().parent.parent
    grammar = Path(str(resources.files("qualispec.grammar")))
    for package in (compiler, grammar):
        for file in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"{file.relative_to(package)}\0".encode() + file.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=absent\0".encode())
    try:
        dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        dot = "absent"
    digest.update(dot.encode())
    return digest.hexdigest()


class _Hashes:
    """The hash of a campaign folder's .spec files (names and bytes), each folder read once."""

    def __init__(self):
        self.known: dict[str, str] = {}

    def of(self, folder: Path | str) -> str:
        folder = str(folder)
        if folder not in self.known:
            digest = hashlib.sha256()
            for file in sorted(Path(folder).glob("*.spec")):
                digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
            self.known[folder] = digest.hexdigest()
        return self.known[folder]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------ compiling what changed
def _compile(folders: list[Path], fresh: dict, diagnostics: Diagnostics, progress, taken=()) -> dict | None:
    """folder → compiled campaign, as ``compile_path`` does (one campaign per name); None on errors."""
    names = {e["name"]: e["where"] for e in fresh.values()}
    results: dict[Path, Compiled] = {}
    for folder in progress(folders, "compilation"):
        c = compile_folder(folder, diagnostics)
        if c is None:
            continue
        name = c.campaign.name
        first = next((str(o.campaign.span) for o in results.values() if o.campaign.name == name), names.get(name))
        if first is not None or name in taken:
            diagnostics.error("load.campaign_name_twice", c.campaign.span, name=name, where=first or "?")
            continue
        results[folder] = c
    return None if diagnostics.has_errors() else results


def _chain(c: Compiled, by_name: dict, fresh: dict) -> list[Path] | None:
    """The folders of every campaign ``c`` extends, nearest first; None when one of them is not known here."""
    chain: list[Path] = []
    current = c
    while current.campaign.extends:
        if not current.campaign.extends_path:
            return None
        folder = Path(current.campaign.extends_path).resolve()
        chain.append(folder)
        if folder in fresh:  # its own bases were checked when it was kept
            return chain + [Path(p) for p in fresh[folder]["chain"]]
        current = by_name.get(current.campaign.extends)
        if current is None:
            return None
    return chain


# ------------------------------------------------------------------ the cache
def _entry(folder: Path, c: Compiled, model: pages.Site, files: dict, by_name: dict, fresh: dict,
           hashes: _Hashes, extra_key: str | None, menus: dict) -> dict | None:
    chain = _chain(c, by_name, fresh)
    page = next((p for p in model.campaigns if p.name == c.campaign.name), None)
    if chain is None or page is None or page.name not in menus:
        return None  # not kept: built again next time
    own = f"{page.name}/"
    return {"name": page.name, "where": str(c.campaign.span), "spec": hashes.of(folder),
            "chain": {str(f): hashes.of(f) for f in chain}, "extra": extra_key,
            "files": {p: _sha(data) for p, data in sorted(files.items()) if p.startswith(own)},
            "summary": dataclasses.asdict(pages.CampaignSummary.of(page)), "search": site.search_documents(page, site.campaign_words(model, page.name)),  # as the site says them
            "menu": menus[page.name]}


def _still_valid(folder: Path, entry, hashes: _Hashes, out: Path) -> bool:
    """The previous run's pages of a campaign can be kept: same files, same bases, same bytes in the out folder."""
    try:
        if hashes.of(folder) != entry["spec"] or not entry["files"]:
            return False
        if any(hashes.of(f) != h for f, h in entry["chain"].items()):
            return False
        for path, expected in entry["files"].items():
            target = writing.inside(out, path)
            if target is None or not target.is_file() or _sha(target.read_bytes()) != expected:
                return False
        _summary(entry)
        return isinstance(entry["search"], list) and isinstance(entry["name"], str) and isinstance(entry["where"], str) \
            and _menu_entry_valid(entry["menu"])
    except (KeyError, TypeError, AttributeError, ValueError, OSError):
        return False


def _menu_entry_valid(menu) -> bool:
    """A kept menu entry (:func:`site.menu_entry`) that the menu script can read (a damaged cache: built again)."""
    return isinstance(menu, dict) and isinstance(menu.get("url"), str) and isinstance(menu.get("pages"), list) \
        and (isinstance(menu.get("fiches"), list) or isinstance(menu.get("count"), int))


def _summary(entry: dict) -> pages.CampaignSummary:
    return pages.CampaignSummary(**entry["summary"])


def _read(out: Path, tool: str) -> dict:
    """The previous run's cache when it was written by this very tool, else an empty one."""
    empty = {"campaigns": {}, "proofs": {}}
    cache = writing.inside(out, CACHE)
    try:
        data = json.loads(cache.read_bytes()) if cache is not None and cache.is_file() else {}
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("tool") != tool:
        return empty
    campaigns = data.get("campaigns") if isinstance(data.get("campaigns"), dict) else {}
    proofs = data.get("proofs") if isinstance(data.get("proofs"), dict) else {}
    return {"campaigns": {k: v for k, v in campaigns.items() if isinstance(v, dict)},
            "proofs": {k: v for k, v in proofs.items() if isinstance(k, str) and isinstance(v, bool)}}


def _write_cache(out: Path, data: dict) -> None:
    target = writing.inside(out, CACHE)
    if target is None:
        return  # a link where the cache goes: no cache, the next run builds everything
    body = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"
    if not target.is_file() or target.read_bytes() != body:
        write_bytes(target, body)
