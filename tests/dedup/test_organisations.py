"""Organisation de-duplication across sources (issue 13): name variants, legal forms, websites,
addresses; different places and different websites stay apart."""

from __future__ import annotations

import uuid

from tim.dedup.organisations import Mention, cluster_organisations, name_key, website_key


def _groups(mentions):
    return sorted(sorted(m.item_id for m in o.mentions) for o in cluster_organisations(mentions))


def test_legal_forms_case_accents_and_ampersand_are_one_organisation():
    ms = [Mention("Stichting Buurtplatform Malberg", "a", "wp"), Mention("Buurtplatform Malberg", "b", "json"),
          Mention("BUURTPLATFORM MALBERG", "c", "ical"), Mention("Repair Café Maastricht", "d", "wp"),
          Mention("Repair Cafe Maastricht", "e", "ical"), Mention("Kook & Eet Mee", "f", "wp"),
          Mention("Kook en eet mee", "g", "rss")]
    assert _groups(ms) == [["a", "b", "c"], ["d", "e"], ["f", "g"]]
    org = next(o for o in cluster_organisations(ms) if "a" in {m.item_id for m in o.mentions})
    assert org.name == "Stichting Buurtplatform Malberg"  # ties: the longest spelling keeps "Stichting"
    assert set(org.alternate_names) == {"Buurtplatform Malberg", "BUURTPLATFORM MALBERG"}
    assert org.source_ids == ["ical", "json", "wp"]
    assert uuid.UUID(org.id).version == 5


def test_different_places_and_numbers_stay_apart():
    ms = [Mention("Buurtnetwerk Malberg", "a", "s"), Mention("Buurtnetwerk Caberg", "b", "s"),
          Mention("Buurtnetwerk", "c", "s"), Mention("Scouting Maastricht 12", "d", "s"),
          Mention("Scouting Maastricht 14", "e", "s")]
    assert _groups(ms) == [["a"], ["b"], ["c"], ["d"], ["e"]]


def test_a_typo_joins_and_a_website_decides():
    ms = [Mention("Vrijwilligerscentrale Maastricht", "a", "s"),
          Mention("Vrijwilligerscentrale Maastricht", "b", "t", role="self", website="https://www.vcm.example/"),
          Mention("Vrijwiligerscentrale Maastricht", "c", "u")]  # a typo
    assert _groups(ms) == [["a", "b", "c"]]
    # the same website joins different spellings; different websites keep look-alikes apart
    ms = [Mention("Samen Sterk", "a", "s", role="self", website="https://samensterk.example"),
          Mention("Vrijwilligersgroep Samen Sterk Limburg", "b", "t", role="self",
                  website="http://www.samensterk.example/"),
          Mention("Buurtbus Heer", "c", "s", role="self", website="https://buurtbus-heer.example/"),
          Mention("Buurtbus Heer", "d", "t"),
          Mention("Buurtbus Heerdeberg", "e", "t", role="self", website="https://andere-buurtbus.example")]
    groups = _groups(ms)
    assert ["a", "b"] in groups and ["c", "d"] in groups and ["e"] in groups
    assert website_key("https://www.Facebook.com/buurtnetwerkMalberg/") == "facebook.com/buurtnetwerkmalberg"
    assert website_key("https://facebook.com/") is None and website_key("javascript:alert(1)") is None


def test_the_same_address_joins_similar_names_only():
    at = dict(postcode="6217SB", housenumber="64", address="Kastanjelaan 64")
    ms = [Mention("Buurtcentrum Tragos", "a", "s", role="self", **at),
          Mention("Buurtcentrum Tragos Caberg", "b", "t", role="self", **at),
          Mention("Taalcafé Caberg", "c", "t", role="self", **at)]  # another organisation in the same building
    assert _groups(ms) == [["a", "b"], ["c"]] or _groups(ms) == [["a"], ["b"], ["c"]]
    assert name_key("Stichting Buurtcentrum Tragos") == name_key("buurtcentrum tragos")


def test_an_organisation_takes_its_own_records_place_and_website():
    ms = [Mention("Buurtnetwerk Caberg", "net-1", "netwerken", role="self", website="https://bn-caberg.example/",
                  address="Kastanjelaan 64, 6217 SB Maastricht", postcode="6217SB", housenumber="64",
                  city="Maastricht", lat=50.85, lon=5.66, buurt_code="BU09350205", buurt_name="Caberg"),
          Mention("Buurtnetwerk Caberg", "act-1", "agenda"), Mention("Stichting Buurtnetwerk Caberg", "act-2", "wp")]
    (org,) = cluster_organisations(ms)
    assert (org.buurt_code, org.postcode, org.website) == ("BU09350205", "6217SB", "https://bn-caberg.example/")
    assert {m.role for m in org.mentions} == {"self", "organizer"} and len(org.mentions) == 3
    again = cluster_organisations(list(reversed(ms)))
    assert again[0].id == org.id  # stable whatever the order
