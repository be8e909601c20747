"""Ctrl-C while Polars' native code is running Python code (it calls back to wrap a column, or to run a
function of ours): raised there, the interrupt made Polars panic and print a Rust backtrace on the user's
screen. It waits until Polars has returned to qualispec's code, then stops the run as usual."""

import signal
import sys
import time

import polars as pl
import pytest

from qualispec.runtime.cli.main import _Interrupt


@pytest.fixture
def ctrl_c():
    handler = _Interrupt()
    previous = signal.signal(signal.SIGINT, handler)
    yield handler
    handler.close()
    signal.signal(signal.SIGINT, previous)


def _pressed_while_polars_calls_back(handler):
    raised = []

    def called_back_by_polars(value):
        try:
            handler(signal.SIGINT, sys._getframe())  # what Python runs when Ctrl-C comes at this moment
        except KeyboardInterrupt:
            raised.append(value)
        return value

    pl.Series([1]).map_elements(called_back_by_polars, return_dtype=pl.Int64)
    return raised


def test_ctrl_c_inside_a_polars_call_is_not_raised_there(ctrl_c):
    assert _pressed_while_polars_calls_back(ctrl_c) == []


def test_ctrl_c_inside_a_polars_call_stops_the_run_once_polars_has_returned(ctrl_c):
    _pressed_while_polars_calls_back(ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        time.sleep(2)  # back in qualispec's code: the interrupt, sent again, is raised here
    assert ctrl_c.raised


def test_ctrl_c_outside_polars_is_raised_at_once(ctrl_c):
    with pytest.raises(KeyboardInterrupt):
        ctrl_c(signal.SIGINT, sys._getframe())


def test_a_run_that_ends_while_the_interrupt_waits_ends_quietly(ctrl_c):
    """The run finished before Polars returned: the interrupt sent again is received by qualispec, not
    by the handler that comes back after it."""
    _pressed_while_polars_calls_back(ctrl_c)
    ctrl_c.close()
    time.sleep(2 * _Interrupt.RETRY_SECONDS)
    assert not ctrl_c.raised
