"""A synthetic source web for the scale benchmark, served on loopback hosts 127.0.0.2, 127.0.0.3, ...

``World(items, hosts, seed)`` builds, deterministically, N sources of every kind (RSS, iCal, paged
JSON, JSON-LD listings with detail pages, HTML listings with detail pages) spread over ``hosts``
host names, holding ``items`` items with real Maastricht addresses (OSM POIs in ``data/``, each
with the CBS buurt it lies in), venue names, buurt mentions instead of an address, and planted
cross-source duplicates (the same activity on two platforms of different kinds). The ground
truth (``truth``: url -> buurt code, ``dup_groups``) is kept beside the documents.

90% of the items come from feeds and APIs of 50 items per document, 10% from detail pages. Every
second JSON-LD and HTML site is found through a sitemap.xml with each page's ``<lastmod>`` (as a
WordPress site with an SEO plugin publishes it) instead of listing pages (``sitemaps=False``: none
does, every site has listing pages); an item's lastmod is the
world's creation minus 30 days until ``change()`` edits it, then the time of that change.
``serve(world)`` runs one threaded HTTP server per host in a child process (so serving never
competes with the measured pipeline for the GIL); documents answer ETag / If-None-Match.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing as mp
import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

DATA = Path(__file__).resolve().parents[2] / "data"
PER_DOC = 50
LISTING = 25
ACTIVITIES = ["Taalcafé", "Repair Café", "Buurtmaaltijd", "Wandelgroep", "Huiswerkbegeleiding", "Moestuin",
              "Koffieochtend", "Schaakclub", "Fietsles", "Zangkoor", "Yoga voor senioren", "Kledingruil",
              "Voorleesuur", "Computerhulp", "Klusdag", "Buurtschoonmaak", "Filmavond", "Spelletjesmiddag",
              "Naaiatelier", "Boekenruil", "Dansles", "Tekenclub", "Burendag", "Inloopspreekuur"]
WHO = ["voor iedereen", "voor kinderen", "voor jongeren", "voor ouderen", "voor nieuwkomers", "voor mantelzorgers",
       "met de wijkagent", "met vrijwilligers", "voor gezinnen", "voor studenten"]
ROLE = ["Vrijwilliger", "Coördinator", "Begeleider", "Chauffeur", "Gastvrouw", "Tuinier", "Maatje", "Klusser",
        "Verteller", "Kok", "Organisator", "Ondersteuner"]
TASK = ["bij de voedselbank", "voor het buurthuis", "bij de bibliotheek", "voor een oudere buurtgenoot",
        "bij het taalcafé", "in de moestuin", "voor de sportclub", "bij het repair café", "voor de wijkkrant",
        "in het verzorgingshuis"]
KINDS = ("rss", "ical", "json", "jsonld", "html")
SHARE = {"rss": 0.35, "ical": 0.25, "json": 0.30, "jsonld": 0.08, "html": 0.02}


@dataclass
class Item:
    uid: str
    kind: str  # vacancy | event
    title: str
    description: str
    start: datetime | None
    poi: dict | None  # the address (with truth buurt) or None
    mention: str | None  # a buurt name mentioned instead of an address
    truth: str | None
    version: int = 0
    modified: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(days=30))
    """When the item's page last changed (its sitemap ``<lastmod>``)."""

    def location_line(self) -> str:
        if self.poi:
            p = self.poi
            pc = f"{p['postcode'][:4]} {p['postcode'][4:]}" if p["postcode"] else ""
            return f"{p['name']}, {p['street']} {p['housenumber']}, {pc} Maastricht".replace(" ,", ",")
        return ""

    def text(self) -> str:
        extra = f" Locatie: {self.location_line()}" if self.poi else f" In de buurt {self.mention}." if self.mention else ""
        return f"{self.description}{extra}" + (f" (bijgewerkt {self.version})" if self.version else "")

    def shown_title(self) -> str:
        return self.title + (f" - gewijzigd {self.version}" if self.version else "")


@dataclass
class Source:
    sid: str
    kind: str
    host: int
    items: list[Item] = field(default_factory=list)
    sitemap: bool = False
    """Its pages are found through a sitemap with lastmod, not through listing pages."""

    @property
    def item_kind(self) -> str:
        return "event" if self.kind in ("ical", "jsonld") else "vacancy"


class World:
    def __init__(self, items: int, hosts: int, seed: int = 11, dup_share: float = 0.05, sitemaps: bool = True):
        self.rng = rng = random.Random(seed)
        with open(DATA / "maastricht_osm_poi_addresses.csv", encoding="utf-8") as f:
            pois = [r for r in csv.DictReader(f) if r["buurt_match"] == "contains" and r["street"]
                    and r["housenumber"] and r["name"]]
        with open(DATA / "maastricht_buurt_names.csv", encoding="utf-8") as f:
            names = [r for r in csv.DictReader(f) if r["buurtcode"] and "official" in r["name_source"]]
        self.hosts = hosts
        self.truth: dict[str, str | None] = {}
        self.dup_groups: list[list[str]] = []
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.sources: list[Source] = []
        counter = {k: 0 for k in KINDS}

        def new_source(kind: str) -> Source:
            counter[kind] += 1
            src = Source(f"{kind}-{counter[kind]:05d}", kind, len(self.sources) % hosts,
                         sitemap=sitemaps and kind in ("jsonld", "html") and counter[kind] % 2 == 0)
            self.sources.append(src)
            return src

        size = {"rss": PER_DOC, "ical": 2 * PER_DOC, "json": 4 * PER_DOC, "jsonld": 2 * LISTING, "html": 4 * LISTING}
        current: dict[str, Source] = {}

        def place(kind: str, item: Item) -> Source:
            src = current.get(kind)
            if src is None or len(src.items) >= size[kind]:
                src = current[kind] = new_source(kind)
            src.items.append(item)
            return src

        def make(kind: str, n: int) -> Item:
            ev = kind in ("ical", "jsonld")
            poi = rng.choice(pois) if rng.random() < 0.85 else None
            mention = None
            if poi is None:
                b = rng.choice(names)
                mention, truth = b["name"], b["buurtcode"]
            else:
                truth = poi["buurtcode"]
            if ev:
                title = f"{rng.choice(ACTIVITIES)} {rng.choice(WHO)} #{n}"
                start = today + timedelta(days=rng.randint(2, 300), hours=rng.choice([10, 14, 19]),
                                          minutes=rng.choice([0, 30]))
            else:
                title = f"{rng.choice(ROLE)} {rng.choice(TASK)} #{n}"
                start = None
            desc = f"{title}: samen met buurtgenoten, elke week weer. Aanmelden kan via de website."
            return Item(f"i{n}", "event" if ev else "vacancy", title, desc, start, poi, mention, truth)

        n = 0
        plan = []
        for kind in KINDS:
            plan += [kind] * round(items * SHARE[kind])
        plan = plan[:items]
        rng.shuffle(plan)
        partner = {"json": "html", "html": "json", "rss": "json", "ical": "jsonld", "jsonld": "ical"}
        made = 0
        while made < len(plan):
            kind = plan[made]
            item = make(kind, n)
            n += 1
            src = place(kind, item)
            made += 1
            url = self.url(src, item)
            self.truth[url] = item.truth
            if made < len(plan) and rng.random() < dup_share:  # the same activity on a second platform
                other = partner[kind]
                twin = Item(item.uid + "b", item.kind, item.title, item.description.replace("elke week", "iedere week"),
                            item.start, item.poi, item.mention, item.truth)
                osrc = place(other, twin)
                made += 1
                turl = self.url(osrc, twin)
                self.truth[turl] = twin.truth
                self.dup_groups.append([url, turl])
        self.items = sum(len(s.items) for s in self.sources)

    # -- addresses --------------------------------------------------------------------------------
    def base(self, src: Source) -> str:
        return f"http://127.0.0.{2 + src.host}:{{port{src.host}}}/{src.sid}"

    def url(self, src: Source, item: Item) -> str:
        return f"{self.base(src)}/item/{item.uid}"

    # -- changes ----------------------------------------------------------------------------------
    def change(self, fraction: float, seed: int = 5) -> int:
        """Change the title and text of ``fraction`` of the items (same place, same truth)."""
        rng = random.Random(seed)
        every = [i for s in self.sources for i in s.items]
        picked = rng.sample(every, max(1, int(len(every) * fraction)))
        now = datetime.now(UTC)
        for item in picked:
            item.version += 1
            item.modified = now
        return len(picked)

    # -- documents --------------------------------------------------------------------------------
    def documents(self, ports: dict[int, int]) -> dict[tuple[int, str], tuple[bytes, str]]:
        """(host index, path) -> (body, content type)."""
        fmt = {f"port{h}": p for h, p in ports.items()}
        out: dict[tuple[int, str], tuple[bytes, str]] = {}
        for src in self.sources:
            base = self.base(src).format(**fmt)
            path = urlsplit(base).path
            render = getattr(self, "_" + src.kind)
            for sub, (body, ctype) in render(src, base).items():
                out[(src.host, path + sub)] = (body.encode("utf-8"), ctype)
        return out

    def _rss(self, src: Source, base: str):
        items = "".join(
            f"<item><title>{escape(i.shown_title())}</title><link>{base}/item/{i.uid}</link>"
            f"<guid isPermaLink=\"false\">{i.uid}</guid><description>{escape(i.text())}</description>"
            f"<pubDate>{format_datetime(datetime(2026, 1, 1, tzinfo=UTC))}</pubDate></item>"
            for i in src.items)
        body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{src.sid}</title>'
                f"<link>{base}/</link><description>synthetisch</description>{items}</channel></rss>")
        return {"/feed.rss": (body, "application/rss+xml")}

    def _ical(self, src: Source, base: str):
        def fold(line: str) -> str:
            return line.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")

        events = []
        for i in src.items:
            st = i.start.strftime("%Y%m%dT%H%M%SZ")
            en = (i.start + timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ")
            loc = f"LOCATION:{fold(i.location_line())}\r\n" if i.poi else ""
            events.append(f"BEGIN:VEVENT\r\nUID:{i.uid}@{src.sid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{st}\r\n"
                          f"DTEND:{en}\r\nSUMMARY:{fold(i.shown_title())}\r\nDESCRIPTION:{fold(i.text())}\r\n"
                          f"{loc}URL:{base}/item/{i.uid}\r\nEND:VEVENT\r\n")
        body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tim//synth//NL\r\n" + "".join(events) + "END:VCALENDAR\r\n"
        return {"/agenda.ics": (body, "text/calendar; charset=utf-8")}

    def _json(self, src: Source, base: str):
        out = {}
        pages = [src.items[k:k + PER_DOC] for k in range(0, len(src.items), PER_DOC)]
        for n, page in enumerate(pages, 1):
            results = [{"id": i.uid, "titel": i.shown_title(), "omschrijving": i.text(), "link": f"{base}/item/{i.uid}",
                        "locatie": ({"naam": i.poi["name"], "adres": f"{i.poi['street']} {i.poi['housenumber']}",
                                     "postcode": i.poi["postcode"], "plaats": "Maastricht"} if i.poi else None)}
                       for i in page]
            nxt = f"{base}/api/{n + 1}.json" if n < len(pages) else None
            out[f"/api/{n}.json"] = (json.dumps({"data": {"results": results, "next": nxt}}, ensure_ascii=False),
                                     "application/json")
        return out

    def _listings(self, src: Source, base: str, cls: str):
        if src.sitemap:
            urls = "".join(f"<url><loc>{base}/item/{i.uid}</loc><lastmod>{i.modified.isoformat(timespec='seconds')}"
                           "</lastmod></url>" for i in src.items)
            return {"/sitemap.xml": ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                                     f'schemas/sitemap/0.9">{urls}</urlset>', "application/xml")}
        out = {}
        pages = [src.items[k:k + LISTING] for k in range(0, len(src.items), LISTING)]
        for n, page in enumerate(pages, 1):
            links = "".join(f'<li><a class="{cls}" href="{base}/item/{i.uid}">{escape(i.shown_title())}</a></li>'
                            for i in page)
            nxt = f'<a class="volgende" href="{base}/lijst/{n + 1}.html">volgende</a>' if n < len(pages) else ""
            out[f"/lijst/{n}.html"] = (f"<html><body><ul>{links}</ul>{nxt}</body></html>", "text/html; charset=utf-8")
        return out

    def _jsonld(self, src: Source, base: str):
        out = self._listings(src, base, "event")
        for i in src.items:
            ent = {"@context": "https://schema.org", "@type": "Event", "name": i.shown_title(),
                   "description": i.text(), "startDate": i.start.isoformat(),
                   "endDate": (i.start + timedelta(hours=2)).isoformat(), "url": f"{base}/item/{i.uid}"}
            if i.poi:
                ent["location"] = {"@type": "Place", "name": i.poi["name"], "address": {
                    "@type": "PostalAddress", "streetAddress": f"{i.poi['street']} {i.poi['housenumber']}",
                    "postalCode": i.poi["postcode"], "addressLocality": "Maastricht"}}
            page = (f"<html><head><script type=\"application/ld+json\">{json.dumps(ent, ensure_ascii=False)}</script>"
                    f"</head><body><h1>{escape(i.shown_title())}</h1></body></html>")
            out[f"/item/{i.uid}"] = (page, "text/html; charset=utf-8")
        return out

    def _html(self, src: Source, base: str):
        out = self._listings(src, base, "vacature")
        for i in src.items:
            adres = f'<dd class="adres">{escape(i.location_line())}</dd>' if i.poi else ""
            page = (f'<html><head><link rel="canonical" href="{base}/item/{i.uid}"></head><body>'
                    f'<article data-vacature-id="{i.uid}"><h1>{escape(i.shown_title())}</h1>'
                    f'<div class="omschrijving"><p>{escape(i.text())}</p></div><dl>{adres}</dl></article></body></html>')
            out[f"/item/{i.uid}"] = (page, "text/html; charset=utf-8")
        return out

    # -- configuration ------------------------------------------------------------------------------
    def start_url(self, src: Source, ports: dict[int, int]) -> str:
        base = self.base(src).format(**{f"port{h}": p for h, p in ports.items()})
        if src.sitemap:
            return base + "/sitemap.xml"
        return base + {"rss": "/feed.rss", "ical": "/agenda.ics", "json": "/api/1.json",
                       "jsonld": "/lijst/1.html", "html": "/lijst/1.html"}[src.kind]

    def config_text(self, ports: dict[int, int], delay: float, max_concurrency: int, processes: int = 1) -> str:
        out = [f"[settings]\ndelay = {delay}\ntimeout = 60.0\nretries = 1\nbackoff = 0.2\nobey_robots = false\n"
               f"max_concurrency = {max_concurrency}\nprocesses = {processes}\n"]
        for src in self.sources:
            where = "sitemap" if src.sitemap else "url"
            out.append(f'\n[[sources]]\nid = "{src.sid}"\nkind = "{src.kind}"\n{where} = "{self.start_url(src, ports)}"\n'
                       f'item_kind = "{src.item_kind}"\nallow_private_network = true\nmax_pages = 50\n'
                       f'priority = {80 if src.kind in ("json", "ical", "rss") else 30}\n')
            if src.kind == "json":
                out.append('items = "data.results"\nnext = "data.next"\n[sources.fields]\nid = "id"\ntitle = "titel"\n'
                           'description = "omschrijving"\nurl = "link"\nlocation_name = "locatie.naam"\n'
                           'address = "locatie.adres"\npostcode = "locatie.postcode"\ncity = "locatie.plaats"\n')
            elif src.kind == "jsonld":
                out.append('' if src.sitemap else 'follow = "a.event"\nnext = "a.volgende"\n')
            elif src.kind == "html":
                out.append(('' if src.sitemap else 'follow = "a.vacature"\nnext = "a.volgende"\n') + '[sources.fields]\n'
                           'id = "xpath://article[@data-vacature-id]/@data-vacature-id"\ntitle = "h1::text"\n'
                           'description = "div.omschrijving"\nurl = "link[rel=canonical]::attr(href)"\n'
                           'address = "dd.adres::text"\n')
        return "".join(out)


# -- serving ------------------------------------------------------------------------------------------
def _server(host_index: int, docs: dict, lock: threading.Lock) -> ThreadingHTTPServer:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go out in two writes: with Nagle on, each response would stall ~40 ms
        # on the client's delayed ACK, and every fetch would measure that stall
        disable_nagle_algorithm = True

        def log_message(self, *a):  # noqa: ANN002
            return

        def do_GET(self):  # noqa: N802
            with lock:
                found = docs.get((host_index, urlsplit(self.path).path))
            if found is None:
                body, ctype, etag, status = b"not found", "text/plain", None, 404
            else:
                body, ctype, etag = found
                status = 200
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    srv = ThreadingHTTPServer((f"127.0.0.{2 + host_index}", 0), H)
    srv.daemon_threads = True
    return srv


def _with_etags(docs: dict) -> dict:
    return {k: (b, c, '"' + hashlib.sha1(b).hexdigest()[:16] + '"') for k, (b, c) in docs.items()}


def _serve_child(items: int, hosts: int, seed: int, sitemaps: bool, conn) -> None:
    world = World(items, hosts, seed, sitemaps=sitemaps)
    docs: dict = {}
    lock = threading.Lock()
    servers = [_server(h, docs, lock) for h in range(hosts)]
    ports = {h: srv.server_address[1] for h, srv in enumerate(servers)}
    docs.update(_with_etags(world.documents(ports)))
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    conn.send(ports)
    while True:
        msg = conn.recv()
        if msg[0] == "stop":
            break
        if msg[0] == "change":
            n = world.change(msg[1], msg[2])
            new = _with_etags(world.documents(ports))
            with lock:
                docs.clear()
                docs.update(new)
            conn.send(n)
    for srv in servers:
        srv.shutdown()


class SyntheticWeb:
    """The world's documents served from a child process; ``change()`` edits items there too."""

    def __init__(self, items: int, hosts: int, seed: int = 11, sitemaps: bool = True):
        self.world = World(items, hosts, seed, sitemaps=sitemaps)
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve_child, args=(items, hosts, seed, sitemaps, child), daemon=True)

    def __enter__(self) -> SyntheticWeb:
        self._proc.start()
        self.ports = self._conn.recv()
        return self

    @property
    def pid(self) -> int:
        return self._proc.pid

    def change(self, fraction: float, seed: int = 5) -> int:
        self._conn.send(("change", fraction, seed))
        n = self._conn.recv()
        assert n == self.world.change(fraction, seed)
        return n

    def urls(self) -> list[tuple[str, str]]:
        """Every document the pipeline fetches: (kind, url)."""
        out = []
        for (h, path), (_b, ctype) in self.world.documents(self.ports).items():
            kind = next(s.kind for s in [self._by_path(path)])
            out.append((kind, f"http://127.0.0.{2 + h}:{self.ports[h]}{path}"))
        return out

    def _by_path(self, path: str) -> Source:
        if not hasattr(self, "_paths"):
            self._paths = {s.sid: s for s in self.world.sources}
        return self._paths[path.split("/")[1]]

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self._conn.send(("stop",))
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()
