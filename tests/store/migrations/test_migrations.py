"""Schema migrations (issue #12): a database made before migrations is upgraded in place with
nothing lost, on SQLite and PostgreSQL; the migrations' head is exactly the models; a database
behind (or ahead of) the code is refused by every command that opens it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import column, insert, inspect, select, table, text
from typer.testing import CliRunner

from tim.cli.main import app
from tim.store.db import make_engine
from tim.store.schema import (
    BASELINE,
    BASELINE_TABLES,
    SchemaAheadError,
    SchemaBehindError,
    head_revision,
    history,
    our_tables,
    schema_diff,
    schema_state,
    upgrade,
)

from ...conftest import fresh_database

HERE = Path(__file__).parent
FIXTURE = HERE / "tim-a6a3a31.db"
PG_SCHEMA_SQL = HERE / "pg-a6a3a31-schema.sql"
TABLES = {t.name: t for t in our_tables()}


def _old_columns(engine) -> dict[str, list[str]]:
    """Columns of every baseline table as the database has them now."""
    insp = inspect(engine)
    return {name: [c["name"] for c in insp.get_columns(name)] for name in sorted(BASELINE_TABLES)}


def _snapshot(engine, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of every baseline table (the given columns, read through the models' types)."""
    out = {}
    with engine.connect() as conn:
        for name, cols in columns.items():
            t = TABLES[name]
            pk = [c for c in t.primary_key.columns]
            rows = conn.execute(select(*[t.c[c] for c in cols]).order_by(*pk)).all()
            out[name] = [tuple(r) for r in rows]
    return out


@pytest.fixture
def fixture_snapshot(tmp_path_factory):
    """(columns, rows) of the committed pre-migration fixture (read from a copy: never touched)."""
    copy = tmp_path_factory.mktemp("snapshot") / "fixture.db"
    shutil.copy(FIXTURE, copy)
    engine = make_engine(f"sqlite:///{copy}", create=False)
    try:
        cols = _old_columns(engine)
        return cols, _snapshot(engine, cols)
    finally:
        engine.dispose()


def _sqlite_copy(tmp_path) -> str:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE, path)
    return f"sqlite:///{path}"


def _pg_copy(url: str, cols, rows) -> None:
    """Build the a6a3a31 PostgreSQL schema (pg_dump of that code) and copy the fixture's rows in."""
    engine = make_engine(url, create=False)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(PG_SCHEMA_SQL.read_text(encoding="utf-8"))
            for name, data in rows.items():
                t = TABLES[name]
                if data:
                    # only the a6a3a31 columns (the models' later columns and defaults do not exist yet)
                    old = table(name, *[column(c) for c in cols[name]])
                    conn.execute(insert(old), [dict(zip(cols[name], r)) for r in data])
                if "id" in cols[name] and data and t.c.id.type.python_type is int:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"(SELECT max(id) FROM {name}))"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def old_db(request, tmp_path, fixture_snapshot):
    """A database made by the code of a6a3a31, with the fixture's content, on either backend."""
    cols, rows = fixture_snapshot
    if request.param == "sqlite":
        yield _sqlite_copy(tmp_path)
        return
    with fresh_database("postgresql", tmp_path) as url:
        _pg_copy(url, cols, rows)
        yield url


def test_fixture_is_a_real_pre_migration_database(fixture_snapshot):
    cols, rows = fixture_snapshot
    assert set(cols) == BASELINE_TABLES
    assert len(rows["items"]) > 100 and len(rows["runs"]) >= 10 and len(rows["dedup_overrides"]) == 2
    assert any(r[cols["items"].index("status")] == "expired" for r in rows["items"])
    with sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "alembic_version" not in names


def test_upgrade_in_place_loses_nothing(old_db, fixture_snapshot):
    cols, rows = fixture_snapshot
    engine = make_engine(old_db, create=False)
    try:
        with pytest.raises(SchemaBehindError, match="tim db upgrade"):
            make_engine(old_db)
        report = upgrade(engine)
        assert (report.state_before, report.before, report.after) == ("unversioned", None, head_revision())
        assert _snapshot(engine, cols) == rows  # every row of every table, column for column
        with engine.connect() as conn:
            # 0002_job_queue: old runs are first attempts of no queued job
            runs = conn.execute(text("SELECT attempt, job_id, retry_of, worker FROM runs")).all()
            assert len(runs) == len(rows["runs"]) and set(runs) == {(1, None, None, None)}
            assert conn.execute(text("SELECT count(*) FROM source_leases")).scalar_one() == 0
            # 0004_gemeente: every old item and boundary set is Maastricht's (from its buurt code)
            gms = set(conn.execute(text("SELECT DISTINCT gemeente_code FROM items")).scalars())
            assert gms == {"GM0935"}
            assert set(conn.execute(text("SELECT gemeente_code FROM geo_boundary_sets")).scalars()) == {"GM0935"}
            # 0005_organisations_and_online: no old item is online; the directory starts empty
            online = conn.execute(text("SELECT online, count(*) FROM items GROUP BY online")).all()
            assert [(bool(o), n) for o, n in online] == [(False, len(rows["items"]))]
            assert conn.execute(text("SELECT count(*) FROM organisations")).scalar_one() == 0
            assert conn.execute(text("SELECT count(*) FROM organisation_items")).scalar_one() == 0
            # 0006: the old CBS address rows are Maastricht's (from their buurt code)
            n_addr = len(rows["geo_address_buurten"])
            addr = conn.execute(text("SELECT gemeente_code, count(*) FROM geo_address_buurten GROUP BY gemeente_code"))
            assert addr.all() == ([("GM0935", n_addr)] if n_addr else [])
            # 0007: old items name no document and no recipe (their next run normalises in
            # full); old validators carry no crawler notes, but keep their ETags
            kept = conn.execute(text("SELECT count(*) FROM items WHERE fetched_url IS NULL AND normalised_as IS NULL"))
            assert kept.scalar_one() == len(rows["items"])
            notes = conn.execute(text("SELECT count(*), count(meta), count(etag) FROM http_validators")).one()
            assert notes[0] == len(rows["http_validators"]) > 0 and notes[1] == 0 and notes[2] > 0
            # 0003_postgis: on PostGIS every old point and polygon got its geometry
            from tim.store import spatial

            if spatial.postgis_available(conn):
                assert spatial.enabled(conn)
                with_point = conn.execute(text("SELECT count(*) FROM items WHERE lat IS NOT NULL AND lon IS NOT NULL"))
                with_geom = conn.execute(text("SELECT count(*) FROM items WHERE geom IS NOT NULL"))
                assert with_point.scalar_one() == with_geom.scalar_one() > 50
                assert conn.execute(text("SELECT count(*) FROM geo_boundaries WHERE geom IS NULL")).scalar_one() == 0
            else:
                assert not spatial.enabled(conn)
        # 0008: a source's runs are read through (source_id, id) and a partial index of the
        # running ones, not the whole history through source_id alone
        indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("runs")}
        assert indexes.get("ix_runs_source_recent") == ["source_id", "id"]
        assert indexes.get("ix_runs_running") == ["source_id"] and "ix_runs_source_id" not in indexes
        with engine.connect() as conn:
            assert schema_state(conn).kind == "current"
            assert schema_diff(conn) == []  # the upgraded schema is exactly the models'
        # upgrading twice is a no-op: same revision, same rows, nothing reported as changed
        again = upgrade(engine)
        assert (again.state_before, again.changed) == ("current", False)
        assert _snapshot(engine, cols) == rows
    finally:
        engine.dispose()
    # the upgraded database is usable by the code: open it normally, run the pipeline's dedup on it
    from tim.config import load_config
    from tim.pipeline import Pipeline

    engine = make_engine(old_db)
    try:
        Pipeline(load_config(Path(__file__).parents[3] / "sources.toml"), engine).dedup()
        with engine.connect() as conn:
            t = TABLES["dedup_overrides"]
            assert conn.execute(select(t.c.action).order_by(t.c.id)).scalars().all() == ["split", "merge"]
            # the dedup pass fills the organisation directory of the upgraded database
            orgs = conn.execute(text("SELECT count(*) FROM organisations")).scalar_one()
            links = conn.execute(text("SELECT count(*) FROM organisation_items")).scalar_one()
            assert orgs >= 10 and links >= orgs, (orgs, links)
    finally:
        engine.dispose()


def test_migrations_from_scratch_equal_the_models(db_url):
    """The head of the migrations, run on an empty database, is exactly what the models declare."""
    engine = make_engine(db_url, create=False)
    try:
        report = upgrade(engine)
        assert report.state_before == "empty" and report.after == head_revision()
        with engine.connect() as conn:
            assert schema_diff(conn) == []
    finally:
        engine.dispose()


def test_new_database_is_created_at_head(db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            state = schema_state(conn)
            assert (state.kind, state.revision) == ("current", head_revision())
            assert schema_diff(conn) == []
        assert upgrade(engine).changed is False
    finally:
        engine.dispose()


def test_a_database_at_an_older_revision_is_refused_then_upgraded(tmp_path):
    """A database stamped at the baseline (by the first migrating release) is behind head."""
    url = _sqlite_copy(tmp_path)
    engine = make_engine(url, create=False)
    upgrade(engine, BASELINE)
    with engine.connect() as conn:
        assert schema_state(conn).kind == "behind"
    with pytest.raises(SchemaBehindError, match=r"run `tim db upgrade`"):
        make_engine(url)
    res = CliRunner().invoke(app, ["db", "current", "--db", url])
    assert res.exit_code == 1 and "behind" in res.output
    report = upgrade(engine)
    assert (report.before, report.after) == (BASELINE, head_revision())
    engine.dispose()
    make_engine(url).dispose()


def test_a_database_ahead_of_the_code_is_refused(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    with pytest.raises(SchemaAheadError, match="newer version"):
        make_engine(sqlite_url)
    with pytest.raises(SchemaAheadError):
        upgrade(engine)
    engine.dispose()


def test_cli_refuses_a_behind_database_and_upgrades_it(tmp_path):
    url = _sqlite_copy(tmp_path)
    runner = CliRunner()
    config = str(Path(__file__).parents[3] / "sources.toml")
    for argv in (["status"], ["runs", "buurtnetwerk-binnenstad"], ["export", "-f", "csv"], ["geo", "reassign"],
                 ["dedup", "split", "x"], ["crawl", "buurtnetwerk-binnenstad"], ["serve", "--port", "1"],
                 ["run"]):
        res = runner.invoke(app, [*argv, "--db", url, "--config", config])
        assert res.exit_code == 2, (argv, res.output)
        assert "tim db upgrade" in res.output, argv
    for argv in (["stats"], ["geo", "import-postcodes", config]):
        res = runner.invoke(app, [*argv, "--db", url])
        assert res.exit_code != 0 and "tim db upgrade" in res.output, argv
    res = runner.invoke(app, ["db", "current", "--db", url])
    assert res.exit_code == 1 and "before migrations" in res.output
    res = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert res.exit_code == 0 and f"to {head_revision()}" in res.output
    res = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert res.exit_code == 0 and "nothing to do" in res.output
    res = runner.invoke(app, ["db", "current", "--db", url, "--json"])
    assert res.exit_code == 0 and '"state": "current"' in res.output
    res = runner.invoke(app, ["db", "history"])
    assert res.exit_code == 0 and BASELINE in res.output and "(head)" in res.output


def test_a_failed_upgrade_changes_nothing(tmp_path, fixture_snapshot):
    """A pre-migration database missing one of its tables is refused untouched."""
    url = _sqlite_copy(tmp_path)
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("DROP TABLE counters")
    engine = make_engine(url, create=False)
    with pytest.raises(Exception, match="counters"):
        upgrade(engine)
    with engine.connect() as conn:
        assert schema_state(conn).kind == "unversioned"
    engine.dispose()


def test_history_is_one_line_from_the_baseline():
    revs = history()
    assert revs[-1]["revision"] == BASELINE and revs[-1]["down_revision"] is None
    assert revs[0]["head"] and revs[0]["revision"] == head_revision()
    for newer, older in zip(revs, revs[1:]):
        assert newer["down_revision"] == older["revision"]


def test_migrations_ship_in_the_package():
    import tomllib

    cfg = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "tim.store.migrations" in cfg["tool"]["setuptools"]["packages"]
    data = cfg["tool"]["setuptools"]["package-data"]["tim.store.migrations"]
    assert "versions/*.py" in data and "script.py.mako" in data



def test_0006_gives_old_cbs_address_rows_their_gemeente(db_url, tmp_path, fixture_snapshot):
    """0006: rows of the CBS address table imported before it get the gemeente of their buurt."""
    url = _sqlite_copy(tmp_path) if db_url.startswith("sqlite") else db_url
    if not db_url.startswith("sqlite"):
        _pg_copy(url, *fixture_snapshot)
    engine = make_engine(url, create=False)
    try:
        upgrade(engine, "0005_organisations_and_online")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO geo_address_buurten (postcode, housenumber, buurt_code, wijk_code, label) "
                              "VALUES ('6211PE', 1, 'BU09350000', 'WK093500', 'old')"))
        upgrade(engine)
        with engine.connect() as conn:
            got = conn.execute(text("SELECT postcode, gemeente_code FROM geo_address_buurten")).all()
            assert [tuple(r) for r in got] == [("6211PE", "GM0935")]
            assert schema_diff(conn) == []
    finally:
        engine.dispose()

