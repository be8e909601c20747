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
    def refuse(message: str, hint: str, line: int = 1, column: int = 1, text: str = "") -> None:
        diagnostics.sources[shown] = text  # never read the file again to show a line of it
        diagnostics.error(message, Span(shown, line, column), hint=hint)

    try:
        target = file.resolve()
        if target.parent != folder and folder not in target.parents:
            refuse("ce fichier .spec est un lien symbolique vers un fichier hors du dossier de la campagne : "
                   "il n'est pas lu", "copiez le fichier dans le dossier, ou utilisez extends \"../…\"")
            return None
        if not target.is_file():
            refuse("ce .spec n'est pas un fichier ordinaire : il n'est pas lu", "remplacez-le par un fichier texte")
            return None
        size = target.stat().st_size
        if size > MAX_SPEC_BYTES:
            refuse(f"fichier trop gros : {size:_} octets, un fichier .spec en a au plus {MAX_SPEC_BYTES:_}".replace("_", " "),
                   "découpez la campagne en plusieurs fichiers ; cette limite protège la machine")
            return None
        data = target.read_bytes()[:MAX_SPEC_BYTES + 1]
    except (OSError, ValueError) as error:
        refuse(f"impossible de lire ce fichier : {error.strerror if isinstance(error, OSError) else error}",
               "vérifiez qu'il existe et que vous avez le droit de le lire")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        refuse(f"ce fichier n'est pas en UTF-8 : l'octet 0x{data[error.start]:02X} "
               "n'est pas un caractère UTF-8", "enregistrez le fichier en UTF-8 (dans l'éditeur : « Enregistrer avec "
               "l'encodage » UTF-8) ; un fichier Latin-1 ou Windows-1252 doit être converti",
               line, column, data.decode("utf-8", errors="replace"))
        return None
    return text.removeprefix("\ufeff")
