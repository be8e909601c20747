"""Les messages du compilateur, en français (la langue des auteurs de specs)."""

KINDS = {  # nom, article
    "campaign": ("campagne", "une"), "document": ("document", "un"), "field": ("champ", "un"),
    "category": ("catégorie", "une"), "input": ("donnée d'entrée", "une"), "parameter": ("paramètre", "un"),
    "indicator": ("indicateur", "un"), "prerequisite": ("prérequis", "un"), "group": ("groupe", "un"),
    "curve": ("courbe", "une"), "envelope": ("enveloppe", "une"), "override": ("override", "un"),
    "carry": ("carry", "un"), "drop": ("drop", "un"), "table": ("table", "une"),
}
QUOTE = "« {} »"
ZERO_IS_SINGULAR = True  # « 0 erreur » / "0 errors"
OR = "ou"


def article(noun: str) -> str:
    return "un"


TOKENS = {
    "NAME": "un nom", "STRING": "un texte entre guillemets", "NUMBER": "un nombre", "UNIT": "une unité",
    "LBRACE": "« { »", "RBRACE": "« } »", "LPAR": "« ( »", "RPAR": "« ) »", "LSQB": "« [ »", "RSQB": "« ] »",
    "COLON": "« : »", "COMMA": "« , »", "EQUAL": "« = »", "DOT": "« . »", "COMP_OP": "une comparaison",
    "ADD_OP": "« + » ou « - »", "MUL_OP": "« * » ou « / »", "MINUS": "« - »", "KIND": "une déclaration",
    "$END": "la fin du fichier", "__ANON_0": "« -> »", "__ANON_1": "« => »",
}

# code: (message, correction)
MESSAGES = {
    # mots des rendus
    "severity.error": ("erreur", ""),
    "severity.warning": ("avertissement", ""),
    "label.note": ("note", ""),
    "label.hint": ("correction", ""),
    "phrase.or": ("ou", ""),
    "phrase.something_else": ("autre chose", ""),
    "phrase.kind_with_article": ("{kind:un}", ""),
    "hint.did_you_mean": ("vouliez-vous dire {options} ?", ""),
    "summary.check": ("{campaigns:pl(campagne vérifiée,campagnes vérifiées)} ({names}) : {errors:pl(erreur,erreurs)}, {warnings:pl(avertissement,avertissements)}", ""),

    # syntaxe
    "syntax.decimal_comma": (
        "« {written} » : une virgule décimale à la française ; les décimales s'écrivent avec un point",
        "écrivez {fixed}"),
    "syntax.non_ascii_name": (
        "le nom « {name} » contient « {char} » : un nom s'écrit sans accent ni lettre hors de a-z, A-Z, 0-9 et _",
        "écrivez {fixed} (le libellé, lui, peut garder les accents : label: \"…\")"),
    "syntax.unclosed_string": (
        "ce texte n'est pas fermé : le guillemet ouvert ici n'a pas de guillemet fermant sur la ligne",
        "ajoutez « \" » à la fin du texte ; un texte sur plusieurs lignes s'écrit entre \"\"\" et \"\"\""),
    "syntax.unclosed_long_text": (
        "ce texte sur plusieurs lignes, ouvert ici par \"\"\", n'est jamais fermé",
        "ajoutez \"\"\" à la fin du texte"),
    "syntax.unclosed_bracket": (
        "« {bracket} » ouvert ici, ligne {line}, n'est pas fermé avant la déclaration de la ligne {next_line}",
        "ajoutez « {closer} » à la fin de la déclaration, avant la ligne {next_line}"),
    "syntax.unclosed_bracket_at_end": (
        "« {bracket} » ouvert ici, ligne {line}, n'est jamais fermé : le fichier se termine avant",
        "ajoutez « {closer} » à la fin de la déclaration"),
    "syntax.unexpected_end": (
        "le fichier se termine au milieu d'une déclaration",
        "attendu : {expected} ; manque-t-il « } » ou « ) » ?"),
    "syntax.unexpected_character": ("caractère inattendu {char}", "attendu : {expected}"),
    "syntax.unexpected_token": ("« {token} » inattendu", "attendu : {expected}"),

    # chargement des dossiers et héritage
    "load.unreadable": ("impossible de lire ce fichier : {error}", "enregistrez-le en texte UTF-8"),
    "load.no_campaign": (
        "le dossier {folder} contient des fichiers .spec mais aucune déclaration campaign",
        "ajoutez un fichier campaign.spec avec : campaign NOM {{ label: \"…\" source: … }}"),
    "load.two_campaigns": (
        "un dossier contient une seule campagne ; « {name} » est déjà déclarée en {place}",
        "mettez chaque campagne dans son propre dossier"),
    "load.extends_itself": ("la campagne « {name} » s'étend elle-même par {path}",
                            "extends désigne le dossier d'une autre campagne, par exemple \"../2022\""),
    "load.extends_missing": (
        "la campagne « {name} » étend \"{path}\", qui n'est pas un dossier de fichiers .spec",
        "le chemin part du dossier de cette campagne, par exemple \"../2022\""),
    "load.decision_without_extends": (
        "« {kind} » n'a de sens que dans une campagne qui en étend une autre",
        "ajoutez extends \"../<année>\" à la déclaration de la campagne, ou déclarez la règle directement"),
    "load.decision_targets_nothing": (
        "{kind} « {name} » ne désigne rien d'hérité de {base}",
        "les noms que déclare {base} sont listés par : qualispec graph"),
    "load.already_inherited": (
        "« {name} » est hérité de {base} ({place})",
        "écrivez « override {name} {{ … }} » pour le modifier, ou « drop {name} » pour le retirer"),
    "load.duplicate_name": ("nom « {name} » en double : déjà déclaré en {place}",
                            "donnez à chaque déclaration son propre nom"),
    "load.two_decisions": (
        "deux décisions contradictoires sur « {name} » : {first} en {place}, puis {second} ici",
        "gardez une seule décision pour « {name} » : override (modifié), carry (repris) ou drop (retiré)"),
    "load.drop_needs_reason": ("drop « {name} » doit donner sa raison", "ajoutez : reason: \"…\""),
    "load.carry_needs_assumption": (
        "carry « {name} » doit dire, en hypothèse, pourquoi la règle vaut toujours",
        "ajoutez : assumption: \"…\""),
    "load.override_value_not_parameter": (
        "override {name} = … : seul un paramètre a une valeur à modifier ; « {name} » est {kind:un}",
        "modifiez plutôt ses propriétés : override {name} {{ … }}"),
    "load.rename_exists": ("override {name} as {new_name} : « {new_name} » existe déjà",
                           "choisissez un autre nouveau nom"),
    "load.undecided": (
        "la campagne « {campaign} » hérite de {base} {count:pl(règle,règles)} sans dire ce qu'elle en fait (override, carry ou drop) : {names}",
        "dites ce que décident les nouveaux documents pour chacune : « override NOM {{ … }} », "
        "« carry NOM {{ assumption: \"…\" }} » ou « drop NOM {{ reason: \"…\" }} » ; "
        "qualispec new écrit ces carry pour une nouvelle campagne"),
    "note.inherited_here": ("à l'endroit hérité de {base} : {place}", ""),
    "note.first_decision": ("première décision : {place}", ""),

    # commandes et chemins
    "path.missing": ("aucun fichier ni dossier : {path}", "vérifiez le chemin"),
    "path.no_spec": ("aucun fichier .spec sous {path}", "donnez le dossier d'une campagne, par exemple specs/ifaq/2024"),
    "path.many_campaigns": ("{path} contient {count} campagnes ; désignez un seul dossier", "un de : {names}"),

    # preuves et graphe
    "proof.no_group": ("le champ {field} n'a aucun groupe de comparaison",
                       "déclarez les groupes de {field} : group NOM {{ field: {field} when: … }}"),
    "proof.unprovable": ("impossible de prouver que les groupes de {field} le partagent : {reason}",
                         "les conditions d'un groupe ne doivent lire que des données d'entrée et des paramètres"),
    "proof.overlap": ("les groupes {first} et {second} du champ {field} se chevauchent",
                      "rendez les conditions exclusives : l'une doit exclure ce que l'autre couvre"),
    "proof.overlap_example": ("un établissement avec {example} tombe dans les deux", ""),
    "proof.gap": ("les groupes du champ {field} laissent un trou",
                  "vérifiez les seuils : chaque établissement du champ doit tomber dans exactement un groupe"),
    "proof.gap_example": ("un établissement avec {example} ne tombe dans aucun groupe", ""),
    "graph.cycle": ("cycle : {loop}",
                    "chaque valeur doit se calculer à partir des données sans dépendre d'elle-même ; cassez la boucle"),
}
