"""sources.toml validation: errors name the file, line, source id and key (issue #2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tim.config import load_config
from tim.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]

GOOD = """
[[sources]]
id = "gemeente-nieuws"
name = "Gemeente Maastricht - nieuws"
kind = "rss"
url = "https://example.org/feed"
item_kind = "news"
schedule = "every 6h"
enabled = true
allow_private_network = false

[[sources]]
id = "vacaturebank"
kind = "json"
url = "http://127.0.0.1/api/vacatures?page=1"
items = "data.results"
next = "data.next"
schedule = "0 */6 * * *"
[sources.fields]
id = "id"
title = "titel"
description = "omschrijving"
url = "link"
starts_at = "periode.start"
ends_at = "periode.eind"
organizer = "organisatie.naam"
address = "locatie.adres"
postcode = "locatie.postcode"
lat = "locatie.lat"
lon = "locatie.lon"

[[sources]]
id = "uitagenda"
kind = "jsonld"
url = "http://127.0.0.1/agenda/"
follow = "a.event"
next = "a.volgende"
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "sources.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_issue_example_loads_exactly_as_written(tmp_path):
    cfg = load_config(_write(tmp_path, GOOD))
    assert [s.id for s in cfg.sources] == ["gemeente-nieuws", "vacaturebank", "uitagenda"]
    vb = cfg.source("vacaturebank")
    assert vb.fields["starts_at"] == "periode.start" and vb.items == "data.results"
    assert vb.parsed_schedule.cron == "0 */6 * * *"
    assert cfg.source("gemeente-nieuws").parsed_schedule.interval_seconds == 6 * 3600
    assert cfg.source("uitagenda").follow == "a.event"


def test_the_shipped_sources_toml_is_valid():
    cfg = load_config(ROOT / "sources.toml")
    assert len(cfg.sources) >= 5
    assert any(s.enabled for s in cfg.sources)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace('item_kind = "news"', 'item_kind = "news"\nitme_kind = "x"'), ["line 2", "'gemeente-nieuws'", "'itme_kind'", "unknown key"]),
        (GOOD.replace('kind = "jsonld"', 'kind = "gopher"'), ["'uitagenda'", "'kind'", "unknown kind 'gopher'"]),
        (GOOD.replace('title = "titel"', 'titel = "titel"'), ["'vacaturebank'", "'fields'", "unknown canonical field(s) titel"]),
        (GOOD.replace('id = "vacaturebank"', 'id = "Vacature Bank"'), ["source 'Vacature Bank'", "'id'"]),
        (GOOD.replace('schedule = "every 6h"', 'schedule = "sometimes"'), ["'gemeente-nieuws'", "'schedule'", "sometimes"]),
        (GOOD.replace('id = "uitagenda"', 'id = "vacaturebank"'), ["duplicate id"]),
        (GOOD + "\n[settings]\ndelai = 3\n", ["'settings.delai'", "unknown key"]),
        (GOOD.replace('url = "http://127.0.0.1/agenda/"\n', ""), ["'uitagenda'", "needs 'url'"]),
        (GOOD.replace('id = "uitagenda"\n', 'id = "uitagenda"\narea = "Narnia"\n'),
         ["'uitagenda'", "'area'", "unknown area 'Narnia'", "Malberg"]),
    ],
)
def test_config_errors_name_source_and_key(tmp_path, text, expected):
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, text))
    message = str(err.value)
    for part in expected:
        assert part in message, message
    assert str(tmp_path / "sources.toml") in message


def test_malformed_toml_names_the_line(tmp_path):
    with pytest.raises(ConfigError, match=r"line 4"):
        load_config(_write(tmp_path, '[[sources]]\nid = "a"\nkind = "rss"\nurl = "http://x\n'))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_config_reference_in_docs_is_current():
    """docs/config-reference.md is generated from the models; regenerate with
    `python -m tim.config.reference > docs/config-reference.md` when a key changes."""
    from tim.config.reference import markdown_reference

    assert (ROOT / "docs" / "config-reference.md").read_text(encoding="utf-8") == markdown_reference()
