"""Each kind of mistake a policy author can make gets its own message, at the right place."""

from __future__ import annotations

import shutil

from conftest import SPECS, compile_folder, run_cli

HEADER = '''
campaign demo { label: "Démo" source: doc "§1" }
document doc { label: "Document" }
'''


def messages(diagnostics, severity="error"):
    return [(d.span.line, d.span.column, d.message) for d in diagnostics.sorted() if d.severity == severity]


def test_misspelt_name_says_did_you_mean(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input stays: count { label: "Séjours" source: doc "§2" }
indicator a {
  label: "A"
  result: stay / 2
  source: doc "§3"
}
'''})
    _, d = compile_folder(folder)
    errors = [x for x in d.errors]
    assert [(e.span.line, e.span.column, e.message) for e in errors] == [
        (7, 11, "nom inconnu « stay » dans l'indicateur « a »")]
    assert errors[0].hint == "vouliez-vous dire « stays » ?"


def test_duplicate_name_points_at_the_first(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input stays: count { label: "Séjours" source: doc "§2" }
input stays: count { label: "Séjours encore" source: doc "§2" }
'''})
    _, d = compile_folder(folder)
    (error,) = d.errors
    assert (error.span.line, error.span.column) == (5, 7)
    assert error.message.startswith("nom « stays » en double : déjà déclaré en ")
    assert error.message.endswith("c.spec:4:7")


def test_euro_plus_count_is_a_unit_error(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input spending: euro { label: "Dépenses" source: doc "§2" }
input boxes: count { label: "Boîtes" source: doc "§2" }
indicator a {
  label: "A"
  unit: euro
  payout: spending + boxes
  source: doc "§3"
}
'''})
    _, d = compile_folder(folder)
    assert messages(d) == [(9, 20, "unités incompatibles : impossible d'additionner euro et count")]


def test_percent_compared_with_euro_is_a_unit_error(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input rate: percent { label: "Taux" source: doc "§2" }
input spending: euro { label: "Dépenses" source: doc "§2" }
prerequisite p {
  label: "P"
  when: rate >= spending
  source: doc "§3"
}
'''})
    _, d = compile_folder(folder)
    assert messages(d) == [(8, 14, "unités incompatibles : impossible de comparer percent à euro")]


def test_cycle_names_the_whole_loop(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input n: count { label: "N" source: doc "§2" }
indicator a {
  label: "A"
  result: n / n
  target: b.target
  source: doc "§3"
}
indicator b {
  label: "B"
  result: n / n
  target: a.target
  source: doc "§3"
}
'''})
    _, d = compile_folder(folder)
    assert messages(d) == [(8, 11, "cycle : a.target → b.target → a.target")]


def test_syntax_error_in_the_middle_reports_it_and_goes_on(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input n: count { label: "N" source: doc "§2" }
indicator a {
  label: "A"
  result: n / / n
  source: doc "§3"
}
indicator b {
  label: "B"
  result: m / n
  source: doc "§3"
}
'''})
    _, d = compile_folder(folder)
    assert messages(d) == [(7, 15, "« / » inattendu"), (12, 11, "nom inconnu « m » dans l'indicateur « b »")]
    assert d.errors[0].hint.startswith("attendu : ")


def test_unused_input_is_a_warning(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input n: count { label: "N" source: doc "§2" }
input forgotten: count { label: "Jamais lu" source: doc "§2" }
indicator a { label: "A" result: n / n source: doc "§3" }
'''})
    _, d = compile_folder(folder)
    assert not d.errors
    assert messages(d, "warning") == [(5, 7, "la donnée d'entrée « forgotten » est déclarée mais jamais utilisée")]


def test_unknown_property_says_did_you_mean(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input n: count { label: "N" source: doc "§2" }
indicator a { label: "A" result: n / n tagret: 50% source: doc "§3" }
'''})
    _, d = compile_folder(folder)
    (error,) = d.errors
    assert (error.span.line, error.message, error.hint) == (
        5, "propriété « tagret » inconnue pour un indicateur", "vouliez-vous dire « target » ?")


def copy_ifaq(tmp_path):
    """The shipped IFAQ campaigns (2022 and 2024, which extends it), to break on purpose."""
    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    return tmp_path / "ifaq"


def test_override_that_targets_nothing(tmp_path):
    new = copy_ifaq(tmp_path) / "2025"
    new.mkdir()
    (new / "campaign.spec").write_text('''campaign ifaq_2025 extends "../2024" {
  label: "IFAQ 2025"
  source: guide_ifaq_2024 "§"
}
override num3 { target: 60% }
carry num1, num2 { assumption: "inchangés" }
''', encoding="utf-8")
    _, d = compile_folder(new)
    override = [e for e in d.errors if e.message.startswith("override")]
    assert [(e.span.line, e.span.column, e.message, e.hint) for e in override] == [
        (5, 10, "override « num3 » ne désigne rien d'hérité de ifaq_2024", "vouliez-vous dire « num1 » ou « num2 » ?")]
    # and every other inherited rule must be decided, not silently carried over: one message lists them
    (undecided,) = [e for e in d.errors if e.code == "load.undecided"]
    assert (undecided.span.line, undecided.span.column) == (1, 10)
    head, names = undecided.message.split(" : ")
    count = len(names.split(", "))
    assert head == f"la campagne « ifaq_2025 » hérite de ifaq_2024 {count} règles sans dire ce qu'elle en fait " \
                   "(override, carry ou drop)"
    assert names.startswith("DIA_1, DIA_2, HAD_1, MCO_1,") and "num1" not in names.split(", ")


def test_groups_that_overlap_show_an_establishment_in_both(tmp_path):
    folder = copy_ifaq(tmp_path) / "2022"
    groups = folder / "groups.spec"
    groups.write_text(groups.read_text().replace("when: sessions < 7970", "when: sessions <= 7970"))
    _, d = compile_folder(folder)
    # said at both conditions, where the author typed: either may be the one to correct
    lines = groups.read_text().splitlines()
    edited = lines.index("  when: sessions <= 7970") + 1
    other = lines.index("  when: sessions >= 7970") + 1
    assert [(e.span.file, e.span.line) for e in d.errors] == [(str(groups), edited), (str(groups), other)]
    for error in d.errors:
        assert error.message == "les groupes DIA_1 (DIA-1) et DIA_2 (DIA-2) du champ DIA se chevauchent"
        assert error.notes == ("un établissement avec sessions = 7970 tombe dans les deux",)


def test_one_character_threshold_change_leaves_a_gap(tmp_path):
    """500 → 550 in MCO-1 only: an MCO establishment with 500 to 549 stays has no group."""
    folder = copy_ifaq(tmp_path) / "2022"
    groups = folder / "groups.spec"
    text = groups.read_text()
    groups.write_text(text.replace("when: stays >= 500 and activity_groups_80 < 15",
                                   "when: stays >= 550 and activity_groups_80 < 15"))
    _, d = compile_folder(folder)
    (error,) = d.errors
    assert error.message == "les groupes du champ MCO laissent un trou"
    note, borders = error.notes
    assert note.startswith("un établissement avec activity_groups_80 = ")
    edited = text.splitlines().index("  when: stays >= 500 and activity_groups_80 < 15") + 1
    assert borders.startswith("conditions qui bordent ce trou (l'une est peut-être mal écrite) : ")
    assert f"{groups}:{edited}:" in borders  # the line typed 550 is among them
    stays = int(note.split("stays = ")[1].split(" ")[0])
    groups_80 = int(note.split("activity_groups_80 = ")[1].split(",")[0])
    assert 500 <= stays < 550 and groups_80 < 15


def test_the_2024_campaign_sees_a_change_made_in_2022(tmp_path):
    """2024 carries the 2022 groups: breaking them in 2022 breaks 2024 too, reported once per campaign,
    in the campaign being checked (at its carry of DIA_2), with the inherited place as a note."""
    root = copy_ifaq(tmp_path)
    groups = root / "2022" / "groups.spec"
    groups.write_text(groups.read_text().replace("when: sessions < 7970", "when: sessions <= 7970"))
    _, d = compile_folder(root / "2024")
    (error,) = d.errors
    assert error.message == "les groupes DIA_1 (DIA-1) et DIA_2 (DIA-2) du champ DIA se chevauchent"
    carry = root / "2024" / "groups.spec"
    line = next(i for i, text in enumerate(carry.read_text().splitlines(), 1) if "DIA_2" in text)
    assert error.span.file == str(carry) and error.span.line == line
    dia_2_line = groups.read_text().splitlines().index("group DIA_2 {") + 1
    assert error.notes[0] == f"à l'endroit hérité de ifaq_2022 : {groups}:{dia_2_line}:7"


def test_cli_prints_file_line_column_caret_and_exits_1(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input n: count { label: "N" source: doc "§2" }
indicator a { label: "A" result: nn / n source: doc "§3" }
'''})
    code, out, err = run_cli("check", folder)
    assert code == 1
    lines = err.splitlines()
    assert lines[0].endswith("c.spec:5:34: erreur: nom inconnu « nn » dans l'indicateur « a »")
    assert lines[1] == "    indicator a { label: \"A\" result: nn / n source: doc \"§3\" }"
    assert lines[2] == "    " + " " * 33 + "^^"
    assert lines[3] == "    correction: vouliez-vous dire « n » ?"
    assert "Traceback" not in err


def test_broken_files_never_raise(campaign_dir):
    """Garbage, an unterminated string, a lone brace: messages, never a traceback."""
    for text in ['indicator {', 'campaign x { label: "unterminated }', '}}}', 'input x: nosuchunit { }',
                 '\x00\x01', 'campaign a { } campaign b { }', 'group g { field: XX when: 1 + }']:
        folder = campaign_dir({"c.spec": text}, name=f"f{abs(hash(text))}")
        code, _, err = run_cli("check", folder)
        assert code == 1, text
        assert "Traceback" not in err and "erreur interne" not in err, err


# ---------------------------------------------------------------- year over year, and money rules
def test_override_gives_a_parameter_a_new_value_and_prerequisites_gate_the_payout(tmp_path):
    from conftest import write_campaign
    from qualispec.runtime.data.dataset import _Where, validate
    from qualispec.runtime.evaluate import evaluate
    import polars as pl

    write_campaign(tmp_path / "a", {"c.spec": HEADER + '''
input boxes: count { label: "Boîtes" source: doc "§2" }
input note: count { label: "Note libre" optional: true source: doc "§2" }
parameter rate: percent = 20% { label: "Taux" source: doc "§2" }
prerequisite volume { label: "Plus de 8 500 boîtes" when: boxes > 8500 source: doc "§3" }
indicator ipp {
  label: "IPP"
  prerequisites: [volume]
  payout: rate * 1000 €
  let remark = note
  source: doc "§4"
}
'''})
    new = write_campaign(tmp_path / "b", {"c.spec": '''
campaign demo_b extends "../a" { label: "B" source: doc "§1" }
override rate = 30% { source: doc "§5" }
carry ipp, volume { assumption: "inchangés" }
'''})
    compiled, d = compile_folder(new)
    assert not d.errors, d.render()
    assert compiled.campaign.lineage["rate"] == "override"
    frame = pl.DataFrame({"finess": ["590000001", "590000002"], "boxes": ["8500", "8501"], "note": [None, "3"]})
    rows = evaluate(compiled, validate(frame, compiled.campaign, _Where("t.csv", True))).rows
    assert rows["ipp_eligible"].to_list() == [False, True]  # 8 500 is not more than 8 500
    assert rows["ipp_payout"].to_list() == [0.0, 300.0]  # 30 % of 1 000 €, only where eligible


def test_override_with_a_value_on_something_that_has_none(tmp_path):
    from conftest import write_campaign

    write_campaign(tmp_path / "a", {"c.spec": HEADER + '''
input n: count { label: "N" source: doc "§2" }
indicator i { label: "I" result: n / n source: doc "§3" }
'''})
    new = write_campaign(tmp_path / "b", {"c.spec": '''
campaign demo_b extends "../a" { label: "B" source: doc "§1" }
override i = 3 { }
'''})
    _, d = compile_folder(new)
    assert [e.message for e in d.errors] == [
        "override i = … : seul un paramètre a une valeur à modifier ; « i » est un indicateur"]


def test_an_aggregate_over_a_filtered_population(tmp_path):
    """`median(x) over all where (cond)`: only the establishments where cond holds count."""
    from conftest import write_campaign
    from qualispec.runtime.data.dataset import _Where, validate
    from qualispec.runtime.evaluate import evaluate
    import polars as pl

    folder = write_campaign(tmp_path / "w", {"c.spec": HEADER + '''
input stays: count { label: "Séjours" source: doc "§2" }
input has_data: boolean { label: "Données disponibles" source: doc "§2" }
indicator hf {
  label: "HF"
  unit: count
  let everyone = median(stays) over all
  let with_data = median(stays) over all where (has_data)
  source: doc "§3"
}
'''})
    compiled, d = compile_folder(folder)
    assert not d.errors, d.render()
    frame = pl.DataFrame({"finess": [f"59000000{i}" for i in range(4)], "stays": ["10", "20", "1000", "30"],
                          "has_data": ["true", "true", "false", "true"]})
    rows = evaluate(compiled, validate(frame, compiled.campaign, _Where("t.csv", True))).rows
    assert rows["hf_everyone"].to_list() == [25.0] * 4
    assert rows["hf_with_data"].to_list() == [20.0] * 4  # 1 000 stays without data is left out


def test_the_condition_of_a_filtered_aggregate_must_be_yes_or_no(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + '''
input stays: count { label: "Séjours" source: doc "§2" }
indicator hf { label: "HF" unit: count let m = median(stays) over all where (stays + 1) source: doc "§3" }
'''})
    _, d = compile_folder(folder)
    assert [(e.span.line, e.message) for e in d.errors] == [
        (5, "le « where » de « median » doit valoir oui ou non (true ou false), mais c'est count")]
