"""The `tim` command line: crawl summary and exit code, exports, sources check/test, docs (issue #2, #3)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tim.cli.main import app
from tim.demo.sites import build_demo_web, demo_config_text

ROOT = Path(__file__).resolve().parents[1]
RAW_REQUIRED = ("id, cluster_id, source_id, url, kind, title, starts_at, ends_at, address, postcode, lat, lon, "
                "buurt_code, buurt_name, wijk_code, geo_method, geo_confidence, first_seen, last_seen, status").split(", ")


@pytest.fixture(scope="module")
def demo_web():
    web = build_demo_web().start()
    yield web
    web.stop()


def _config(tmp_path: Path, demo_web, extra: str = "") -> Path:
    text = demo_config_text(demo_web.url(""))
    p = tmp_path / "sources.toml"
    p.write_text(text + extra, encoding="utf-8")
    return p


BROKEN = """
[[sources]]
id = "kapotte-bron"
name = "Een bron die 404 geeft"
kind = "rss"
url = "{base}/bestaat-niet.rss"
item_kind = "news"
allow_private_network = true
"""


@pytest.mark.parametrize("processes", [[], ["--processes", "2"]], ids=["one-process", "two-processes"])
def test_crawl_reports_a_failed_source_exits_1_and_keeps_the_others(tmp_path, demo_web, processes):
    cfg = _config(tmp_path, demo_web, BROKEN.format(base=demo_web.url("")))
    db = f"sqlite:///{tmp_path / 't.db'}"
    runner = CliRunner()
    res = runner.invoke(app, ["crawl", "gemeente-nieuws", "kapotte-bron", "--db", db, "--config", str(cfg),
                              *processes])
    assert res.exit_code == 1, res.output
    assert "kapotte-bron" in res.output and "failed" in res.output and "HTTP 404" in res.output
    assert "gemeente-nieuws" in res.output

    res = runner.invoke(app, ["export", "--raw", "--format", "csv", "--db", db])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and set(RAW_REQUIRED) <= set(rows[0])
    assert {r["source_id"] for r in rows} == {"gemeente-nieuws"}

    again = runner.invoke(app, ["crawl", "gemeente-nieuws", "--db", db, "--config", str(cfg)])
    assert again.exit_code == 0, again.output


def test_export_formats_bundled_and_to_file(tmp_path, demo_web):
    cfg = _config(tmp_path, demo_web)
    db = f"sqlite:///{tmp_path / 't.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["crawl", "trajekt-agenda", "uitagenda", "--db", db, "--config", str(cfg)]).exit_code == 0
    out = tmp_path / "out" / "items.geojson"
    res = runner.invoke(app, ["export", "--format", "geojson", "-o", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    fc = json.loads(out.read_text())
    assert fc["type"] == "FeatureCollection" and fc["features"]
    multi = [f for f in fc["features"] if f["properties"]["member_count"] > 1]
    assert multi, "the agenda and uitagenda share events: some bundled items have two sources"
    assert all(len(f["properties"]["source_ids"].split(";")) == f["properties"]["member_count"] for f in multi)
    jl = runner.invoke(app, ["export", "--format", "jsonl", "--raw", "--kind", "event", "--db", db])
    lines = [json.loads(x) for x in jl.stdout.splitlines()]
    assert lines and {x["kind"] for x in lines} == {"event"}
    bad = runner.invoke(app, ["export", "--format", "xls", "--db", db])
    assert bad.exit_code == 2 and "unknown format" in bad.output


def test_sources_check_and_dry_run(tmp_path, demo_web):
    cfg = _config(tmp_path, demo_web)
    runner = CliRunner()
    # tables are as wide as COLUMNS (pytest-xdist sets 80 in its workers): ask for a wide one
    res = runner.invoke(app, ["sources", "check", "--config", str(cfg)], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "config OK" in res.output and "maastrichtdoet" in res.output
    db = tmp_path / "never.db"
    res = runner.invoke(app, ["sources", "test", "maastrichtdoet", "--limit", "5", "--config", str(cfg)],
                        env={"TIM_DB": f"sqlite:///{db}"})
    assert res.exit_code == 0, res.output
    assert "5 items" in res.output and "Missing fields" in res.output
    assert not db.exists()  # a dry run stores nothing


def test_bad_config_exits_2_naming_the_key(tmp_path):
    p = tmp_path / "sources.toml"
    p.write_text('[[sources]]\nid = "x"\nkind = "rss"\nurl = "http://e.org/f"\nurll = "y"\n')
    res = CliRunner().invoke(app, ["sources", "check", "--config", str(p)])
    assert res.exit_code == 2 and "'urll'" in res.output and "'x'" in res.output


def _commands(typer_app, prefix=()):
    import typer.main

    group = typer.main.get_command(typer_app)
    stack = [(prefix, group)]
    while stack:
        path, cmd = stack.pop()
        subs = getattr(cmd, "commands", None)
        if subs:
            stack.extend((path + (name,), sub) for name, sub in subs.items())
        else:
            yield " ".join(path), cmd


def test_every_command_has_help_and_is_documented():
    docs = (ROOT / "README.md").read_text() + "".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    for name, cmd in _commands(app):
        assert (cmd.help or "").strip(), f"`tim {name}` has no help text"
        assert f"tim {name}" in docs, f"`tim {name}` is not documented in README.md or docs/"


def test_dedup_split_and_merge_overrides_survive_a_recrawl(tmp_path, demo_web):
    """Issue #5: `tim dedup split` / `tim dedup merge` are stored and honoured on every re-run."""
    from sqlalchemy import select

    from tim.store.db import make_engine
    from tim.store.tables import ItemRow

    cfg = _config(tmp_path, demo_web)
    db = f"sqlite:///{tmp_path / 't.db'}"
    runner = CliRunner()
    crawl = ["crawl", "trajekt-agenda", "uitagenda", "--db", db, "--config", str(cfg)]
    assert runner.invoke(app, crawl).exit_code == 0
    engine = make_engine(db)

    def clusters():
        with engine.connect() as conn:
            return {r.id: r.cluster_id for r in conn.execute(select(ItemRow.id, ItemRow.cluster_id))}

    before = clusters()
    shared = {}
    for item, cid in before.items():
        shared.setdefault(cid, []).append(item)
    a, b = next(members for members in shared.values() if len(members) == 2)
    res = runner.invoke(app, ["dedup", "split", a, "--db", db, "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    assert clusters()[a] != clusters()[b]
    assert runner.invoke(app, crawl).exit_code == 0
    assert clusters()[a] != clusters()[b]  # kept apart on a re-run

    lone = sorted(i for i, c in clusters().items() if i not in (a, b) and list(clusters().values()).count(c) == 1)
    x, y = lone[0], lone[-1]
    assert runner.invoke(app, ["dedup", "merge", x, y, "--db", db, "--config", str(cfg)]).exit_code == 0
    assert runner.invoke(app, crawl).exit_code == 0
    assert clusters()[x] == clusters()[y]
    bad = runner.invoke(app, ["dedup", "split", "no-such-item", "--db", db, "--config", str(cfg)])
    assert bad.exit_code == 2 and "no item with id" in bad.output
