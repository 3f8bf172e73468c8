"""Issue 7 item 4: items per buurt, wijk and kind, per 1,000 inhabitants, and the blind spots —
over HTTP (/stats) and on the command line (tim stats)."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from tim.cli.main import app as cli

from .conftest import make_client


def test_stats_per_buurt_wijk_and_blind_spots(client):
    s = client.get("/stats").json()
    assert len(s["buurten"]) == 44 and len(s["wijken"]) == 7
    centrum = next(w for w in s["wijken"] if w["code"] == "WK093500")
    assert centrum["items"] == 6 and centrum["inhabitants"] == 21450
    assert centrum["per_1000_inhabitants"] == round(6 * 1000 / 21450, 2)
    assert centrum["per_kind"]["vacancy"] == 2 and centrum["per_kind"]["news"] == 1
    assert s["city_wide"]["items"] == 1 and s["total"]["items"] == 7
    assert s["total"]["inhabitants"] == sum(w["inhabitants"] for w in s["wijken"])
    blind = {b["code"] for b in s["blind_spots"]}
    assert len(blind) == 41 and "BU09350000" not in blind and "BU09350100" in blind
    binnenstad = next(b for b in s["buurten"] if b["code"] == "BU09350000")
    assert binnenstad["inhabitants"] is None and binnenstad["per_1000_inhabitants"] is None


def test_imported_cbs_figures_give_per_buurt_rates(seeded, tmp_path):
    """After `tim geo import-stats` (the geo engineer's importer), buurten get per-1,000 figures."""
    from tim.geo.imports import import_stats

    table = tmp_path / "kwb.csv"
    table.write_text("Codering_3;Wijken en buurten;AantalInwoners_5\n"
                     "BU09350000;Binnenstad;4000\nBU09350006;Wyck;5000\nWK093500;Centrum;21500\n",
                     encoding="utf-8")
    import_stats(seeded, table)
    with make_client(seeded) as c:
        s = c.get("/stats").json()
    b = {x["code"]: x for x in s["buurten"]}
    assert b["BU09350000"]["inhabitants"] == 4000 and b["BU09350000"]["per_1000_inhabitants"] == 0.5
    assert b["BU09350000"]["inhabitants_source"] == "geo_region_stats"
    assert b["BU09350006"]["per_1000_inhabitants"] == 0.4
    assert next(w for w in s["wijken"] if w["code"] == "WK093500")["inhabitants"] == 21500


def test_tim_stats_csv_and_json(seeded, db_url):
    runner = CliRunner()
    out = runner.invoke(cli, ["stats", "--format", "csv", "--db", db_url])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    buurten = [r for r in rows if r["level"] == "buurt"]
    assert len(buurten) == 44 and sum(r["blind_spot"] == "yes" for r in buurten) == 41
    total = next(r for r in rows if r["level"] == "total")
    assert total["items"] == "7" and total["event"] == "4"
    js = runner.invoke(cli, ["stats", "--format", "json", "--db", db_url])
    assert json.loads(js.stdout)["total"]["items"] == 7
    table = runner.invoke(cli, ["stats", "--db", db_url])
    assert table.exit_code == 0 and "blind spots" in table.stdout
