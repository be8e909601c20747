"""`qualispec fmt`: one layout for every spec, comments kept, the meaning never changed."""

from __future__ import annotations

from conftest import SPECS, run_cli
from qualispec.compiler.syntax.layout import format_text


def test_every_shipped_spec_is_in_the_canonical_layout():
    code, out, err = run_cli("fmt", "--check", SPECS)
    assert code == 0, err
    assert out.endswith(" fichiers lus, 0 fichier à remettre en forme\n")


def test_the_layout_of_a_messy_spec(tmp_path):
    messy = '''# Une campagne d'essai


campaign   demo{label:"Démo"   source: doc "§1"}   # en tête
document doc {
      label: "Document"
}
parameter rate : percent = 60 % { source: doc "§2" }
indicator a {
label: "A"
   result: (n  +  1)/n
   target: - 5% + rate
   score: if result >= target
   then 100%
   else 0%
   description: """
       Un texte sur
         plusieurs lignes, gardé tel quel.
       """
   source: doc "§3"   # la section
}
drop x,
  y { reason: "r" }



'''
    expected = '''# Une campagne d'essai

campaign demo { label: "Démo" source: doc "§1" }  # en tête
document doc {
  label: "Document"
}
parameter rate: percent = 60% { source: doc "§2" }
indicator a {
  label: "A"
  result: (n + 1) / n
  target: -5% + rate
  score: if result >= target
      then 100%
      else 0%
  description: """
       Un texte sur
         plusieurs lignes, gardé tel quel.
       """
  source: doc "§3"  # la section
}
drop x,
    y { reason: "r" }
'''
    assert format_text(messy) == expected
    assert format_text(expected) == expected  # idempotent


def test_a_spec_that_does_not_parse_is_left_alone(tmp_path):
    spec = tmp_path / "c.spec"
    spec.write_text('input n: count {\n  label: "N\n}\n', encoding="utf-8")
    code, _, err = run_cli("fmt", spec)
    assert code == 1
    assert "ce texte n'est pas fermé" in err
    assert spec.read_text(encoding="utf-8") == 'input n: count {\n  label: "N\n}\n'


def test_check_lists_the_files_to_lay_out_and_writes_nothing(tmp_path):
    spec = tmp_path / "c.spec"
    spec.write_text('document doc {label: "D"}\n', encoding="utf-8")
    code, out, err = run_cli("fmt", "--check", tmp_path)
    assert code == 1
    assert err == f"{spec} : pas dans la mise en forme canonique (qualispec fmt {spec})\n"
    assert out == "1 fichier lu, 1 fichier à remettre en forme\n"
    assert spec.read_text(encoding="utf-8") == 'document doc {label: "D"}\n'
    code, out, _ = run_cli("fmt", tmp_path)
    assert code == 0 and out == "1 fichier lu, 1 fichier remis en forme\n"
    assert spec.read_text(encoding="utf-8") == 'document doc { label: "D" }\n'


def test_a_repeat_placeholder_glued_to_a_name_stays_glued():
    from qualispec.compiler.syntax.layout import format_text
    text = 'repeat after in ["mco", "ssr"] {\n  input stays_{after}: count { optional: true label: "x" source: d "s" }\n}\n'
    formatted = format_text(text)
    assert formatted is not None and "stays_{after}" in formatted and "stays_ {" not in formatted
def test_new_starts_ifaq_2025_from_2024_and_it_checks_at_once(tmp_path):
    import shutil

    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    code, out, _ = run_cli("new", tmp_path / "ifaq" / "2024", tmp_path / "ifaq" / "2025")
    assert code == 0
    new = tmp_path / "ifaq" / "2025"
    campaign = (new / "campaign.spec").read_text(encoding="utf-8")
    assert 'campaign ifaq_2025 extends "../2024" {' in campaign and "  year: 2025\n" in campaign
    carried = (new / "carried.spec").read_text(encoding="utf-8")
    assert "# paramètre : Valeur cible de rémunération de Num.1\ncarry num1_target {\n" \
           '  assumption: "À COMPLÉTER : pourquoi cette règle de ifaq_2024 vaut-elle toujours ?"\n}\n' in carried
    count = carried.count("\ncarry ")
    assert f"; {count} règles héritées reprises (carry)" in out
    code, out, err = run_cli("check", new)
    assert code == 0, err  # it checks at once, and each rule nobody has confirmed yet is said at its line
    said = err.count("est encore « À COMPLÉTER » : la règle est reprise sans que personne ait dit pourquoi")
    assert said == count + 1  # each carry's assumption, and the campaign's source
    assert out == f"1 campagne vérifiée (« IFAQ 2025 — indicateurs numériques ») : 0 erreur, {said} avertissements\n"
    code, _, _ = run_cli("fmt", "--check", new)
    assert code == 0
    code, _, err = run_cli("new", tmp_path / "ifaq" / "2024", new)  # never overwrites
    assert code == 1 and "existe déjà et n'est pas vide : rien n'est écrit" in err


def test_names_written_once_per_item_keep_their_braces():
    spec = '''repeat root in [A, B] {
input readmissions_{root}: count {label: "Réhospitalisations {root}" assumption: "essai"}
}
'''
    assert format_text(spec) == '''repeat root in [A, B] {
  input readmissions_{root}: count { label: "Réhospitalisations {root}" assumption: "essai" }
}
'''
