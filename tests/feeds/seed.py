"""Realistic data in a real store, written through the store's own functions.

Items go in with ``store.items.apply_run`` (as a crawl stores them) and bundled items come out of
``store.clusters.recluster`` (the real de-duplication). Used by the feed and export tests and by
``benchmarks/feeds/run.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tim.config import Config
from tim.records import GeoResult, Item
from tim.store.clusters import recluster
from tim.store.items import apply_run

# A few real buurten with a point inside each (lat, lon).
BUURTEN = {
    "BU09350000": ("Binnenstad", "WK093500", 50.84848, 5.69144),
    "BU09350001": ("Jekerkwartier", "WK093500", 50.84366, 5.69048),
    "BU09350006": ("Wyck", "WK093500", 50.84462, 5.70169),
}
HOSTILE_TITLE = '<script>alert("t")</script>Buurtfeest <img src=x onerror=alert(1)> & meer'
HOSTILE_HTML = ('<p onclick="alert(2)">Kom <b>langs</b>!<script>alert(3)</script>'
                '<a href="javascript:alert(4)">klik</a> <a href="https://example.org/ok">ok</a>'
                '<img src=x onerror="alert(5)"><svg onload="alert(6)"></svg></p>')


def make_item(source_id: str, key: str, *, kind: str = "event", title: str | None = None,
              buurt: str | None = "BU09350000", starts_at: datetime | None = None,
              ends_at: datetime | None = None, url: str | None = None, description_html: str = "",
              description_text: str | None = None, organizer: str | None = "Buurtnetwerk",
              location_name: str | None = None, offset: float = 0.0) -> Item:
    """One normalised, located item (what a crawler + normaliser + geo would produce)."""
    geo = GeoResult(method="none")
    lat = lon = None
    if buurt:
        name, wijk, lat, lon = BUURTEN.get(buurt, ("Onbekend", "WK093500", 50.85, 5.69))
        lat, lon = lat + offset, lon + offset
        geo = GeoResult(method="source_coordinates", confidence=0.9, lat=lat, lon=lon, buurt_code=buurt,
                        buurt_name=name, wijk_code=wijk)
    item = Item(
        id=f"{source_id}-{key}", source_id=source_id, source_key=key, kind=kind,
        title=title or f"{kind} {key}", description_html=description_html,
        description_text=description_text if description_text is not None else f"Beschrijving van {key}",
        url=url or f"https://{source_id}.example.org/{key}", organizer=organizer, starts_at=starts_at,
        ends_at=ends_at, location_name=location_name, lat=lat, lon=lon, geo=geo,
    )
    item.content_hash = item.compute_content_hash()
    return item


def store(engine, source_id: str, items: list[Item], *, complete: bool = False, expire_after: int = 2):
    """Store one run of ``source_id`` (as the pipeline does)."""
    with engine.begin() as conn:
        return apply_run(conn, source_id, items, run_id=None, complete=complete, expire_after=expire_after)


def bundle(engine, config: Config | None = None) -> dict:
    """Re-cluster every active item (the pipeline's dedup step)."""
    config = config or Config()
    with engine.begin() as conn:
        return recluster(conn, config.dedup, {s.id: s.priority for s in config.sources})


def future(days: float, hour: int = 19) -> datetime:
    """A time ``days`` from now (whole hours, UTC) — events in the past would expire on storing."""
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0, hour=hour)
    return base + timedelta(days=days)


def standard_set(engine) -> dict[str, list[Item]]:
    """Two sources, three buurten, all kinds, one cross-source duplicate and one hostile item."""
    agenda = [
        make_item("agenda", "e1", title="Koffieochtend Wyck", buurt="BU09350006", starts_at=future(3, 9),
                  ends_at=future(3, 11), location_name="Buurthuis Wyck"),
        make_item("agenda", "e2", title="Repair café Jekerkwartier", buurt="BU09350001", starts_at=future(5),
                  description_text="Kapotte spullen? Wij repareren ze samen."),
        make_item("agenda", "e3", title="Stadswandeling", buurt=None, starts_at=future(8)),
        make_item("agenda", "h1", title=HOSTILE_TITLE, buurt="BU09350000", starts_at=future(2),
                  url="javascript:alert(7)", description_html=HOSTILE_HTML,
                  description_text='<script>alert(8)</script>tekst', organizer="<b onmouseover=alert(9)>Org</b>",
                  location_name='"><script>alert(10)</script>'),
    ]
    vacatures = [
        make_item("vacaturebank", "v1", kind="vacancy", title="Voorlezer gezocht", buurt="BU09350000"),
        make_item("vacaturebank", "v2", kind="vacancy", title="Chauffeur buurtbus", buurt="BU09350006"),
        make_item("vacaturebank", "n1", kind="news", title="Nieuwe speeltuin geopend", buurt="BU09350001"),
        # the same repair café as agenda/e2: one bundled item with two sources
        make_item("vacaturebank", "e2dup", title="Repair café Jekerkwartier", buurt="BU09350001",
                  starts_at=future(5), url="https://vacaturebank.example.org/repair"),
    ]
    store(engine, "agenda", agenda)
    store(engine, "vacaturebank", vacatures)
    bundle(engine)
    return {"agenda": agenda, "vacaturebank": vacatures}
