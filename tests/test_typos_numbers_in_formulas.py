"""Numbers typed inside a formula are read against the formula around them, at their line.

A parameter's value has its documents and its range to be read against; a number written in a formula
has neither. Three of their typos show anyway: a percentage beyond ±100 % (`100% + growth` typed
`1000% + growth`), a rounding « au centime » whose two steps differ (`floor(x / 0.01 €) * 0.1 €` pays ten
times the amount), and a campaign year that is no year (`20220`).
"""

from __future__ import annotations

from conftest import compile_folder, with_typo


def warned_at(folder, path, line, code):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.sorted() if d.code == code and (d.span.file, d.span.line) == (str(path), line)]


def test_a_percentage_beyond_one_hundred_in_a_formula_is_warned_at_its_line(tmp_path):
    """CAQES 2017 transport: the target spending is last year's × (100 % + the growth rate agreed)."""
    folder, path, line = with_typo(tmp_path, "caqes", "2017", "transport.spec",
                                   "transport_spending_previous * (100% + transport_target_growth)",
                                   "transport_spending_previous * (1000% + transport_target_growth)")
    [warning] = warned_at(folder, path, line, "check.percent_literal_out_of_range")
    assert warning.message.startswith("1\u202f000 % écrit dans une formule")
    assert warning.hint == "vérifiez le nombre (un zéro de trop ? 100 % ?)"


def test_rounding_steps_that_differ_are_warned_at_the_multiplier(tmp_path):
    """CAQES 2017 sanctions: a ceiling « au centime inférieur », floor(x / 0.01 €) * 0.01 €."""
    shipped = "floor(base_revenue_sanction_max_rate * am_revenue / 0.01 €) * 0.01 €"
    folder, path, line = with_typo(tmp_path, "caqes", "2017", "sanctions.spec", shipped,
                                   "floor(base_revenue_sanction_max_rate * am_revenue / 0.01 €) * 0.1 €")
    [warning] = warned_at(folder, path, line, "check.rounding_steps_differ")
    assert warning.hint == "écrivez le même pas des deux côtés (0.01 € : au centime)"


def test_a_rounding_to_a_named_precision_is_not_warned(tmp_path):
    """IFAQ: round(result / comparison_precision) * comparison_precision, one step named twice."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "valuation.spec",
                                   "else round(result / comparison_precision) * comparison_precision",
                                   "else round(result / comparison_precision) * comparison_precision")
    assert warned_at(folder, path, line, "check.rounding_steps_differ") == []


def test_a_campaign_year_that_is_no_year_is_warned(tmp_path):
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "campaign.spec", "year: 2022", "year: 20220")
    [warning] = warned_at(folder, path, line, "check.year_range")
    assert warning.message == "l'année de la campagne vaut 20220 : ce n'est pas une année"


def test_an_indicator_score_written_without_its_percent_is_refused_at_its_line(tmp_path):
    """IFAQ 2022 volume share: `score: 100%` (the whole weight); `100` would read as 10 000 %."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "envelope.spec", "  score: 100%\n  weight: 1\n",
                                   "  score: 100\n  weight: 1\n")
    [error] = warned_at(folder, path, line, "check.bare_number_declared")
    assert error.severity == "error" and error.hint == "vouliez-vous dire `100 %` ?"
