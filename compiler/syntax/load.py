"""Folders of .spec files to campaigns, with year-over-year inheritance.

A folder holds one campaign: its ``*.spec`` files and exactly one ``campaign``
declaration. ``campaign ifaq_2024 extends "../2022"`` starts from everything the
2022 folder declares, then applies the 2024 folder:

- ``override X { … }`` changes some properties of X (``override X as Y`` renames it;
  ``override p = 50% { source: … }`` gives a parameter a new value);
- ``carry X, Y { assumption: "…" }`` keeps X and Y unchanged and says why that is
  believed to still hold;
- ``drop X { reason: "…" }`` removes X;
- a new declaration adds a rule.

A rule (indicator, prerequisite, group, curve, envelope, parameter) that the newer
campaign inherits but neither overrides, carries nor drops is an error: what a new
year's document does not restate must not silently carry over as if confirmed.
Vocabulary (documents, fields, categories, inputs) carries over silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import Diagnostics, did_you_mean
from qualispec.compiler.limits import MAX_CAMPAIGN_BYTES, MAX_EXTENDS_CHAIN, MAX_EXTENDS_CHARS
from qualispec.compiler.syntax.parse import parse_text
from qualispec.compiler.syntax.source_files import read_spec

RULE_KINDS = ("indicator", "prerequisite", "group", "curve", "envelope", "parameter")


@dataclass
class Loaded:
    """The declarations of one campaign after inheritance, ready to check."""

    path: str
    campaign: ast.Decl | None
    decls: dict[str, ast.Decl] = field(default_factory=dict)
    lineage: dict[str, str] = field(default_factory=dict)
    carried: dict[str, str] = field(default_factory=dict)  # name → assumption text
    dropped: dict[str, str] = field(default_factory=dict)
    out_of_scope: set[str] = field(default_factory=set)  # dropped with `out_of_scope: true`: not in the documents' scope
    base_name: str | None = None
    base_path: str = ""  # the extended campaign's folder
    decisions: dict[str, ast.Decl] = field(default_factory=dict)  # inherited name → its override/carry/drop here
    broken: set[str] = field(default_factory=set)  # names in declarations a syntax error made unreadable
    inherited_values: dict[str, ast.Expr] = field(default_factory=dict)  # parameter given a new value → its old one
    files: tuple[str, ...] = ()  # this campaign's own .spec files (not the inherited ones)


def campaign_folders(path: str | Path) -> list[Path]:
    """Every folder under ``path`` (or ``path`` itself) that holds .spec files."""
    root = Path(path)
    if root.is_file():
        return [root.parent]
    folders = sorted({p.parent for p in root.rglob("*.spec")})
    return folders


def load_folder(folder: Path, diagnostics: Diagnostics, _seen: tuple[Path, ...] = (),
                texts: Mapping[Path, str] | None = None) -> Loaded:
    """The campaign in ``folder``; ``texts`` gives the text of files being edited (resolved path → text),
    read instead of the disk (the language server's open documents)."""
    folder = folder.resolve()
    files = sorted(folder.glob("*.spec"))
    if texts is None and _too_big(folder, files, diagnostics):
        return Loaded(_show(folder), None)
    decls: list[ast.Decl] = []
    unread = False
    broken: set[tuple[str, str]] = set()
    for file in files:
        text = texts[file] if texts and file in texts else read_spec(file, folder, _show(file), diagnostics)
        unread |= text is None
        if text is not None:
            parsed = parse_text(text, _show(file), diagnostics)
            decls.extend(parsed.decls)
            broken.update(parsed.broken)

    campaigns = [d for d in decls if d.kind == "campaign"]
    if not campaigns and unread:
        return Loaded(_show(folder), None)
    if not campaigns:
        span = decls[0].span if decls else ast.Span(_show(folder), 0, 0)
        if not any(kind == "campaign" for kind, _ in broken):
            diagnostics.error("load.no_campaign", span, folder=_show(folder))
        return Loaded(_show(folder), None)
    for extra in campaigns[1:]:
        diagnostics.error("load.two_campaigns", extra.span, name=campaigns[0].name, place=campaigns[0].span)
    campaign = campaigns[0]

    loaded = Loaded(_show(folder), campaign, broken={name for _, name in broken}, files=tuple(_show(f) for f in files))
    if campaign.extends is not None:
        base_folder = _base_folder(folder, campaign, len(_seen), diagnostics)
        if base_folder is None:
            pass
        elif base_folder in _seen or base_folder == folder:
            diagnostics.error("load.extends_itself", campaign.span, name=campaign.name, path=campaign.extends)
        elif not base_folder.is_dir() or not any(base_folder.glob("*.spec")):
            diagnostics.error("load.extends_missing", campaign.span, name=campaign.name, path=campaign.extends)
        else:
            base = load_folder(base_folder, diagnostics, _seen + (folder,), texts)
            loaded.base_name = base.campaign.name if base.campaign else None
            loaded.base_path = base.path
            loaded.decls = dict(base.decls)
            loaded.carried = dict(base.carried)
            loaded.lineage = {name: "inherited" for name in base.decls}

    # When the extended campaign could not be loaded, that one error says it all: its
    # override/carry/drop are not each reported again as "needs extends".
    own = [d for d in decls if d.kind != "campaign"]
    if campaign.extends and not loaded.base_name:
        own = [d for d in own if d.kind not in ("override", "carry", "drop")]
    _apply(loaded, own, diagnostics)
    _placeholders_left(decls, diagnostics)
    loaded.decls[campaign.name] = campaign
    loaded.lineage.setdefault(campaign.name, "new")
    if loaded.base_name:
        _require_decisions(loaded, diagnostics)
    return loaded


PLACEHOLDER = "À COMPLÉTER"  # what `qualispec new` writes where the author has to say what the new documents decide


def _placeholders_left(decls: list[ast.Decl], diagnostics: Diagnostics) -> None:
    """A text `qualispec new` left for the author to write (« À COMPLÉTER ») is said where it still is: a
    campaign whose carries all say « À COMPLÉTER » checks clean otherwise, as if every rule had been confirmed."""
    for decl in decls:
        for prop in decl.body:
            text = prop.value.value if isinstance(prop.value, ast.Text) else \
                prop.value.section if isinstance(prop.value, ast.SourceRef) else ""
            if PLACEHOLDER in text:
                diagnostics.warning("load.placeholder_left", prop.value.span, key=prop.key, name=decl.name)


def _too_big(folder: Path, files: list[Path], diagnostics: Diagnostics) -> bool:
    """A campaign whose files together exceed :data:`MAX_CAMPAIGN_BYTES` is refused before any is read."""
    total = 0
    for file in files:
        try:
            total += file.stat().st_size if file.is_file() else 0
        except OSError:
            pass  # read_spec says why the file cannot be read
    if total <= MAX_CAMPAIGN_BYTES:
        return False
    diagnostics.error("load.campaign_too_big", ast.Span(_show(folder), 0, 0), files=len(files),
                      size=total, limit=MAX_CAMPAIGN_BYTES)
    return True


def _base_folder(folder: Path, campaign: ast.Decl, depth: int, diagnostics: Diagnostics) -> Path | None:
    """The folder an ``extends`` names, or None after saying why it cannot be one."""
    path = campaign.extends
    if depth + 1 >= MAX_EXTENDS_CHAIN:
        diagnostics.error("load.extends_chain_too_long", campaign.span, limit=MAX_EXTENDS_CHAIN)
        return None
    if not path or len(path) > MAX_EXTENDS_CHARS or Path(path).is_absolute() or any(not c.isprintable() for c in path):
        code = ("load.extends_path_empty" if not path else "load.extends_path_too_long" if len(path) > MAX_EXTENDS_CHARS
                else "load.extends_path_absolute" if Path(path).is_absolute() else "load.extends_path_invisible")
        diagnostics.error(code, campaign.span, name=campaign.name, limit=MAX_EXTENDS_CHARS)
        return None
    try:
        return (folder / path).resolve()
    except (OSError, ValueError, RuntimeError) as error:
        diagnostics.error("load.extends_path_unreadable", campaign.span, name=campaign.name, error=error)
        return None


def _apply(loaded: Loaded, decls: list[ast.Decl], diagnostics: Diagnostics) -> None:
    inherited = set(loaded.decls)
    base = loaded.base_name or "?"
    for decl in decls:
        if decl.kind in ("override", "carry", "drop"):
            if not loaded.base_name:
                diagnostics.error("load.decision_without_extends", decl.span, kind=decl.kind)
                continue
            targets = decl.targets or ((decl.name, decl.span),)
            for index, (name, span) in enumerate(targets):
                if any(name == earlier for earlier, _ in targets[:index]):
                    diagnostics.error("load.decision_names_twice", span, kind=decl.kind, name=name)
                    continue
                if name not in inherited:
                    diagnostics.error("load.decision_targets_nothing", span, hint=did_you_mean(name, inherited) or None,
                                      kind=decl.kind, name=name, base=base)
                    continue
                first = loaded.decisions.get(name)
                if first is not None:
                    diagnostics.error("load.two_decisions", span, name=name, first=first.kind,
                                      place=_target_span(first, name), second=decl.kind)
                    continue
                loaded.decisions[name] = decl
                _apply_one(loaded, decl, name, diagnostics)
            continue
        if decl.name in loaded.decls:
            previous = loaded.decls[decl.name]
            if decl.name in inherited and loaded.lineage.get(decl.name) == "inherited":
                diagnostics.error("load.already_inherited", decl.span, name=decl.name, base=base, place=previous.span)
            else:
                diagnostics.error("load.duplicate_name", decl.span, name=decl.name, place=previous.span)
            continue
        loaded.decls[decl.name] = decl
        loaded.lineage[decl.name] = "new"


def _apply_one(loaded: Loaded, decl: ast.Decl, name: str, diagnostics: Diagnostics) -> None:
    target = loaded.decls[name]
    if decl.kind == "drop":
        reason = decl.get("reason")
        if reason is None:
            diagnostics.error("load.drop_needs_reason", decl.span, name=name)
        del loaded.decls[name]
        loaded.lineage.pop(name, None)
        loaded.dropped[name] = _text(reason)
        scope = decl.get("out_of_scope")
        if scope is not None and isinstance(scope.value, ast.Bool) and scope.value.value:
            loaded.out_of_scope.add(name)
        return
    if decl.kind == "carry":
        assumption = decl.get("assumption")
        if assumption is None:
            diagnostics.error("load.carry_needs_assumption", decl.span, name=name)
        loaded.carried[name] = _text(assumption)
        loaded.lineage[name] = "carry"
        return
    # override: properties replace the inherited ones of the same key, others are kept
    keys = {(p.key, p.is_binding) for p in decl.body} | {("large_change", False)}  # said of one change only
    inherited_labels = {p.key: p.label for p in target.body if p.is_binding and p.label}
    body = tuple(p for p in target.body if (p.key, p.is_binding) not in keys) + tuple(
        replace(p, label=inherited_labels[p.key]) if p.is_binding and not p.label and p.key in inherited_labels else p
        for p in decl.body)  # a let given a new formula keeps its label unless it says another
    new_name = decl.new_name or name
    value = target.value
    if decl.value is not None:
        if target.kind != "parameter":
            diagnostics.error("load.override_value_not_parameter", decl.value.span, name=name, kind=target.kind)
        elif target.value is not None:
            loaded.inherited_values[new_name] = target.value  # compared with the new one: compiler/check/inherited.py
        value = decl.value
    merged = replace(target, name=new_name, body=body, span=decl.span, value=value)
    loaded.carried.pop(name, None)
    if new_name != name:
        if new_name in loaded.decls:
            diagnostics.error("load.rename_exists", decl.span, name=name, new_name=new_name)
            return
        del loaded.decls[name]
        loaded.lineage.pop(name, None)
        loaded.lineage[new_name] = f"renamed:{name}"
    else:
        loaded.lineage[name] = "override"
    loaded.decls[new_name] = merged


def _require_decisions(loaded: Loaded, diagnostics: Diagnostics) -> None:
    """One error for every inherited rule left undecided (not one per rule), at the campaign."""
    undecided = sorted(n for n, how in loaded.lineage.items()
                       if how == "inherited" and loaded.decls[n].kind in RULE_KINDS and n not in loaded.broken)
    if undecided:
        diagnostics.error("load.undecided", loaded.campaign.span, campaign=loaded.campaign.name,
                          base=loaded.base_name, count=len(undecided), names=", ".join(undecided))


def _target_span(decision: ast.Decl, name: str) -> ast.Span:
    return next((span for target, span in decision.targets if target == name), decision.span)


def _text(prop: ast.Property | None) -> str:
    if prop is None:
        return ""
    value = prop.value
    return value.value if isinstance(value, ast.Text) else ""


def _show(path: Path) -> str:
    """A path as the author typed it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


shown_path = _show  # for tools that must name files as the checker does (the language server)
