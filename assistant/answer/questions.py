"""What a question asks for: its subject words, whether it asks for a count, a measure, a time or a day, the
meaning of a term, or what the documents cite; and whether evidence holds the kind of answer asked for."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.enrich.overview import TIME_EXPRESSION
from assistant.enrich.refs.grammar import identifiers
from assistant.text import rules
from assistant.text.dates import MONTHS_EN
from assistant.text.marks import ITEM_NUMBER, LIST_ITEM, SUPERSCRIPT
from assistant.text.tokens import lexical_tokens, query_tokens, question_stems

# Words that shape a question but say nothing about its subject.
QUESTION_WORDS = question_stems()
# Nouns for organisations of a kind ("coalitie", "ministerie") and for any organisation ("organisatie", "partij"):
# what a question for which organisations there are asks for (`assistant/rules/words.toml`)
ORGANISATION_NOUNS = tuple(rules.words("organisation_nouns"))
ANY_ORGANISATION = tuple(rules.words("organisations_any"))
# The kinds of reference the nouns of a question about what the documents cite ask for, and such questions
# (`assistant/rules/questions.toml`).
REFERENCE_NOUNS = {pattern: tuple(kinds) for pattern, kinds in rules.table("questions", "reference_kinds").items()}
REFERENCE_QUESTION = rules.rule("questions", "reference")
ABOUT_CONTENT = rules.rule("questions", "about-content")
PLURAL = rules.rule("questions", "plural")
BROAD = rules.rule("questions", "broad")
_DEFINITION_QUESTION = rules.rule("questions", "definition")
_ASKS_COUNT = rules.rule("questions", "asks-count")
_ASKS_MEASURE = rules.rule("questions", "asks-measure")
_ASKS_TIME = rules.rule("questions", "asks-time")
_ASKS_DAY = rules.rule("questions", "asks-day")
_ASKS_WHEN = rules.rule("questions", "asks-when")
_ASKS_WHEN_HELD = rules.rule("questions", "asks-when-held")
_STATES_CONDITION = rules.rule("questions", "states-condition")
_ASKS_MONEY = rules.rule("questions", "asks-money")
_ASKS_ROLE_HOLDER = rules.rule("questions", "asks-role-holder")
_ASKS_PERCENTAGE = rules.rule("questions", "asks-percentage")
_ASKS_PHONE_NUMBER = rules.rule("questions", "asks-phone-number")
_ASKS_WEB_ADDRESS = rules.rule("questions", "asks-web-address")
_ASKS_WHY = rules.rule("questions", "asks-why")
_NAMES_ORDINAL = rules.rule("questions", "names-ordinal")
_RESTRICTS_TO = rules.rule("questions", "restricts-to")
_COUNTS_OF_GROUP = rules.rule("questions", "counts-of-group")
OPENS_WITH_QUESTION_WORD = rules.rule("questions", "opens-with-question-word")
_COUNTED = rules.rule("questions", "counted-noun")
_ASKS_ADDRESS = rules.rule("questions", "asks-address")
_ASKS_SEVERAL = rules.rule("questions", "asks-which-several")
_ASKS_KINDS = rules.rule("questions", "asks-which-kinds")
_ASKS_NAMED = rules.rule("questions", "asks-which-named")
_ASKS_SUBJECT = rules.rule("questions", "asks-subject")
_ASKS_INVENTORY = rules.rule("questions", "asks-inventory")
_ASKS_CHANGES = rules.rule("questions", "asks-changes")
_ASKS_LIST = rules.rule("questions", "asks-list")
_ASKS_EARLIER_VERSION = rules.rule("questions", "asks-earlier-version")
_ASKS_DOCUMENTS_ABOUT = rules.rule("questions", "asks-documents-about")
_ASKS_SAID_ABOUT = rules.rule("questions", "asks-said-about")
# What evidence holds (`assistant/rules/evidence.toml`).
_DAY_EN = rules.rule("evidence", "day-en")
_MONEY = rules.rule("evidence", "money")
_PERSON = rules.rule("evidence", "person-name")
_PERCENTAGE = rules.rule("evidence", "percentage")
_SHARE_FIGURE = rules.rule("evidence", "share-figure")
_MONEY_FIGURE = rules.rule("evidence", "money-figure")
_PHONE_NUMBER = rules.rule("evidence", "phone-number")
_HOLDS_WEB_ADDRESS = rules.rule("evidence", "holds-web-address")
_STATES_PLAN = rules.rule("evidence", "states-plan")
_STATES_DONE = rules.rule("evidence", "states-done")
# a number stands as a word of its own: "CO2", "5G" and "G20" name things, they count nothing
_NUMBER = re.compile(r"(?<![^\W\d_])\d+(?:[.,]\d+)*(?![^\W\d_])")
_ENUMERATION = rules.rule("evidence", "enumeration")
_BETWEEN_ITEMS = rules.rule("evidence", "enumeration-separator")
_COUNT_WORDS = rules.rule("evidence", "count-words")
_YEAR = rules.rule("evidence", "year")
_CLOCK = rules.rule("evidence", "clock-time")
_NEGATION = rules.rule("verification", "negation")
_RESTRICTS = rules.rule("evidence", "restricts")
_INTRODUCES = rules.rule("evidence", "introduces-items")
_SOME_OF = rules.rule("evidence", "names-some-of")
_QUOTED_NAME = rules.rule("evidence", "quoted-name")
_ORDINAL = rules.rule("evidence", "ordinal")


def counted_noun(question: str) -> str | None:
    """The stem of what a "Hoeveel X"/"How many X" question counts."""
    m = _COUNTED.match(question)
    stems = lexical_tokens(m.group(1)) if m else []
    return stems[0] if stems else None


def counts(text: str, noun: str) -> bool:
    """Whether `text` gives a number of `noun` ("vier scenario’s", "50.000 apparaten", "zeven labs"): not a share
    of them or an amount of money per one ("€ 25.000 per digitaal hulppunt")."""
    words = re.findall(r"[\w’'.-]+", _MONEY_FIGURE.sub(" ", _SHARE_FIGURE.sub(" ", SUPERSCRIPT.sub("", text))))
    return any((re.fullmatch(r"\d+(?:[.,]\d+)*", w) or _COUNT_WORDS.fullmatch(w))
               and noun in lexical_tokens(" ".join(words[i + 1 : i + 4])) for i, w in enumerate(words))


def _enumerates(text: str, noun: str | None) -> bool:
    """Whether `text` holds an enumeration that counts `noun`: one none of whose items is the noun itself
    ("Binnen NOLAI nemen leraren en scholen ... met wetenschappers en leermiddelenmakers" does not count schools,
    it names them among others). The first part introduces the items and may name what they are ("Doorsnijdende
    thema’s zijn daarmee digitale ethiek, AI in actie, ... en duurzaamheid")."""
    found = _ENUMERATION.search(text)
    if not found or noun is None:
        return bool(found)
    _, *items = _BETWEEN_ITEMS.split(found.group(0))
    return not any((stems := lexical_tokens(item)) and stems[0] == noun for item in items)


def has_asked_type(question: str, texts: list[str], notes: Sequence[str] = (), settings: Sequence[str] = ()) -> bool:
    """Whether the evidence (sentences `texts`, footnotes `notes`) holds what the question asks for when it asks
    for a count, an amount of money, a share, a time, several things by number, who holds a role, a phone
    number or a website: a number that is not in the question and not a date (in money or as a share where those
    are asked), or for a count an enumeration or a list of all the things counted (not some given as examples:
    `evidence.names-some-of`), a time expression, as many things as asked for (`_names_as_many`), a person's
    name, a phone number, a web address. A footnote's numbers are those of the references it cites ("nr. 1055"),
    no count; its dates do count (the date of a cited letter), except where the question asks when something takes place
    (`questions.asks-when-held`: "Op welke datum vindt de Catshuissessie plaats?" is not answered by the date of
    a motion the footnote cites). So are a sentence's references ("bijlage bij Kamerstuk 35 788, nr. 77").
    A share ("44%", "66 procent") is no count of the things counted (`evidence.share-figure`), nor is an amount
    of money where the question counts things by name (`evidence.money-figure`).
    A count is of what the question's own numbers say it is of ("in 2023", "op 10 februari 2025", "jonger dan
    25 jaar"): the sentence that gives it holds them too, or its setting does (`settings[i]` for `texts[i]`: the
    table header, section and document title it is read under). "Hoeveel testers waren jonger dan 25 jaar?" is
    not answered by "3.200 testers, van wie ruim een derde ouder was dan 55 jaar"."""
    measure = bool(_ASKS_MEASURE.search(question))
    money = bool(_ASKS_MONEY.search(question))
    percentage = bool(_ASKS_PERCENTAGE.search(question))
    if measure or _ASKS_COUNT.search(question):
        asked = _digits(question)
        counted = counted_noun(question)
        for i, text in enumerate(texts):
            setting = settings[i] if i < len(settings) else ""
            if not asked <= _digits(f"{SUPERSCRIPT.sub('', text)} {setting}"):
                continue
            bare = _YEAR.sub(" ", TIME_EXPRESSION.sub(" ", _without_references(
                ITEM_NUMBER.sub("\n", SUPERSCRIPT.sub("", text)))))
            if not (measure or percentage):  # a share is no count ("44%" of the sessions)
                bare = _SHARE_FIGURE.sub(" ", bare)
            if counted and not (measure or money):  # nor is an amount of money ("€ 25.000 per hulppunt")
                bare = _MONEY_FIGURE.sub(" ", bare)
            numbers = set(_NUMBER.findall(bare)) - asked
            # "(miljoen euro)", "(%)" head a table's figures; a share follows from a part and a whole ("1,870 AI
            # systems …, of which 214 …")
            if (money and not _MONEY.search(f"{bare} {setting}")) or (
                    percentage and not _PERCENTAGE.search(f"{bare} {setting}") and len(numbers) < 2):
                continue
            figure = numbers or _COUNT_WORDS.search(bare) or (
                percentage and _PERCENTAGE.search(bare))  # "ruim een derde", "about half"
            # items given as examples ("instrumenten zoals …") are not all there are: no count
            if figure or (not measure and not _SOME_OF.search(bare)
                          and (_enumerates(bare, counted) or LIST_ITEM.search(text))):
                return True
        return False
    if not _names_as_many(question, texts):
        return False
    if not _ASKS_WHEN_HELD.search(question):  # a footnote dates the document it cites, not an event
        texts = [*texts, *notes]
    if _ASKS_ROLE_HOLDER.search(question):  # "Wie is de voorzitter …?" is not answered by the body it chairs
        return any(_PERSON.search(t) for t in texts)
    if _ASKS_PHONE_NUMBER.search(question):
        return any(_PHONE_NUMBER.search(t) for t in texts)
    if _ASKS_WEB_ADDRESS.search(question):
        return any(_HOLDS_WEB_ADDRESS.search(t) for t in texts)
    if _ASKS_DAY.search(question):
        return any(_DAY_EN.search(t) or any(m.group("date") for m in TIME_EXPRESSION.finditer(t)) for t in texts)
    if _ASKS_TIME.search(question):
        condition = bool(_ASKS_WHEN.search(question))  # "When are registers most useful?" asks for a condition
        return any(TIME_EXPRESSION.search(t) or _YEAR.search(t) or _CLOCK.search(t) or any(m in t for m in MONTHS_EN)
                   or (condition and _STATES_CONDITION.search(t)) for t in texts)
    return True


def names_its_numbers(question: str, said: Sequence[str]) -> bool:
    """Whether the evidence holds the numbers the question names: its years, dates and figures say which instance
    it asks about, and evidence that holds none of them is about another ("How long did the longest outage last
    in 2023?" is not answered by the longest outage of 2024). So do its ordinals (`questions.names-ordinal`): "de
    tweede storing" is not answered by the longest one, "het eerste kwartaal" not by the year's figure; evidence
    holds one in words or digits (`evidence.ordinal`: "de eerste meting", "2e kwartaal"). `said` is what the
    evidence says and is read under: its quotes with their tables' headers, sections, documents' titles,
    identifiers and dates. A question that asks why presumes what it says (`questions.asks-why`): there the numbers
    are claims the evidence may correct."""
    if _ASKS_WHY.search(question):
        return True
    said = [SUPERSCRIPT.sub("", text) for text in said]
    held = ({_ordinal_value(m) for text in said for m in _ORDINAL.finditer(text)}
            | {int(m.group(1)) for text in said for m in ITEM_NUMBER.finditer(text)})  # "2. Minimale …" is the second
    return _digits(question) <= _digits(" ".join(said)) and all(
        _holds_ordinal(found, held, said) for found in _NAMES_ORDINAL.finditer(question))


def _holds_ordinal(found: re.Match[str], held: set[int], said: Sequence[str]) -> bool:
    """Whether the evidence names the ordinal a question names (`questions.names-ordinal`): among the ordinals it
    `held`, or as the number after the ordinal's noun ("de eerste versie" is "versie 1.0")."""
    value = rules.ordinals()[found.group("ordinal")]
    noun = found.group("noun")
    return value in held or (bool(noun) and any(
        re.search(rf"\b{re.escape(noun)}\s+{value}\b", text, re.IGNORECASE) for text in said))


def _ordinal_value(found: re.Match[str]) -> int:
    """The value of an ordinal `evidence.ordinal` found: "tweede" and "2e" are both 2."""
    return int(found.group("digits")) if found.group("digits") else rules.ordinals()[found.group(0).lower()]


def says_what_was_done(question: str, lead: str) -> bool:
    """Whether the sentence an answer leads with can answer a question for what has already happened (one that
    opens with a question word and says "al", "already": "Hoeveel apparaten zijn al uitgedeeld?"): not when it
    says only what is planned or possible ("Zo ben ik voornemens om per jaar 50.000 apparaten beschikbaar te
    stellen"), and nothing done or under way (`evidence.states-plan`, `evidence.states-done`)."""
    asks_done = OPENS_WITH_QUESTION_WORD.match(question) and _STATES_DONE.search(question)
    return not asks_done or not lead or bool(_STATES_DONE.search(lead)) or not _STATES_PLAN.search(lead)


def names_the_kind_asked(question: str, lead: str, quotes: Sequence[str]) -> bool:
    """Whether evidence answers a question for which things of a kind there are (`questions.asks-which-kinds`:
    "Welke hogescholen zijn aangesloten bij PRIO?") or which one organisation (`questions.asks-which-named`:
    "Welke organisatie beheert het register?"): not when the sentence it leads with names none of them (for
    several, where it uses the kind's own word). Several are named in an enumeration or a list, by words that
    introduce them (`evidence.introduces-items`: "zijn onder meer …", "such as"), by what sets them apart
    (`evidence.restricts`: "Alleen openbare bibliotheken met rechtspersoonlijkheid"), or announced by their
    number ("De drie maatregelen zijn …", "twee assen", whose items follow); one by its name, in the lead ("Het
    NRO heeft …",
    «AI in actie», a first word written as a name: "TNO heeft …"), whether or not the lead uses the kind's word:
    "De langste storing … werd veroorzaakt door een fout" says no supplier. Where a question asks more than which
    one ("…, en wanneer kwam die uit?"), a lead without the kind's word may answer the rest. "De ICT-lectoraten
    van de hogescholen van Nederland zijn via het platform PRIO ... in contact" restates what is asked. A sentence
    that says there are none answers ("houden geen rekening met disrupties"). A question for which N things has its
    own check (`_names_as_many`). Members named right after the kind's word are named ("de regio's Groningen en
    Eindhoven")."""
    several = _ASKS_KINDS.search(question)
    found = several or _ASKS_NAMED.search(question)
    if not found or _ASKS_SEVERAL.search(question) or not lead:
        return True
    kind = set(query_tokens(found.group("kind")))
    # written with a capital inside the sentence, the kind's word is part of a member's name ("Hogeschool van
    # Amsterdam")
    words = lead.split()
    at = [i for i, word in enumerate(words) if (i == 0 or not word[0].isupper()) and kind & set(query_tokens(word))]
    if _NEGATION.search(lead) or (not at and (several or BROAD.search(question))):
        return True
    if not several:
        asked = set(query_tokens(question))
        # a sentence's first word is a name where it is more than capitalised ("TNO", "DigiD")
        return _QUOTED_NAME.search(lead) is not None or any(
            word[0].isupper() and (i or not word.istitle()) and not set(query_tokens(word)) <= asked
            for i, word in enumerate(words))
    announced = any((number := words[j].strip("(").lower()).isdigit() or number in rules.numbers()
                    for i in at for j in range(max(i - 2, 0), i))
    # or named right after the kind's word: "in de regio's Groningen en Eindhoven"
    apposed = any(i + 1 < len(words) and words[i + 1][:1].isupper() for i in at)
    return announced or apposed or any(_ENUMERATION.search(SUPERSCRIPT.sub("", q)) or LIST_ITEM.search(q)
                            or _RESTRICTS.search(q) or _INTRODUCES.search(q) for q in quotes)


def restricted(question: str) -> list[str]:
    """The words of the groups a question restricts itself to (`questions.restricts-to`: "van alleen de
    waterschappen" -> ["waterschappen"]; `questions.counts-of-group`: "Hoeveel algoritmes van gemeenten" ->
    ["gemeenten"]); none where it asks why, which presumes what it says ("Waarom zitten er
    alleen ministeries in de coalitie?" may be answered by who else does)."""
    if _ASKS_WHY.search(question):
        return []
    return [found.group("only") or found.group("alone") for found in _RESTRICTS_TO.finditer(question)] + [
        found.group("group") for found in _COUNTS_OF_GROUP.finditer(question)]


def asks_what_footnotes_hold(question: str) -> bool:
    """Whether a question asks for what a footnote gives: a reference ("Waar is de hoofdlijnenbrief te vinden?")
    or a time (the date of a cited letter)."""
    return bool(REFERENCE_QUESTION.search(question) or _ASKS_TIME.search(question) or _ASKS_DAY.search(question))


def _without_references(text: str) -> str:
    """`text` with the identifiers it cites left out ("Kamerstuk 35 788, nr. 77", "EPSIF Policy Paper No. 12"):
    their numbers name a document, they count nothing."""
    for found in reversed(identifiers(text)):
        text = f"{text[:found.start]} {text[found.end:]}"
    return text


def _digits(text: str) -> set[str]:
    """The runs of digits of the numbers in `text`, each group apart ("1,203" and "1.203" both give "1", "203"),
    as numbers ("07" of the date 2023-07-07 is the "7" of "7 juli 2023")."""
    return {str(int(digits)) for number in _NUMBER.findall(text) for digits in re.findall(r"\d+", number)}


def _names_as_many(question: str, texts: list[str]) -> bool:
    """Whether the evidence names as many things as a "Welke vier thema's ...?" question asks for: a list with
    that many items, or a sentence with that many parts between commas and "en"/"and" ("digitale ethiek, AI in
    actie, verantwoord datagebruik en duurzaamheid"), where "In three administrations, caseworkers ..." has two
    and "a structured analysis, carried out before deployment, of the risks" three (nothing stands between its
    comma and "of"). Two things are not checked: nearly every sentence has an "en"."""
    found = _ASKS_SEVERAL.search(question)
    if not found:
        return True
    many = found.group(1).lower()
    wanted = int(many) if many.isdigit() else rules.numbers().get(many, 0)
    if wanted < 3:
        return True
    return (sum(len(LIST_ITEM.findall(t)) for t in texts) >= wanted
            or any(sum(bool(part.strip()) for part in _BETWEEN_ITEMS.split(SUPERSCRIPT.sub("", t))) >= wanted
                   for t in texts))


def asks_address(question: str) -> bool:
    """Whether a question asks where something is published or found, which a web address alone answers."""
    return bool(_ASKS_ADDRESS.search(question))


def asked_term(question: str) -> str | None:
    """The term a question asks the meaning of ("Wat betekent NOLAI?" -> "nolai"), lower case; else None."""
    m = _DEFINITION_QUESTION.match(question.strip())
    if not m:
        return None
    return re.sub(r"^(?:de|het|een|the|a|an)\s+|[‘’'\"“”«»]", "", next(g for g in m.groups() if g)).strip().lower()


def asked_subject(question: str) -> str | None:
    """What a question asks the subject or a summary of ("Waar gaat deze brief over?" -> "deze brief"), else None."""
    m = _ASKS_SUBJECT.search(question.strip())
    return next((g for g in m.groups() if g), None) if m else None


def asks_inventory(question: str) -> bool:
    """Whether a question asks which documents the assistant holds ("Welke documenten zijn er?")."""
    return bool(_ASKS_INVENTORY.search(question.strip()))


def asks_changes(question: str) -> bool:
    """Whether a question asks what changed between the versions of a document ("Wat is er veranderd ten opzichte
    van de vorige versie?")."""
    return bool(_ASKS_CHANGES.search(question.strip()))


def which_kind(question: str) -> str | None:
    """The kind of things a question asks which there are (`questions.asks-which-kinds`: "Welke coalities zijn
    er?" -> "coalities"), else None."""
    found = _ASKS_KINDS.search(question)
    return found.group("kind") if found else None


def asks_organisations(question: str) -> bool:
    """Whether a question asks which organisations (of a kind) there are: "Welke organisaties vormen de coalitie?",
    "Welke partijen …?", "Which ministries …?" (`words.organisation_nouns`, `words.organisations_any`)."""
    kind = (which_kind(question) or "").lower()
    return bool(kind) and any(noun in kind for noun in (*ORGANISATION_NOUNS, *ANY_ORGANISATION))


def listed(question: str) -> str | None:
    """What a question that asks which things there are asks for: its words after "welke", "which", "wat zijn de"
    ("Welke uitgangspunten noemt de nota?" -> "uitgangspunten noemt de nota?"); None for any other question."""
    m = _ASKS_LIST.search(question.strip())
    return question.strip()[m.end():] if m else None


def asked_topic(question: str) -> str | None:
    """The topic of a question which documents say something about it ("Welke documenten gaan over algoritmes?"
    -> "algoritmes"), else None."""
    m = _ASKS_DOCUMENTS_ABOUT.search(question.strip())
    topic = next((g for g in m.groups() if g), None) if m else None
    # "Ik zoek alles over X. In welke documenten staat daar iets over?": the topic ends with its sentence
    return re.split(r"[.!?]\s", topic)[0] if topic else None


def asked_said_about(question: str) -> tuple[str, str] | None:
    """Who or what a question asks what it says about a topic, and the topic ("Wat zegt de brief over ouderen?"
    -> ("de brief", "ouderen"); "" where it names nobody), else None."""
    m = _ASKS_SAID_ABOUT.search(question.strip())
    if not m:
        return None
    found = {name: value for name, value in m.groupdict().items() if value}
    topic = next(value for name, value in found.items() if name.startswith("topic"))
    return next((value for name, value in found.items() if name.startswith("who")), ""), topic


def asks_earlier_version(question: str) -> bool:
    """Whether a question asks what an earlier version of a document said ("in de eerste versie", "the old
    number")."""
    return bool(_ASKS_EARLIER_VERSION.search(question))
