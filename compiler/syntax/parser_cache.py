"""Where Lark's parser tables may be cached: a folder this user alone can write, or nowhere.

Lark stores its LALR tables as a pickle, and unpickling runs code: a cache file that
someone else could plant (Lark's default is a predictable name in the shared temp
folder) would run their code during ``qualispec check``. Building the tables takes about
0.1 s; reading them from this cache about 0.015 s (``benchmarks/bench_check.py``).
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys

import lark


def private_cache_file(grammar: str) -> str | None:
    """A file in ``~/.cache/qualispec`` when that folder is this user's alone (0700), else None: no cache."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "qualispec")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        parent = os.stat(base)
        if parent.st_mode & 0o022 and not parent.st_mode & stat.S_ISVTX:
            return None  # others may write there and swap the folder
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return None
        if info.st_mode & 0o077:
            os.chmod(folder, 0o700)
        key = hashlib.sha256((f"{lark.__version__} {sys.version_info[:2]} {grammar}").encode("utf-8")).hexdigest()[:16]
        cache = os.path.join(folder, f"lark-tables-{key}")
        if os.path.lexists(cache):
            info = os.lstat(cache)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
        return cache
    except (OSError, AttributeError):  # no home folder, read-only disk, no getuid (Windows)
        return None
