"""Tables of records: inputs computed from stays and correspondents, checked, validated, aggregated.

The IFAQ 2024 campaign can take its Num.1 and Num.2 counts from the records themselves
(« séjours clôturés », « correspondants concernés »): the results must be those of the
establishment dataset the records add up to, on both engines, and a malformed record is
refused with its file and line.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from conftest import IFAQ_2024, compile_folder, run_cli
from ifaq_rows import row, write_rows
from qualispec.runtime.data import example_data, example_records
from qualispec.runtime.data.dataset import DataError, load_dataset
from qualispec.runtime.data.records import aggregate, load_with_records, with_records

TABLE = """
campaign rec { label: "essai" scheme: "IFAQ" year: 2024 }
field MCO { label: "MCO" }
field SSR { label: "SSR" }
table stays {
  label: "Séjours"
  key: [finess, field]
  columns: { patient: text, has_dmp: boolean, dmp_fed: boolean, days: days, cost: euro }
  assumption: "essai"
}
parameter long_stay: days = 30 days { assumption: "essai" }
input fed: count { from_records: count(stays where dmp_fed and has_dmp) assumption: "x" }
input with_dmp: count { from_records: count(stays where has_dmp) assumption: "x" }
input patients: count { from_records: count_distinct(stays.patient) assumption: "x" }
input long_days: days { from_records: sum(stays.days where days >= long_stay) assumption: "x" }
input spent: euro { from_records: sum(stays.cost) assumption: "x" }
indicator share {
  fields: [MCO, SSR] numerator: fed denominator: with_dmp result: numerator / denominator assumption: "x"
}
let_unused_is_fine_here: missing
"""


def spec(campaign_dir, text=TABLE):
    return campaign_dir({"c.spec": text.replace("let_unused_is_fine_here: missing", "")})


def stays_csv(path, rows):
    columns = ["finess", "field", "patient", "has_dmp", "dmp_fed", "days", "cost"]
    path.write_text("\n".join([",".join(columns)] + [",".join(str(v) for v in r) for r in rows]) + "\n", encoding="utf-8")
    return path


def establishments(path, keys):
    path.write_text("finess,field\n" + "".join(f"{f},{fld}\n" for f, fld in keys), encoding="utf-8")
    return path


# ------------------------------------------------------------------ counting
def test_counts_sums_and_distinct_patients_per_establishment_and_field(campaign_dir, tmp_path):
    c, d = compile_folder(spec(campaign_dir))
    assert not d.has_errors(), d.render()
    stays = stays_csv(tmp_path / "stays.csv", [
        ("590000001", "MCO", "p1", "true", "true", 3, "100.10"),
        ("590000001", "MCO", "p1", "true", "false", 31, "200.20"),   # same patient again
        ("590000001", "MCO", "p2", "false", "true", 30, "0.01"),     # no DMP: not in the denominator
        ("590000001", "SSR", "p3", "oui", "oui", 45, "10"),          # another field of the same establishment
    ])
    raw = pl.DataFrame({"finess": ["590000001", "590000001", "590000002"], "field": ["MCO", "SSR", "MCO"]})
    frame = with_records(raw, c.campaign, aggregate(c.campaign, {"stays": stays}), "e.csv")
    got = frame.select("finess", "field", "fed", "with_dmp", "patients", "long_days", "spent").to_dicts()
    assert got[0] == {"finess": "590000001", "field": "MCO", "fed": 1, "with_dmp": 2, "patients": 2,
                      "long_days": 61, "spent": Decimal("300.31")}
    assert got[1]["fed"] == 1 and got[1]["long_days"] == 45
    assert got[2] == {"finess": "590000002", "field": "MCO", "fed": 0, "with_dmp": 0, "patients": 0,
                      "long_days": 0, "spent": 0}, "no record: nothing counted"


def test_the_ifaq_example_in_records_gives_the_same_results(tmp_path, engine):
    c, _ = compile_folder(IFAQ_2024)
    frame = example_data.generate(1200, 4)
    paths = example_records.write_records(frame, 4, tmp_path / "records")
    example_data.write(frame, tmp_path / "full.csv")
    example_data.write(example_records.establishments_without_counts(frame), tmp_path / "etab.csv")
    expected = engine.evaluate(c, load_dataset(tmp_path / "full.csv", c.campaign)).rows
    from_records = engine.evaluate(c, load_with_records(tmp_path / "etab.csv", c.campaign, paths)).rows
    assert from_records.equals(expected)


def test_eval_takes_records_from_the_command_line(tmp_path):
    code, _, err = run_cli("example-data", "--rows", "300", "--seed", "2", "--out", tmp_path / "etab.csv",
                           "--records", tmp_path / "rec")
    assert code == 0, err
    code, out, err = run_cli("eval", IFAQ_2024, "--data", tmp_path / "etab.csv", "--quiet",
                             "--records", f"closed_stays={tmp_path / 'rec' / 'closed_stays.parquet'}",
                             "--records", f"correspondents={tmp_path / 'rec' / 'correspondents.parquet'}")
    assert code == 0, err
    expected = run_cli("example-data", "--rows", "300", "--seed", "2", "--out", tmp_path / "full.csv")
    code, full, _ = run_cli("eval", IFAQ_2024, "--data", tmp_path / "full.csv", "--quiet")
    assert out == full


# ------------------------------------------------------------------ bad records
def refused_records(campaign_dir, tmp_path, rows):
    c, _ = compile_folder(spec(campaign_dir))
    stays = stays_csv(tmp_path / "stays.csv", rows)
    data = establishments(tmp_path / "e.csv", [("590000001", "MCO")])
    with pytest.raises(DataError) as refused:
        load_with_records(data, c.campaign, {"stays": stays})
    return "\n".join(refused.value.problems), stays


GOOD = ("590000001", "MCO", "p1", "true", "true", 3, "1")


def test_a_malformed_record_is_refused_with_its_file_and_line(campaign_dir, tmp_path):
    problems, stays = refused_records(campaign_dir, tmp_path, [GOOD, GOOD, ("590000001", "MCO", "p1", "peut-être", "true", "3.5", "1")])
    assert f"{stays}:4: " in problems
    assert "has_dmp = « peut-être » : attendu oui ou non" in problems
    assert "days = « 3.5 » : attendu un nombre entier de jours" in problems


def test_a_record_of_an_unknown_field_or_a_bad_finess_is_refused(campaign_dir, tmp_path):
    """The key is checked once per establishment and field (after grouping): every record of a bad key is named."""
    problems, stays = refused_records(campaign_dir, tmp_path, [("59000001", "MCO", "p", "true", "true", 1, "1"),
                                                               ("590000001", "PSY", "p", "true", "true", 1, "1"),
                                                               GOOD, ("", "MCO", "p", "true", "true", 1, "1"),
                                                               ("59000001", "MCO", "q", "true", "true", 2, "1")])
    assert f"{stays}:2: finess « 59000001 » a 8 caractères, un FINESS en a 9" in problems
    assert f"{stays}:3: champ « PSY » inconnu ; champs possibles : MCO, SSR" in problems
    assert f"{stays}:5: finess est vide" in problems
    assert f"{stays}:6: finess « 59000001 » a 8 caractères" in problems
    assert f"{stays}:4:" not in problems


def test_negative_days_are_refused(campaign_dir, tmp_path):
    problems, stays = refused_records(campaign_dir, tmp_path, [GOOD, ("590000001", "MCO", "p", "true", "true", -2, "1")])
    assert f"{stays}:3: days = -2 est négatif" in problems


def test_a_table_without_its_columns_is_refused(campaign_dir, tmp_path):
    c, _ = compile_folder(spec(campaign_dir))
    stays = tmp_path / "stays.csv"
    stays.write_text("finess,field,patient\n590000001,MCO,p\n", encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load_with_records(establishments(tmp_path / "e.csv", [("590000001", "MCO")]), c.campaign, {"stays": stays})
    assert "colonnes manquantes : has_dmp, dmp_fed, days, cost" in refused.value.problems[0]


def test_a_record_column_named_twice_is_refused_not_read_from_one_of_the_two(campaign_dir, tmp_path):
    c, _ = compile_folder(spec(campaign_dir))
    stays = tmp_path / "stays.csv"
    stays.write_text("finess,field,patient,has_dmp,dmp_fed,days,cost,days\n590000001,MCO,p,true,true,3,1,40\n",
                     encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load_with_records(establishments(tmp_path / "e.csv", [("590000001", "MCO")]), c.campaign, {"stays": stays})
    assert refused.value.path == str(stays)
    assert refused.value.problems[0] == ("la colonne « days » apparaît deux fois dans l'en-tête (colonnes 6 et 8) : "
                                         "on ne sait pas laquelle lire")


def test_a_count_given_twice_is_refused(campaign_dir, tmp_path):
    c, _ = compile_folder(spec(campaign_dir))
    stays = stays_csv(tmp_path / "stays.csv", [GOOD])
    data = tmp_path / "e.csv"
    data.write_text("finess,field,fed\n590000001,MCO,3\n", encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load_with_records(data, c.campaign, {"stays": stays})
    assert "la colonne fed est aussi calculée à partir des enregistrements" in refused.value.problems[0]


# ------------------------------------------------------------------ the language
@pytest.mark.parametrize("formula, message", [
    ("count(stays where dmp_fd)", "nom inconnu « dmp_fd »"),
    ("count(sejours)", "table inconnue « sejours »"),
    ("sum(stays.has_dmp)", "sum additionne ou compare des nombres ; la colonne « has_dmp » est boolean"),
    ("sum(stays)", "sum lit une colonne, pas une table entière"),
    ("count(stays.nope)", "« nope » n'est pas une colonne de la table « stays »"),
    ("count(stays where with_dmp > 3)", "ne lit que les colonnes de la table « stays » et des paramètres ; « with_dmp » n'en est pas"),
    ("count(stays where days)", "doit être vrai ou faux"),
    ("sum(stays.cost)", "la donnée « fed » est déclarée count, mais sum(…) donne euro"),
])
def test_a_wrong_record_formula_is_an_error_at_its_line(campaign_dir, formula, message):
    text = TABLE.replace("count(stays where dmp_fed and has_dmp)", formula)
    _, d = compile_folder(spec(campaign_dir, text))
    rendered = d.render()
    assert d.has_errors() and message in rendered, rendered
    assert "c.spec:11:" in rendered


def test_inputs_lists_each_table_with_what_is_computed_from_it():
    code, out, _ = run_cli("inputs", IFAQ_2024)
    assert code == 0
    assert "table closed_stays — Séjours clôturés dans le mois (clé : finess, field)" in out
    assert "→ num1_numerator : calculé à partir de la table « Séjours clôturés dans le mois » : nombre " \
           "d'enregistrements où has_dmp et non excluded et dmp_fed, par établissement et champ" in out


# ------------------------------------------------------------------ on Spark
def test_spark_aggregates_the_records_where_they_are_to_the_same_counts(spark_session, tmp_path):
    from qualispec.runtime.engines.spark.records import aggregate as spark_aggregate

    c, _ = compile_folder(IFAQ_2024)
    paths = example_records.write_records(example_data.generate(800, 9), 9, tmp_path / "records")
    on_polars = aggregate(c.campaign, paths).sort("finess", "field")
    on_spark = spark_aggregate(c.campaign, {k: str(v) for k, v in paths.items()}, spark_session).sort("finess", "field")
    assert on_spark.select(on_polars.columns).equals(on_polars)


def test_spark_refuses_a_malformed_record_naming_its_file_line_and_key(spark_session, campaign_dir, tmp_path):
    from qualispec.runtime.engines.spark.records import aggregate as spark_aggregate

    c, _ = compile_folder(spec(campaign_dir))
    stays = stays_csv(tmp_path / "stays.csv", [GOOD, ("590000001", "MCO", "p", "true", "true", -2, "1"),
                                               ("590000001", "MCO", "p", "bof", "true", 1, "1"),
                                               ("590000001", "PSY", "p", "true", "true", 1, "1")])
    with pytest.raises(DataError) as refused:
        spark_aggregate(c.campaign, {"stays": str(stays)}, spark_session)
    problems = "\n".join(refused.value.problems)
    assert f"{stays}:3 (finess 590000001, field MCO) : days = -2 est négatif" in problems  # line 1: the header
    assert f"{stays}:4 (finess 590000001, field MCO) : has_dmp = « bof » : attendu oui ou non" in problems
    assert f"{stays}:5 (finess 590000001, field PSY) : champ « PSY » inconnu" in problems
    only_the_key = stays_csv(tmp_path / "key.csv", [GOOD, ("590000001", "PSY", "p", "true", "true", 1, "1")])
    with pytest.raises(DataError) as refused:  # the key is checked on the aggregates' rows: still refused
        spark_aggregate(c.campaign, {"stays": str(only_the_key)}, spark_session)
    assert "champ « PSY » inconnu ; champs possibles : MCO, SSR" in "\n".join(refused.value.problems)


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_spark_names_the_line_of_a_malformed_record_in_a_file_read_in_many_splits(spark_session, campaign_dir,
                                                                                  tmp_path, kind):
    """Spark reads a large file in splits, each by a task of its own: the line is still the line in the file,
    and in a folder of parts, the line in the part (the embedded engine's numbers for the same file)."""
    from qualispec.runtime.engines.spark.records import aggregate as spark_aggregate

    c, _ = compile_folder(spec(campaign_dir))
    rows = [("59000000" + str(i % 7 + 1), "MCO", f"p{i}", "true", "true", 3, "1") for i in range(6000)]
    rows[4321] = ("590000002", "MCO", "p", "true", "true", -2, "1")  # the file's 4 322nd record, line 4 323
    folder = tmp_path / f"stays.{kind}"  # a folder of parts, named as Spark names one it writes
    folder.mkdir()
    frame = pl.read_csv(stays_csv(tmp_path / "all.csv", rows), schema_overrides={"finess": pl.String})
    if kind == "csv":
        stays_csv(folder / "b.csv", rows)
        stays_csv(folder / "a.csv", rows[:10])
        said = f"{folder / 'b.csv'}:4323 (finess 590000002, field MCO) : days = -2 est négatif"
    else:
        frame.head(10).write_parquet(folder / "a.parquet")
        frame.write_parquet(folder / "b.parquet", row_group_size=500)
        said = f"{folder / 'b.parquet'}: enregistrement 4322 (finess 590000002, field MCO) : days = -2 est négatif"
    spark_session.conf.set("spark.sql.files.maxPartitionBytes", "4k")
    try:
        read = spark_session.read.option("header", True).csv if kind == "csv" else spark_session.read.parquet
        splits = read(str(folder / f"b.{kind}")).select("_metadata.file_block_start").distinct().count()
        with pytest.raises(DataError) as refused:
            spark_aggregate(c.campaign, {"stays": str(folder)}, spark_session)
    finally:
        spark_session.conf.unset("spark.sql.files.maxPartitionBytes")
    assert splits >= 2  # splits of 4 kB at most: the refused record (72 % into the file) is not in the first one
    assert any(p.startswith(said) for p in refused.value.problems), refused.value.problems
    embedded = tmp_path / f"b.{kind}"
    (folder / f"b.{kind}").rename(embedded)
    with pytest.raises(DataError) as refused:
        aggregate(c.campaign, {"stays": embedded})
    assert refused.value.problems[0].startswith(said.split(" (")[0].replace(str(folder / f"b.{kind}"), str(embedded)))


def test_spark_refuses_a_record_column_named_twice(spark_session, campaign_dir, tmp_path):
    from qualispec.runtime.engines.spark.records import aggregate as spark_aggregate

    c, _ = compile_folder(spec(campaign_dir))
    stays = tmp_path / "stays.csv"
    stays.write_text("finess,field,patient,has_dmp,dmp_fed,days,cost,days\n590000001,MCO,p,true,true,3,1,40\n",
                     encoding="utf-8")
    with pytest.raises(DataError) as refused:
        spark_aggregate(c.campaign, {"stays": str(stays)}, spark_session)
    assert "la colonne « days » apparaît deux fois dans l'en-tête (colonnes 6 et 8)" in refused.value.problems[0]


def test_eval_on_spark_with_records_from_the_command_line(spark_session, tmp_path):
    run_cli("example-data", "--rows", "300", "--seed", "2", "--out", tmp_path / "etab.csv", "--records", tmp_path / "rec")
    records = ["--records", f"closed_stays={tmp_path / 'rec' / 'closed_stays.parquet'}",
               "--records", f"correspondents={tmp_path / 'rec' / 'correspondents.parquet'}"]
    outputs = []
    for engine in ("polars", "spark"):
        code, out, err = run_cli("eval", IFAQ_2024, "--data", tmp_path / "etab.csv", "--quiet", "--engine", engine, *records)
        assert code == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1]
