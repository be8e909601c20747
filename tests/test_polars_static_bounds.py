"""The embedded engine's static bounds on a dataset (polars_engine._largest): the largest magnitude of each
integer column and of each decimal's unscaled integers, and the trailing zeros every unscaled integer shares.
The exact forms' ranges are built on them: a bound too small would let an Int128 form overflow unseen."""

from decimal import Decimal

import polars as pl

from qualispec.runtime.engines.polars_engine import _largest


def test_the_most_negative_value_counts_by_its_magnitude():
    frame = pl.DataFrame({"stays": [3, -(2 ** 63), 7], "small": [-5, 2, 4]}, schema={"stays": pl.Int64, "small": pl.Int8})
    largest, _ = _largest(frame)
    assert largest == {"stays": 2 ** 63, "small": 5}


def test_a_decimal_is_bounded_by_its_unscaled_integers():
    frame = pl.DataFrame({"volume": [Decimal("-1234.50"), Decimal("99.99")]}, schema={"volume": pl.Decimal(38, 2)})
    largest, zeros = _largest(frame)
    assert largest == {"volume": 123450}
    assert zeros == {"volume": 0}  # 9999 ends in no zero


def test_trailing_zeros_are_those_every_value_has_up_to_the_scale():
    frame = pl.DataFrame({"rate": [Decimal("12.3400"), Decimal("0.5000"), None],
                          "round": [Decimal("100.00"), Decimal("7.00"), Decimal("0.00")]},
                         schema={"rate": pl.Decimal(38, 4), "round": pl.Decimal(38, 2)})
    largest, zeros = _largest(frame)
    assert zeros == {"rate": 2, "round": 2}  # 123400, 5000: two zeros each; whole euros: the scale, no more
    assert largest == {"rate": 123400, "round": 10000}


def test_an_empty_or_missing_column_is_bounded_by_zero():
    frame = pl.DataFrame({"count": [None, None], "money": [None, None]},
                         schema={"count": pl.Int64, "money": pl.Decimal(38, 2)})
    assert _largest(frame) == ({"count": 0, "money": 0}, {"money": 2})
