"""A Dutch and an English listing of one event at the same start and place are one when a telling
word of the two meets, even though a translation rarely meets word for word
(``bilingual_same_context`` in ``dedup/scoring.py``); a shared compound head, a shared venue name or
two words that contradict each other keep two events at one venue apart."""

from __future__ import annotations

import pytest

from tim.config import DedupSettings

from .helpers import WYCK, at, cluster, rec, together

OFF = DedupSettings(bilingual_same_context=False)


def listing(id, source, title, *, minute=0, place=WYCK, kind="event"):
    lat, lon = place
    return rec(id, source, title, kind, starts_at=at(14, 19, minute), lat=lat, lon=lon)


TWINS = [
    # "vogels" meets "birdwatching" through the glossary; "spotten" / "walk" meet nothing
    ("Vogels spotten langs de Maas", "Birdwatching walk along the Maas"),
    # "boek" meets "book"; the book's translated title meets nothing
    ("Boekbespreking 'De avond is ongemak'", "Book club on The Discomfort of Evening"),
]


@pytest.mark.parametrize(("dutch", "english"), TWINS)
def test_a_bilingual_twin_at_the_same_start_and_place_is_one(dutch, english):
    records = [listing("w-1", "wijkplatform", dutch), listing("u-1", "uitinmaastricht", english)]
    result = cluster(records)
    assert together(result, "w-1", "u-1")
    (decision,) = [d for d in result.decisions if d.decision == "merge"]
    assert decision.reasons["title_variant"] == "bilingual_same_context"
    assert decision.reasons["rule"] == "bilingual_same_context"
    assert not together(cluster(records, OFF), "w-1", "u-1")  # the rule, not the title score


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("Kinderdisco", "Children's theatre"),  # one telling word; disco / theatre contradict
        ("Taalcafé Arabisch", "Language café Spanish"),  # one telling word; two languages
        ("Workshop schilderen", "Pottery workshop"),  # only the compound head meets
    ],
)
def test_two_events_at_one_venue_and_time_stay_apart(dutch, english):
    records = [listing("w-1", "wijkplatform", dutch), listing("u-1", "uitinmaastricht", english)]
    assert not together(cluster(records), "w-1", "u-1")


def test_only_a_shared_venue_name_is_not_a_translation():
    records = [listing("w-1", "wijkplatform", "Vastelaovend in De Kesselskamer"),
               listing("u-1", "uitinmaastricht", "Costume party at De Kesselskamer")]
    assert not together(cluster(records), "w-1", "u-1")


@pytest.mark.parametrize(
    "other",
    [
        {"minute": 30},  # starts half an hour later: not the same start
        {"place": (WYCK[0] + 0.004, WYCK[1])},  # about 450 m away: not the same place
    ],
)
def test_the_rule_needs_the_same_start_and_the_same_place(other):
    dutch, english = TWINS[0]
    records = [listing("w-1", "wijkplatform", dutch), listing("u-1", "uitinmaastricht", english, **other)]
    assert not together(cluster(records), "w-1", "u-1")


def test_vacancies_have_no_start_to_share():
    a = rec("md-1", "maastrichtdoet", "Vrijwilliger vogels spotten", "vacancy", lat=WYCK[0], lon=WYCK[1])
    b = rec("nl-1", "nlvoorelkaar", "Birdwatching walk volunteer", "vacancy", lat=WYCK[0], lon=WYCK[1])
    assert not together(cluster([a, b]), "md-1", "nl-1")
