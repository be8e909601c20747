"""Reading one .spec file, or saying in French why it is not read.

A spec file is read only when it is an ordinary file inside its campaign's folder (a
symbolic link pointing out of the folder is refused, and nothing of its target is shown),
smaller than :data:`MAX_SPEC_BYTES`, and UTF-8 (a byte-order mark at its start is
ignored). A file that is not UTF-8 is named with the line and column of its first
bad byte, and its text is shown with that byte replaced, never re-read.
"""

from __future__ import annotations

from pathlib import Path

from qualispec.compiler.diagnostics import Diagnostics, Span
from qualispec.compiler.limits import MAX_SPEC_BYTES


def read_spec(file: Path, folder: Path, shown: str, diagnostics: Diagnostics) -> str | None:
    """The text of ``file`` (in ``folder``, already resolved), or None after an error at ``shown``."""
    def refuse(code: str, line: int = 1, column: int = 1, text: str = "", **args) -> None:
        diagnostics.sources[shown] = text  # never read the file again to show a line of it
        diagnostics.error(code, Span(shown, line, column), **args)

    try:
        target = file.resolve()
        if target.parent != folder and folder not in target.parents:
            refuse("load.spec_link_outside")
            return None
        if not target.is_file():
            refuse("load.spec_not_a_file")
            return None
        size = target.stat().st_size
        if size > MAX_SPEC_BYTES:
            refuse("load.spec_too_big", size=size, limit=MAX_SPEC_BYTES)
            return None
        data = target.read_bytes()[:MAX_SPEC_BYTES + 1]
    except (OSError, ValueError) as error:
        refuse("load.spec_unreadable", error=error.strerror if isinstance(error, OSError) else error)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        refuse("load.spec_not_utf8", line, column, data.decode("utf-8", errors="replace"), byte=f"0x{data[error.start]:02X}")
        return None
    return text.removeprefix("\ufeff")
