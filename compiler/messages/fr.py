"""Les messages du compilateur, en français (la langue des auteurs de specs)."""

KINDS = {  # nom, article indéfini, article défini
    "campaign": ("campagne", "une", "la "), "document": ("document", "un", "le "), "field": ("champ", "un", "le "),
    "category": ("catégorie", "une", "la "), "input": ("donnée d'entrée", "une", "la "),
    "parameter": ("paramètre", "un", "le "), "indicator": ("indicateur", "un", "l'"),
    "prerequisite": ("prérequis", "un", "le "), "group": ("groupe", "un", "le "), "curve": ("courbe", "une", "la "),
    "envelope": ("enveloppe", "une", "l'"), "table": ("table", "une", "la "),
}
UNITS = {"number": "un nombre sans unité"}
QUOTE = "« {} »"
ZERO_IS_SINGULAR = True  # « 0 erreur » / "0 errors"
OR = "ou"


def kind(name: str) -> tuple[str, str, str]:
    return KINDS.get(name, (name, "un", "le "))


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
    "summary.check_many": ("{campaigns:pl(campagne vérifiée,campagnes vérifiées)} : {errors:pl(erreur,erreurs)}, {warnings:pl(avertissement,avertissements)}", ""),
    "summary.check_campaign": ("{errors:pl(erreur,erreurs)}, {warnings:pl(avertissement,avertissements)}", ""),

    # syntaxe
    "syntax.let_label_first": (
        "« \"{label}\" {name} » : le libellé d'un let s'écrit après son nom",
        "écrivez let {name} \"{label}\" = …"),
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
        "attendu : {expected} ; manque-t-il « }} » ou « ) » ?"),
    "syntax.unexpected_character": ("caractère inattendu {char}", "attendu : {expected}"),
    "syntax.unexpected_token": ("« {token} » inattendu", "attendu : {expected}"),

    # chargement des dossiers et héritage
    "load.unreadable": ("impossible de lire ce fichier : {error}", "enregistrez-le en texte UTF-8"),
    "load.no_campaign": (
        "le dossier {folder} contient des fichiers .spec mais aucune déclaration campaign",
        "ajoutez un fichier campaign.spec avec : campaign NOM {{ label: \"…\" source: … }}"),
    "load.campaign_name_twice": ("la campagne « {name} » est déjà déclarée en {where}",
                                 "donnez à chaque campagne un nom à elle (par exemple avec l'année : {name}_2025)"),
    "load.two_campaigns": (
        "un dossier contient une seule campagne ; « {name} » est déjà déclarée en {place}",
        "mettez chaque campagne dans son propre dossier"),
    "load.extends_itself": ("la campagne « {name} » s'étend elle-même par {path}",
                            "extends désigne le dossier d'une autre campagne, par exemple \"../2022\""),
    "load.campaign_too_big": (
        "campagne trop grosse : ses {files} fichiers .spec font {size:_} octets, une campagne en a au plus {limit:_}",
        "découpez-la en campagnes qui en étendent une autre (extends) ; cette limite protège la machine"),
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
    "check.far_from_inherited": (
        "la nouvelle valeur de « {name} »{field}, {new}, est {times} fois {direction} que celle héritée de {base} ({old}) : "
        "une faute de frappe (unité, zéro, virgule) ?",
        "vérifiez la valeur dans les nouveaux documents ; si le changement est voulu, dites-le dans cet override avec "
        "large_change: \"…\" (pourquoi la valeur change autant)"),
    "check.in_field": (" pour le champ {field}", ""),
    "check.more": ("plus grande", ""),
    "check.less": ("plus petite", ""),
    "load.two_decisions": (
        "deux décisions contradictoires sur « {name} » : {first} en {place}, puis {second} ici",
        "gardez une seule décision pour « {name} » : override (modifié), carry (repris) ou drop (retiré)"),
    "load.drop_needs_reason": ("drop « {name} » doit donner sa raison", "ajoutez : reason: \"…\""),
    "load.placeholder_left": ("« {key} » de « {name} » est encore « À COMPLÉTER » : la règle est reprise sans que "
                              "personne ait dit pourquoi", "écrivez ce que disent les nouveaux documents, ou changez "
                              "carry en override (modifié) ou drop (retiré)"),
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
    "proof.gap_borders": ("conditions qui bordent ce trou (l'une est peut-être mal écrite) : {places}", ""),
    "proof.gap_example": ("un établissement avec {example} ne tombe dans aucun groupe", ""),
    "graph.cycle": ("cycle : {loop}",
                    "chaque valeur doit se calculer à partir des données sans dépendre d'elle-même ; cassez la boucle"),

    # vérification des déclarations (compiler/check)
    "check.aggregate_needs_over": ("« {func} » est un agrégat sur une population : dites sur qui",
                                   "écrivez {func}(…) over group, over field, over all, ou over une donnée d'entrée de catégorie"),
    "check.bad_over": ("impossible d'agréger sur « {over} »",
                       "utilisez over group, over field, over all, ou over une donnée d'entrée de catégorie"),
    "check.aggregate_arity": ("« {func} » prend {expected:pl(argument,arguments)}", "{example}"),
    "check.quantile_fraction": ("le quantile doit être une fraction, par exemple 30%", "écrivez-le en pourcentage : 30%"),
    "check.quantile_method_missing": ("quantile doit dire explicitement sa règle d'interpolation",
                                      "ajoutez method = \"lower\" (ou \"higher\", \"nearest\", \"linear\", \"midpoint\")"),
    "check.quantile_method_unknown": ("méthode de quantile inconnue", "utilisez une de : {methods}"),
    "check.no_such_option": ("« {func} » n'a pas d'option « {option} »", "retirez « {option} = … »"),
    "check.over_without_aggregate": ("« over » va avec un agrégat ({aggregates}), pas avec « {func} »",
                                     "retirez « over … » ou utilisez un agrégat"),
    "check.one_argument": ("« {func} » prend un seul argument", "écrivez {func}(x)"),
    "check.curve_called": ("« {func} » est une courbe : rattachez-la à un indicateur avec valuation: {func}",
                           "dans l'indicateur, écrivez : valuation: {func}"),
    "check.unknown_function": ("fonction inconnue « {func} »", "les fonctions sont : {functions}"),
    "check.unused_input": ("la donnée d'entrée « {name} » est déclarée mais jamais utilisée",
                           "utilisez-la dans une formule, ou retirez-la pour que les jeux de données n'aient pas à la fournir"),
    "check.unread_parameter": ("le paramètre « {name} » n'est lu par aucune règle : sa valeur ne change aucun résultat ni aucun versement",
                               "utilisez-le dans une formule, ou dites pourquoi il n'est que montré avec informative: \"…\""),
    "check.signed_boolean": ("« signed » de la donnée d'entrée « {name} » doit valoir true ou false",
                             "écrivez signed: true (un taux qui peut être négatif) ou retirez la ligne"),
    "check.signed_not_percent": ("« signed » ne vaut que pour un pourcentage : la donnée d'entrée « {name} » est en {unit:unite}",
                                 "retirez signed: ou déclarez la donnée en percent"),
    "check.requirement_twice": ("la donnée d'entrée « {name} » dit déjà quand elle est exigée ({first}) : « {second} » en ajoute une autre règle",
                                "gardez une seule des propriétés required_when, required_unless, required_with"),
    "check.requirement_itself": ("la donnée d'entrée « {name} » ne peut pas dépendre d'elle-même ({key})",
                                 "nommez la colonne qui dit quand « {name} » doit être remplie"),
    "check.requirement_not_optional": ("« {key} » ne vaut que pour une donnée facultative : « {name} » est déjà exigée sur chaque ligne",
                                       "ajoutez optional: true (ou, pour required_when, fields: [...] : exigée sur ces champs selon le statut), ou retirez {key}"),
    "check.requirement_not_status": ("required_when de « {name} » doit nommer un statut : « {other} » n'est pas une catégorie dont les valeurs comptent « {concerned} »",
                                     "nommez l'entrée de statut de l'indicateur (values: [\"{concerned}\", \"non_concerne\"]), ou écrivez required_unless / required_with"),
    "check.requirement_other_required": ("« {key} » de « {name} » nomme « {other} », qui est exigée sur chaque ligne : la règle ne dirait rien",
                                         "déclarez « {other} » optional: true, ou retirez {key}"),
    "check.optional_boolean": ("« optional » de la donnée d'entrée « {name} » doit valoir true ou false",
                               "écrivez optional: true ou optional: false"),
    "check.optional_and_required": (
        "la donnée d'entrée « {name} » ne peut pas être à la fois facultative et obligatoire pour les champs {fields}",
        "gardez l'un des deux : optional: true, ou fields: [...] là où elle doit être remplie"),
    "check.unknown_unit": ("unité inconnue « {name} »", "les unités sont : {units}"),
    "check.keyed_by": ("un paramètre peut être donné par champ (field) ou par groupe (group), pas par « {by} »",
                       "écrivez by field ou by group"),
    "check.keyed_needs_map": ("le paramètre « {name} » est donné par {by} : écrivez {{ MCO: …, SSR: … }}",
                              "donnez une valeur par {by} entre accolades : {{ MCO: …, SSR: … }}"),
    "check.parameter_formula": ("le paramètre « {name} » doit être une valeur, pas une formule sur les données",
                                "calculez-la plutôt dans une partie d'indicateur ou une liaison let"),
    "check.bare_number_declared": ("{what} est déclaré en {unit} mais sa valeur, {value}, est écrite sans unité",
                                   "vouliez-vous dire `{suggestion}` ?"),
    "check.bare_number_beside": ("le nombre {value} est écrit sans unité face à {unit:unite} : il serait lu autrement "
                                 "que vous ne le pensez", "vouliez-vous dire `{suggestion}` ?"),
    "check.whole_number": ("{what} est déclaré en {unit} : sa valeur, {value}, doit être un nombre entier", ""),
    "check.ratio_with_percent": ("« {name} » est déclaré ratio (0 à 1) et rencontre ici un pourcentage : un ratio et "
                                 "un pourcentage ne se mélangent pas", "déclarez « {name} » en percent et écrivez sa valeur en % (0.6 → 60 %)"),
    "check.percent_for_ratio": ("{what} est déclaré en ratio mais sa valeur est en percent",
                                "écrivez la valeur en ratio (`{suggestion}`), ou déclarez-le en percent"),
    "check.ratio_out_of_range": ("{what} vaut {value} : un ratio est entre 0 et 1 (0,25 pour un quart)",
                                 "vérifiez la valeur et son signe ; un ratio au-delà de 1 se déclare en percent, avec sa source"),
    "phrase.for_key": (" pour {key}", ""),
    "check.value_out_of_range": ("{what} vaut {value}{where}, hors de ses valeurs plausibles (de {low} à {high})",
                                 "vérifiez la valeur (un zéro, une virgule ou un % de trop ?) ; si elle est voulue, "
                                 "élargissez range: en citant sa source"),
    "check.range_shape": ("range: de {what} s'écrit avec deux valeurs, la plus petite et la plus grande, pas {count}",
                          "par exemple range: [0%, 5%] (bornes comprises)"),
    "check.range_bound": ("une borne de range: de {what} doit être un nombre écrit ou une formule de paramètres, pas une donnée ni un calcul sur la population",
                          "écrivez la valeur, dans l'unité du paramètre : range: [0%, 5%]"),
    "check.range_order": ("range: de {what} va de {low} à {high} : la plus petite valeur s'écrit d'abord",
                          "écrivez d'abord {high}, puis {low}"),
    "check.range_not_number": ("{what} est {unit:unite} : range: ne se donne que d'un nombre",
                               "retirez range:, ou déclarez le paramètre en percent, euro, count…"),
    "note.weight_here": ("poids de « {indicator} » : {place} ({value})", ""),
    "hint.weight_value_here": ("« {name} »{value}, écrit ici, entre dans ces poids : vérifiez cette valeur ; "
                               "contre-exemple : {example} ; {rule}", ""),
    "hint.weight_formula_here": ("le poids de « {indicator} », écrit ici, ne s'écrit pas comme celui des autres "
                                 "indicateurs de l'enveloppe : vérifiez cette formule ; contre-exemple : {example} ; {rule}", ""),
    "phrase.weights_at_most_100": ("les poids d'un même établissement doivent faire au plus 100 %", ""),
    "phrase.weight_not_negative": ("un poids est entre 0 % et 100 % : négatif, il reprendrait de l'argent", ""),
    "check.informative_but_read": ("« {name} » est dit informatif (lu par aucune règle) mais une règle le lit : sa valeur "
                                   "décide maintenant d'un résultat ou d'un montant", "retirez informative: si la règle doit le "
                                   "lire, sinon vérifiez la règle (un nom pour un autre ?)"),
    "check.value_not_as_declared": ("{what} vaut {value}{where} alors que range: le veut égal à {formula}, soit {expected}",
                                    "vérifiez cette valeur et celles dont la formule est faite : les parts d'un même tout "
                                    "doivent faire ce tout"),
    "check.comparison_wording": ("`{written}` face à « {name} » {equality}, alors que ses textes disent « {words} » : "
                                 "un établissement exactement sur le seuil changerait de côté",
                                 "écrivez `{meant}` ; si la lecture retenue diffère à dessein du texte, dites-le dans "
                                 "le libellé du paramètre"),
    "check.comparison_side": ("`{written}` lit {what} du mauvais côté : ses textes disent « {words} »",
                              "écrivez `{meant}` (le test est à l'envers) ; si la lecture retenue diffère à dessein du "
                              "texte, dites-le dans le libellé"),
    "check.objective_direction": ("l'objectif de « {name} » compare avec `{written}` alors que sa direction dit « {words} » : "
                                  "il paierait ceux qui vont dans l'autre sens",
                                  "écrivez `{meant}`, ou corrigez direction: si c'est elle qui est fausse"),
    "check.equality_said_twice": ("`{written}` compte déjà l'égalité que la même condition décide à part (`… = …`) : "
                                  "le paramètre qui en décide ne décide plus rien",
                                  "écrivez `{meant}` : l'égalité est laissée au paramètre"),
    "phrase.labelled": ("« {name} » (« {label} »)", ""),
    "check.percent_literal_out_of_range": ("{value} écrit dans une formule : une part ou un taux des documents est entre "
                                           "−100 % et 100 %", "vérifiez le nombre (un zéro de trop ? {meant} ?)"),
    "check.rounding_steps_differ": ("l'arrondi `{func}(… / pas) * pas` divise et multiplie par deux pas différents : "
                                    "chaque montant serait multiplié par leur rapport",
                                    "écrivez le même pas des deux côtés (0.01 € : au centime)"),
    "check.year_range": ("l'année de la campagne vaut {value} : ce n'est pas une année", "écrivez l'année sur quatre chiffres (2022)"),
    "phrase.equality_counted": ("compte l'égalité", ""),
    "phrase.equality_excluded": ("exclut l'égalité", ""),
    "check.value_not_as_assumed": ("« {name} » vaut {value} alors que son hypothèse écrit {stated}",
                                   "vérifiez la valeur (un chiffre perdu ou ajouté ?) ; si la valeur de travail change, "
                                   "écrivez la nouvelle dans assumption:"),
    "check.ratio_quoted_as_percent": ("« {name} » est déclaré en ratio ({value}{where}) alors que ses textes l'écrivent "
                                      "en pourcentage ({quoted})",
                                      "déclarez-le `percent` et écrivez `{written}`, comme les documents : un ratio ne se "
                                      "compare ni ne s'ajoute à un pourcentage"),
    "check.value_not_quoted": ("« {name} » vaut {value}{where} alors que les textes qu'il cite donnent {quoted}",
                               "vérifiez la valeur (un chiffre perdu ou ajouté ?) ; si elle diffère à dessein du "
                               "document, dites pourquoi dans assumption:"),
    "check.share_count": ("« {name} » vaut {value}{where} alors que {count} indicateurs de l'enveloppe « {envelope} » "
                          "s'y partagent un même poids divisé par ce nombre ({indicators}) : leurs parts ne font pas le tout",
                          "donnez le nombre d'indicateurs qui se partagent ce poids dans ce champ ({count}), ou "
                          "écrivez autrement le poids de ceux qui ne le partagent pas"),
    "check.percent_out_of_range": ("{what} vaut {value} : un pourcentage déclaré est d'ordinaire entre 0 % et 100 %",
                                   "vérifiez la valeur (20 % écrit 200 % ? un signe moins de trop ?)"),
    "check.negative_count": ("{what} est déclaré en {unit} : sa valeur, {value}, ne peut pas être négative",
                             "un nombre de séjours, de patients ou de jours est positif ou nul : vérifiez le signe"),
    "check.negative_parameter_amount": ("{what} vaut {value} € : un montant négatif (un seuil de dépenses, une enveloppe) est "
                              "inattendu dans ces dispositifs", "vérifiez le signe ; un montant qui peut être négatif "
                              "(une économie) se déclare avec son hypothèse"),
    "check.target_unit": ("{what} de « {name} » est en {unit:unite} alors que son résultat est {result:unite} : "
                          "ils ne se comparent pas (80 % se lirait 0,8 face à un score de 80 sur 100)",
                          "écrivez la valeur dans l'unité du résultat (80 pour un score sur 100), ou déclarez le résultat en percent"),
    "check.division_by_zero": ("ce diviseur, « {divisor} », vaut 0 pour le champ {fields} quelles que soient les données : "
                               "la division n'a pas de valeur et tout ce qu'elle calcule serait manquant",
                               "vérifiez la valeur (un nombre d'indicateurs à 0 ?) ou ne déclarez pas ce calcul pour ce champ"),
    "check.sub_cent_amount": ("le montant {value} € a des fractions de centime : un montant se paie au centime près",
                              "vérifiez le séparateur (12.505 € écrit pour 12 505 € ? les milliers s'écrivent 12_505 €)"),
    "check.quantile_order_range": ("l'ordre du quantile, {value} %, doit être entre 0 % et 100 %", "par exemple 30 %"),
    "reach.score_given": (" avec {values}", ""),
    "reach.target": ("la cible", ""),
    "reach.threshold": ("le seuil", ""),
    "check.proportion_scaled": ("le résultat de « {indicator} » peut valoir jusqu'à {value} alors que son numérateur ne "
                                "dépasse pas son dénominateur : un pourcentage ne se multiplie pas par 100",
                                "écrivez « result: numerator / denominator » : 0,5 se lit déjà 50 %"),
    "check.mixed_rate": ("le résultat de « {indicator} » divise un {numerator} par un {denominator} : un taux "
                         "se calcule de deux nombres (séjours, euros, jours), pas d'un pourcentage",
                         "vérifiez le numérateur et le dénominateur : une donnée de la campagne précédente à la place "
                         "d'un nombre ?"),
    "check.out_of_reach_above": ("{what} de « {indicator} », {value}, est hors d'atteinte : le résultat est un pourcentage, entre 0 % et 100 %",
                                 "vérifiez la valeur (15 % écrit 150 % ?) ; une cible hors d'atteinte se dit par une phrase (target: \"…\")"),
    "check.out_of_reach_below": ("{what} de « {indicator} », {value}, ne départage personne : tout résultat, entre 0 % et 100 %, est au-dessus",
                                 "vérifiez la valeur et son signe"),
    "check.amount_range": ("le montant {value} € dépasse 10¹² € : aucune enveloppe de ces dispositifs n'en approche",
                           "vérifiez le nombre de zéros (ou l'unité : k€, M€)"),
    "check.weights_over_envelope": ("l'enveloppe « {name} » peut verser plus qu'elle ne distribue : pour un établissement "
                                    "{where}, les poids des indicateurs qu'elle paie font {total}",
                                    "contre-exemple : {example} ; les poids d'un même établissement doivent faire au plus 100 %"),
    "check.negative_weight": ("l'enveloppe « {name} » peut reprendre de l'argent : pour un établissement {where}, le poids de « {indicator} » est négatif",
                              "contre-exemple : {example} ; un poids est entre 0 % et 100 % (une part retirée des autres indicateurs ne peut dépasser ce qu'ils ont)"),
    "check.negative_amount": ("l'enveloppe « {name} » distribuerait {value} : un montant à répartir ne peut pas être négatif",
                              "vérifiez les montants dont il est fait : un signe moins, un zéro de trop ou de moins"),
    "check.score_out_of_range": ("la courbe « {curve} » peut donner un score de {value}{given} : un score est entre 0 % et 100 %",
                                 "au-delà de 100 %, l'indicateur verserait plus que sa part de l'enveloppe ; en dessous de 0 %, il la reprendrait"),
    "check.let_label_missing": ("le let « {name} » de {kind:le} « {owner} » n'a pas de label : les fiches l'écriront sous son nom de code",
                                "donnez-lui ses mots en français après son nom : let {name} \"Libellé\" = …"),
    "check.label_missing": ("{kind:le} « {name} » n'a pas de label : les fiches l'écriront sous son nom de code",
                            "ajoutez label: \"…\" (en français, comme le document le nomme) ; short_label: \"…\" "
                            "pour un nom court dans les formules"),
    "check.value_missing_for_key": ("« {name} » est donné {by} mais n'a pas de valeur pour {missing}, où {readers} le lisent : "
                                    "sans valeur, leurs établissements n'y seraient pas rémunérés, sans autre message",
                                    "ajoutez « {example} » entre les accolades, ou retirez {missing} des champs de ces indicateurs"),
    "phrase.by_field": ("par champ", ""),
    "phrase.by_group": ("par groupe", ""),
    "why.no_value_for_key": ("« {name} » n'a pas de valeur pour {key}", ""),
    "why.from_population": ("« {name} » est calculé sur l'ensemble des établissements", ""),
    "why.unit_unknown_to_solver": ("« {name} » est en {unit:unite}", ""),
    "why.expression_unknown_to_solver": ("le solveur ne sait pas lire « {what} »", ""),
    "check.money_unproved": ("la rémunération de l'enveloppe « {name} » n'a pas pu être prouvée dans ses limites ({why})",
                             "le calcul vérifie quand même, à l'exécution, qu'aucun groupe ne reçoit plus que son montant"),
    "check.declared_unit": ("{what} est déclaré en {unit} mais sa valeur est en {actual:unite}",
                            "écrivez la valeur en {unit}{example}"),
    "check.not_boolean": ("{what} doit valoir oui ou non (true ou false), mais c'est {unit:unite}",
                          "comparez-le à quelque chose : >=, <, = …"),
    "check.binding_is_param": ("« {key} » est déjà un paramètre de la courbe « {name} »", "donnez un autre nom à la liaison let"),
    "check.envelope_payout_euro": ("le versement de l'enveloppe « {name} » doit être en euro, pas en {unit:unite}",
                                   "le versement d'une enveloppe est un montant en euro"),
    "check.boolean_vs_number": ("on ne compare pas un oui/non avec un nombre",
                                "comparez-le à true ou false, ou écrivez simplement la condition (b, not b)"),
    "check.boolean_compare": ("des valeurs oui/non ne se comparent qu'avec = ou !=", "écrivez = ou !="),
    "check.piecewise_two_points": ("une courbe par morceaux (piecewise) a besoin d'au moins deux points",
                                   "ajoutez un point : seuil -> valeur"),
    "check.piecewise_order": ("les points d'une courbe par morceaux doivent aller en ordre croissant",
                              "rangez les points du plus petit au plus grand"),
    "check.map_outside_parameter": ("une table de valeurs par champ n'est permise que comme valeur d'un paramètre",
                                    "déclarez : parameter NOM: unité by field = {{ … }} {{ source: … }}"),
    "check.unit_mismatch": ("unités incompatibles : {detail}", ""),
    "hint.unit_money": ("les montants en euro ne s'additionnent et ne se comparent qu'à des montants en euro ; "
                        "convertissez d'abord avec un taux ou un prix", ""),
    "hint.unit_same": ("les deux côtés doivent mesurer la même chose (count, euro, days, percent …)", ""),
    "check.unknown_indicator": ("indicateur inconnu « {name} »", ""),
    "check.no_such_part": ("{kind:le} « {name} » n'a pas de partie « {member} »", "ses parties sont : {parts}"),
    "check.unknown_name_in": ("nom inconnu « {name} » dans {where}",
                              "déclarez-le comme donnée d'entrée (input), paramètre (parameter) ou liaison let"),
    "check.unknown_name": ("nom inconnu « {name} »",
                           "déclarez-le comme donnée d'entrée (input), paramètre (parameter) ou liaison let"),
    "check.no_value_by_itself": ("« {name} » est {kind:un} ; il n'a pas de valeur par lui-même",
                                 "écrivez {name}.result, {name}.score …"),
    "check.decide_row_width": ("cette ligne a {patterns:pl(motif,motifs)} pour {columns:pl(colonne,colonnes)}",
                               "donnez un motif par colonne (_ pour « peu importe »)"),
    "check.listed_twice": ("« {name} » est déjà dans la liste « {key} »", "retirez la seconde mention"),
    "check.part_twice": ("« {key} » est défini deux fois dans l'indicateur « {name} »", "gardez une seule définition"),
    "check.score_and_curve": ("l'indicateur « {name} » a à la fois un score et une courbe de valorisation",
                              "gardez l'un des deux : la courbe calcule le score"),
    "check.curve_needs": ("la courbe « {curve} » a besoin de « {param} », que l'indicateur « {name} » ne définit pas",
                          "ajoutez : {param}: …"),
    "check.curve_computes": ("l'indicateur « {name} » définit « {part} », que sa courbe « {curve} » calcule",
                             "retirez « {part} » de l'indicateur"),
    "check.payout_and_envelope": ("l'indicateur « {name} » a à la fois un versement (payout) et une enveloppe",
                                  "gardez l'un des deux : l'enveloppe calcule le versement"),
    "check.curve_param_unit": ("la courbe « {curve} » attend « {param} » en {unit}, mais dans l'indicateur « {name} » il est en {actual:unite}",
                               "donnez à « {param} » une valeur en {unit}"),
    "check.no_let": ("{kind:un} ne peut pas contenir de liaisons let", "déplacez le calcul dans un indicateur, une courbe ou une enveloppe"),
    "check.property_twice": ("la propriété « {key} » est donnée deux fois dans {kind:le} « {name} »",
                             "la première est en {place} ; gardez-en une"),
    "check.unknown_property": ("propriété « {key} » inconnue pour {kind:un}", "{kind:un} accepte : {allowed}"),
    "check.missing_property": ("{kind:le} « {name} » n'a pas de « {key} »", "ajoutez : {key}: …"),
    "check.no_source": ("{kind:le} « {name} » ne dit ni sa source ni qu'il s'agit d'une hypothèse",
                        "ajoutez : source: <document> \"<section>\", ou assumption: \"…\""),
    "check.property_value_kind": ("la propriété « {key} » de {kind:le} « {name} » doit être {expected}", "écrivez {expected}"),
    "value.text": ("un texte entre guillemets (\"…\")", ""),
    "value.source": ("un document et une section : source: doc \"§ …\"", ""),
    "value.boolean": ("true ou false", ""),
    "value.number": ("un nombre", ""),
    "value.name": ("un nom", ""),
    "value.names": ("une liste de noms : [A, B]", ""),
    "value.list": ("une liste : [\"…\", \"…\"]", ""),
    "value.expr": ("une formule", ""),
    "check.unknown_document": ("document inconnu « {name} »", "déclarez-le : document NOM {{ label: \"…\" }}"),
    "check.unknown_of_kind": ("{kind:nom} inconnu(e) « {name} »", "déclarez-le : {kind} {name} {{ … }}"),
    "hint.known_of_kind": ("connus : {options}", ""),
    "check.wrong_kind": ("« {name} » est {actual:un}, pas {kind:un}", ""),

    # ce dont parle un message
    "what.decl": ("{kind:le} « {name} »", ""),
    "what.group_condition": ("la condition du groupe « {name} »", ""),
    "what.curve_value": ("la valeur de la courbe « {name} »", ""),
    "what.indicator_result": ("le résultat de l'indicateur « {name} »", ""),
    "what.envelope_part": ("« {part} » de l'enveloppe « {name} »", ""),
    "what.indicator_weight": ("le poids de l'indicateur « {name} »", ""),
    "what.indicator_part": ("« {part} » de l'indicateur « {name} »", ""),
    "what.where_of": ("le « where » de « {func} »", ""),
    "what.if_condition": ("la condition du « if »", ""),
    "what.add": ("l'addition", ""),
    "what.subtract": ("la soustraction", ""),
    "what.compare": ("la comparaison", ""),

    # unités (compiler/units.py)
    "units.add": ("impossible d'additionner {a:unite} et {b:unite}", ""),
    "units.subtract": ("impossible de soustraire {a:unite} et {b:unite}", ""),
    "units.compare": ("impossible de comparer {a:unite} et {b:unite}", ""),
    "units.compare_with": ("impossible de comparer {a:unite} à {b:unite}", ""),
    "units.axis": ("impossible de placer {a:unite} et {b:unite} sur le même axe", ""),
    "units.multiply": ("impossible de multiplier {a:unite} par {b:unite}", ""),
    "units.divide": ("impossible de diviser {a:unite} par {b:unite}", ""),
    "units.needs_number": ("{what} demande un nombre, pas {unit:unite}", ""),
    "units.needs_boolean": ("{what} demande une valeur oui/non (boolean), pas {unit:unite}", ""),
    "units.mix": ("impossible de mélanger {a:unite} et {b:unite} dans un même résultat", ""),

    # qualispec fmt et qualispec new
    "fmt.would_change_meaning": ("la mise en forme changerait le sens de ce fichier : il n'est pas modifié",
                                 "c'est un défaut de qualispec ; signalez-le avec ce fichier"),
    "fmt.not_laid_out": ("{file} : pas dans la mise en forme canonique (qualispec fmt {file})", ""),
    "fmt.summary": ("{files:pl(fichier lu,fichiers lus)}, {changed:pl(fichier remis en forme,fichiers remis en forme)}", ""),
    "fmt.summary_check": ("{files:pl(fichier lu,fichiers lus)}, {changed:pl(fichier à remettre en forme,fichiers à remettre en forme)}", ""),

    # serveur de langage (qualispec lsp)
    "lsp.kind": ("{kind:nom}", ""),
    "lsp.kind_unit": ("{kind:nom}, en {unit}", ""),
    "lsp.value": ("valeur : `{value}`", ""),
    "lsp.source": ("source : {document}, « {section} »", ""),
    "lsp.assumption": ("hypothèse : {text}", ""),
    "lsp.carried": ("repris de {base} (carry) — déclaré en {place}", ""),
    "lsp.overridden": ("hérité de {base}, modifié ici (override) — {place}", ""),
    "lsp.renamed": ("hérité de {base} sous le nom « {old} », renommé (override … as) — {place}", ""),
    "lsp.inherited": ("hérité de {base} — déclaré en {place}", ""),
    "lsp.let_of": ("liaison let de {kind:le} « {name} »", ""),
    "lsp.let_without_label": ("sans libellé : les fiches l'écriront « {name} » ; écrivez let {name} \"Libellé\" = …", ""),
    "lsp.declared": ("déclaré en {place}", ""),
    "lsp.rename_not_a_name": ("« {name} » n'est pas un nom : lettres sans accent, chiffres et _, sans mot réservé", ""),
    "lsp.rename_taken": ("« {name} » est déjà un nom de cette campagne : choisissez-en un autre", ""),

    "new.folder_not_empty": ("le dossier {folder} existe déjà et n'est pas vide : rien n'est écrit",
                             "choisissez un nouveau dossier, par exemple specs/ifaq/2025"),
    "new.done": ("{folder} : campagne « {name} », qui étend {base} ; {count:pl(règle héritée reprise,règles héritées reprises)} "
                 "(carry) avec une hypothèse « À COMPLÉTER » — remplacez chacune par ce que disent les nouveaux "
                 "documents, ou par override / drop (qualispec check {folder})", ""),
    "new.header": ("Campagne {name}, qui part de {base} : complétez le libellé et la source.", ""),
    "new.carried_header": ("Chaque règle héritée de {base}, reprise telle quelle. Pour chacune, remplacez « À COMPLÉTER » "
                           "par ce que disent les nouveaux documents, ou écrivez override (modifiée) ou drop (retirée).", ""),
    "new.placeholder": ("pourquoi cette règle de {base} vaut-elle toujours ?", ""),

    # moved from inline messages
    'syntax.control_escape': ('le caractère \\{escape} est un caractère de contrôle, interdit dans un texte',
        'retirez-le'),
    'syntax.unknown_escape': ("séquence d'échappement inconnue « \\{escape} » dans un texte",
        'les échappements sont \\" \\\\ \\n \\t et \\uXXXX (ex. \\u20ac pour €) ; pour une barre oblique inverse, écrivez \\\\'),
    'syntax.control_character': ('caractère de contrôle {char} dans un texte',
        'retirez-le ; le fichier a peut-être été mal converti'),
    'syntax.too_deep': ('expression trop imbriquée : plus de {limit} niveaux (parenthèses, opérateurs, if, not) dans cette déclaration',
        'découpez-la en étapes nommées (let x = … ou un input/parameter) ; cette limite protège la machine'),
    'syntax.too_many_errors': ("plus de {limit} erreurs de syntaxe : la suite du fichier n'est pas lue",
        "corrigez d'abord les premières erreurs"),
    'syntax.number_too_long': ('nombre trop long : {digits} chiffres, au plus {limit}',
        "cette limite protège la machine ; écrivez la valeur avec une unité (k€, M€) ou vérifiez qu'il ne manque pas un séparateur"),
    'load.extends_chain_too_long': ("chaîne d'extends trop longue : plus de {limit} campagnes à la suite",
        'cette limite protège la machine ; une campagne peut étendre directement une campagne plus ancienne'),
    'load.extends_path_empty': ('campaign « {name} » : le chemin de extends est vide',
        'le chemin est relatif au dossier de la campagne, par exemple "../2022"'),
    'load.extends_path_too_long': ('campaign « {name} » : le chemin de extends a plus de {limit} caractères',
        'le chemin est relatif au dossier de la campagne, par exemple "../2022"'),
    'load.extends_path_absolute': ('campaign « {name} » : le chemin de extends est absolu',
        'le chemin est relatif au dossier de la campagne, par exemple "../2022"'),
    'load.extends_path_invisible': ('campaign « {name} » : le chemin de extends contient un caractère invisible',
        'le chemin est relatif au dossier de la campagne, par exemple "../2022"'),
    'load.extends_path_unreadable': ('campaign « {name} » : le chemin de extends ne se lit pas ({error})',
        'le chemin est relatif au dossier de la campagne, par exemple "../2022"'),
    'load.decision_names_twice': ('{kind} : « {name} » est nommé deux fois',
        'retirez le doublon'),
    'repeat.item_twice': ("l'élément « {item} » est répété dans la liste de repeat {variable}",
        'il figure déjà ligne {line}'),
    'repeat.item_not_a_name': ("l'élément « {item} » ne peut pas entrer dans un nom (lettres, chiffres et _ seulement)",
        'écrivez-le sans point, espace ni tiret : D2_2 plutôt que D2.2'),
    'repeat.empty': ('repeat {variable} ne contient aucune déclaration',
        'mettez entre {{ }} les déclarations à écrire pour chaque élément'),
    'repeat.undefined_placeholder': ("« {{{variable}}} » dans le nom « {name} » n'est défini par aucun repeat",
        'entourez la déclaration de : repeat {variable} in [ … ] {{ … }}'),
    'check.status_not_category': ("le statut de l'indicateur « {indicator} » se lit dans une donnée de type category, et « {name} » est de type {unit}",
        'déclarez : input {name}: category {{ values: ["renseigne", "non_applicable"] … }}'),
    'check.status_without_values': ("la donnée « {name} » porte le statut de l'indicateur « {indicator} » mais ne liste pas ses valeurs",
        'ajoutez : values: [...], parmi {known}'),
    'check.status_unknown': ('statut inconnu « {value} » dans les valeurs de « {name} »',
        'les statuts sont : {known}'),
    'load.spec_link_outside': ("ce fichier .spec est un lien symbolique vers un fichier hors du dossier de la campagne : il n'est pas lu",
        'copiez le fichier dans le dossier, ou utilisez extends "../…"'),
    'load.spec_not_a_file': ("ce .spec n'est pas un fichier ordinaire : il n'est pas lu",
        'remplacez-le par un fichier texte'),
    'load.spec_too_big': ('fichier trop gros : {size:_} octets, un fichier .spec en a au plus {limit:_}',
        'découpez la campagne en plusieurs fichiers ; cette limite protège la machine'),
    'load.spec_unreadable': ('impossible de lire ce fichier : {error}',
        "vérifiez qu'il existe et que vous avez le droit de le lire"),
    'load.spec_not_utf8': ("ce fichier n'est pas en UTF-8 : l'octet {byte} n'est pas un caractère UTF-8",
        "enregistrez le fichier en UTF-8 (dans l'éditeur : « Enregistrer avec l'encodage » UTF-8) ; un fichier Latin-1 ou Windows-1252 doit être converti"),
    # tables d'enregistrements (table, from_records)
    "what.from_records": ("le from_records de la donnée « {input} »", ""),
    "records.key": ("la clé de la table « {table} » doit être [{key}] : un enregistrement appartient à une ligne du jeu de données (un établissement et un champ)",
                    "écrivez : key: [{key}]"),
    "records.key_no_field": ("la clé de la table « {table} » doit être [{key}] : un enregistrement appartient à une ligne du jeu de données (un établissement)",
                             "écrivez : key: [{key}]"),
    "records.no_columns": ("la table « {table} » ne dit pas ses colonnes",
                           "ajoutez : columns: {{ patient: text, dmp_fed: boolean, days: days }}"),
    "records.key_as_column": ("« {name} » est la clé de la table « {table} », pas une de ses colonnes",
                              "retirez « {name} » des colonnes : la clé est toujours lue"),
    "records.column_unit": ("la colonne « {name} » de la table « {table} » doit avoir une unité",
                            "unités possibles : {units}"),
    "records.unknown_column": ("« {name} » n'est pas une colonne de la table « {table} »", "colonnes : {columns}"),
    "records.meaning_not_text": ("le sens de la colonne « {name} » s'écrit entre guillemets", "écrivez : {name}: \"…\""),
    "records.not_an_aggregate": ("{what} doit être un agrégat d'une table : {aggregates}",
                                 "par exemple : count(stays where dmp_fed and has_dmp)"),
    "records.aggregate_form": ("{what} : un seul argument, une table ou une de ses colonnes",
                               "écrivez {func}(table where condition) ou {func}(table.colonne where condition)"),
    "records.unknown_table": ("table inconnue « {name} »", "déclarez-la : table {name} {{ columns: {{ … }} }}"),
    "records.needs_column": ("{func} lit une colonne, pas une table entière", "écrivez {func}({table}.colonne)"),
    "records.not_numeric": ("{func} additionne ou compare des nombres ; la colonne « {name} » est {unit}",
                            "pour compter : count({table} where {name})"),
    "records.unit_mismatch": ("la donnée « {input} » est déclarée {unit}, mais {func}(…) donne {actual}",
                              "déclarez la donnée en {actual}, ou agrégez une colonne en {unit}"),
    "records.condition_reads": ("la condition de {what} ne lit que les colonnes de la table « {table} » et des paramètres ; « {name} » n'en est pas",
                                "colonnes : {columns}"),
    "records.condition_not_boolean": ("la condition de {what} doit être vrai ou faux, or elle est {unit}",
                                      "comparez-la : days >= 30, has_dmp = true …"),
}
