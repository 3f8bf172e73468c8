"""Many municipalities (issue #12): boundaries per gemeente code, sources naming their gemeente,
feeds, ``/buurten`` and exports filtered by gemeente; Maastricht stays the default.

``testdata/synthetic_gm0999_buurten.geojson`` is a small CBS-shaped file made for this test: two
square buurten of a fictitious gemeente GM0999 and one of a neighbour GM0998 (only Maastricht's
real data is shipped)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tim.cli.main import app
from tim.config import Config, load_config
from tim.errors import ConfigError
from tim.feeds import create_app
from tim.geo.data import path as data_path
from tim.geo.store_io import active_version
from tim.pipeline import Pipeline
from tim.store.db import make_engine

from ..scheduler.sites import JsonSite, json_source, write_config

SYNTHETIC = Path(__file__).parent / "testdata" / "synthetic_gm0999_buurten.geojson"
runner = CliRunner()


def test_import_buurten_of_another_gemeente_keeps_maastricht(sqlite_url):
    res = runner.invoke(app, ["geo", "import-buurten", str(SYNTHETIC), "--gemeente", "GM0999", "--db", sqlite_url])
    assert res.exit_code == 0, res.output
    assert "imported 2 buurten of GM0999" in res.output  # GM0998's buurt is not kept
    res = runner.invoke(app, ["geo", "import-buurten", str(data_path("maastricht_buurten_cbs2024.geojson")),
                              "--version", "cbs2024", "--db", sqlite_url])
    assert res.exit_code == 0 and "imported 44 buurten of GM0935" in res.output
    engine = make_engine(sqlite_url)
    assert active_version(engine) == "cbs2024"  # the locator's (Maastricht's) set
    assert active_version(engine, "GM0999") == "synthetic_gm0999_buurten-GM0999"
    engine.dispose()
    res = runner.invoke(app, ["geo", "buurten", "--gemeente", "GM0999", "--db", sqlite_url])
    assert res.exit_code == 0
    assert [line.split("\t")[:2] for line in res.stdout.splitlines() if line.startswith("BU")] == \
        [["BU09990001", "Dorpskern"], ["BU09990002", "Buitengebied"]]
    res = runner.invoke(app, ["geo", "buurten", "--gemeente", "GM0888", "--db", sqlite_url])
    assert res.exit_code == 1 and "no active boundary set of GM0888" in res.output
    res = runner.invoke(app, ["geo", "import-buurten", str(SYNTHETIC), "--gemeente", "GM0935", "--db", sqlite_url])
    assert res.exit_code == 1 and "no buurten of GM0935" in res.output
    res = runner.invoke(app, ["geo", "import-buurten", str(SYNTHETIC), "--gemeente", "0999", "--db", sqlite_url])
    assert res.exit_code == 1 and "not a CBS gemeente code" in res.output


def test_a_bad_gemeente_in_sources_toml_names_the_key(tmp_path):
    path = write_config(tmp_path / "sources.toml", [json_source("x", "http://127.0.0.1/x", extra='gemeente = "0935"')])
    with pytest.raises(ConfigError, match="gemeente"):
        load_config(path)


def test_items_feeds_and_exports_filter_by_gemeente(web, db_url, tmp_path):
    maas = JsonSite(web, "/maastricht", [{"id": "m1", "titel": "Buurtfeest", "omschrijving": "Kom ook",
                                          "adres": "Brusselsestraat 38, 6211 PG Maastricht"}])
    dorp = JsonSite(web, "/testdorp", [{"id": "d1", "titel": "Dorpsquiz", "omschrijving": "In het dorpshuis"},
                                       {"id": "d2", "titel": "Klussen", "omschrijving": "Help de buren"}])
    cfg_path = write_config(tmp_path / "sources.toml", [
        json_source("maastricht-bron", maas.url),
        json_source("testdorp-bron", dorp.url, extra='gemeente = "GM0999"'),
    ])
    config = load_config(cfg_path)
    engine = make_engine(db_url)
    reports = Pipeline(config, engine).run()
    assert [r.status for r in reports] == ["ok", "ok"]
    runner.invoke(app, ["geo", "import-buurten", str(SYNTHETIC), "--gemeente", "GM0999", "--db", db_url])

    out = tmp_path / "raw.jsonl"
    res = runner.invoke(app, ["export", "-f", "jsonl", "--raw", "--gemeente", "GM0999", "-o", str(out),
                              "--db", db_url, "--config", str(cfg_path)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["source_id"] for r in rows) == ["testdorp-bron", "testdorp-bron"]
    res = runner.invoke(app, ["export", "-f", "jsonl", "--gemeente", "GM0935", "--db", db_url, "--config", str(cfg_path)])
    bundled = [json.loads(line) for line in res.stdout.splitlines()]
    assert [b["source_ids"] for b in bundled] == ["maastricht-bron"]
    res = runner.invoke(app, ["export", "-f", "csv", "--gemeente", "Maastricht", "--db", db_url])
    assert res.exit_code == 2 and "gemeente" in res.output

    with TestClient(create_app(engine, Config.model_validate({}))) as client:
        dorp_items = client.get("/items?gemeente=GM0999").json()["items"]
        assert sorted(i["title"] for i in dorp_items) == ["Dorpsquiz", "Klussen"]
        assert [i["title"] for i in client.get("/items?gemeente=GM0935").json()["items"]] == ["Buurtfeest"]
        assert len(client.get("/items").json()["items"]) == 3  # no filter: every gemeente
        assert client.get("/items?gemeente=0999").status_code == 422
        areas = client.get("/buurten?gemeente=GM0999").json()
        assert [a["code"] for a in areas] == ["BU09990001", "BU09990002"]
        assert len(client.get("/buurten").json()) == 44  # Maastricht stays the default
        assert client.get("/buurten?gemeente=GM0888").status_code == 404
    engine.dispose()


POSTCODES_CSV = """PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024
9999AA;1;BU09990001;WK099900;GM0999
9999AA;3;BU09990001;WK099900;GM0999
9999AB;2;BU09990002;WK099900;GM0999
9999AB;4;BU09990002;WK099900;GM0999
9999AB;6;BU09990001;WK099900;GM0999
9999AB;8;BU09990002;WK099900;GM0999
9999AB;10;BU09990002;WK099900;GM0999
9999AB;12;BU09990002;WK099900;GM0999
9999AB;14;BU09990002;WK099900;GM0999
9999AB;16;BU09990002;WK099900;GM0999
9999AB;18;BU09990002;WK099900;GM0999
9999AB;20;BU09990002;WK099900;GM0999
9999AB;22;BU09990002;WK099900;GM0999
9998AA;1;BU09980001;WK099800;GM0998
6211PG;38;BU09350000;WK093500;GM0935
"""


def test_a_source_of_another_gemeente_uses_its_gazetteer(web, db_url, tmp_path):
    """The locator of a GM0999 source's items is GM0999's: its boundaries and its CBS postcode
    rows; a Maastricht item is placed as before."""
    from tim.geo import Locator
    from tim.records import Item
    from tim.store.tables import ItemRow
    from sqlalchemy import select

    maas_item = Item(id="x", source_id="x", source_key="x", kind="event", title="Buurtfeest",
                     address="Brusselsestraat 38, 6211 PG Maastricht")
    engine = make_engine(db_url)
    csv_path = tmp_path / "pc6hnr_test.csv"
    csv_path.write_text(POSTCODES_CSV, encoding="utf-8")
    res = runner.invoke(app, ["geo", "import-postcodes", str(csv_path), "--db", db_url])
    assert res.exit_code == 0 and "imported 1 addresses of GM0935" in res.output, res.output
    expected = Locator.load(engine=engine).locate(maas_item)  # before anything of GM0999 exists
    assert (expected.buurt_code, expected.method) == ("BU09350000", "address_point")  # the CBS row

    assert runner.invoke(app, ["geo", "import-buurten", str(SYNTHETIC), "--gemeente", "GM0999", "--db", db_url]).exit_code == 0
    res = runner.invoke(app, ["geo", "import-postcodes", str(csv_path), "--gemeente", "GM0999", "--db", db_url])
    assert res.exit_code == 0 and "imported 13 addresses of GM0999" in res.output, res.output
    with engine.connect() as conn:  # the second import kept Maastricht's rows
        from sqlalchemy import text

        got = dict(conn.execute(text("SELECT gemeente_code, count(*) FROM geo_address_buurten GROUP BY gemeente_code")).all())
        assert got == {"GM0935": 1, "GM0999": 13}

    maas = JsonSite(web, "/maastricht", [{"id": "m1", "titel": "Buurtfeest", "omschrijving": "Kom ook",
                                          "adres": "Brusselsestraat 38, 6211 PG Maastricht"}])
    dorp = JsonSite(web, "/testdorp", [
        {"id": "d1", "titel": "Dorpsquiz", "omschrijving": "In het dorpshuis", "adres": "9999 AB"},
        {"id": "d2", "titel": "Klussen", "omschrijving": "Help de buren", "adres": "9999AA"},
        {"id": "d3", "titel": "Uitje", "omschrijving": "Met de bus", "adres": "6211 PG"},  # not in GM0999
    ])
    cfg_path = write_config(tmp_path / "sources.toml", [
        json_source("maastricht-bron", maas.url),
        json_source("testdorp-bron", dorp.url, extra='gemeente = "GM0999"'),
    ])
    config = load_config(cfg_path)
    assert [r.status for r in Pipeline(config, engine).run()] == ["ok", "ok"]

    def placed():
        t = ItemRow.__table__
        with engine.connect() as conn:
            return {r.source_key: (r.buurt_code, r.geo_method, r.gemeente_code, r.boundary_version)
                    for r in conn.execute(select(t.c.source_key, t.c.buurt_code, t.c.geo_method, t.c.gemeente_code,
                                                 t.c.boundary_version))}

    got = placed()
    assert got["d1"] == ("BU09990002", "postcode", "GM0999", "synthetic_gm0999_buurten-GM0999")  # 9 of 10 addresses
    assert got["d2"] == ("BU09990001", "postcode", "GM0999", "synthetic_gm0999_buurten-GM0999")
    assert got["d3"][0] is None and got["d3"][2] == "GM0999"  # a Maastricht postcode: no GM0999 buurt, no wrong one
    assert got["m1"][:3] == (expected.buurt_code, expected.method, "GM0935")
    # reassigning keeps each source on its gemeente's locator
    res = runner.invoke(app, ["geo", "reassign", "--db", db_url, "--config", str(cfg_path)])
    assert res.exit_code == 0, res.output
    assert placed() == got
    engine.dispose()
