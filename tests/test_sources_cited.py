"""Users have the documents, not the project's working files: specs, fiches, README and docs cite a
document by its title and section, never a file of the project's source folder nor its rules summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = [
    (re.compile(r"\b00[0-4]_[0-9a-f]{16}(\.txt)?\b"), "a file of the source folder"),
    (re.compile(r"\bDOMAIN(\.md)?\b"), "the rules summary"),
    (re.compile(r"shared/(seeds|DOMAIN|DESIGN)"), "a path of the working folder"),
]


def published_files():
    yield ROOT / "README.md"
    yield from sorted((ROOT / "docs").glob("*.md"))
    yield from sorted((ROOT / "specs").rglob("*.spec"))
    for ext in ("md", "html"):
        yield from sorted((ROOT / "generated").rglob(f"*.{ext}"))


@pytest.mark.parametrize("pattern, what", FORBIDDEN, ids=[w for _, w in FORBIDDEN])
def test_no_published_file_names_a_working_file(pattern, what):
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}"
             for path in published_files()
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == [], f"{what} named in:\n" + "\n".join(found)


def test_the_check_reads_what_it_should():
    files = list(published_files())
    assert any(p.name == "sources.md" for p in files)
    assert any(p.suffix == ".spec" for p in files) and any(p.suffix == ".html" for p in files)
    assert FORBIDDEN[0][0].search("voir 003_c681a4e86ab9d18e.txt L12") and FORBIDDEN[1][0].search("DOMAIN D58")
    assert not FORBIDDEN[1][0].search("les domaines MCO, SSR et HAD")
