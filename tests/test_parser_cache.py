"""The parser's tables are never unpickled from a place someone else could write.

Lark's default cache is a pickle at a predictable name in the shared temp folder: a
file planted there ran code during `qualispec check`. Each test plants such a file (a
pickle that creates a marker file when loaded) and runs a fresh `qualispec check`.
"""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys

from conftest import IFAQ_2024, ROOT



def run(env_dirs, *args):
    env = dict(os.environ, **env_dirs)
    return subprocess.run([sys.executable, "-m", "qualispec", *map(str, args)], env=env, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def planted_pickle(marker) -> bytes:
    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))
    return pickle.dumps(Boom())


def lark_default_cache(tmp) -> str:
    """The file Lark's own cache=True would use for our grammar, found by letting Lark write it."""
    code = ("from importlib import resources; from lark import Lark; "
            "g = resources.files('qualispec.grammar').joinpath('qualispec.lark').read_text(encoding='utf-8'); "
            "Lark(g, parser='lalr', propagate_positions=True, maybe_placeholders=True, cache=True)")
    subprocess.run([sys.executable, "-c", code], env=dict(os.environ, TMPDIR=str(tmp)), check=True, cwd=ROOT)
    [name] = [p for p in os.listdir(tmp) if p.startswith(".lark_cache")]
    return os.path.join(tmp, name)


def test_a_pickle_planted_at_larks_predictable_temp_name_is_never_loaded(tmp_path):
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    planted = lark_default_cache(shared)
    with open(planted, "rb") as f:
        sha_line = f.readline()
    marker = tmp_path / "pwned"
    with open(planted, "wb") as f:
        f.write(sha_line + planted_pickle(marker))
    result = run({"TMPDIR": str(shared), "XDG_CACHE_HOME": str(tmp_path / "home-cache")}, "check", IFAQ_2024)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_the_cache_lives_in_a_folder_only_this_user_can_open(tmp_path):
    cache_home = tmp_path / "home-cache"
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    assert run({"TMPDIR": str(shared), "XDG_CACHE_HOME": str(cache_home)}, "check", IFAQ_2024).returncode == 0
    folder = cache_home / "qualispec"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name.startswith("lark-tables-") for p in folder.iterdir()] == [True]
    assert not [p for p in shared.iterdir() if p.name.startswith(".lark")]  # nothing left in the shared folder


def test_a_cache_file_others_may_write_is_not_loaded(tmp_path):
    cache_home = tmp_path / "home-cache"
    env = {"XDG_CACHE_HOME": str(cache_home)}
    assert run(env, "check", IFAQ_2024).returncode == 0
    [cache] = list((cache_home / "qualispec").iterdir())
    marker = tmp_path / "pwned"
    sha_line = cache.read_bytes().split(b"\n", 1)[0] + b"\n"
    cache.write_bytes(sha_line + planted_pickle(marker))
    cache.chmod(0o666)
    result = run(env, "check", IFAQ_2024)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_a_cache_folder_in_a_world_writable_place_is_not_used(tmp_path):
    open_place = tmp_path / "open"
    open_place.mkdir()
    open_place.chmod(0o777)  # writable by all, no sticky bit: anyone could swap the folder
    assert run({"XDG_CACHE_HOME": str(open_place)}, "check", IFAQ_2024).returncode == 0
    assert not list((open_place / "qualispec").iterdir())
