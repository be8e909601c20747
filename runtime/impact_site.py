"""The money report of a campaign on its example dataset, as a page of the fiches site.

A campaign folder that extends another may hold ``rapport-remunerations.toml``::

    donnees = "../../../examples/ifaq2022_2024.csv"   # relative to this file
    titre = "jeu d'exemple synthétique IFAQ 2022 → 2024"

``qualispec docs`` then evaluates both campaigns on that dataset and writes, next to the
campaign's pages, ``ecart-remunerations.html``: the report of ``qualispec diff OLD NEW --data
FILE --format html`` (headline, attribution, pictures), in the site's look, linked from the
campaign's « Changements » page and its side menu, and linking back to the campaign. The page is
built again only when the dataset, this file, the campaigns or the runtime change.

The reports are made in a second process while ``docs`` writes the fiches (``_Background``): they
evaluate both campaigns once per rule change a payout reads, about as long as all the fiches. That process
is started before ``docs`` compiles (its imports meanwhile) and is handed, pickled, the two campaigns and
their rule diff as ``docs`` has them: it compiles and diffs nothing again.
"""

from __future__ import annotations

import hashlib
import base64
import json
import pickle
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

from qualispec.compiler.fiches.extra import ExtraPage

DECLARATION = "rapport-remunerations.toml"
PAGE = "ecart-remunerations.html"
READY = "prêt"  # the background process's first line
KEYS = {"donnees", "titre"}


class DeclarationError(Exception):
    """A ``rapport-remunerations.toml`` that cannot be used; the message says which file, what and what to do."""


def extra_pages(folders: list[Path]) -> dict[Path, ExtraPage]:
    """Resolved campaign folder → its money report page, for the folders that declare one."""
    _BACKGROUND.new_run()
    pages = {}
    for folder in folders:
        declaration = folder / DECLARATION
        if declaration.is_file():
            pages[folder.resolve()] = _page(declaration)
    return pages


def _page(declaration: Path) -> ExtraPage:
    text = declaration.read_bytes()
    try:
        values = tomllib.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DeclarationError(f"{declaration} : illisible ({error}) ; écrivez donnees = \"chemin du jeu de données\"") from None
    unknown = sorted(set(values) - KEYS)
    if unknown:
        raise DeclarationError(f"{declaration} : clé inconnue « {unknown[0]} » ; les clés sont donnees et titre")
    if not isinstance(values.get("donnees"), str) or not values["donnees"].strip():
        raise DeclarationError(f"{declaration} : donnees manque ; écrivez donnees = \"chemin du jeu de données\" "
                               "(relatif à ce fichier)")
    data = (declaration.parent / values["donnees"]).resolve()
    if not data.is_file():
        raise DeclarationError(f"{declaration} : le jeu de données {values['donnees']} est introuvable ({data})")
    title = values.get("titre") if isinstance(values.get("titre"), str) else f"jeu de données {data.name}"
    key = hashlib.sha256(text + b"\0" + data.read_bytes() + b"\0" + _runtime_code().encode()).hexdigest()

    def make(old, new, rules) -> str:
        from qualispec.runtime import impact
        from qualispec.runtime.impact_report import render_all

        try:
            report = impact.compare_payouts(old, new, str(data), rules)
        except impact.ImpactError as error:
            raise DeclarationError(f"{declaration} : {error}") from None
        return render_all(rules, report, None, "html", site="index.html") + "\n"

    job: list[str] = []  # the background job of this page, once prepared

    def render(old, new, rules) -> str:
        made = _BACKGROUND.result(job[0]) if job else None
        if made is not None and made[0] == (old.campaign.name, new.campaign.name):
            if made[1] is not None:
                raise DeclarationError(made[1])
            return made[2]
        return make(old, new, rules)  # not prepared, or not made there: here

    return ExtraPage(PAGE, title, key, render, _BACKGROUND.start,
                     lambda old, new, rules: job.append(_BACKGROUND.submit(declaration, old, new, rules)))


def _made_apart(declaration: str, old, new, rules) -> tuple:
    """In the background process: ((old name, new name), error message or None, HTML), from the campaigns and rule
    diff ``docs`` compiled (unpickled)."""
    names = (old.campaign.name, new.campaign.name)
    try:
        return names, None, _page(Path(declaration)).render(old, new, rules)  # nothing asked here: made
    except DeclarationError as error:
        return names, str(error), ""


class _Background:
    """One process that makes the money reports while ``docs`` writes the fiches, started (``start``) before
    ``docs`` compiles, as ``python -m qualispec.runtime.impact_site`` (a fresh interpreter: it runs none of the caller's
    code and inherits none of its threads). It is given one page at a time, the last prepared first, while
    ``docs`` asks for them in the order prepared: a page it has not started when ``docs`` needs it is made here
    instead, so neither side waits while work is left. A page is given with the two campaigns and their rule diff
    pickled (``submit``). Its pages are byte for byte those made here (the same code on the same campaigns); a
    page it could not make is made here."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.lock = threading.Condition()
        self.waiting: list[str] = []  # jobs prepared, not yet given to the process
        self.given: set[str] = set()  # given, not yet answered
        self.done: dict[str, tuple | None] = {}
        self.jobs: dict[str, str] = {}  # job → its line for the process: [job, declaration, pickled campaigns]
        self.ready = False  # the process said it is ready (its imports done)
        self.dropped: set[str] = set()  # given by an earlier run that will not ask for them
        self.count = 0

    def new_run(self) -> None:
        """A ``docs`` run starts: what an earlier run prepared and never asked for (it stopped on errors) is dropped."""
        with self.lock:
            for job in self.waiting:
                self.jobs.pop(job, None)
            self.waiting.clear()
            self.done.clear()
            self.dropped |= self.given

    def start(self) -> None:
        """Start the process (if it is not running): it does its imports while ``docs`` compiles."""
        with self.lock:
            self._start()

    def _start(self) -> bool:
        """Under the lock: the process is running (started now if needed)."""
        if self.process is None:
            try:
                self.process = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                                encoding="utf-8")
            except (OSError, ValueError):  # no interpreter to start: every page is made here
                return False
            self.ready = False
            threading.Thread(target=self._drain, args=(self.process,), daemon=True).start()
        return True

    def submit(self, declaration: Path, old, new, rules) -> str:
        """The job that makes this page from the two compiled campaigns and their rule diff (``result`` gives it)."""
        with self.lock:
            self.count += 1
            job = f"{self.count}"
            try:
                campaigns = pickle.dumps((old, new, rules), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - not picklable: the page is made here
                return job
            self.jobs[job] = json.dumps([job, str(declaration), base64.b64encode(campaigns).decode("ascii")])
            if not self._start():
                return job
            self.waiting.append(job)  # given once the process says it is ready and is idle (see _drain)
            if self.ready and not self.given:
                self._give()
            return job

    def result(self, key: str) -> tuple | None:
        """((old name, new name), error message or None, HTML) of a job made there; None: to be made here."""
        with self.lock:
            if key in self.waiting:  # not started there: made here
                self.waiting.remove(key)
                self.jobs.pop(key, None)
                self._end_if_idle()
                return None
            while key in self.given:
                self.lock.wait()
            self._end_if_idle()
            return self.done.pop(key, None)

    def _give(self) -> None:
        """Give the process the next page (under the lock)."""
        if self.waiting and self.process is not None:
            key = self.waiting.pop()
            self.given.add(key)
            try:
                self.process.stdin.write(self.jobs.pop(key) + "\n")
                self.process.stdin.flush()
            except OSError:  # the process ended: the page is made here
                self.given.discard(key)

    def _end_if_idle(self) -> None:
        if self.process is not None and not self.waiting and not self.given:
            self.process.stdin.close()  # idle: it ends now
            self.process.wait()
            self.process = None

    def _drain(self, process: subprocess.Popen) -> None:
        try:
            for line in process.stdout:
                if line.strip() == READY:  # its imports done; pages are given as docs prepares them
                    with self.lock:
                        self.ready = True
                        if not self.given:
                            self._give()
                        self.lock.notify_all()
                    continue
                try:
                    answer = json.loads(line)
                    key = answer["job"]
                    made = (tuple(answer["names"]), answer["error"], answer["html"]) \
                        if answer["code"] == __file__ and answer["names"] else None
                except (ValueError, KeyError, TypeError):  # not an answer: the page stays to be made here
                    continue
                with self.lock:
                    if key not in self.dropped:
                        self.done[key] = made
                    self.dropped.discard(key)
                    self.given.discard(key)
                    self._give()
                    self.lock.notify_all()
        finally:
            process.wait()
            with self.lock:  # ended: what it was given and did not answer is made here
                self.given.clear()
                if self.process is process:
                    self.process = None
                self.lock.notify_all()


def _serve() -> None:
    """The background process: a JSON line per page on stdin (job, declaration, the pickled campaigns and rule
    diff in base64), a JSON line per page made on stdout."""
    from qualispec.runtime import impact, impact_report  # noqa: F401 - imported before saying it is ready

    print(READY, flush=True)
    for line in sys.stdin:
        job, declaration, campaigns = json.loads(line)
        try:
            made = _made_apart(declaration, *pickle.loads(base64.b64decode(campaigns)))
        except Exception:  # noqa: BLE001 - the page is then made in the main process, which reports what fails
            made = None
        names, error, html = made if made is not None else ((), None, "")
        print(json.dumps({"job": job, "names": names, "error": error, "html": html, "code": __file__},
                         ensure_ascii=False), flush=True)


_BACKGROUND = _Background()


def _runtime_code() -> str:
    """The runtime's files (evaluation, money diff, report): a change in them makes the report again."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for file in sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts):
        digest.update(f"{file.relative_to(root)}\0".encode() + file.read_bytes())
    return digest.hexdigest()


if __name__ == "__main__":
    _serve()
