"""The compiler's messages in English (``--lang en`` or ``QUALISPEC_LANG=en``)."""

KINDS: dict = {}
QUOTE = "'{}'"
ZERO_IS_SINGULAR = False  # « 0 erreur » / "0 errors"
OR = "or"


def article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


TOKENS = {
    "NAME": "a name", "STRING": "a text in quotes", "NUMBER": "a number", "UNIT": "a unit",
    "LBRACE": "'{'", "RBRACE": "'}'", "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'",
    "COLON": "':'", "COMMA": "','", "EQUAL": "'='", "DOT": "'.'", "COMP_OP": "a comparison",
    "ADD_OP": "'+' or '-'", "MUL_OP": "'*' or '/'", "MINUS": "'-'", "KIND": "a declaration",
    "$END": "the end of the file", "__ANON_0": "'->'", "__ANON_1": "'=>'",
}

MESSAGES = {
    "severity.error": ("error", ""),
    "severity.warning": ("warning", ""),
    "label.note": ("note", ""),
    "label.hint": ("hint", ""),
    "phrase.or": ("or", ""),
    "phrase.something_else": ("something else", ""),
    "phrase.kind_with_article": ("{kind:un}", ""),
    "hint.did_you_mean": ("did you mean {options}?", ""),
    "summary.check": ("{campaigns:pl(campaign,campaigns)} checked ({names}): {errors:pl(error,errors)}, {warnings:pl(warning,warnings)}", ""),

    "syntax.decimal_comma": ("'{written}': a French decimal comma; decimals are written with a point",
                             "write {fixed}"),
    "syntax.non_ascii_name": (
        "the name '{name}' contains '{char}': a name is written without accents, with only a-z, A-Z, 0-9 and _",
        "write {fixed} (the label may keep its accents: label: \"…\")"),
    "syntax.unclosed_string": (
        "this text is not closed: the quote opened here has no closing quote on its line",
        "add '\"' at the end of the text; a text on several lines is written between \"\"\" and \"\"\""),
    "syntax.unclosed_long_text": ("this text on several lines, opened here by \"\"\", is never closed",
                                  "add \"\"\" at the end of the text"),
    "syntax.unclosed_bracket": (
        "'{bracket}' opened here, on line {line}, is not closed before the declaration on line {next_line}",
        "add '{closer}' at the end of the declaration, before line {next_line}"),
    "syntax.unclosed_bracket_at_end": (
        "'{bracket}' opened here, on line {line}, is never closed: the file ends first",
        "add '{closer}' at the end of the declaration"),
    "syntax.unexpected_end": ("the file ends in the middle of a declaration",
                              "expected {expected}; is a closing '}}' or ')' missing?"),
    "syntax.unexpected_character": ("unexpected character {char}", "expected {expected}"),
    "syntax.unexpected_token": ("unexpected '{token}'", "expected {expected}"),

    "load.unreadable": ("cannot read this file: {error}", "save it as UTF-8 text"),
    "load.no_campaign": ("the folder {folder} has .spec files but no campaign declaration",
                         "add a file campaign.spec with: campaign NAME {{ label: \"…\" source: … }}"),
    "load.two_campaigns": ("a folder holds one campaign; '{name}' is already declared at {place}",
                           "put each campaign in a folder of its own"),
    "load.extends_itself": ("campaign '{name}' extends itself through {path}",
                            "extends names the folder of another campaign, e.g. \"../2022\""),
    "load.extends_missing": ("campaign '{name}' extends \"{path}\", which is not a folder of .spec files",
                             "the path is relative to this campaign's folder, e.g. \"../2022\""),
    "load.decision_without_extends": (
        "'{kind}' only has a meaning in a campaign that extends another one",
        "add extends \"../<year>\" to the campaign declaration, or declare it directly"),
    "load.decision_targets_nothing": ("{kind} '{name}' targets nothing inherited from {base}",
                                      "the names {base} declares are listed by: qualispec graph"),
    "load.already_inherited": ("'{name}' is inherited from {base} ({place})",
                               "write 'override {name} {{ … }}' to change it, or 'drop {name}' to remove it"),
    "load.duplicate_name": ("duplicate name '{name}': already declared at {place}",
                            "give each declaration its own name"),
    "load.two_decisions": (
        "two contradictory decisions on '{name}': {first} at {place}, then {second} here",
        "keep one decision for '{name}': override (changed), carry (kept) or drop (removed)"),
    "load.drop_needs_reason": ("drop '{name}' needs a reason", "add: reason: \"…\""),
    "load.carry_needs_assumption": ("carry '{name}' needs an assumption saying why it still holds",
                                    "add: assumption: \"…\""),
    "load.override_value_not_parameter": (
        "override {name} = …: only a parameter has a value to override; '{name}' is {kind:un}",
        "change its properties instead: override {name} {{ … }}"),
    "load.rename_exists": ("override {name} as {new_name}: '{new_name}' already exists", "choose another new name"),
    "load.undecided": (
        "campaign '{campaign}' inherits {count:pl(rule,rules)} from {base} that it neither overrides, carries nor drops: {names}",
        "say what the new documents decide for each: 'override NAME {{ … }}', 'carry NAME {{ assumption: \"…\" }}' "
        "or 'drop NAME {{ reason: \"…\" }}'; qualispec new writes these carry for a new campaign"),
    "note.inherited_here": ("at the place inherited from {base}: {place}", ""),
    "note.first_decision": ("first decision: {place}", ""),

    "path.missing": ("no such file or folder: {path}", "check the path"),
    "path.no_spec": ("no .spec file under {path}", "give a campaign's folder, e.g. specs/ifaq/2024"),
    "path.many_campaigns": ("{path} holds {count} campaigns; name one folder", "one of: {names}"),

    "proof.no_group": ("field {field} has no comparison group",
                       "declare the groups of {field}: group NAME {{ field: {field} when: … }}"),
    "proof.unprovable": ("cannot prove that the groups of {field} partition it: {reason}",
                         "group conditions should only read inputs and parameters"),
    "proof.overlap": ("groups {first} and {second} of field {field} overlap",
                      "make the conditions exclusive: one of them should exclude what the other covers"),
    "proof.overlap_example": ("an establishment with {example} falls in both", ""),
    "proof.gap": ("the groups of field {field} leave a gap",
                  "check the thresholds: every establishment of the field must land in exactly one group"),
    "proof.gap_example": ("an establishment with {example} falls in no group", ""),
    "graph.cycle": ("cycle: {loop}",
                    "each value must be computable from the data without depending on itself; break the loop"),
}
