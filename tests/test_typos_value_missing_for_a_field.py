"""A parameter given by field must have a value in every field where an indicator reads it.

IFAQ 2024 shares the digital part by field: « digital_share = { MCO: 17 %, SSR: 17 %, HAD: 17 %, DIA: 50 %,
PSY: 0 % } ». Written again without DIA, the dialysis establishments would have no Num.1 and Num.2 weight:
they would be paid 0 € with no other message. That is an error at the value, naming the field and the
indicators; eval refuses to run. A field where no indicator reads the parameter needs no value: IFAQ 2022's
pain target has none for DIA, because the pain indicator is not measured in dialysis.
"""

from conftest import compile_folder, run_cli, with_typo

SHARES = "override digital_share = { MCO: 17%, SSR: 17%, HAD: 17%, DIA: 50%, PSY: 0% } {"
EXAMPLE = "examples/ifaq2024.csv"


def errors(folder):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.errors if d.code == "check.value_missing_for_key"]


def test_a_field_left_out_of_the_digital_share_is_an_error_at_its_line(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "envelope.spec", SHARES,
                                   SHARES.replace(" DIA: 50%,", ""))
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert "« digital_share » est donné par champ mais n'a pas de valeur pour DIA (Dialyse)" in error.message
    assert "Num.1, Num.2 le lisent" in error.message
    assert "ajoutez « DIA: … »" in error.hint


def test_eval_refuses_and_writes_nothing(tmp_path):
    folder, _, _ = with_typo(tmp_path, "ifaq", "2024", "envelope.spec", SHARES, SHARES.replace(" DIA: 50%,", ""))
    out = tmp_path / "results.csv"
    code, _, err = run_cli("eval", folder, "--data", EXAMPLE, "--out", out)
    assert code == 1 and "n'a pas de valeur pour DIA" in err
    assert not out.exists()


def test_two_fields_left_out_are_said_together(tmp_path):
    folder, _, _ = with_typo(tmp_path, "ifaq", "2024", "envelope.spec", SHARES,
                             SHARES.replace(" DIA: 50%,", "").replace(" SSR: 17%,", ""))
    [error] = errors(folder)
    assert "pour SSR (Soins de suite et de réadaptation (SMR)), DIA (Dialyse)" in error.message and "« SSR: … DIA: … »" in error.hint


def test_every_field_given_is_clean(tmp_path):
    folder, _, _ = with_typo(tmp_path, "ifaq", "2024", "envelope.spec", SHARES, SHARES)
    assert errors(folder) == []


def test_a_field_where_no_indicator_reads_the_value_needs_none(tmp_path):
    # IFAQ 2022: pain_target has no DIA value; the pain indicator is measured in MCO, SSR, HAD and PSY only.
    written = "  label: \"Évaluation et prise en charge de la douleur\"\n  category: clinical_care\n  fields: [MCO, SSR, HAD, PSY]"
    folder, _, _ = with_typo(tmp_path, "ifaq", "2022", "indicators.spec", written, written)
    assert errors(folder) == []
    folder, _, _ = with_typo(tmp_path / "dia", "ifaq", "2022", "indicators.spec", written,
                             written.replace("PSY]", "PSY, DIA]"))
    [error] = errors(folder)
    assert "« pain_target »" in error.message and "pour DIA (Dialyse)" in error.message
