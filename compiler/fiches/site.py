"""Write the documentation: Markdown for the repository and a static HTML site.

``write_site(site, out)`` renders the :mod:`fiches` page model with the Jinja2 templates of
``compiler/templates`` (HTML with autoescape: a spec's label is data, never markup) and the
pictures of :mod:`plots` (curves) and :mod:`dependencies` (Graphviz). The HTML works from the file system (``file://``): relative links,
local CSS and JS, a search index shipped as a script (no fetch), no CDN.

Everything is deterministic (sorted, no timestamps), so ``generated/`` can be committed and a
test can regenerate it and compare byte for byte. The out folder keeps a manifest of what was
written (``.qualispec-docs``); a new run removes the files of the previous one that it no
longer writes, and never touches any other file.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from qualispec.compiler.fiches import pages as model
from qualispec.compiler import french, labels
from qualispec.compiler.diff import rules as diff
from qualispec.compiler.diff import render as diff_render
from qualispec.compiler.diff import in_words
from qualispec.compiler.fiches import dependencies, plots, writing
from qualispec.compiler import markdown

TEMPLATES = Path(__file__).parent / "templates"
MANIFEST = writing.MANIFEST
STATUS_CLASSES = {model.STATUS_OFFICIAL: "official", model.STATUS_OUTSIDE: "outside", model.STATUS_ASSUMPTION: "assumption",
                  model.STATUS_CARRIED: "carried", model.STATUS_UNSOURCED: "unsourced"}
STATUS_MD = {model.STATUS_OFFICIAL: "✅ officiel", model.STATUS_OUTSIDE: "📄 hors documents sources",
             model.STATUS_ASSUMPTION: "⚠️ hypothèse",
             model.STATUS_CARRIED: "↻ reconduit", model.STATUS_UNSOURCED: "❔ non sourcé"}
SCHEME_ORDER = ("IFAQ", "CAQES", "IQSS", "HOP'EN")
NAV_FICHES_MAX = 60  # beyond this, the side menu links the campaign's list of fiches instead of each (a page per
#                     fiche listing every fiche makes a site grow as the square of its fiches)


# ------------------------------------------------------------------ paths
def campaign_dir(name: str) -> str:
    return name


def fiche_path(campaign: str, indicator: str, ext: str) -> str:
    return f"{campaign}/fiches/{indicator}.{ext}"


def page_path(campaign: str, page: str, ext: str) -> str:
    if page == "index":
        return f"{campaign}/{'index.html' if ext == 'html' else 'README.md'}"
    return f"{campaign}/{page}.{ext}"


def rel(from_page: str, to: str) -> str:
    """A relative link from one generated file to another (both relative to the out folder). Computed on
    the strings alone (``posixpath.relpath`` asks the file system for the working folder at every call,
    and a large site makes millions of links)."""
    here, there = from_page.split("/")[:-1], to.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


# ------------------------------------------------------------------ text helpers for Markdown
md = markdown.escape  # spec text in Markdown: no raw HTML, no accidental emphasis or table break
md_cell = markdown.cell


def md_para(text) -> str:
    return " ".join(md(text).split())


def para(text) -> str:
    """Spec text for HTML, whitespace normalised (escaped by autoescape)."""
    return " ".join(str(text or "").split())


# ------------------------------------------------------------------ environments
def _environment(kind: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=kind == "html",
                                     default=kind == "html"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, md_cell=md_cell, md_para=md_para, para=para, status_class=STATUS_CLASSES.get,
                       status_md=lambda s: STATUS_MD.get(s, ""), unit_words=lambda u: french.UNIT_WORDS.get(u, u) if u else "non précisée",
                       mathml=lambda f: Markup(f.mathml) if f is not None and f.mathml else "",
                       override_code=_override_code, override_md=diff_render.md_code)
    env.globals.update(STATUS_WORDS=model.STATUS_WORDS, STATUS_MD=STATUS_MD, STATUS_CLASSES=STATUS_CLASSES,
                       GRAPH_KINDS=[(k, w, dependencies.KIND_COLOURS[k]) for k, w in dependencies.KIND_WORDS.items()])
    return env


class _Writer:
    def __init__(self, site: model.Site, progress=lambda pages: pages, kept: dict | None = None,
                 links: dict | None = None):
        self.site, self.progress, self.links = site, progress, links or {}
        self.html, self.mdenv = _environment("html"), _environment("md")
        self.files: dict[str, bytes] = {}
        self.words: dict[str, in_words.InWords] = {}  # campaign → its code names in words
        self.pictures: dict = {}  # path → dependency picture, laid out together at the end
        # campaign → (summary, search documents): the pages of ``site`` and the campaigns kept from a previous run
        self.listed = {**{n: (summary, search) for n, (summary, search, _) in (kept or {}).items()},
                       **{p.name: (model.CampaignSummary.of(p), search_documents(p, self.in_words(p.name)))
                          for p in site.campaigns}}
        self.names = set(self.listed)
        self.menus = {n: menu for n, (_, _, menu) in (kept or {}).items()}  # campaign → its part of the side menu

    def put(self, path: str, text: str) -> None:
        if not text.endswith("\n"):
            text += "\n"
        self.files[path] = text.encode("utf-8")

    def render(self, template: str, path: str, words: in_words.InWords | None = None, **context) -> None:
        """``words``: how the page's prose says code names (by default, the campaign's labels)."""
        env = self.html if path.endswith(".html") else self.mdenv
        root = rel(path, "index.html").rsplit("index.html", 1)[0]
        context.update(root=root, path=path, nav=self.nav, link=lambda to: rel(path, to), known=self.names)
        text = env.get_template(template).render(**context)
        page = context.get("page")
        words = words or (self.in_words(page.name) if page is not None else None)
        if words is not None:  # code names left in prose, by their French labels, in HTML and Markdown alike
            text = words.page(text) if env is self.html else words.markdown(text)
        self.put(path, text)

    def in_words(self, campaign: str) -> in_words.InWords:
        """The campaign's code names in words, and those of the campaign it derives from: a fiche's
        « Changements » table quotes the older campaign's texts (« voir psy_secured »), by its own names."""
        if campaign not in self.words:
            self.words[campaign] = campaign_words(self.site, campaign)
        return self.words[campaign]

    # ------------------------------------------------------------ pages
    def run(self) -> dict[str, bytes]:
        summaries = sorted((summary for summary, _ in self.listed.values()), key=_campaign_key)
        self.nav = [(scheme, [c for c in summaries if (c.scheme or "Autres") == scheme])
                    for scheme in _schemes(summaries)]
        campaigns = sorted(self.site.campaigns, key=_campaign_key)
        for page in campaigns:  # the dependency pictures first: dot lays them out while the pages are written
            self.add_pictures(page)
        with ThreadPoolExecutor(1) as layout:
            laid_out = layout.submit(dependencies.render, self.pictures)
            for ext in ("html", "md"):
                self.render(f"index.{ext}.j2", "index.html" if ext == "html" else "README.md", ext=ext, current=None)
            for page in self.progress(campaigns):
                self.campaign(page)
            for path, svg in laid_out.result().items():
                self.put(path, svg)
        self.put("assets/style.css", (TEMPLATES / "style.css").read_text(encoding="utf-8"))
        self.put("assets/search.js", (TEMPLATES / "search.js").read_text(encoding="utf-8"))
        for vendored in ("minisearch.js", "minisearch-LICENSE.txt"):  # MiniSearch, from npm, with its licence
            self.put(f"assets/{vendored}", (TEMPLATES / "vendor" / vendored).read_text(encoding="utf-8"))
        self.put("assets/search-index.js", self.search_index(summaries))
        self.put("assets/menu.js", self.menu_script())
        return self.files

    def add_pictures(self, page: model.CampaignPage) -> None:
        """The campaign's dependency picture and each fiche's, to lay out (:func:`dependencies.render`)."""
        compiled = self.site.compiled.get(page.name)
        if compiled is None:
            return
        self.pictures[f"{page.name}/graphe.svg"] = dependencies.campaign_picture(compiled.campaign, compiled.graph)
        for fiche in page.fiches:
            if fiche.graph_nodes:
                self.pictures[f"{page.name}/fiches/{fiche.name}-graphe.svg"] = dependencies.indicator_picture(
                    compiled.campaign, compiled.graph, fiche.name, fiche.graph_nodes)

    def campaign(self, page: model.CampaignPage) -> None:
        compiled = self.site.compiled.get(page.name)
        base = self.site.compiled.get(page.base) if page.base else None
        report = None
        if compiled is not None and page.base in self.names:  # its base is in the site (written now or kept)
            report = self.site.diffs.get(page.name) or (diff.diff(base.campaign, compiled.campaign) if base else None)
        money = self.links.get(page.name) if report is not None else None  # (file name, link words)
        pages = {"index": True, "groupes": bool(page.groups), "prerequis": bool(page.prerequisites),
                 "graphe": compiled is not None, "changements": report is not None,
                 "remunerations": f"{page.name}/{money[0]}" if money else ""}
        self.menus[page.name] = menu_entry(page, pages)
        common = dict(page=page, pages=pages, current=page.name, fiche_path=fiche_path, page_path=page_path)
        for ext in ("html", "md"):
            self.render(f"campaign.{ext}.j2", page_path(page.name, "index", ext), ext=ext, **common)
            if pages["groupes"]:
                self.render(f"groups.{ext}.j2", page_path(page.name, "groupes", ext), ext=ext, **common)
            if pages["prerequis"]:
                self.render(f"prerequisites.{ext}.j2", page_path(page.name, "prerequis", ext), ext=ext, **common)
            if pages["graphe"]:
                self.render(f"graph.{ext}.j2", page_path(page.name, "graphe", ext), ext=ext, **common)
            if report is not None:  # both campaigns' names in words
                body = diff_render.to_html_body(report) if ext == "html" else diff_render.to_markdown(report)
                self.render(f"changes.{ext}.j2", page_path(page.name, "changements", ext), ext=ext, report=body,
                            money=money, words=in_words.report_words(report), **common)
        for fiche in page.fiches:
            curve = f"{page.name}/fiches/{fiche.name}-courbe.svg" if fiche.curve else ""
            graph = f"{page.name}/fiches/{fiche.name}-graphe.svg" if compiled is not None and fiche.graph_nodes else ""
            if curve:
                self.put(curve, plots.curve_svg(fiche.curve))
            base_link = ""
            if fiche.base and fiche.base_fiche and fiche.base in self.names:
                base_link = fiche_path(fiche.base, fiche.base_fiche, "{ext}")
            for ext in ("html", "md"):
                self.render(f"fiche.{ext}.j2", fiche_path(page.name, fiche.name, ext), ext=ext, fiche=fiche,
                            curve_svg=curve, graph_svg=graph, base_link=base_link.replace("{ext}", ext), **common)

    def menu_script(self) -> str:
        """The side menu of every page (``assets/menu.js``): each scheme's campaigns by title, and each campaign's
        fiches and pages, written into the page by the script of ``templates/menu.js``."""
        menu = [[scheme, [{"name": c.name, "label": c.label, **self.menus[c.name]} for c in items]]
                for scheme, items in self.nav]
        return "// Generated by qualispec docs: the side menu of every page, as a script so that it loads from file://.\n" \
               f"window.QUALISPEC_MENU = {_script_json(menu, compact=True)};\n" + (TEMPLATES / "menu.js").read_text(encoding="utf-8")

    def search_index(self, summaries) -> str:
        """The documents MiniSearch indexes in the browser (:func:`search_documents`), numbered; ``cur`` marks
        the latest campaign of each scheme."""
        latest: dict[str, tuple] = {}
        for c in summaries:
            latest[c.scheme] = max(latest.get(c.scheme, (0, "")), (c.year or 0, c.name))
        current = {name for _, name in latest.values()}
        entries = [{**doc, "id": 0, "cur": int(c.name in current)} for c in summaries for doc in self.listed[c.name][1]]
        for number, entry in enumerate(entries):
            entry["id"] = number
        return "// Generated by qualispec docs: the search documents, as a script so that it loads from file://.\n" \
               f"window.QUALISPEC_INDEX = {_script_json(entries)};\n"


def _override_code(text: str) -> Markup:
    """``text`` escaped, with each rename as the spec writes it (« override d2_2_target as num1_target ») as code."""
    return Markup(diff_render.OVERRIDE.sub(lambda m: f"<code>{m.group(0)}</code>", str(escape(text))))


def _script_json(value, compact: bool = False) -> str:
    """``value`` as a JavaScript literal that no text of a spec can close or break (no ``<``, ``>`` or ``&``)."""
    body = json.dumps(value, ensure_ascii=False, sort_keys=True, **({"separators": (",", ":")} if compact else {"indent": 0}))
    return body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


MENU_PAGES = (("groupes", "Groupes de comparaison"), ("prerequis", "Prérequis"), ("graphe", "Graphe des dépendances"),
              ("changements", "Changements"))


def menu_entry(page: model.CampaignPage, pages: dict) -> dict:
    """A campaign's part of the side menu (plain values: ``docs`` keeps it between runs): its page, its fiches by
    short name (beyond :data:`NAV_FICHES_MAX`, their count: the menu then links the campaign's list) and its pages."""
    entry: dict = {"url": page_path(page.name, "index", "html"),
                   "pages": [[words, page_path(page.name, key, "html")] for key, words in MENU_PAGES if pages[key]]}
    if pages["remunerations"]:
        entry["pages"].append(["Effet sur les rémunérations", pages["remunerations"]])
    if len(page.fiches) <= NAV_FICHES_MAX:
        entry["fiches"] = [[f.name, f.short_name or f.label, fiche_path(page.name, f.name, "html")] for f in page.fiches]
    else:
        entry["count"] = len(page.fiches)
    return entry


def campaign_words(site: model.Site, campaign: str) -> in_words.InWords:
    """A campaign's code names in words, and those of the campaign it derives from (its rule diff's words)."""
    compiled, report = site.compiled.get(campaign), site.diffs.get(campaign)
    base = site.compiled.get(report.old) if report is not None else None
    columns = {**(labels.column_words(base.campaign) if base else {}),
               **(labels.column_words(compiled.campaign) if compiled else {})}
    return in_words.InWords({**columns, **(dict(report.prose) if report is not None
                                           else in_words.labels(compiled.campaign) if compiled else {})})


def search_documents(page: model.CampaignPage, said: in_words.InWords | None = None) -> list[dict]:
    """A campaign's search documents: a title, code names and French words, the text of definitions, rules and
    sources, its code names by their labels (``said``; plain strings: ``docs`` keeps them between runs)."""
    entries = []
    say = said.said if said is not None else str

    def add(title, subtitle, url, words, text):
        entries.append({"t": title, "s": subtitle, "u": url,
                        "words": " ".join(w for w in words if w), "text": say(" ".join(w for w in text if w))})

    add(page.label, " ".join(w for w in ("Campagne", page.scheme, str(page.year or "")) if w),
        page_path(page.name, "index", "html"),
        [page.name, page.scheme, str(page.year or "")], [page.description])
    for f in page.fiches:
        rules = [*f.texts, *(r for r in (f.numerator, f.denominator) if r), *f.rules]
        text = [f.description, f.exclusions, f.category[1], " ".join(label for _, label in f.fields)]
        text += [f"{r.title} {r.value} {r.note}" for r in rules]
        text += [f"{s.label} {s.section}" for s in (f.source, *(p.source for r in rules for p in r.provenance))
                 if s is not None]
        add(f.title, page.label, fiche_path(page.name, f.name, "html"),
            [f.name, f.short_name, *f.former_names, *(code for code, _ in f.fields), f.renamed_from], text)
    for table in page.groups:
        for row in table.rows:
            add(f"Groupe {row.label}", page.label, page_path(page.name, "groupes", "html") + f"#{row.name}",
                ["groupe", row.name], [row.description])
    return entries


def _schemes(campaigns) -> list[str]:
    found = sorted({c.scheme or "Autres" for c in campaigns},
                   key=lambda s: (SCHEME_ORDER.index(s) if s in SCHEME_ORDER else len(SCHEME_ORDER), s))
    return found


def _campaign_key(page: model.CampaignPage):
    scheme = page.scheme or "Autres"
    return (SCHEME_ORDER.index(scheme) if scheme in SCHEME_ORDER else len(SCHEME_ORDER), scheme, page.year or 0, page.name)


# ------------------------------------------------------------------ entry points
def render_site(site: model.Site, progress=lambda campaigns: campaigns, kept: dict | None = None,
                links: dict | None = None, menus: dict | None = None) -> dict[str, bytes]:
    """Every generated file, path → bytes (relative to the out folder); ``progress`` wraps the campaigns.
    ``kept``: campaign → (summary, search documents, menu entry) of campaigns whose pages are already written and
    unchanged (listed on the home page, in the side menu and the search, their own pages not rendered again). ``links``:
    campaign → (file name in its folder, words) of the money report its « Changements » page links to. ``menus``, when
    given, receives each campaign's menu entry (:func:`menu_entry`)."""
    writer = _Writer(site, progress, kept, links)
    files = writer.run()
    if menus is not None:
        menus.update(writer.menus)
    return files


def write_site(site: model.Site, out: str | Path, progress=lambda campaigns: campaigns) -> list[str]:
    """Write the site under ``out`` (only there, never through a link); returns the paths written."""
    return writing.write_files(render_site(site, progress), out)


def escape_text(text: str) -> str:  # used by tests and templates that build HTML by hand
    return str(escape(text))
