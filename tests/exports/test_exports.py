"""Issue 7 item 3 and issue 8 item 5: Parquet with typed columns, datapackage.json beside every
file export, filters, spreadsheet-safe CSV, atomic writes, file names that stay in their
directory, and a data dictionary that documents every column."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tim.cli.main import app as cli
from tim.config import Config
from tim.exports import export, safe_path
from tim.exports.columns import BUNDLED, RAW
from tim.exports.writers import write_csv
from tests.feeds.seed import bundle, make_item, store

DOCS = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"


def test_parquet_has_typed_columns(seeded, tmp_path):
    n = export(seeded, "parquet", tmp_path / "items.parquet")
    table = pq.read_table(tmp_path / "items.parquet")
    assert n == table.num_rows == 7
    assert table.schema.field("starts_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("lat").type == pa.float64()
    assert table.schema.field("member_count").type == pa.int64()
    rows = {r["title"]: r for r in table.to_pylist()}
    repair = rows["Repair café Jekerkwartier"]
    assert repair["member_count"] == 2 and repair["source_ids"] == "agenda;vacaturebank"
    assert isinstance(repair["starts_at"], datetime) and repair["starts_at"].tzinfo is not None
    export(seeded, "parquet", tmp_path / "raw.parquet", raw=True)
    raw = pq.read_table(tmp_path / "raw.parquet")
    assert raw.num_rows == 8 and raw.column_names == [c.name for c in RAW]
    assert raw.schema.field("first_seen").type == pa.timestamp("us", tz="UTC")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
def test_datapackage_beside_every_export(seeded, tmp_path, fmt):
    config = Config.model_validate({"sources": [
        {"id": "agenda", "name": "Trajekt agenda", "kind": "rss", "url": "https://agenda.example.org/feed",
         "licence": "CC BY-SA 4.0", "attribution": "© Trajekt"}]})
    target = tmp_path / f"items.{fmt}"
    export(seeded, fmt, target, config=config)
    pkg = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["name"] == "thuis-in-maastricht-items" and pkg["resources"]
    res = pkg["resources"][0]
    assert res["path"] == target.name and res["format"] == fmt
    assert re.fullmatch(r"[-a-z0-9._/]+", res["name"])
    assert res["hash"].startswith("sha256:") and res["bytes"] == target.stat().st_size
    fields = res["schema"]["fields"]
    assert [f["name"] for f in fields] == [c.name for c in BUNDLED]
    for f in fields:
        assert f["type"] in ("string", "integer", "number", "datetime") and f["description"]
    licences = {lic["name"] for lic in pkg["licenses"]}
    assert {"CC-BY-4.0", "ODbL-1.0"} <= licences
    titles = " ".join(s["title"] + " " + s.get("attribution", "") for s in pkg["sources"])
    assert "CBS" in titles and "Kadaster" in titles and "© OpenStreetMap contributors" in titles
    agenda = next(s for s in pkg["sources"] if s.get("source_id") == "agenda")
    assert agenda == {"title": "Trajekt agenda", "source_id": "agenda", "path": "https://agenda.example.org/feed",
                      "licence": "CC BY-SA 4.0", "attribution": "© Trajekt"}
    assert any(s.get("source_id") == "vacaturebank" for s in pkg["sources"])  # not configured, still named


def test_two_exports_share_one_datapackage(seeded, tmp_path):
    export(seeded, "csv", tmp_path / "items.csv")
    export(seeded, "parquet", tmp_path / "records.parquet", raw=True)
    pkg = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(r["path"] for r in pkg["resources"]) == ["items.csv", "records.parquet"]
    assert len({r["name"] for r in pkg["resources"]}) == 2
    assert pkg["profile"] == "data-package"


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_filters_buurt_kind_since(seeded, tmp_path):
    export(seeded, "csv", tmp_path / "b.csv", buurt="BU09350006")
    assert {r["title"] for r in _csv(tmp_path / "b.csv")} == {"Koffieochtend Wyck", "Chauffeur buurtbus"}
    export(seeded, "csv", tmp_path / "k.csv", kind="vacancy")
    assert {r["kind"] for r in _csv(tmp_path / "k.csv")} == {"vacancy"}
    later = datetime.now(UTC) + timedelta(seconds=1)
    export(seeded, "csv", tmp_path / "s0.csv", since=later)
    assert _csv(tmp_path / "s0.csv") == []
    store(seeded, "agenda", [make_item("agenda", "late", title="Laat toegevoegd", buurt=None)])
    bundle(seeded)
    export(seeded, "csv", tmp_path / "s1.csv", since=later - timedelta(seconds=1))
    assert "Laat toegevoegd" in {r["title"] for r in _csv(tmp_path / "s1.csv")}
    export(seeded, "csv", tmp_path / "r.csv", raw=True, since=later - timedelta(seconds=1))
    assert "Laat toegevoegd" in {r["title"] for r in _csv(tmp_path / "r.csv")}


def test_csv_cells_never_start_a_formula(seeded, tmp_path):
    store(seeded, "agenda", [make_item("agenda", "f1", title="=HYPERLINK(\"http://x\",\"klik\")", organizer="+31 43 123",
                                       description_text="@SUM(A1:A9)", buurt=None)])
    bundle(seeded)
    for raw in (False, True):
        path = tmp_path / f"f{raw}.csv"
        export(seeded, "csv", path, raw=raw)
        for row in _csv(path):
            for value in row.values():
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r", "|")), value
        row = next(r for r in _csv(path) if "HYPERLINK" in r["title"])
        assert row["title"].startswith("'=") and row["organizer"] == "'+31 43 123"


def test_a_failed_export_leaves_the_old_file_untouched(tmp_path):
    target = tmp_path / "items.csv"
    target.write_text("old complete export\n", encoding="utf-8")

    def rows():
        yield {"id": "a"}
        raise RuntimeError("crash mid-export")

    with pytest.raises(RuntimeError):
        write_csv(rows(), ("id",), target)
    assert target.read_text(encoding="utf-8") == "old complete export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["items.csv"]  # no temp file left


@pytest.mark.parametrize("source_id", ["../../etc/passwd", "/etc/passwd", "..", "a/../../b", "C:\\x", "nul\x00x",
                                       ".hidden", "", "ok-source"])
def test_file_names_from_source_ids_stay_in_the_directory(tmp_path, source_id):
    target = safe_path(tmp_path, source_id, ".csv")
    assert target.parent == tmp_path.resolve() and not target.name.startswith(".")
    assert target.name.endswith(".csv")
    if source_id == "ok-source":
        assert target.name == "ok-source.csv"


def test_by_source_export_with_a_hostile_source_id(seeded, tmp_path):
    store(seeded, "../../escape", [make_item("../../escape", "x1", title="Van een rare bron", buurt=None)])
    bundle(seeded)
    out = tmp_path / "out"
    n = export(seeded, "csv", out, raw=True, by_source=True)
    assert n == 9
    files = sorted(p.name for p in out.iterdir())
    assert "agenda.csv" in files and "vacaturebank.csv" in files and "datapackage.json" in files
    assert len(files) == 4 and all(not f.startswith(".") for f in files)
    assert not (tmp_path / "escape.csv").exists() and not list(tmp_path.parent.glob("escape*"))


def test_cli_export_parquet_since_and_datapackage(seeded, db_url, tmp_path):
    runner = CliRunner()
    out = runner.invoke(cli, ["export", "--db", db_url, "--format", "parquet", "-o", str(tmp_path / "i.parquet"),
                              "--since", "2000-01-01", "--kind", "event", "--config", str(tmp_path / "none.toml")])
    assert out.exit_code == 2 and "not found" in out.output  # an explicit config must exist
    out = runner.invoke(cli, ["export", "--db", db_url, "--format", "parquet", "-o", str(tmp_path / "i.parquet"),
                              "--since", "2000-01-01", "--kind", "event"])
    assert out.exit_code == 0, out.output
    assert pq.read_table(tmp_path / "i.parquet").num_rows == 4
    assert (tmp_path / "datapackage.json").exists()
    bad = runner.invoke(cli, ["export", "--db", db_url, "--since", "gisteren"])
    assert bad.exit_code == 2
    assert runner.invoke(cli, ["export", "--db", db_url, "--format", "parquet"]).exit_code == 2  # needs -o


def test_data_dictionary_documents_every_column():
    text = DOCS.read_text(encoding="utf-8")
    for table, columns in (("raw", RAW), ("bundled", BUNDLED)):
        for c in columns:
            assert re.search(rf"^\| `{c.name}` \| {c.type} \|", text, re.MULTILINE), f"{table} column {c.name} missing"
