"""The ``qualispec`` command line.

Every command compiles the specs first and stops, with the compiler's messages and
exit code 1, when they have errors. No Python traceback reaches a user: expected
problems are messages; an unexpected one is reported as a bug with where to look.
"""

from __future__ import annotations

import argparse
from importlib import import_module
import os
import signal
import sys
import threading
from pathlib import Path

from qualispec import INTERRUPTED, STOPPED, __version__


# One module per command, each with a ``register(subparsers)`` that adds its parser.
COMMANDS = ["check", "graph", "inputs", "diff", "docs", "eval", "explain", "example_data", "test", "fmt", "lsp", "new"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qualispec",
        description="Écrire, vérifier, évaluer, documenter et comparer les règles des dispositifs de financement à la qualité des établissements de santé.",
    )
    parser.add_argument("--version", action="version", version=f"qualispec {__version__}",
                        help=argparse._("show program's version number and exit"))  # Python 3.11 does not look it up
    parser.add_argument("--lang", choices=["fr", "en"], default=None,
                        help="langue des messages : fr (par défaut) ou en ; aussi QUALISPEC_LANG")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"qualispec.runtime.cli.cmd_{name}").register(sub)
    return parser


class _Interrupt:
    """Ctrl-C unwinds once as KeyboardInterrupt, so temporary files are removed; a second delivery of the
    same interrupt (Polars checks signals again) is ignored. (SIGTERM is not turned into an exception: that
    once left a process hanging in the fuzzing runs; whole_files.remove_on_stop handles it.)

    While Polars is on the stack the interrupt waits: an exception raised in Python code that Polars' native
    code called back (wrapping a column, say) makes it panic, with a Rust backtrace on the user's screen.
    The signal is sent again a moment later, until the Polars call has returned to qualispec's code."""

    RETRY_SECONDS = 0.05

    def __init__(self):
        self.raised = False
        self.closed = False
        self.lock = threading.Lock()
        self.retry: threading.Timer | None = None
        self.resent = threading.Event()
        self.delivered = threading.Event()

    def __call__(self, signum, frame):
        self.delivered.set()
        # Polars raises KeyboardInterrupt itself, then Python runs this handler for the same signal.
        if self.closed or self.raised or isinstance(sys.exc_info()[1], KeyboardInterrupt):
            return
        if _inside_polars(frame):
            self._send_again(signum)
            return
        self.raised = True
        raise KeyboardInterrupt

    def _send_again(self, signum) -> None:
        self.resent.clear()
        self.delivered.clear()
        self.retry = threading.Timer(self.RETRY_SECONDS, self._resend, (signum,))
        self.retry.daemon = True
        self.retry.start()

    def _resend(self, signum) -> None:
        with self.lock:
            if not self.closed:
                self.resent.set()
                os.kill(os.getpid(), signum)

    def close(self) -> None:
        """No more retries; one already sent is received here, before the previous handler comes back."""
        with self.lock:
            self.closed = True
            if self.retry:
                self.retry.cancel()
        if self.resent.is_set():
            self.delivered.wait(1.0)


def _inside_polars(frame) -> bool:
    polars = sys.modules.get("polars")
    if polars is None or not getattr(polars, "__file__", None):
        return False
    package = os.path.dirname(polars.__file__) + os.sep
    while frame is not None:
        if frame.f_code.co_filename.startswith(package):
            return True
        frame = frame.f_back
    return False


def _interrupted() -> int:
    # An object the interrupt caught half-built (a z3 context, say) may complain when it is collected at exit:
    # that is not the user's concern once the run is stopped.
    sys.unraisablehook = lambda unraisable: None
    print(INTERRUPTED, file=sys.stderr)
    return 130


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is not threading.main_thread():
        return _run(argv)
    handler = _Interrupt()
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT,)}
    code = 130
    try:
        code = _run(argv, on_main_thread=True)
    finally:
        try:
            handler.close()
            for sig, old in previous.items():
                signal.signal(sig, old)
        except KeyboardInterrupt:  # a Ctrl-C at the very end: the work is done, say nothing more
            pass
    return code


def _run(argv: list[str] | None, on_main_thread: bool = False) -> int:
    try:
        from qualispec.compiler import messages
        from qualispec.runtime.cli.argparse_words import language_asked, speak

        speak(language_asked(argv) or messages.language())
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        if on_main_thread and args.command != "lsp":  # the editor server has its own event loop
            from qualispec.compiler.whole_files import remove_on_stop

            remove_on_stop(STOPPED)
        messages.set_language(args.lang)
        return args.func(args)
    except KeyboardInterrupt:
        return _interrupted()  # (a second Ctrl-C now would be ignored by _Interrupt)
    except BrokenPipeError:
        return 0
    except SystemExit:
        raise
    except BaseException as error:  # a bug of ours (or a Polars panic), never the user's fault: say so plainly
        if "KeyboardInterrupt" in repr(error):  # Ctrl-C inside Polars can come back as a panic
            return _interrupted()
        import traceback

        where = traceback.extract_tb(error.__traceback__)[-1]
        print(f"qualispec : erreur interne : {type(error).__name__}: {error}\n"
              f"  en {Path(where.filename).name}:{where.lineno}. C'est un défaut de qualispec, pas de votre spec "
              f"ni de vos données ; signalez-le avec la commande lancée. QUALISPEC_DEBUG=1 montre la trace complète.",
              file=sys.stderr)
        if os.environ.get("QUALISPEC_DEBUG"):
            traceback.print_exc()
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
