"""Pipeline contracts: quality contract per source, record-level failure, dry run (issues #2, #3)."""

from __future__ import annotations

import json

from sqlalchemy import select

from tim.config import load_config
from tim.demo.web import Response
from tim.pipeline import Pipeline
from tim.store.db import make_engine
from tim.store.tables import ItemRow, RunRow, SourceStateRow

RECORDS = [
    {"id": 1, "titel": "Voorlezen in de bibliotheek", "soort": "vacancy", "pc": "6211 PE"},
    {"id": 2, "titel": "", "soort": "vacancy", "pc": "6221 BM"},  # no title: fails alone
    {"id": 3, "titel": "Buurtfeest Wyck", "soort": "event", "pc": "6221 BM"},
    {"id": 4, "titel": "Maatje voor een nieuwkomer", "soort": "vacancy", "pc": "6214 AB"},
]


def _config(tmp_path, web, extra: str = ""):
    web.route("/api", Response(json.dumps({"results": RECORDS}), content_type="application/json"))
    text = f"""
[settings]
delay = 0.01

[[sources]]
id = "bank"
kind = "json"
url = "{web.url('/api')}"
items = "results"
item_kind = "vacancy"
allow_private_network = true
{extra}
[sources.fields]
id = "id"
title = "titel"
kind = "soort"
postcode = "pc"
"""
    p = tmp_path / "sources.toml"
    p.write_text(text)
    return load_config(p)


def test_a_bad_record_fails_alone_and_is_named(tmp_path, web, sqlite_url):
    engine = make_engine(sqlite_url)
    report = Pipeline(_config(tmp_path, web), engine).run_source(_config(tmp_path, web).source("bank"))
    assert report.status == "ok" and report.fetched == 4 and report.failed == 1 and report.inserted == 3
    assert any("'bank'" in e and "record '2'" in e and "raw " in e for e in report.errors), report.errors
    with engine.connect() as conn:
        assert {r.title for r in conn.execute(select(ItemRow))} == {
            "Voorlezen in de bibliotheek", "Buurtfeest Wyck", "Maatje voor een nieuwkomer"}
        run = conn.execute(select(RunRow)).one()
    assert run.failed == 1 and run.complete is False  # a failed record makes the run incomplete


def test_expected_kinds_rejects_other_kinds(tmp_path, web, sqlite_url):
    cfg = _config(tmp_path, web, 'expected_kinds = ["vacancy"]')
    report = Pipeline(cfg, make_engine(sqlite_url)).run_source(cfg.source("bank"))
    assert report.inserted == 2 and report.failed == 2
    assert any("kind 'event' not in expected_kinds" in e for e in report.errors)


def test_min_items_makes_a_suspect_run(tmp_path, web, sqlite_url):
    cfg = _config(tmp_path, web, "min_items = 10")
    engine = make_engine(sqlite_url)
    report = Pipeline(cfg, engine).run_source(cfg.source("bank"))
    assert report.status == "suspect" and "min_items=10" in report.error
    assert report.inserted == 3  # what it got is stored, nothing is expired
    with engine.connect() as conn:
        assert conn.execute(select(SourceStateRow.state)).scalar_one() == "suspect"


def test_dry_run_stores_nothing_and_counts_missing_fields(tmp_path, web):
    cfg = _config(tmp_path, web)
    outcome, missing = Pipeline(cfg, None).preview(cfg.source("bank"))
    assert len(outcome.items) == 3 and outcome.failed == 1
    assert missing["url"] == 3 and missing["postcode"] == 0
    assert all(it.geo and it.geo.buurt_code for it in outcome.items)
