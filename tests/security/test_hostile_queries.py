"""Issue 8 item 5: hostile queries and exports.

- API filters, sort keys and cursors are validated: a strange value is a 4xx (mostly 422), never
  a 500 and never SQL; text search is literal (``%``/``_`` match themselves). Defences:
  ``feeds.params`` (FastAPI validation), ``feeds.cursor`` (strict token shapes), ``feeds.query``
  (bound parameters, fixed sort set).
- CSV cells that would start a formula are neutralised (``exports.writers.safe_cell``), here on
  items crawled from the fault web's ``/csv/formulas.json``.
- Export file names come from source ids, which ``config`` validates (``Source.id`` pattern), so
  ``../`` can never be an id; ``exports.safe_path`` keeps even a stored hostile id inside the
  directory (``tests/exports/test_exports.py::test_file_names_from_source_ids_stay_in_the_directory``).
"""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from sqlalchemy import func, select

from tim.config import load_config
from tim.demo.faultweb import FORMULAS
from tim.errors import ConfigError
from tim.exports import export
from tim.store.tables import ClusterRow, ItemRow


def token(parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


HOSTILE = [
    ("/items?sort=title", 422),
    ("/items?sort=-modified;DROP TABLE items", 422),
    ("/items?sort=starts_at%20DESC", 422),
    ("/items?kind=x'--", 422),
    ("/items?kind=event'%20OR%20'1'='1", 422),
    ("/items?limit=-1", 422),
    ("/items?limit=0", 422),
    ("/items?limit=1e3", 422),
    ("/items?limit=99999999999999999999", 422),
    ("/items?from=2025-13-45", 422),
    ("/items?from=%00", 422),
    ("/items?from=9999-12-31T23:59:59", 422),
    ("/items?to=0001-01-01", 422),
    ("/items?from=2025-01-01T00:00:00%2B99:00", 422),
    ("/items?from=2025-01-01&to=2024-01-01", 422),
    ("/items?q=" + "a" * 500, 422),
    ("/items?q=%00", 422),
    ("/items?q=%20%20", 422),
    ("/items?source=../../etc/passwd", 422),
    ("/items?source=A", 422),
    ("/items?cursor=kapot!", 422),
    ("/items?cursor=%ED%A0%80", 422),
    ("/items?cursor=" + token(["id", "x", "y"]), 422),  # a cursor of another sort order
    ("/items?cursor=" + token(["-modified", {"$gt": ""}, "x"]), 422),
    ("/items?cursor=" + token(["-modified", 1, "x' OR '1'='1"]), 422),
    ("/changes?after=kapot", 422),
    ("/changes?after=" + token([-1, "x"]), 422),
    ("/changes?after=" + token([True, "x"]), 422),
    ("/feed.atom?limit=0", 422),
    ("/events.ics?sort=xx", 422),
    ("/stats?format=xml", 422),
    ("/buurten/XX/items", 422),
    ("/buurten/BU99999999/items", 404),
    ("/buurten/..%2f..%2fetc/items", 404),
    ("/static/..%2fapp.py", 404),
    ("/static/map.js%00", 404),
    ("/items?cursor=" + token(["-modified", 10**30, "x"]), 422),
    ("/items?sort=starts_at&cursor=" + token(["starts_at", 2**63, "x"]), 422),
    ("/changes?after=" + token([2**63, "x"]), 422),
    ("/items?cursor=" + token(["-modified", "abc", "x"]), 422),
    ("/items?sort=starts_at&cursor=" + token(["starts_at", 5, "x"]), 422),
]


@pytest.fixture(scope="module")
def client(hostile_store):
    from fastapi.testclient import TestClient

    from tim.feeds.app import create_app

    engine, cfg, _ = hostile_store
    with TestClient(create_app(engine, cfg), raise_server_exceptions=False) as c:
        yield c


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(ItemRow)).scalar_one(),
                conn.execute(select(func.count()).select_from(ClusterRow)).scalar_one())


@pytest.mark.parametrize("url,status", HOSTILE)
def test_a_strange_value_is_a_client_error_never_a_500(hostile_store, client, url, status):
    before = _counts(hostile_store[0])
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    assert _counts(hostile_store[0]) == before  # nothing was executed against the data


@pytest.mark.parametrize("q", ["%", "_", "' OR 1=1 --", "\\", "%' OR '%'='"])
def test_text_search_is_literal(client, q):
    """A LIKE wildcard or an SQL fragment matches itself: none of the stored titles holds it."""
    assert client.get("/items?limit=500").json()["items"]  # there is something to leak
    r = client.get("/items", params={"q": q, "limit": 500})
    assert r.status_code == 200 and r.json()["items"] == [], (q, len(r.json()["items"]))


@pytest.mark.parametrize("raw", [True, False], ids=["raw", "bundled"])
def test_csv_cells_never_start_a_formula(hostile_store, tmp_path, raw):
    engine, cfg, _ = hostile_store
    path = tmp_path / "items.csv"
    export(engine, "csv", path, raw=raw, config=cfg)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    bad = [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "|")]
    assert bad == [], bad[:10]
    titles = {row[rows[0].index("title")] for row in rows[1:]}
    assert "'" + FORMULAS[0] in titles and "'+31 43 350 5050" in titles  # kept, but inert


def test_stats_csv_cells_never_start_a_formula(client):
    r = client.get("/stats?format=csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.text, newline="")))
    assert all(cell[:1] not in ("=", "+", "-", "@", "\t", "\r", "|") for row in rows for cell in row)


@pytest.mark.parametrize("sid", ["../etc", "a/b", "..", ".", "Bron", "a b", "a\\u0000b", "-a", "a;b", "x" * 64,
                                 "con.csv", ""])
def test_a_source_id_that_could_name_a_path_is_a_config_error(tmp_path, sid):
    path = tmp_path / "sources.toml"
    path.write_text(f'[[sources]]\nid = "{sid}"\nkind = "rss"\nurl = "https://www.maastricht.nl/rss"\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"key 'id'"):
        load_config(path)
