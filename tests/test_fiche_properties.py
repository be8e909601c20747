"""What a spec writes reaches its fiche: notes, sentence targets, objectives, statuses, an undeclared unit."""

from __future__ import annotations

from tests.conftest import run_cli, write_campaign

SPEC = '''
campaign essai {
  label: "Campagne d'essai"
  scheme: "ESSAI"
  year: 2024
  assumption: "campagne d'essai"
}
input letters: count { assumption: "essai" }
input patients: count { assumption: "essai" }
input letters_status: category { values: ["renseigne", "non_concerne"] assumption: "essai" }
indicator letters_rate {
  label: "Lettres de liaison"
  numerator: letters
  denominator: patients
  target: "A négocier localement"
  status: letters_status
  note: "La cible se négocie établissement par établissement."
  assumption: "essai"
}
indicator ip_dms {
  label: "IP-DMS"
  result: letters
  target: 500
  assumption: "essai"
}
'''


def fiche(tmp_path, name: str) -> str:
    folder = write_campaign(tmp_path / "c", {"campaign.spec": SPEC})
    code, _, err = run_cli("docs", folder, "--out", tmp_path / "site")
    assert code == 0, err
    return (tmp_path / "site" / "essai" / "fiches" / f"{name}.md").read_text(encoding="utf-8")


def test_a_note_reaches_the_fiche(tmp_path):
    assert "| Note | La cible se négocie établissement par établissement. |" in fiche(tmp_path, "letters_rate")


def test_a_sentence_target_is_shown_as_written(tmp_path):
    assert "| Valeur cible (objectif) | A négocier localement |" in fiche(tmp_path, "letters_rate")


def test_a_scheme_that_does_not_pay_shows_rules_and_objectives(tmp_path):
    text = fiche(tmp_path, "ip_dms")
    assert "## Règles et objectifs" in text and "Règles de rémunération" not in text
    assert "| Objectif atteint si | résultat ≥ cible |" in text
    assert "Règle par défaut" in text  # the default ≥ is said, not hidden


def test_statuses_are_explained_in_the_fiche(tmp_path):
    text = fiche(tmp_path, "letters_rate")
    assert "| Statuts de recueil | « renseigne » : renseigné" in text
    assert "« non\\_concerne » : non concerné" in text


def test_an_indicator_without_unit_says_non_precisee(tmp_path):
    assert "| Unité | non précisée |" in fiche(tmp_path, "ip_dms")
    assert "| Unité | pourcentage (%) |" not in fiche(tmp_path, "ip_dms")
