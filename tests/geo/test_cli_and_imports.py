"""``tim geo``: explain (text, --json, stdin) and the CBS imports (issue 4, items 4 and 5).

The RD New GeoJSON is made from data/maastricht_buurten_cbs2024_rd.geojson with CBS property names
and one buurt of another municipality that must be dropped; a GeoPackage is written with sqlite3.
"""

from __future__ import annotations

import json
import sqlite3
import struct

import shapely
from sqlmodel import Session, select
from typer.testing import CliRunner

from tim.cli.geo import app
from tim.geo import Locator
from tim.geo.data import path as data_path
from tim.store.db import make_engine
from tim.geo.tables import GeoBoundarySetRow, GeoRegionStatsRow

runner = CliRunner()


def invoke(*args, input=None):
    result = runner.invoke(app, list(args), input=input, env={"TIM_DB": None, "TIM_CONFIG": None})
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_has_help():
    for name in ("explain", "import-buurten", "import-postcodes", "import-stats", "reassign", "buurten"):
        out = invoke(name, "--help")
        assert "Usage" in out and len(out) > 200


def test_explain_human_readable():
    out = invoke("explain", "Buurtfeest in Malberg, Voltastraat 5, 6224 AB")
    assert "address_point" in out and "Wittevrouwenveld" in out
    assert "conflict" in out and "Malberg" in out


def test_explain_json_one_object():
    out = invoke("explain", "--json", "Vrijthof")
    obj = json.loads(out)
    assert obj["buurt_code"] == "BU09350000" and obj["buurt_name"] == "Binnenstad"
    assert obj["wijk_code"] == "WK093500" and obj["method"] == "venue"
    assert 0 < obj["confidence"] <= 1 and obj["lat"] and obj["lon"]


def test_explain_json_nulls_when_unknown():
    obj = json.loads(invoke("explain", "--json", "Vrijwilligers gezocht"))
    for key in ("buurt_code", "buurt_name", "wijk_code", "lat", "lon"):
        assert key in obj and obj[key] is None
    assert obj["method"] == "none" and obj["confidence"] == 0.0


def test_explain_json_stdin_one_line_per_input_in_order():
    inputs = ["6211 PE", "niks", "50.8493, 5.7054", "Kerkstraat 1, Meerssen", "in de Wijck"]
    out = invoke("explain", "--json", "-", input="\n".join(inputs) + "\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["input"] for x in lines] == inputs
    assert [x["buurt_name"] for x in lines] == ["Statenkwartier", None, "Wyck", None, "Wyck"]


def _cbs_geojson_rd(tmp_path):
    """The bundled RD polygons with CBS property names, plus a buurt of Meerssen (GM0938)."""
    src = json.loads(data_path("maastricht_buurten_cbs2024_rd.geojson").read_text())
    for f in src["features"]:
        p = f.pop("properties")
        f["properties"] = {"buurtcode": p["buurtcode"], "buurtnaam": p["buurtnaam"] + " (full)",
                           "wijkcode": p["wijkcode"], "gemeentecode": "GM0935", "water": "NEE"}
    src["features"].append({"type": "Feature", "properties": {"buurtcode": "BU09380000", "buurtnaam": "Meerssen-Centrum",
                                                              "wijkcode": "WK093800", "gemeentecode": "GM0938"},
                            "geometry": {"type": "Polygon", "coordinates": [[[181000, 322000], [182000, 322000],
                                                                             [182000, 323000], [181000, 322000]]]}})
    out = tmp_path / "wijkenbuurten_2024.geojson"
    out.write_text(json.dumps(src))
    return out


def test_import_buurten_rd_geojson_then_explain_uses_it(tmp_path, db_url):
    path = _cbs_geojson_rd(tmp_path)
    out = invoke("import-buurten", str(path), "--version", "cbs2024-test", "--db", db_url)
    assert "imported 44 buurten" in out and "cbs2024-test" in out
    engine = make_engine(db_url)
    with Session(engine) as s:
        row = s.exec(select(GeoBoundarySetRow)).one()
        assert (row.version, row.active, row.feature_count) == ("cbs2024-test", True, 44)
    locator = Locator.load(engine=engine)
    assert locator.boundary_version == "cbs2024-test"
    assert len(locator.buurten()) == 44 and not any(b.code == "BU09380000" for b in locator.buurten())
    res = locator.explain("50.8489, 5.6888")  # Vrijthof, reprojected from RD New
    assert res.buurt_code == "BU09350000" and res.buurt_name == "Binnenstad (full)"
    assert res.boundary_version == "cbs2024-test"
    obj = json.loads(invoke("explain", "--json", "--db", db_url, "50.8493, 5.7054"))
    assert obj["buurt_name"] == "Wyck (full)" and obj["boundary_version"] == "cbs2024-test"


def _gpkg_blob(geom, srs_id: int) -> bytes:
    """A GeoPackage geometry blob: 'GP', version 0, flags (little-endian, xy envelope), srs, envelope, WKB."""
    minx, miny, maxx, maxy = geom.bounds
    return b"GP" + bytes([0, 0b00000011]) + struct.pack("<i4d", srs_id, minx, maxx, miny, maxy) + geom.wkb


def test_import_buurten_geopackage(tmp_path, sqlite_url):
    src = json.loads(data_path("maastricht_buurten_cbs2024_rd.geojson").read_text())
    gpkg = tmp_path / "wijkenbuurten_2024.gpkg"
    con = sqlite3.connect(gpkg)
    con.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT,
            organization_coordsys_id INTEGER, definition TEXT, description TEXT);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT,
            srs_id INTEGER, z TINYINT, m TINYINT);
        CREATE TABLE buurten (fid INTEGER PRIMARY KEY, geom BLOB, buurtcode TEXT, buurtnaam TEXT,
            wijkcode TEXT, gemeentecode TEXT);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Amersfoort / RD New', 28992, 'EPSG', 28992, '', '');
        INSERT INTO gpkg_geometry_columns VALUES ('buurten', 'geom', 'MULTIPOLYGON', 28992, 0, 0);
    """)
    for i, f in enumerate(src["features"]):
        geom = shapely.from_geojson(json.dumps(f["geometry"]))
        p = f["properties"]
        con.execute("INSERT INTO buurten VALUES (?,?,?,?,?,?)",
                    (i, _gpkg_blob(geom, 28992), p["buurtcode"], p["buurtnaam"], p["wijkcode"], "GM0935"))
    con.commit()
    con.close()
    out = invoke("import-buurten", str(gpkg), "--db", sqlite_url)
    assert "imported 44 buurten" in out and "wijkenbuurten_2024" in out
    locator = Locator.load(engine=make_engine(sqlite_url))
    assert locator.explain("50.8489, 5.6888").buurt_code == "BU09350000"
    assert locator.buurten()[0].wijk_name == "Maastricht-Centrum"  # from the names file


def test_import_postcodes_gives_official_buurt(tmp_path, db_url):
    csv_path = tmp_path / "pc6hnr20240801_gwb.csv"
    csv_path.write_text("PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
                        "6211PG;38;09350002;093500;0935\n"  # say CBS puts it in Kommelkwartier
                        "1011AB;105;03630000;036300;0363\n")  # Amsterdam: dropped
    out = invoke("import-postcodes", str(csv_path), "--db", db_url)
    assert "imported 1 addresses of GM0935" in out and "skipped 1" in out
    locator = Locator.load(engine=make_engine(db_url))
    res = locator.explain("Brusselsestraat 38, 6211 PG Maastricht")
    assert (res.method, res.buurt_code) == ("address_point", "BU09350002")
    assert "CBS" in res.steps[0]["note"] and res.conflict  # the OSM point (Statenkwartier) lost


def test_import_stats_inhabitants(tmp_path, db_url):
    csv_path = tmp_path / "kwb2024.csv"
    csv_path.write_text(
        'ID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;AantalInwoners_5;HuishoudensTotaal_28;OppervlakteTotaal_111\n'
        '1;Binnenstad;Maastricht;Buurt;BU09350000;3 855;2 575;37\n'
        '2;Maastricht-Centrum;Maastricht;Wijk;WK093500;21450;13 000;310\n'
        '3;Maastricht;Maastricht;Gemeente;GM0935;121 000;.;6 012\n'
        '4;Centrum;Amsterdam;Buurt;BU03630000;1000;500;10\n')
    out = invoke("import-stats", str(csv_path), "--db", db_url)
    assert "3 Maastricht regions" in out
    engine = make_engine(db_url)
    with Session(engine) as s:
        row = s.get(GeoRegionStatsRow, "BU09350000")
        assert (row.inhabitants, row.households, row.kind) == (3855, 2575, "buurt")
        assert s.get(GeoRegionStatsRow, "GM0935").households is None
    buurt = next(b for b in Locator.load(engine=engine).buurten() if b.code == "BU09350000")
    assert buurt.inhabitants == 3855


def test_reassign_command_runs(sqlite_url):
    make_engine(sqlite_url)
    out = invoke("reassign", "--db", sqlite_url)
    assert "0 items changed" in out and "cbs2024-generalised" in out
