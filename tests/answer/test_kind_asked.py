"""A question for which things of a kind there are is not answered by a sentence that uses the kind's own word and
names none of them: "Welke hogescholen zijn aangesloten bij PRIO?" is not answered by "De ICT-lectoraten van de
hogescholen van Nederland zijn via het platform PRIO in contact"; one for which organisation, by a sentence that
names none (`questions.names_the_kind_asked`)."""

from __future__ import annotations

import pytest
from conftest import indexed

from assistant.answer.answerer import Answerer
from assistant.answer.questions import names_the_kind_asked

KINDS = """# Kennisnetwerken

## Hogescholen

De ICT-lectoraten van de hogescholen van Nederland zijn via het platform PRIO met elkaar in contact.

## Ethiek

De coalitie digitale ethiek wordt gevormd door IPO, UWV, SVB, Rijks ICT-Gilde en VNG.

## Subsidie

Alleen openbare bibliotheken met rechtspersoonlijkheid kunnen subsidie voor een hulppunt aanvragen.

## Register

Van de gepubliceerde algoritmes is een kwart door de organisatie zelf als hoog-risico aangemerkt.

Het NRO heeft een Comenius programma, waarbinnen meerdere AI-onderwerpen worden gefinancierd.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    return Answerer(indexed(tmp_path_factory.mktemp("kinds"), {"netwerken.md": KINDS}), "extractive")


@pytest.mark.parametrize(("question", "lead_holds"), [
    ("Welke hogescholen zijn via het platform PRIO met elkaar in contact?", None),
    # the platform is a thing of its own kind, named by the sentence
    ("Via welk platform zijn de ICT-lectoraten van de hogescholen in contact?", "PRIO"),
    ("Welke organisaties vormen de coalitie digitale ethiek?", "IPO, UWV, SVB"),
    ("Welke bibliotheken kunnen subsidie voor een hulppunt aanvragen?", "openbare bibliotheken"),
    # one organisation asked for is named
    ("Welke organisatie heeft de gepubliceerde algoritmes als hoog-risico aangemerkt?", None),
    ("Welke organisatie heeft een Comenius programma?", "Het NRO"),
])
def test_a_kind_named_is_not_its_members(answerer, question, lead_holds):
    answer = answerer.ask(question)
    assert answer.abstained is (lead_holds is None)
    assert lead_holds is None or lead_holds in answer.citations[0].quote


@pytest.mark.parametrize(("question", "lead", "quotes", "answers"), [
    ("Welke toelatingscriteria gaan er gelden voor hyperscale datacentra?",
     "Landelijke regie en toelatingscriteria zijn nodig voor hyperscale datacentra.", [], False),
    ("Van welke leveranciers zijn kleine gemeenten afhankelijk?",
     "Kleine gemeenten zijn afhankelijk van een klein aantal leveranciers van websitesoftware.", [], False),
    ("Which individual provinces are involved?", "Several provinces are involved through IPO.", [], False),
    ("Which risks are assessed before deployment?", "Most administrations assess the risks of a system before it "
     "is deployed.", [], False),
    # words that introduce them, or their number announcing them, name them
    ("Welke vraagstukken worden al opgepakt?", "Vraagstukken die al worden opgepakt zijn onder meer de "
     "beschikbaarheid van data en het Federatief Datastelsel.", [], True),
    ("Welke maatregelen noemt het plan?", "De drie maatregelen zijn een centraal register, een vaste "
     "contactpersoon en een jaarlijkse controle.", [], True),
    # or named right after the kind's word; the kind's word before a verb names none
    ("Welke regio's doen mee aan de grotere pilot?", "In 2025 volgt een grotere pilot met 25.000 deelnemers in de "
     "regio's Groningen en Eindhoven.", [], True),
    ("Welke regio's doen mee aan de grotere pilot?", "In 2025 volgt een grotere pilot in twee regio's.", [], True),
    ("Welke regio's doen mee aan de grotere pilot?", "De pilot wordt in regio's uitgevoerd.", [], False),
    # an enumeration or a list among the quotes names them
    ("Welke landen werken samen?", "Met andere landen werken we samen.",
     ["Het gaat om Duitsland, Frankrijk, België en Denemarken."], True),
    ("Welke landen werken samen?", "Met andere landen werken we samen.", ["- Duitsland\n- Frankrijk"], True),
    # what sets them apart names them
    ("Welke inlogsessies tellen mee?", "De cijfers betreffen uitsluitend inlogsessies waarin iemand inlogde.", [],
     True),
    # that there are none answers
    ("Welke disrupties zijn doorgerekend?", "De scenario's houden geen rekening met disrupties.", [], True),
    # a lead without the kind's word may name its members
    ("Welke hogescholen doen mee?", "De Hogeschool van Amsterdam en Fontys doen mee.", [], True),
    # a question for which N things has its own check; a singular kind is described, not listed
    ("Welke drie coalitiepartners delen lessen?", "Coalitiepartners als UWV, SVB en VNG delen lessen.", [], True),
    ("Welke rol speelt de VNG?", "De VNG speelt een verbindende rol.", [], True),
    ("Op welke datum is het convenant gepubliceerd?", "Het convenant is gepubliceerd.", [], True),
    # one organisation: its name in the lead, a capital the question does not write or a quoted name
    ("Which organisation will manage the register?", "A register describes which algorithms an organisation uses.",
     [], False),
    ("Welke organisatie beheert het register?", "Het register wordt beheerd door de organisatie Logius.", [], True),
    ("Met welke organisatie werkt het Rijk samen?", "Het Rijk werkt samen met de organisatie «Alliantie».", [],
     True),
    ("Welke organisatie beheert het Register?", "Het Register beheert de organisatie zelf.", [], False),
    # a lead without the kind's word names one too, or does not answer which one; a first word written as a name is
    # one, unless it is only a sentence's capital
    ("Welke leverancier veroorzaakte de storing van DigiD op 22 oktober?", "De langste storing van DigiD vond plaats "
     "op 22 oktober en werd veroorzaakt door een fout bij het vervangen van een certificaat.", [], False),
    ("Welke leverancier veroorzaakte de storing van DigiD?", "Een fout van Solvinity veroorzaakte de storing.", [],
     True),
    ("Which organisation runs an Applied AI programme?", "TNO heeft een Applied AI programma in uitvoering.", [], True),
    ("Welke organisatie maakte de monitor?", "Burgers maakten meer gebruik van digitale diensten.", [], False),
    # a question that asks more than which one may be led by what answers the rest
    ("Welke organisatie maakte de monitor, en wanneer kwam die uit?", "In 2024 maakten burgers meer gebruik van "
     "digitale diensten.", [], True),
])
def test_what_a_lead_names(question, lead, quotes, answers):
    assert names_the_kind_asked(question, lead, [lead, *quotes]) is answers
