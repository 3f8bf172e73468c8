"""The external English-Dutch lexicon (``dedup/en_nl_lexicon.tsv``, from FreeDict): twins whose
words the hand list of ``title_variants.txt`` does not have are one through the dictionary, and
the hard negatives stay apart."""

from __future__ import annotations

import pytest

from tim.dedup.variants import VARIANTS_FILE, english_only, equivalents, lexicon, lexicon_stems, word_score
from tim.dedup.text import normalize_title, read_sections

from .helpers import WYCK, at, cluster, rec, together


def listing(id, source, title, day=14, hour=14, place=WYCK):
    lat, lon = place if place else (None, None)
    return rec(id, source, title, "event", starts_at=at(day, hour), lat=lat, lon=lon)


def _hand_list_english() -> set[str]:
    lines = read_sections(VARIANTS_FILE).get("english", [])
    return {w for line in lines for w in line.split("=")[0].split()}


@pytest.mark.parametrize(
    ("a", "b", "english"),
    [
        ("Bloembollen planten in het park", "Planting flower bulbs in the park", ("bulbs",)),
        ("Aardewerk workshop", "Pottery workshop", ("pottery",)),
        ("Wetenschapsdag voor kinderen", "Science day for kids", ("science",)),
        ("Kapper voor ouderen", "Hairdresser for the elderly", ("hairdresser",)),
    ],
)
def test_an_english_twin_meets_its_dutch_title_through_the_lexicon(a, b, english):
    for word in english:  # the hand list does not know the word: only the lexicon can match it
        assert word not in _hand_list_english()
    result = cluster([listing("w-1", "wijkplatform", a), listing("u-1", "uitinmaastricht", b)])
    assert together(result, "w-1", "u-1")


def test_a_vacancy_twin_without_a_common_word_is_found_by_its_translated_block_key():
    """No place, no time: only a title-token block can bring the two together, and no word of the
    two titles is alike; the English word's Dutch translation is a block key."""
    assert "gardener" not in _hand_list_english()
    a = rec("md-1", "maastrichtdoet", "Vrijwilliger tuinman", "vacancy", organizer="Buurtnetwerk Wyck")
    b = rec("nl-1", "nlvoorelkaar", "Volunteer gardener", "vacancy", organizer="Buurtnetwerk Wyck")
    result = cluster([a, b])
    assert together(result, "md-1", "nl-1")
    assert result.stats["candidate_pairs"] == 1


def test_one_organisations_other_vacancy_stays_apart():
    a = rec("md-1", "maastrichtdoet", "Vrijwilliger kapper", "vacancy", organizer="Buurtnetwerk Wyck")
    b = rec("nl-1", "nlvoorelkaar", "Volunteer gardener", "vacancy", organizer="Buurtnetwerk Wyck")
    assert not together(cluster([a, b]), "md-1", "nl-1")


@pytest.mark.parametrize(
    ("a", "b", "day_b", "hour_b"),
    [
        ("Aardewerk workshop", "Pottery workshop", 21, 14),  # the same workshop a week later
        ("Aardewerk workshop deel 1", "Pottery workshop part 2", 14, 14),  # numbered look-alikes
        ("Aardewerk workshop", "Hairdresser workshop", 14, 14),  # another activity, same place and time
    ],
)
def test_hard_negatives_stay_apart(a, b, day_b, hour_b):
    result = cluster([listing("w-1", "wijkplatform", a),
                      listing("u-1", "uitinmaastricht", b, day=day_b, hour=hour_b)])
    assert not together(result, "w-1", "u-1")


def test_word_comparison_with_the_lexicon():
    def words(t):
        return normalize_title(t).words

    assert word_score(words("Dierenopvang"), words("Animal care"))[0] < 100  # 'care' is no 'opvang'
    assert word_score(words("Kapper"), words("Hairdresser")) == (100.0, True)
    assert word_score(words("Bakkerij open dag"), words("Bakery open day")) == (100.0, True)
    assert word_score(words("Kapper"), words("Gardener"))[1] is False


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zwemuur voor vrouwen", "Women's swim hour"),  # an irregular plural, a verb stem in a compound
        ("Snoeiworkshop fruitbomen", "Fruit tree pruning workshop"),  # a plural as a compound's last part
        ("Spelletjesmiddag voor kinderen", "Games afternoon for children"),  # kinderen / children
    ],
)
def test_word_forms_meet_through_the_lexicon(a, b):
    result = cluster([listing("w-1", "wijkplatform", a), listing("u-1", "uitinmaastricht", b)])
    assert together(result, "w-1", "u-1")


def test_word_forms_of_the_lexicon():
    from tim.dedup.variants import _dutch_bases, _english_bases

    assert "woman" in _english_bases("womens") and "child" in _english_bases("children")
    assert {"boom", "uur", "vrouw", "kind", "bol"} <= {b for w in ("bomen", "uren", "vrouwen", "kinderen", "bollen")
                                                       for b in _dutch_bases(w)}
    assert {"woman", "women"} & equivalents("vrouwen") and "vrouwen" in equivalents("women")
    # plurals no dictionary lists meet through their dictionary form: kazen -> kaas, stoelen -> stoel
    assert lexicon().reverse.get("kazen") is None and "cheese" in equivalents("kazen")
    assert lexicon().reverse.get("stoelen") is None and "chair" in equivalents("stoelen")
    # a form changes nothing for two Dutch titles that differ: another word stays another word
    assert not together(cluster([listing("w-1", "wijkplatform", "Zwemuur voor vrouwen"),
                                 listing("u-1", "uitinmaastricht", "Zwemuur voor kinderen")]), "w-1", "u-1")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # the glossary (words of neighbourhood listings FreeDict lacks): choir / koor, rehearsal / repetitie
        ("Open repetitie van het koor", "Open choir rehearsal", True),
        # the hand list makes 'neighbourhood' 'buurt'; the glossary's other translation, 'wijk', still meets
        ("Koffieochtend in de wijk", "Coffee morning in the neighbourhood", True),
        # an adjective of a place is a form of its name
        ("Limburgse liedjesavond", "Limburg song evening", True),
        # another activity at the same place and time stays apart
        ("Koffieochtend in de wijk", "Yoga morning in the neighbourhood", False),
        ("Open repetitie van het koor", "Open rehearsal of the orchestra", False),
    ],
)
def test_the_glossary_and_the_hand_lists_words(a, b, same):
    from tim.dedup.variants import GLOSSARY_FILE

    assert GLOSSARY_FILE.is_file() and "koor" in equivalents("choir")
    result = cluster([listing("w-1", "wijkplatform", a), listing("u-1", "uitinmaastricht", b)])
    assert together(result, "w-1", "u-1") is same


def test_block_keys_of_english_phrases():
    """Vacancies without a place or time meet only in a title-token block: an English phrase's
    Dutch word (``home care`` -> ``thuiszorg``) is a block key of the English title."""
    result = cluster([rec("md-1", "maastrichtdoet", "Vrijwilliger thuiszorg", "vacancy", organizer="Envida"),
                      rec("nl-1", "nlvoorelkaar", "Home care volunteer", "vacancy", organizer="Envida")])
    assert result.stats["candidate_pairs"] == 1 and together(result, "md-1", "nl-1")
    assert "thuisz" in lexicon_stems(["home", "care", "volunteer"], 6)
    assert "thuisz" not in lexicon_stems(["thuis", "zorg"], 6)  # Dutch words: no phrase, no keys


def test_english_words_only_add_block_keys():
    assert english_only("gardener") and english_only("bulbs")
    assert not english_only("plant")  # a Dutch word as well: says nothing about the language
    assert not english_only("tuinman")  # a Dutch translation
    assert "tuinma" in lexicon_stems(["gardener"], 6)
    assert lexicon_stems(["tuinman", "kapper"], 6) == frozenset()
    # a loanword in a Dutch title does not make it English: no translated keys, no extra work
    assert english_only("delivery") and lexicon_stems(["boodschappen", "delivery", "scharn"], 6) == frozenset()
    assert not english_only("service")  # a loanword the glossary marks as Dutch too


def test_the_lexicon_file_is_committed_and_read_without_the_debian_package():
    lex = lexicon()
    assert len(lex.words) > 10_000
    assert "kapper" in equivalents("hairdresser")
    assert "hairdresser" in equivalents("kapper")  # both ways
