"""``qualispec fmt PATH…``: put .spec files in the one canonical layout (``--check``: only say which are not)."""

from __future__ import annotations

import sys
from pathlib import Path

from qualispec.compiler import messages, whole_files
from qualispec.compiler.diagnostics import Diagnostics, Span
from qualispec.runtime.cli.common import add_quiet, report


def register(sub) -> None:
    p = sub.add_parser("fmt", help="mettre en forme les fichiers .spec selon la présentation canonique (commentaires gardés)",
                       description="Réécrit chaque fichier .spec sous PATH dans la présentation canonique : indentation, "
                                   "espaces, lignes vides ; commentaires, retours à la ligne et textes gardés. Avec --check, "
                                   "n'écrit rien et sort avec le code 1 si un fichier n'est pas mis en forme (pour la CI).")
    p.add_argument("paths", metavar="PATH", nargs="+", help="des fichiers .spec, ou des dossiers qui en contiennent")
    p.add_argument("--check", action="store_true", help="ne rien écrire ; lister les fichiers à mettre en forme, code 1 s'il y en a")
    add_quiet(p)
    p.set_defaults(func=cmd_fmt)


def cmd_fmt(args) -> int:
    from qualispec.compiler.syntax.layout import format_text
    from qualispec.compiler.syntax.parse import parse_text

    diagnostics = Diagnostics()
    files = _spec_files(args.paths, diagnostics)
    changed = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        formatted = format_text(text, str(file))
        if formatted is None:
            parse_text(text, str(file), diagnostics)
            if not diagnostics.has_errors():
                diagnostics.error("fmt.would_change_meaning", Span(str(file), 1, 1))
            continue
        if formatted != text:
            changed.append(file)
            if not args.check:
                whole_files.write_text(file, formatted)  # an interrupted fmt never truncates a spec
    report(diagnostics)
    for file in changed if args.check else ():
        print(messages.word("fmt.not_laid_out", file=file), file=sys.stderr)
    if not args.quiet:
        key = "fmt.summary_check" if args.check else "fmt.summary"
        print(messages.word(key, files=len(files), changed=len(changed)))
    return 1 if diagnostics.has_errors() or (args.check and changed) else 0


def _spec_files(paths, diagnostics: Diagnostics) -> list[Path]:
    files = []
    for path in map(Path, paths):
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.spec") if p.is_file() and not p.is_symlink()))
        else:
            diagnostics.error("path.missing", Span(str(path), 0, 0), path=path)
    return files
