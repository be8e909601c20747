"""Files written whole or not at all, even when the process is stopped.

Every file qualispec writes (results, fiches, a reformatted spec) is first written to a new
hidden file beside its target (``.name.XXXXXXXX``, a name nobody could have planted), then
moved into place in one step: an existing file is replaced whole or left as it was.

Ctrl-C unwinds as an exception, so the ``finally`` below removes the hidden file. A stop
request (SIGTERM: ``kill``, ``timeout``, a job scheduler) is handled by
:func:`remove_on_stop`: a thread woken by the signal itself (not by the interpreter, which may
be busy in an engine's native code for minutes) removes the hidden files being written and ends
the process with the conventional exit code 143.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

_UMASK = os.umask(0o022)
os.umask(_UMASK)
_BEING_WRITTEN: set[str] = set()
_LOCK = threading.Lock()


@contextmanager
def written_whole(target: str | Path, suffix: str = ""):
    """The path of a hidden file to write; moved onto ``target`` when the block ends without error."""
    target = Path(target)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent or ".")
    os.close(fd)
    with _LOCK:
        _BEING_WRITTEN.add(temp)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_UMASK)  # mkstemp makes it private; the result is an ordinary file
        os.replace(temp, target)
    finally:
        with _LOCK:
            _BEING_WRITTEN.discard(temp)
        Path(temp).unlink(missing_ok=True)  # already gone when it was moved into place


def write_bytes(target: str | Path, data: bytes) -> None:
    with written_whole(target) as temp, open(temp, "wb") as file:
        file.write(data)


def write_text(target: str | Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def remove_on_stop(message: str) -> None:
    """From now on, SIGTERM removes the files being written, prints ``message`` and exits with 143."""
    if threading.current_thread() is not threading.main_thread():
        return
    woken, wake = os.pipe()
    os.set_blocking(wake, False)
    signal.set_wakeup_fd(wake, warn_on_full_buffer=False)
    signal.signal(signal.SIGTERM, lambda signum, frame: None)  # the thread below does the work

    def watch() -> None:
        while True:
            received = os.read(woken, 64)
            if signal.SIGTERM in received:
                with _LOCK:
                    for temp in list(_BEING_WRITTEN):
                        Path(temp).unlink(missing_ok=True)
                    print(message, file=sys.stderr, flush=True)
                    os._exit(128 + signal.SIGTERM)

    threading.Thread(target=watch, name="qualispec-stop", daemon=True).start()
