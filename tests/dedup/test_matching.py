"""Which records are one initiative (issue 5, items 2-4; issue 2, item 6)."""

from __future__ import annotations

import pytest

from .helpers import CABERG, MALBERG, cluster, event, rec, together

VACANCY_TEXT = (
    "{org} zoekt een {role} in {buurt}. {task} Wat wij bieden: begeleiding, een "
    "vrijwilligersvergoeding en gezellige collega's."
)


def vacancy(id, source, title, org, role, task, buurt="Malberg", **fields):
    text = VACANCY_TEXT.format(org=org, role=role, task=task, buurt=buurt)
    return rec(id, source, title, "vacancy", organizer=org, description_text=text, **fields)


def test_cross_source_duplicate_pair_is_merged_with_reasons():
    a = event(
        "md-1",
        "maastrichtdoet",
        "Repair Café Malberg",
        14,
        MALBERG,
        organizer="Stichting Repair Café Maastricht",
        url="https://www.maastrichtdoet.nl/agenda/repair-cafe-malberg-1",
    )
    b = event(
        "ua-1",
        "uitagenda",
        "Repaircafé in Malberg 14.00 uur",
        14,
        organizer="Repair Café Maastricht",
    )
    result = cluster([a, b])
    assert together(result, "md-1", "ua-1")
    (decision,) = [d for d in result.decisions if {d.a, d.b} == {"md-1", "ua-1"}]
    assert decision.decision == "merge"
    assert decision.score >= 75
    assert decision.reasons["rule"] == "score>=merge_threshold"
    assert decision.reasons["time"] == 100.0 and decision.reasons["title"] >= 90


def test_aggregator_linking_to_the_primary_page_is_merged_despite_a_new_title():
    primary = vacancy(
        "md-1",
        "maastrichtdoet",
        "Taalmaatje Malberg",
        "Trajekt",
        "taalmaatje",
        "Je oefent wekelijks Nederlands met een nieuwkomer.",
        url="https://www.maastrichtdoet.nl/vacatures/taalmaatje-malberg-17",
    )
    copy = vacancy(
        "nl-1",
        "nlvoorelkaar",
        "Help een nieuwkomer met de Nederlandse taal",
        "Trajekt",
        "taalmaatje",
        "Je oefent wekelijks Nederlands met een nieuwkomer.",
        urls_in_text=(
            "https://maastrichtdoet.nl/vacatures/taalmaatje-malberg-17/?utm_source=nlvoorelkaar",
        ),
    )
    result = cluster([primary, copy])
    assert together(result, "md-1", "nl-1")
    (decision,) = result.decisions
    assert decision.reasons["linked_url"] is True


def test_records_of_one_source_are_never_merged():
    a = event("ua-1", "uitagenda", "Repair Café Malberg", 14, MALBERG)
    b = event("ua-2", "uitagenda", "Repair Café Malberg", 14, MALBERG)
    result = cluster([a, b])
    assert not together(result, "ua-1", "ua-2")


def test_recurring_event_on_other_dates_is_not_merged():
    # the same weekly activity, listed by two agendas: only the same date is one item
    records = [
        event("tr-14", "trajekt", "Repair Café Malberg", 14, MALBERG),
        event("ua-14", "uitagenda", "Repair Café Malberg", 14, MALBERG),
        event("ua-21", "uitagenda", "Repair Café Malberg", 21, MALBERG),
        event("tr-28", "trajekt", "Repair Café Malberg", 28, MALBERG),
    ]
    result = cluster(records)
    assert together(result, "tr-14", "ua-14")
    assert len(set(result.assignments.values())) == 3


def test_date_only_listing_matches_the_timed_one_of_that_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    timed = event(
        "tr-1",
        "trajekt",
        "Bingomiddag",
        14,
        MALBERG,
        organizer="Trajekt",
        description_text="Gezellige bingo met mooie prijzen. Van 14.00 tot 16.30 uur.",
    )
    date_only = rec(
        "lb-1",
        "limburger",
        "Bingomiddag Malberg",
        "event",
        starts_at=datetime(2025, 6, 14, tzinfo=ZoneInfo("Europe/Amsterdam")),
        description_text="Gezellige bingo met mooie prijzen. Tijd: 14:00-16:30u",
    )
    other_day = rec(
        "lb-2",
        "limburger",
        "Bingomiddag Malberg",
        "event",
        starts_at=datetime(2025, 6, 15, tzinfo=ZoneInfo("Europe/Amsterdam")),
        description_text="Gezellige bingo met mooie prijzen. Tijd: 14:00-16:30u",
    )
    result = cluster([timed, date_only, other_day])
    assert together(result, "tr-1", "lb-1")
    assert not together(result, "tr-1", "lb-2")


def test_same_venue_same_day_other_activity_is_not_merged():
    koffie = event(
        "tr-1",
        "trajekt",
        "Koffieochtend",
        14,
        MALBERG,
        hour=10,
        description_text="Een kop koffie, iets lekkers en een praatje met buurtgenoten.",
    )
    yoga = event(
        "ua-1",
        "uitagenda",
        "Yoga voor 55+",
        14,
        MALBERG,
        hour=10,
        description_text="Rustige yogales voor senioren, ook geschikt als je minder mobiel bent.",
    )
    koffie2 = event(
        "ua-2",
        "uitagenda",
        "Koffie-ochtend in Malberg",
        14,
        MALBERG,
        hour=10,
        description_text="Een kop koffie, iets lekkers en een praatje met buurtgenoten!",
    )
    result = cluster([koffie, yoga, koffie2])
    assert together(result, "tr-1", "ua-2")
    assert not together(result, "tr-1", "ua-1")


def test_same_organisations_other_vacancy_is_not_merged():
    org = "Humanitas Maastricht"
    driver = vacancy(
        "md-1",
        "maastrichtdoet",
        "Chauffeur boodschappenbus",
        org,
        "chauffeur",
        "Je rijdt ouderen op dinsdag naar de supermarkt en helpt met tassen.",
    )
    host = vacancy(
        "md-2",
        "maastrichtdoet",
        "Gastvrouw/gastheer buurtkamer",
        org,
        "gastvrouw",
        "Je ontvangt bezoekers in de buurtkamer en zet koffie.",
    )
    driver_copy = vacancy(
        "nl-1",
        "nlvoorelkaar",
        "Vrijwilliger gezocht: Chauffeur boodschappenbus (m/v)",
        org,
        "chauffeur",
        "Je rijdt ouderen op dinsdag naar de supermarkt en helpt met tassen.",
    )
    # the same role for another buurt is another vacancy
    driver_caberg = vacancy(
        "nl-2",
        "nlvoorelkaar",
        "Chauffeur boodschappenbus Caberg",
        org,
        "chauffeur",
        "Je rijdt ouderen op dinsdag naar de supermarkt en helpt met tassen.",
        buurt="Caberg",
    )
    driver_malberg = vacancy(
        "tr-1",
        "trajekt",
        "Chauffeur boodschappenbus Malberg",
        org,
        "chauffeur",
        "Je rijdt ouderen op dinsdag naar de supermarkt en helpt met tassen.",
    )
    result = cluster([driver, host, driver_copy, driver_caberg, driver_malberg])
    assert together(result, "md-1", "nl-1", "tr-1")
    assert not together(result, "md-1", "md-2")
    assert not together(result, "tr-1", "nl-2")
    # the same title from another organisation is another vacancy
    other_org = vacancy(
        "nl-3",
        "nlvoorelkaar",
        "Chauffeur boodschappenbus",
        "Envida",
        "chauffeur",
        "Je rijdt ouderen op dinsdag naar de supermarkt en helpt met tassen.",
    )
    result = cluster([driver, other_org])
    assert not together(result, "md-1", "nl-3")


def test_points_further_apart_than_the_limit_are_never_one():
    a = event("tr-1", "trajekt", "Buurtbarbecue", 14, MALBERG, hour=17)
    b = event("ua-1", "uitagenda", "Buurtbarbecue", 14, CABERG, hour=17)  # about 600 m away
    assert not together(cluster([a, b]), "tr-1", "ua-1")


def test_no_chaining_a_cluster_is_checked_as_a_whole():
    # B (no place) matches both A and C; A and C are in different buurten: never all three
    a = event("tr-1", "trajekt", "Buurtfeest Malberg", 14, MALBERG)
    b = event("ua-1", "uitagenda", "Buurtfeest", 14)
    c = event("wp-1", "wijkplatform", "Buurtfeest Caberg", 14, CABERG)
    result = cluster([a, b, c])
    assert not together(result, "tr-1", "wp-1")
    assert together(result, "ua-1", "tr-1") or together(result, "ua-1", "wp-1")
    left_out = "wp-1" if together(result, "ua-1", "tr-1") else "tr-1"
    (decision,) = [d for d in result.decisions if {d.a, d.b} == {"ua-1", left_out}]
    assert decision.decision == "apart"
    assert decision.reasons["rule"] == "complete_linkage"
    assert set(decision.reasons["conflict"]) == {"tr-1", "wp-1"}


def test_candidates_come_from_blocks_not_all_pairs():
    records = [
        event(
            f"s{i % 4}-{i}",
            f"s{i % 4}",
            f"Activiteit nummer {i} in de wijk",
            1 + i % 28,
            MALBERG,
            hour=10 + i % 8,
        )
        for i in range(400)
    ]
    result = cluster(records)
    assert result.stats["candidate_pairs"] < 400 * 399 // 2 // 20


def test_duplicate_record_ids_are_an_error():
    a = event("tr-1", "trajekt", "Bingo", 14, MALBERG)
    with pytest.raises(ValueError, match="duplicate record id 'tr-1'"):
        cluster([a, a])
