"""CAQES 2022 health products and transports, CPOM « Trajectoire », from their records, on both engines.

CAQES 2022 (webinar « nouveau CAQES », indicateurs nationaux): the perfusion, ezetimibe and
dressing spending of the evaluated and the previous year are summed from the city
dispensings, and so are the prerequisites' amounts; the dressing patients are counted once
each however many dispensings they had; the ambulance, VSL and taxi spending come from the
transports (so does the ambulance's share, the indicator's result). CPOM « Trajectoire »: the
transfers to SSR or HAD and the SSR admissions, and how many went through Trajectoire.

Each test builds, from the bundled establishment example, records that add up to its values,
plus records that must count nowhere (a gravity perfusion, a dispensing of another year, a
second dispensing of the same patient, an ambulance outside the city envelope, a transfer to
another destination). Evaluated from the records, each campaign gives the same results as from
its establishment table. A malformed record is refused with its file and line.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from conftest import ROOT, compile_folder
from qualispec.runtime.data.dataset import DataError, load_dataset
from qualispec.runtime.data.records import aggregate, load_with_records

CAQES_2022 = ROOT / "specs" / "caqes" / "2022"
CPOM = ROOT / "specs" / "ars-cpom"
PERFUSIONS = ("perfusion_active_spending", "perfusion_spending", "perfusion_spending_previous")
EZETIMIBE = ("ezetimibe_prescription_spending", "ezetimibe_spending", "ezetimibe_spending_previous")
DRESSINGS = ("dressing_patients", "dressing_reimbursed", "dressing_spending", "dressing_spending_previous")
TRANSPORTS = ("transport_amb_spending", "transport_vsl_spending", "transport_taxi_spending")
TRAJECTOIRE = ("trajectoire_transfers", "transfers_ssr_had_total", "trajectoire_ssr_admissions", "ssr_admissions_total")
EURO = pl.Decimal(38, 2)
PERIODS = {"in_prerequisite_period": pl.Boolean, "in_evaluated_year": pl.Boolean, "in_previous_year": pl.Boolean}
PREREQUISITE, EVALUATED, PREVIOUS, NONE = (True, False, False), (False, True, False), (False, False, True), (False, False, False)


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """``amount`` in ``parts`` amounts to the cent that add up to it exactly."""
    share = (amount / parts).quantize(Decimal("0.01"))
    return [share] * (parts - 1) + [amount - share * (parts - 1)]


def perfusions(table: pl.DataFrame) -> pl.DataFrame:
    """Active-system perfusions carrying each period's spending; a gravity perfusion in every period
    and an active one of another year, which count nowhere."""
    rows = []
    for r in table.iter_rows(named=True):
        for column, period in zip(PERFUSIONS, (PREREQUISITE, EVALUATED, PREVIOUS)):
            rows += [(r["finess"], part, True, *period) for part in split(Decimal(r[column]), 3)]
        rows += [(r["finess"], Decimal("500.00"), False, True, True, True), (r["finess"], Decimal("80.00"), True, *NONE)]
    return pl.DataFrame(rows, orient="row", schema={"finess": pl.String, "reimbursed": EURO,
                                                     "active_system": pl.Boolean, **PERIODS})


def ezetimibe(table: pl.DataFrame) -> pl.DataFrame:
    """Dispensings carrying each period's spending, and one of another year that counts nowhere."""
    rows = []
    for r in table.iter_rows(named=True):
        for column, period in zip(EZETIMIBE, (PREREQUISITE, EVALUATED, PREVIOUS)):
            rows += [(r["finess"], part, *period) for part in split(Decimal(r[column]), 2)]
        rows.append((r["finess"], Decimal("45.10"), *NONE))
    return pl.DataFrame(rows, orient="row", schema={"finess": pl.String, "reimbursed": EURO, **PERIODS})


def dressings(table: pl.DataFrame) -> pl.DataFrame:
    """In the prerequisites' period, each patient has two dispensings (counted once) and together they
    carry the reimbursed amount; the evaluated and previous years' spending are dispensed to other
    patients, who are not counted among the prerequisite's patients."""
    rows = []
    for r in table.iter_rows(named=True):
        finess, patients = r["finess"], int(r["dressing_patients"])
        amounts = split(Decimal(r["dressing_reimbursed"]), 2 * patients)
        rows += [(finess, f"{finess}-p{i % patients}", amount, *PREREQUISITE) for i, amount in enumerate(amounts)]
        for column, period in (("dressing_spending", EVALUATED), ("dressing_spending_previous", PREVIOUS)):
            rows += [(finess, f"{finess}-autre{i}", part, *period) for i, part in enumerate(split(Decimal(r[column]), 4))]
    return pl.DataFrame(rows, orient="row", schema={"finess": pl.String, "patient": pl.String, "reimbursed": EURO,
                                                     **PERIODS})


def transports(table: pl.DataFrame) -> pl.DataFrame:
    """Each mode's spending on the city envelope; an ambulance outside it, which counts nowhere."""
    rows = []
    for r in table.iter_rows(named=True):
        for mode, column in zip(("AMB", "VSL", "TXI"), TRANSPORTS):
            rows += [(r["finess"], mode, part, True) for part in split(Decimal(r[column]), 2)]
        rows.append((r["finess"], "AMB", Decimal("999.99"), False))
    return pl.DataFrame(rows, orient="row", schema={"finess": pl.String, "mode": pl.String, "reimbursed": EURO,
                                                     "city_envelope": pl.Boolean})


def transfers(table: pl.DataFrame) -> pl.DataFrame:
    """The transfers to SSR (about two thirds) or HAD, the first ones through Trajectoire, and one
    transfer to another destination (through Trajectoire too) that counts in neither number."""
    rows = []
    for r in table.iter_rows(named=True):
        total, via = int(r["transfers_ssr_had_total"]), int(r["trajectoire_transfers"])
        rows += [(r["finess"], "HAD" if i % 3 == 2 else "SSR", i < via) for i in range(total)]
        rows.append((r["finess"], "domicile", True))
    return pl.DataFrame(rows, orient="row", schema={"finess": pl.String, "destination": pl.String,
                                                     "via_trajectoire": pl.Boolean})


def ssr_admissions(table: pl.DataFrame) -> pl.DataFrame:
    rows = []
    for r in table.iter_rows(named=True):
        total, via = int(r["ssr_admissions_total"]), int(r["trajectoire_ssr_admissions"])
        rows += [(r["finess"], i < via) for i in range(total)]
    return pl.DataFrame(rows, orient="row", schema={"finess": pl.String, "via_trajectoire": pl.Boolean})


def caqes_records(full: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {"perfusion_dispensings": perfusions(full), "ezetimibe_dispensings": ezetimibe(full),
            "dressing_dispensings": dressings(full), "transport_prescriptions": transports(full)}


def cpom_records(full: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {"transfers": transfers(full), "ssr_admissions": ssr_admissions(full)}


def both_routes(engine, folder, full: pl.DataFrame, computed, records: dict[str, pl.DataFrame], tmp_path):
    """The results from the whole establishment table, and from it without ``computed`` plus the records."""
    c, _ = compile_folder(folder)
    full.write_csv(tmp_path / "full.csv")
    full.drop(computed).write_csv(tmp_path / "etab.csv")
    paths = written(records, tmp_path)
    expected = engine.evaluate(c, load_dataset(tmp_path / "full.csv", c.campaign)).rows
    got = engine.evaluate(c, load_with_records(tmp_path / "etab.csv", c.campaign, paths)).rows
    return expected, got


def test_caqes_health_products_and_transports_from_their_records(engine, tmp_path):
    full = pl.read_csv(ROOT / "examples" / "caqes_2022.csv", infer_schema=False)
    computed = PERFUSIONS + EZETIMIBE + DRESSINGS + TRANSPORTS
    expected, got = both_routes(engine, CAQES_2022, full, computed, caqes_records(full), tmp_path)
    assert got.equals(expected)
    assert got["transport_result"].is_not_null().all(), "the ambulance's share is computed for every establishment"
    paid = [c for c in ("perfusions_payout", "ezetimibe_payout", "dressings_payout", "transport_payout")
            if got[c].cast(pl.Float64).sum() > 0]
    assert paid, "some of these indicators pay someone: the test means something"


def test_cpom_trajectoire_counts_from_the_transfers_and_admissions(engine, tmp_path):
    full = pl.read_csv(ROOT / "examples" / "ars_cpom.csv", infer_schema=False)
    expected, got = both_routes(engine, CPOM, full, TRAJECTOIRE, cpom_records(full), tmp_path)
    assert got.equals(expected)
    assert got["trajectoire_transfers_rate_result"].is_not_null().all()


def test_the_records_add_up_to_the_establishment_values(tmp_path):
    """What the two tests above rely on: per establishment, the records give back the table's values
    (a patient with two dispensings counted once; gravity, other years, other envelopes, other
    destinations left out)."""
    c, _ = compile_folder(CAQES_2022)
    full = pl.read_csv(ROOT / "examples" / "caqes_2022.csv", infer_schema=False)
    from_records = aggregate(c.campaign, written(caqes_records(full), tmp_path)).sort("finess")
    for column in PERFUSIONS + EZETIMIBE + DRESSINGS + TRANSPORTS:
        got = [Decimal(str(v)) for v in from_records[column]]
        assert got == [Decimal(v) for v in full.sort("finess")[column]], column
    cpom, _ = compile_folder(CPOM)
    full = pl.read_csv(ROOT / "examples" / "ars_cpom.csv", infer_schema=False)
    counted = aggregate(cpom.campaign, written(cpom_records(full), tmp_path)).sort("finess")
    assert counted.select(TRAJECTOIRE).equals(full.sort("finess").select(pl.col(TRAJECTOIRE).cast(pl.Int64)))


def written(records: dict[str, pl.DataFrame], folder) -> dict:
    """Each table of records in its Parquet file, as a user gives them (``--records name=file``)."""
    paths = {}
    for name, frame in records.items():
        paths[name] = folder / f"{name}.parquet"
        frame.write_parquet(paths[name])
    return paths


# ------------------------------------------------------------------ bad records
BAD = [
    ("dressing_dispensings", "finess,patient,reimbursed,in_prerequisite_period,in_evaluated_year,in_previous_year",
     "010000016,p1,12.50,peut-être,false,false", "in_prerequisite_period = « peut-être » : attendu oui ou non"),
    ("perfusion_dispensings", "finess,reimbursed,active_system,in_prerequisite_period,in_evaluated_year,in_previous_year",
     "010000016,-40.00,true,false,true,false", "reimbursed = -40.00 est négatif ; un montant enregistré ne peut pas l'être"),
    ("ezetimibe_dispensings", "finess,reimbursed,in_prerequisite_period,in_evaluated_year,in_previous_year",
     "010000016,douze,false,true,false", "reimbursed = « douze » : attendu un nombre"),
    ("transport_prescriptions", "finess,mode,reimbursed,city_envelope",
     "10000016,AMB,310.00,true", "finess « 10000016 » a 8 caractères, un FINESS en a 9"),
]


@pytest.mark.parametrize("table, header, bad, said", BAD, ids=[b[0] for b in BAD])
def test_a_malformed_caqes_record_is_refused_with_its_file_and_line(table, header, bad, said, tmp_path):
    c, _ = compile_folder(CAQES_2022)
    full = pl.read_csv(ROOT / "examples" / "caqes_2022.csv", infer_schema=False)
    good = _a_good_line(header)
    path = tmp_path / f"{table}.csv"
    path.write_text("\n".join([header, good, good, bad]) + "\n", encoding="utf-8")
    full.write_csv(tmp_path / "etab.csv")
    with pytest.raises(DataError) as refused:
        load_with_records(tmp_path / "etab.csv", c.campaign, {table: path})
    problems = "\n".join(refused.value.problems)
    assert f"{path}:4: " in problems and said in problems, problems
    assert "rien n'a été calculé" in problems


@pytest.mark.parametrize("table, text, said", [
    ("transfers", "finess,destination,via_trajectoire\n010000016,SSR,oui\n010000016,HAD,bof\n",
     "via_trajectoire = « bof » : attendu oui ou non"),
    ("ssr_admissions", "finess,via_trajectoire\n010000016,non\n2A0000016,oui\n01000001X,oui\n",
     "finess « 01000001X » n'est pas un numéro FINESS"),
], ids=["transfers", "ssr_admissions"])
def test_a_malformed_cpom_record_is_refused_with_its_file_and_line(table, text, said, tmp_path):
    c, _ = compile_folder(CPOM)
    path = tmp_path / f"{table}.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load_with_records(ROOT / "examples" / "ars_cpom.csv", c.campaign, {table: path})
    problems = "\n".join(refused.value.problems)
    line = len(text.splitlines())
    assert f"{path}:{line}: {said}" in problems, problems
    assert f"{path}:{line - 1}:" not in problems, "the record before it is well formed"


def _a_good_line(header: str) -> str:
    values = {"finess": "010000016", "patient": "p1", "reimbursed": "12.50", "mode": "AMB"}
    return ",".join(values.get(column, "true") for column in header.split(","))


# ------------------------------------------------------------------ on Spark
def test_spark_aggregates_these_records_as_the_embedded_path_does(spark_session, tmp_path):
    from qualispec.runtime.engines.spark.records import aggregate as spark_aggregate

    for folder, example, build in ((CAQES_2022, "caqes_2022.csv", caqes_records), (CPOM, "ars_cpom.csv", cpom_records)):
        c, _ = compile_folder(folder)
        paths = written(build(pl.read_csv(ROOT / "examples" / example, infer_schema=False)), tmp_path)
        on_polars = aggregate(c.campaign, paths).sort("finess")
        on_spark = spark_aggregate(c.campaign, {k: str(v) for k, v in paths.items()}, spark_session).sort("finess")
        assert on_spark.select(on_polars.columns).equals(on_polars), folder
