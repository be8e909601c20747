"""Spark started quietly: a policy author reads qualispec's French messages, not Spark's English ones.

- The driver JVM started here reads log4j2.properties (beside this file): Spark logs nothing to the console
  (« WARN NativeCodeLoader », « Using Spark's default log4j profile », « Setting default log level »).
- Before any logging, Java itself prints « WARNING: Using incubator modules: jdk.incubator.vector » (Spark's
  launcher always adds that module): that line, and only it, is dropped from the JVM's error stream; every
  other line the JVM writes there is passed on as it came.
- PySpark warns in Python while it is imported (« PySpark does not yet fully support pandas >= 3.0.0 »):
  ``no_pyspark_warnings`` ignores the warnings raised by PySpark's modules, only while we call them.

Our own messages are printed by our code on our own stream: nothing here touches them.
"""

from __future__ import annotations

import os
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

LOG4J = Path(__file__).with_name("log4j2.properties")
LOG4J_OPTION = f'-Dlog4j2.configurationFile="{LOG4J}"'
JAVA_SAYS = (b"WARNING: Using incubator modules:",)  # printed by Java before Spark runs: no option turns it off


@contextmanager
def no_pyspark_warnings():
    """Python warnings raised by PySpark's own modules are not shown while this lasts; any other warning is."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"pyspark(\.|$)")
        yield


def gateway(conf):
    """The JVM of a session started here (PySpark's launch_gateway), its error stream read from the start,
    so that a JVM that fails to start still says why."""
    from pyspark.java_gateway import launch_gateway

    read, write = os.pipe()
    threading.Thread(target=_pass_on, args=(read,), name="qualispec-jvm-stderr", daemon=True).start()
    try:
        return launch_gateway(conf, popen_kwargs={"stderr": write})
    finally:
        os.close(write)  # the JVM holds its own end


def _pass_on(fd: int) -> None:
    """Every line of the JVM's error stream to ours (file descriptor 2, where it would have gone), but Java's."""
    for line in open(fd, "rb"):
        if not line.startswith(JAVA_SAYS):
            os.write(2, line)
