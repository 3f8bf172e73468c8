"""Title variants (issue 14): compounds, subtitles and Dutch/English twins of one event are one
item; the hard negatives (recurring dates, one organisation's other vacancies, numbered
look-alikes, another activity at the same place and time) stay apart."""

from __future__ import annotations

import pytest

from tim.dedup.text import normalize_title
from tim.dedup.variants import refine, word_score

from .helpers import MALBERG, WYCK, at, cluster, rec, together


def listing(id, source, title, day=14, hour=14, place=WYCK, **fields):
    """An agenda listing without a description: the title, time and place decide."""
    lat, lon = place if place else (None, None)
    return rec(id, source, title, "event", starts_at=at(day, hour), lat=lat, lon=lon, **fields)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Repair Café", "Repaircafé"),
        ("Taal Café voor anderstaligen", "Taalcafé"),
        ("Open dag buurt tuin", "Open dag buurttuin"),
        ("Buurtfeest Malberg: meer info volgt", "Buurtfeest Malberg"),
        ("Kerstconcert (toegang gratis)", "Kerstconcert"),
        ("Koffieochtend voor nieuwkomers", "Coffee morning for newcomers"),
        ("Taalcafé", "Language café"),
        ("Rommelmarkt", "Flea market"),
        ("Hardloopgroep", "Running group"),
        ("Informatieavond warmtenet", "Information evening district heating"),
        ("Intocht Sinterklaas", "Arrival of Saint Nicholas"),
        ("Paddenstoelenwandeling Wolder", "Mushroom walk Wolder"),
    ],
)
def test_same_day_time_and_place_with_a_title_variant_is_one(a, b):
    result = cluster([listing("w-1", "wijkplatform", a), listing("u-1", "uitinmaastricht", b)])
    assert together(result, "w-1", "u-1")


def test_a_vacancy_compound_with_extra_words_is_found_by_blocking():
    a = rec("md-1", "maastrichtdoet", "Gastvrouw Taal Café voor anderstaligen", "vacancy", organizer="Taalhuis")
    b = rec("nl-1", "nlvoorelkaar", "Gastvrouw Taalcafé", "vacancy", organizer="Taalhuis Maastricht")
    result = cluster([a, b])
    assert together(result, "md-1", "nl-1")
    assert result.stats["candidate_pairs"] == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Repaircafé", "Breicafé"),
        ("Taalcafé Frans", "Taalcafé Spaans"),
        ("Lezing: Romeins Maastricht", "Lezing: Middeleeuws Maastricht"),
        ("Buurttuin open dag", "Buurtkeuken open dag"),
        ("Kinderworkshop 4-6 jaar", "Kinderworkshop 8-12 jaar"),
        ("Voetbaltoernooi JO11", "Voetbaltoernooi JO13"),
        ("Filmavond", "Quiz night"),
    ],
)
def test_another_activity_at_the_same_place_and_time_stays_apart(a, b):
    result = cluster([listing("w-1", "wijkplatform", a), listing("u-1", "uitinmaastricht", b)])
    assert not together(result, "w-1", "u-1")


def test_recurring_twin_on_another_date_stays_apart():
    result = cluster([listing("w-1", "wijkplatform", "Taalcafé", day=14),
                      listing("e-1", "expat-agenda", "Language café", day=21)])
    assert not together(result, "w-1", "e-1")


def test_one_organisations_other_vacancies_stay_apart():
    records = [
        rec("md-1", "maastrichtdoet", "Vrijwilliger Repair Café: reparateur", "vacancy", organizer="Repair Café"),
        rec("nl-1", "nlvoorelkaar", "Repaircafé: gastvrouw", "vacancy", organizer="Repair Café"),
        rec("md-2", "maastrichtdoet", "Kok buurtrestaurant", "vacancy", organizer="Buurtnetwerk Caberg"),
        rec("nl-2", "nlvoorelkaar", "Afwasser buurtrestaurant", "vacancy", organizer="Buurtnetwerk Caberg"),
    ]
    result = cluster(records)
    assert not together(result, "md-1", "nl-1")
    assert not together(result, "md-2", "nl-2")


def test_same_time_in_two_buurten_is_not_one():
    a = rec("w-1", "wijkplatform", "Koffieochtend", "event", starts_at=at(14, 10), buurt_code="BU09350404")
    b = rec("u-1", "uitinmaastricht", "Koffie ochtend", "event", starts_at=at(14, 10), buurt_code="BU09350406")
    assert not together(cluster([a, b]), "w-1", "u-1")


def test_a_reworded_title_with_an_agreeing_description_is_still_one():
    text = ("Kom langs voor een kop koffie en een praatje met buren. Iedereen is welkom in het "
            "buurthuis, de koffie staat vanaf tien uur klaar.")
    a = listing("w-1", "wijkplatform", "Computerspreekuur", place=MALBERG, description_text=text)
    b = listing("u-1", "uitinmaastricht", "Digi-spreekuur", place=MALBERG, description_text=text)
    result = cluster([a, b])
    assert together(result, "w-1", "u-1")
    merge = next(d for d in result.decisions if d.decision == "merge")
    assert merge.reasons["title_variant"] == "words_differ_description_agrees"


def test_the_variant_is_recorded_in_the_reasons():
    result = cluster([listing("w-1", "wijkplatform", "Taal Café voor anderstaligen"),
                      listing("u-1", "uitinmaastricht", "Taalcafé")])
    merge = next(d for d in result.decisions if d.decision == "merge")
    assert merge.reasons["title"] == 100.0 and merge.reasons["title_variant"] == "compound"


def test_word_comparison():
    assert word_score(("repair", "cafe"), ("repair", "cafe", "malberg")) == (100.0, True)
    assert word_score(("hardloop", "groep"), ("hardlopen", "groep"))[1]  # loop / lopen
    score, contained = word_score(("repair", "cafe"), ("naai", "cafe"))
    assert not contained and score == 50.0
    ta, tb = normalize_title("Theater: De Vrek van Molière"), normalize_title("De Vrek")
    assert refine(ta, tb, 40.0)[0] == 100.0  # the other title is the subtitle: one side contains it


def test_a_doubled_consonant_before_an_ending_is_a_form_of_the_word():
    assert word_score(("bord", "spellen", "middag"), ("bord", "spel", "middag")) == (100.0, True)
    assert word_score(("bus", "sen"), ("bussen",))[1]  # joined neighbours, unchanged
    assert not word_score(("kol",), ("kolen",))[1]  # too short a stem: not a form
    result = cluster([listing("w-1", "wijkplatform", "Bordspellenmiddag"),
                      listing("e-1", "expat-agenda", "Board game afternoon")])
    assert together(result, "w-1", "e-1")


def test_a_subtitle_part_counts_only_when_the_other_title_lies_inside_it():
    # the main part "Repair Café" lies inside the other title, but that one adds a role of its own
    a = rec("md-1", "maastrichtdoet", "Vrijwilliger Repair Café: kassa", "vacancy", organizer="Repair Café")
    b = rec("nl-1", "nlvoorelkaar", "Repair Café fietsenmaker", "vacancy", organizer="Repair Café")
    assert not together(cluster([a, b]), "md-1", "nl-1")
    c = rec("md-2", "maastrichtdoet", "Chauffeur: flexibele uren", "vacancy", organizer="Trajekt")
    d = rec("nl-2", "nlvoorelkaar", "Chauffeur", "vacancy", organizer="Trajekt")
    assert together(cluster([c, d]), "md-2", "nl-2")


@pytest.mark.parametrize(("a", "b"), [("Zwemles A-diploma", "Zwemles B-diploma"),
                                      ("Excursie groep A", "Excursie groep B")])
def test_letters_that_number_look_alikes_keep_them_apart(a, b):
    assert normalize_title(a).numbers and normalize_title(a).numbers != normalize_title(b).numbers
    result = cluster([listing("w-1", "wijkplatform", a), listing("u-1", "uitinmaastricht", b)])
    assert not together(result, "w-1", "u-1")


def test_no_letter_label_in_an_ordinary_title():
    assert normalize_title("A walk through Wyck").numbers == frozenset()
    assert normalize_title("Repair Café: Kom langs").numbers == frozenset()


def test_volunteers_after_a_role_say_whom_the_role_is_for():
    assert "vrijwilligers" in normalize_title("Coördinator vrijwilligers").words
    assert "vrijwilliger" not in normalize_title("Vrijwilliger kledingbank").words  # boilerplate first
    a = rec("md-1", "maastrichtdoet", "Coördinator vrijwilligers", "vacancy", organizer="Trajekt")
    b = rec("nl-1", "nlvoorelkaar", "Coördinator evenementen", "vacancy", organizer="Trajekt")
    assert not together(cluster([a, b]), "md-1", "nl-1")
    c = rec("md-2", "maastrichtdoet", "Vrijwilliger kledingbank", "vacancy", organizer="Kledingbank")
    d = rec("nl-2", "nlvoorelkaar", "Kledingbank vrijwilliger", "vacancy", organizer="Kledingbank")
    assert together(cluster([c, d]), "md-2", "nl-2")


@pytest.mark.parametrize(("a", "b"), [("Buurt BBQ", "Buurtbarbecue"), ("Sinterklaasfeest", "St Nicholas party"),
                                      ("Nieuwjaarsreceptie", "New Year's reception")])
def test_abbreviations_and_holidays_in_english(a, b):
    result = cluster([listing("w-1", "wijkplatform", a), listing("e-1", "expat-agenda", b)])
    assert together(result, "w-1", "e-1")


def test_both_titles_adding_a_word_stay_below_the_threshold_whatever_rapidfuzz_says():
    # rapidfuzz scores these lower than their share of shared words: the word rule still applies
    ta, tb = normalize_title("Schaakles beginners"), normalize_title("Schaakles gevorderden")
    score, variant = refine(ta, tb, 65.0)
    assert variant == "words_differ" and score == 65.0
    result = cluster([listing("w-1", "wijkplatform", "Schaakles beginners"),
                      listing("u-1", "uitinmaastricht", "Schaakles gevorderden")])
    assert not together(result, "w-1", "u-1")


def test_a_range_after_a_counting_word_is_not_a_date():
    assert normalize_title("Groep 1-2 knutselen").numbers == frozenset({1, 2})
    assert normalize_title("Kinderen 8-14").numbers == frozenset({8, 14})  # no month 14
    assert normalize_title("Repair Café 14-6").numbers == frozenset()  # a date: taken out
    assert normalize_title("Buurtfeest 14-6-2025").words == ("buurt", "feest")
    result = cluster([listing("w-1", "wijkplatform", "Groep 1-2 knutselen"),
                      listing("u-1", "uitinmaastricht", "Groep 3-4 knutselen")])
    assert not together(result, "w-1", "u-1")
