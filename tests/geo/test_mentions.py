"""Buurt mentions in any phrasing, ambiguous names judged on their sentence, the evidence shown by
``explain`` (issue 14); unknown addresses placed by their neighbours."""

from __future__ import annotations

import pytest

from tim.geo import Locator
from tim.geo.gazetteer import Gazetteer

AMBY, WOLDER, LIMMEL, HEER, SCHARN, MALBERG = (
    "BU09350406", "BU09350104", "BU09350404", "BU09350602", "BU09350405", "BU09350207")


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator.load()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Wandeling door Amby", AMBY),
        ("Verhalen van Wolder", WOLDER),
        ("Kinderen uit Limmel maken een muurschildering", LIMMEL),
        ("Fietstocht rond Heer", HEER),
        ("Amby's nieuwe moestuin", AMBY),
        ("Heer: bewoners starten een buurtbus", HEER),
        ("Scharn krijgt een speeltuin", SCHARN),
        ("Repair café in de wijk Malberg", MALBERG),
        ("Walk through Amby with a guide", AMBY),
        ("Nieuwjaarsreceptie Scharn", SCHARN),
    ],
)
def test_a_buurt_name_counts_whatever_precedes_it(locator, text, code):
    res = locator.explain(text)
    assert res.buurt_code == code and res.method == "buurt_name"


def test_two_buurten_of_one_wijk_give_the_wijk():
    res = Locator.load().explain("Heer en Heugem vieren samen carnaval")
    assert res.buurt_code is None and res.wijk_code == "WK093506"


@pytest.mark.parametrize(
    "text",
    [
        "De heer Jansen vertelt over bijen", "Meneer Limmel, kunstschilder", "Geloof in de Heer",
        "Onze Lieve Heer heeft rare kostgangers", "Heer en meester in de keuken", "Heer Bommel voorgelezen",
        "Amby Winehouse tribute night", "Interview met Anne Scharn", "Mevrouw Wolder neemt afscheid",
        "Lezing door de heer Van Wolder", "Jezus van Nazareth: paasmusical", "Belfort in Frankrijk: busreis",
        "Heeg in Friesland: zeilkamp", "Campagne tegen eenzaamheid", "Nieuwe campagne voor schone straten",
        "Villapark-achtige wijken in Nederland", "Filmavond: Belfort (2022)", "Limmel, Jan: in memoriam",
    ],
)
def test_an_ambiguous_name_used_otherwise_gives_no_buurt(locator, text):
    res = locator.explain(text)
    assert res.buurt_code is None and res.wijk_code is None


def test_the_evidence_is_in_the_explanation(locator):
    res = locator.explain("Wandeling door Amby")
    assert "capitalised" in res.steps[0]["note"]
    res = locator.explain("Geloof in de Heer")
    step = next(s for s in res.steps if s["matched"] == "Heer")
    assert step["target"] is None and "geloof" in step["note"]
    res = locator.explain("De heer Jansen")
    assert any("lower case" in s["note"] for s in res.steps)


def test_an_unknown_pc6_between_known_ones_of_one_buurt(locator):
    # 6211AS itself is not in the PC6 file; 6211AR and 6211AT are, in one buurt
    gaz = Gazetteer(locator.b, exclude_addresses={("Boschstraat", "9")})
    hit = gaz.neighbouring_pc6("6211AS")
    assert hit is not None and hit[:2] == ("6211AR", "6211AT")
    res = Locator(locator.b, gaz).explain("Boschstraat 9, 6211 AS Maastricht")
    assert res.buurt_code == "BU09350004" and res.method == "postcode"


def test_an_unknown_number_next_to_a_known_one_of_its_pc6(locator):
    gaz = Gazetteer(locator.b, exclude_addresses={("Markt", "33")})
    res = Locator(locator.b, gaz).explain("Markt 33, 6211 CK Maastricht")
    assert res.buurt_code == "BU09350004"  # as Markt 35 (same PC6), not the PC6 centroid's buurt
    assert "near known Markt 35" in res.matched


HEUGEM, DOUSBERG, BELFORT, WYCK = "BU09350601", "BU09350208", "BU09350202", "BU09350006"


@pytest.mark.parametrize(
    "text",
    [
        "Familie Heugem viert feest",  # a name that is no ordinary word: still a surname here
        "Mevrouw Dousberg neemt afscheid",
        "Interview met Piet Wyck",
        "Amby en Jan trouwen in mei",  # beside a given name: two people
        "Met Scharn & Partners op pad",  # a firm's name
    ],
)
def test_any_buurt_name_after_a_person_title_or_beside_a_given_name_is_a_person(locator, text):
    res = locator.explain(text)
    assert res.buurt_code is None
    assert any("person" in s["note"] or "firm" in s["note"] for s in res.steps)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Met de fiets naar Heugem", HEUGEM),
        ("Zwemmen bij de Dousberg", DOUSBERG),
        ("Van Heer naar de Markt: processie op zondag", HEER),  # "Van" starts the sentence: a preposition
        ("Kunstroute door Wyck", WYCK),
        ("Wonen achter Scharn", SCHARN),
    ],
)
def test_the_same_names_as_places(locator, text, code):
    assert locator.explain(text).buurt_code == code


def test_a_name_asked_about_and_then_denied_is_not_the_place(locator):
    assert locator.explain("Wolder? Nooit van gehoord").buurt_code is None
    res = locator.explain("Amby, Scharn of Heer? Nee: het buurtfeest is dit jaar in Amby")
    assert res.buurt_code == AMBY
    assert any("denied" in s["note"] and s["matched"] == "Scharn" for s in res.steps)
    res = locator.explain("Valkenburg? Nee, gewoon in Malberg")  # an outside place denied as well
    assert res.buurt_code == MALBERG
    # a question without a denial still names the place
    assert locator.explain("Wie helpt mee in Limmel? Meld je aan").buurt_code == LIMMEL


@pytest.mark.parametrize("text", ["Kermis in Heer (België)", "Belfort, Frankrijk: stedenreis",
                                  "Zeilen bij Heeg (Friesland)"])
def test_a_buurt_name_with_a_place_or_country_elsewhere_after_it_is_that_other_place(locator, text):
    res = locator.explain(text)
    assert res.buurt_code is None
    assert any("elsewhere" in s["note"] or "another meaning" in s["note"] for s in res.steps)


@pytest.mark.parametrize("text", ["Cultuurcentrum in Nazareth in Oost-Vlaanderen",
                                  "Het kasteel van Malberg in de Eifel",
                                  "Een brug voor Heer-sur-Meuse", "Dorpsfeest in Campagne-lès-Hesdin"])
def test_a_buurt_name_placed_in_a_region_elsewhere_or_joined_to_a_french_particle(locator, text):
    res = locator.explain(text)
    assert res.buurt_code is None, text
    assert any("elsewhere" in s["note"] or "another country" in s["note"] for s in res.steps)


@pytest.mark.parametrize(("text", "code"), [("Kermis in Heer bij Maastricht", HEER),
                                            ("Malberg in het nieuws", MALBERG)])
def test_a_buurt_name_before_in_or_bij_a_place_in_the_area_stays_the_buurt(locator, text, code):
    assert locator.explain(text).buurt_code == code


def test_the_compass_part_of_a_wijk_name_after_a_locative_cue(locator):
    res = locator.explain("Buurtfeest in Oost")
    assert res.buurt_code is None and res.wijk_code == "WK093504"
    assert locator.explain("Bewoners van West praten mee").wijk_code == "WK093502"
    for text in ("Reis naar Oost-Europa", "Oost west, thuis best", "Van oost naar west wandelen"):
        res = locator.explain(text)
        assert res.buurt_code is None and res.wijk_code is None, text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Wolder Kermis 2025", WOLDER),  # a headline's capitals: an ordinary noun after the name
        ("Vrijwilligers voor Amby Noord gezocht", AMBY),
        ("Nazareth Sportpark: voetbaldag", "BU09350403"),
        ("De pastoor van Heer neemt afscheid", HEER),  # a function "of" the place
    ],
)
def test_a_capitalised_ordinary_word_after_a_name_is_not_a_surname(locator, text, code):
    assert locator.explain(text).buurt_code == code


@pytest.mark.parametrize("text", ["De heer van Heugem vertelt", "Mevrouw van Wolder neemt afscheid",
                                  "Amby Winehouse tribute", "Belfort Tower is een game"])
def test_an_honorific_and_a_particle_or_a_surname_after_the_name_is_a_person(locator, text):
    assert locator.explain(text).buurt_code is None


@pytest.mark.parametrize("text", [
    "Met wat geluk zie je op de akkers de hazendans van de rammelaars",
    "Vanaf de belvedère bovenop het oude fabriekje heb je een prachtig uitzicht",
])
def test_buurt_names_that_are_ordinary_words_do_not_count_in_lower_case(locator, text):
    res = locator.explain(text)
    assert res.buurt_code is None, res
    assert any("lower case" in (s.get("note") or "") for s in res.steps), res.steps


@pytest.mark.parametrize(("text", "code"), [("Buurtfeest in Belvédère op zaterdag", "BU09350303"),
                                            ("Speeltuin Hazendans krijgt nieuwe schommels", "BU09350208")])
def test_the_same_names_capitalised_are_the_buurt(locator, text, code):
    assert locator.explain(text).buurt_code == code


# -- fifth round (2026-12-07): each "not the place" rule beside a case that must stay the buurt ---------
BELVEDERE, NAZARETH, STATENKWARTIER, CAMPAGNE, VILLAPARK, MALPERTUIS, BINNENSTAD, CABERG = (
    "BU09350303", "BU09350403", "BU09350003", "BU09350103", "BU09350100", "BU09350204", "BU09350000",
    "BU09350205")


@pytest.mark.parametrize(
    ("other", "place", "code"),
    [
        # a pet's name / pets in the place
        ("Wie heeft onze kater Amby gezien?", "Katers en poezen uit Amby gezocht voor de fotowedstrijd", AMBY),
        # a person's title, a given name, the name / the title before a preposition
        ("Schrijfster Lies Wolder signeert haar roman", "Schrijfster uit Wolder signeert haar roman", WOLDER),
        ("De beurshandelaar Jordan Belfort in de film", "Snackbar in Belfort zoekt personeel", "BU09350202"),
        # a given name and a byname / an ordinary noun and "van"
        ("Kunstgeschiedenis: de Apollo van Belvedère", "Bewoners van Belvédère krijgen een park", BELVEDERE),
        ("Jan van Wolder viert zijn verjaardag", "Kinderen van Wolder maken een muurschildering", WOLDER),
        # a brand before a product / the product elsewhere in the text
        ("Cocktailworkshop met Belvedere wodka", "Wodka-proeverij in Belvédère voor buurtgenoten", BELVEDERE),
        ("Nieuwe Caberg-helm getest door de motorclub", "Wijkfeest in Caberg met een helmenruil", CABERG),
        # the adjective of a place elsewhere / of Maastricht
        ("Het Haagse Statenkwartier krijgt een fietsstraat", "Het Maastrichtse Statenkwartier krijgt een fietsstraat",
         STATENKWARTIER),
        ("De Luikse binnenstad krijgt een tramlijn", "Winkelen in de binnenstad op zondag", BINNENSTAD),
        # a town or region elsewhere after "in" / an ordinary word after "in de"
        ("Het dorpje Campagne in de Dordogne", "Campagne in de zomer: de speeltuin is open", CAMPAGNE),
        ("Het Villapark in Helmond krijgt glasvezel", "Het Villapark in Maastricht krijgt glasvezel", VILLAPARK),
        # a noun with a genitive (a title) / the place before a colon
        ("Leesclub bespreekt Heer der Vliegen", "Heer: de leesclub zoekt nieuwe leden", HEER),
        # a noun pair at the start of a sentence / the place and its surroundings
        ("Heer en dame gezocht voor de dansles", "Heer en omgeving krijgt een nieuwe buslijn", HEER),
        # an against word as the head of a compound / an ordinary compound
        ("Bijbelquiz: de synagoge van Nazareth", "Buurtquiz in Nazareth voor alle leeftijden", NAZARETH),
        # the other Malpertuis (Reynaert's castle, Jean Ray's novel) / the buurt
        ("Poppenkast: Reynaert de Vos vlucht naar zijn burcht Malpertuis", "Speeltuin in Malpertuis gaat open",
         MALPERTUIS),
    ],
)
def test_another_meaning_beside_the_place(locator, other, place, code):
    res = locator.explain(other)
    assert res.buurt_code is None and res.wijk_code is None, res.steps
    res = locator.explain(place)
    assert res.buurt_code == code, res.steps


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Open atelierdag in het Sphinx-kwartier", STATENKWARTIER),  # a one-word name with a hyphen
        ("Frontenkwartierfestival in het park", "BU09350302"),  # a compound with an ordinary word
        ("Binnenstadsmarkt op zondag", BINNENSTAD),  # ... with a linking s
        ("Bieslanders praten mee over de sportvelden", "BU09350102"),  # inhabitants
        ("Een echte Bieslander vertelt", "BU09350102"),
        ("Wyckenaren vieren feest", "BU09350006"),
        ("Langs Scharn loopt straks de snelfietsroute naar Heerlen", SCHARN),  # a destination elsewhere
        ("Fietstocht van Amby richting Valkenburg", AMBY),
    ],
)
def test_compounds_inhabitants_and_destinations(locator, text, code):
    res = locator.explain(text)
    assert res.buurt_code == code, res.steps


def test_compounds_and_destinations_keep_their_limits(locator):
    # a lower-case compound is an ordinary word; a street is not a compound of its buurt
    assert locator.explain("frontenkwartierfestival in het park").buurt_code is None
    assert locator.explain("Fietstocht naar Heerlen").buurt_code is None  # a destination alone: no buurt
    res = locator.explain("Fietstocht naar Heerlen")
    assert res.steps[0]["target"] == "outside" and "destination" in res.steps[0]["note"]
    res = locator.explain("Frontenkwartierfestival in het park")
    assert "compound" in res.steps[0]["note"]
    # the outside place still wins where it is not a destination
    assert locator.explain("Langs Scharn en in Heerlen komt een snelfietsroute").buurt_code is None


def test_a_short_form_of_a_buurt_name(locator):
    res = locator.explain("Maartenspoort en Wyck delen voortaan één buurtblad")
    assert res.buurt_code is None and res.wijk_code == "WK093500"
    assert locator.explain("Buurtfeest in de Maartenspoort").buurt_code == "BU09350005"


# -- sixth round (2026-12-08): each "not the place" rule beside a case that must stay the buurt ----------
BEATRIXHAVEN, DAALHOF, MARIABERG, SINT_PIETER = "BU09350500", "BU09350209", "BU09350201", "BU09350105"


@pytest.mark.parametrize(
    ("other", "place", "code"),
    [
        # a headline naming a town elsewhere / a headline naming the buurt
        ("Zwolle: wijkfeest in het Villapark met live muziek", "Villapark: wijkfeest met live muziek", VILLAPARK),
        ("Citytrip Keulen: wandeling door de binnenstad en langs de Dom",
         "Stadswandeling: door de binnenstad en langs de Maas", BINNENSTAD),
        # the name, then van / of and a town elsewhere / and Maastricht
        ("Havenfeest in de Beatrixhaven van Dordrecht", "Havenfeest in de Beatrixhaven van Maastricht", BEATRIXHAVEN),
        ("A guided walk through the Villapark of Enschede", "A guided walk through the Villapark with a guide",
         VILLAPARK),
        # a town placed by a preposition in the sentence / the name placed by a cue of its own
        ("Open dag bij zorgboerderij Daalhof, gelegen in Tilburg",
         "Open dag van de zorgboerderij in Daalhof, ook voor bezoekers uit Tilburg", DAALHOF),
        # an unknown town made known by a region in brackets / a buurthuis in the buurt
        ("Uitwisseling met het klooster Mariaberg in Sigmaringen (Duitsland)",
         "Uitwisseling met het buurthuis in Mariaberg", MARIABERG),
        # a region after a compass word in brackets / the name alone
        ("Jaarmarkt in Nazareth (Oost-Vlaanderen) met paardenkeuring", "Jaarmarkt in Nazareth met paardenkeuring",
         NAZARETH),
        # a double place name with a hyphen / a compass part
        ("Kermis in Nazareth-Eke met een paardenmarkt", "Kermis in Nazareth op zondag met een paardenmarkt", NAZARETH),
        # a work noun before the name, or before a quoted title holding it / the noun and "uit"
        ("De rockband Wolder speelt vanavond in het café", "De rockband uit Wolder speelt vanavond in het café",
         WOLDER),
        ("Het kinderboek 'Avontuur in Wyck' is uit", "Het kinderboek wordt voorgelezen in Wyck", WYCK),
        ("Het vrachtschip 'Scharn' ligt in de haven", "Het vrachtschip van de buurtvereniging Scharn", SCHARN),
        # a title, a given name, a particle, the name / the title and "uit"
        ("Lezing door historicus Geertruida van Heugem", "Lezing door een historicus uit Heugem", HEUGEM),
        # a particle, the name and a capitalised word at the start (a firm) / the preposition
        ("Van Heugem Installatietechniek zoekt monteurs", "Van Heugem naar de Markt: een wandeling", HEUGEM),
        # the French Belfort's surroundings in the text / none
        ("Wandelvakantie in Belfort en de Jura", "Wandelvakantie vanuit Belfort met de buurtvereniging", BELFORT),
        # Saint Peter / the buurt (Hemelvaartsdag is not "hemel")
        ("Sint Pieter met de sleutels van de hemel op een oud schilderij",
         "Op Hemelvaartsdag een wandeling door Sint Pieter", SINT_PIETER),
        # céramique in lower case (pottery) / Céramique, the part of Wyck
        ("Cursus céramique voor beginners", "Nieuwe horeca in Céramique", WYCK),
        # a horse's name / a pony camp in the place
        ("Merrie Campagne wint de dressuurproef", "Ponykamp in Campagne voor kinderen", CAMPAGNE),
    ],
)
def test_sixth_round_not_the_place_beside_the_place(locator, other, place, code):
    res = locator.explain(other)
    assert res.buurt_code is None, (other, res.buurt_name, res.matched)
    assert locator.explain(place).buurt_code == code, place


@pytest.mark.parametrize(("text", "code"), [("Fietstocht van Amby naar Meerssen", AMBY),
                                            ("Fietstocht van Amby naar Keulen", AMBY),
                                            ("Speeltuin in Dousberg-Hazendans", DOUSBERG),
                                            ("Bewoners van het Villapark op bezoek in Helmond", VILLAPARK)])
def test_sixth_round_a_journey_or_a_cued_name_stays_the_buurt(locator, text, code):
    assert locator.explain(text).buurt_code == code


@pytest.mark.parametrize(("text", "code"), [
    ("Rommelmert in Wiek op zaterdag", WYCK),  # Maastrichts for Wyck
    ("Buurtfeest Wiek", WYCK),
    ("Op eigen wieken: cursus zelfstandig wonen", None),  # the Dutch word: a windmill's sail
    ("Wiek van de windmolen gebroken", None),
    ("De molen draait weer met een nieuwe wiek", None),
])
def test_the_maastrichts_name_of_wyck_and_the_windmills_sail(locator, text, code):
    assert locator.explain(text).buurt_code == code
