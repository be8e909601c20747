"""Writing the site into ``--out``, and nowhere else.

Every file is written at a plain relative path under the out folder, never through a
symbolic link (a link inside ``--out``, to a file or a folder, stops the run before
anything is written). The manifest of the previous run (``.qualispec-docs``) is a file
anyone could edit: a line of it is only a *candidate* for removal, removed when it is a
plain relative path inside the out folder, reached without a link, naming an ordinary
file of a kind the site writes.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from qualispec.compiler.whole_files import write_bytes

MANIFEST = ".qualispec-docs"
GENERATED_SUFFIXES = (".html", ".md", ".svg", ".css", ".js")


class UnsafeOutput(Exception):
    """``--out`` holds something the site must not write through; the message says what, in French."""


def inside(out: Path, relative: str, folders: dict[Path, bool] | None = None) -> Path | None:
    """``out/relative`` when ``relative`` is a plain relative path reached without a link, else None. ``folders``:
    folder → it is a link, kept from one call to the next (the files of one batch share their folders: each is
    looked at once); the file itself is always looked at."""
    path = PurePosixPath(relative)
    if (not relative or path.is_absolute() or "\\" in relative or any(not c.isprintable() for c in relative)
            or any(part in ("", ".", "..") for part in relative.split("/"))):
        return None
    current = out
    *parents, name = path.parts
    for part in parents:
        current = current / part
        if folders is None:
            if current.is_symlink():
                return None
            continue
        link = folders.get(current)
        if link is None:
            link = folders[current] = current.is_symlink()
        if link:
            return None
    current = current / name
    return None if current.is_symlink() else current


def write_files(files: dict[str, bytes], out: str | Path, kept: frozenset[str] = frozenset()) -> list[str]:
    """Write ``files`` (relative path → bytes) under ``out``; remove what the previous run wrote and this one does
    not, except ``kept``: files of the previous run left as they are (the pages of an unchanged campaign)."""
    out = Path(out)
    if out.is_symlink() or out.exists():
        out = out.resolve()
    folders: dict[Path, bool] = {}
    targets = {path: inside(out, path, folders) for path in sorted(files)}
    unsafe = [path for path, target in targets.items() if target is None]
    if unsafe:
        raise UnsafeOutput(f"{out / unsafe[0]} : un lien symbolique dans --out ; rien n'est écrit "
                           "(le site n'écrit jamais à travers un lien ; retirez-le ou choisissez un autre dossier)")
    manifest = inside(out, MANIFEST)
    if manifest is None:
        raise UnsafeOutput(f"{out / MANIFEST} est un lien symbolique ; rien n'est écrit")
    for line in _previous(manifest):
        old = inside(out, line)
        if (line not in files and line not in kept and old is not None and old.suffix in GENERATED_SUFFIXES and old.is_file()):
            old.unlink()
            _remove_empty_parents(old.parent, out)
    made: set[Path] = set()  # folders made (or found) by this run: each once
    for path, target in targets.items():
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        _write_if_changed(target, files[path])
    out.mkdir(parents=True, exist_ok=True)
    listed = sorted(set(files) | {p for p in kept if inside(out, p) is not None})
    _write_if_changed(manifest, "".join(f"{p}\n" for p in listed).encode("utf-8"))
    return sorted(files)


def _write_if_changed(target: Path, data: bytes) -> None:
    """A file whose bytes would not change is left untouched (its date too)."""
    if not target.is_file() or target.read_bytes() != data:
        write_bytes(target, data)


def _previous(manifest: Path) -> list[str]:
    if not manifest.is_file():
        return []
    return manifest.read_bytes().decode("utf-8", errors="replace").splitlines()


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
