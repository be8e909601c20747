"""The same flags for the same things on every command, honest exit codes, and a progress display
only for a person at a terminal (never in a pipe or in CI)."""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from conftest import IFAQ_2024, ROOT, SPECS, run_cli
from qualispec.runtime.cli.main import COMMANDS, build_parser


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return action.choices


@pytest.mark.parametrize("command", [c.replace("_", "-") for c in COMMANDS])
def test_every_command_has_the_same_quiet_flag(command):
    options = {o for a in _subparsers()[command]._actions for o in a.option_strings}
    assert {"-q", "--quiet"} <= options


@pytest.mark.parametrize("command", [c.replace("_", "-") for c in COMMANDS])
def test_every_option_and_argument_of_every_command_is_described_in_its_help(command):
    bare = [a.option_strings[0] if a.option_strings else a.dest for a in _subparsers()[command]._actions
            if not a.help and a.help is not argparse.SUPPRESS]
    assert not bare, f"qualispec {command} --help leaves {bare} without a word"


def test_test_with_no_cases_says_so_and_succeeds(tmp_path):
    (tmp_path / "campaign.spec").write_text('campaign c { label: "C" }\n', encoding="utf-8")
    code, out, err = run_cli("test", tmp_path)
    assert code == 0, err
    assert "rien à tester" in out and "cases/*.csv" in out


def test_test_on_a_path_that_does_not_exist_fails(tmp_path):
    code, _, err = run_cli("test", tmp_path / "absent")
    assert code == 1 and "n'existe pas" in err


def test_test_quiet_shows_only_failures_and_the_count():
    code, loud, _ = run_cli("test", IFAQ_2024)
    assert code == 0 and "réussi  " in loud
    code, quiet, _ = run_cli("test", IFAQ_2024, "-q")
    assert code == 0
    assert "réussi  " not in quiet
    assert quiet.strip().splitlines()[-1] == loud.strip().splitlines()[-1]  # « N cas réussis, 0 en échec »


def test_check_quiet_prints_nothing_when_all_is_well():
    code, out, err = run_cli("check", IFAQ_2024, "-q")
    assert code == 0 and out == "" and err == ""


def test_no_progress_display_in_a_pipe(tmp_path):
    code, _, err = run_cli("docs", SPECS / "ifaq", "--out", tmp_path / "site")
    assert code == 0
    assert "compilation" not in err and "pages" not in err and "\r" not in err


def _in_a_terminal(args, env_extra=None) -> str:
    """Run qualispec with its standard error on a pseudo-terminal; what the terminal showed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a real terminal has a size
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(env_extra or {})
    process = subprocess.Popen([sys.executable, "-m", "qualispec.runtime.cli.main", *map(str, args)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=300)
    os.close(master)
    return shown.decode("utf-8", "replace")


def test_a_long_command_shows_its_progress_at_a_terminal_but_not_in_ci(tmp_path):
    # A bar appears once the work has lasted a second; with no delay it shows however fast this machine is.
    shown = _in_a_terminal(["docs", SPECS / "ifaq", "--out", tmp_path / "a"], {"QUALISPEC_PROGRESS_DELAY": "0"})
    assert "compilation" in shown or "pages" in shown, shown[-500:]
    quiet = _in_a_terminal(["docs", SPECS / "ifaq", "--out", tmp_path / "b", "-q"], {"QUALISPEC_PROGRESS_DELAY": "0"})
    assert "compilation" not in quiet and "pages" not in quiet
    ci = _in_a_terminal(["docs", SPECS / "ifaq", "--out", tmp_path / "c"], {"CI": "true", "QUALISPEC_PROGRESS_DELAY": "0"})
    assert "compilation" not in ci and "pages" not in ci


def answered(*args: str) -> tuple[int, str, str]:
    """The command line as typed in a terminal (argparse answers a mistake, or --help, and exits)."""
    env = {k: v for k, v in os.environ.items() if k != "QUALISPEC_LANG"}
    done = subprocess.run([sys.executable, "-m", "qualispec", *args], capture_output=True, text=True, env=env)
    return done.returncode, done.stdout, done.stderr


def test_a_mistyped_command_is_answered_in_french():
    code, _, err = answered("eval", str(IFAQ_2024))
    assert code == 2 and "qualispec eval : erreur : arguments obligatoires manquants : --data" in err
    code, _, err = answered("evaluer", str(IFAQ_2024))
    assert code == 2 and "choix invalide : 'evaluer' (choisir parmi 'check'" in err
    code, out, _ = answered("eval", "--help")
    assert code == 0 and out.startswith("usage : qualispec eval") and "Évalue la campagne de PATH" in out
    assert "afficher cette aide et sortir" in out
    code, out, _ = answered("--help")
    assert code == 0 and "--version       afficher la version de qualispec et sortir" in out


def test_english_help_on_request():
    code, _, err = answered("--lang", "en", "eval", str(IFAQ_2024))
    assert code == 2 and "qualispec eval: error: the following arguments are required: --data" in err
