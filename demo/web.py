"""A small threaded HTTP server on 127.0.0.1 with a route table and a request log.

Serves the demo source sites (``tim demo``) and the local sites the tests crawl. A route is a path
(exact, without the query string) mapped to a handler ``fn(request) -> Response``; every request
is logged with its server-side monotonic timestamp so tests can measure pacing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """What a handler sees of one request."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float
    """time.monotonic() when the request arrived."""
    peer: tuple = ()
    """The client's (address, port): requests over one kept-alive connection share it."""

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    """What a handler returns. ``body`` may be bytes, str (utf-8) or an iterable of bytes chunks
    (sent with chunked transfer encoding)."""

    body: bytes | str | object = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"


Handler = Callable[[Request], Response]


class LocalWeb:
    """A route-table HTTP server on 127.0.0.1 (port 0 = any free port), run in a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.routes: dict[str, Handler] = {}
        self.log: list[Request] = []
        self._lock = threading.Lock()
        web = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):  # noqa: ANN002
                return

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                    at=time.monotonic(),
                    peer=tuple(self.client_address),
                )
                with web._lock:
                    web.log.append(req)
                handler = web.routes.get(parts.path)
                if handler is None:
                    resp = Response("not found", status=404, content_type="text/plain")
                else:
                    try:
                        resp = handler(req)
                    except Exception as exc:  # noqa: BLE001
                        resp = Response(f"handler error: {exc}", 500, content_type="text/plain")
                web._send(self, resp)

            do_GET = _handle
            do_POST = _handle
            do_HEAD = _handle

        self.server = ThreadingHTTPServer((host, port), _H)
        self.server.daemon_threads = True
        self.host, self.port = self.server.server_address[:2]
        self._thread: threading.Thread | None = None

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, resp: Response) -> None:
        body = resp.body
        try:
            h.send_response(resp.status)
            headers = {"Content-Type": resp.content_type, **resp.headers}
            if isinstance(body, (bytes, str)):
                data = body.encode("utf-8") if isinstance(body, str) else body
                headers.setdefault("Content-Length", str(len(data)))
                for k, v in headers.items():
                    h.send_header(k, v)
                h.end_headers()
                if h.command != "HEAD" and resp.status not in (204, 304):
                    h.wfile.write(data)
            else:  # an iterable of chunks
                headers["Transfer-Encoding"] = "chunked"
                for k, v in headers.items():
                    h.send_header(k, v)
                h.end_headers()
                for chunk in body:  # type: ignore[attr-defined]
                    if chunk:
                        h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        h.wfile.flush()
                h.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -- routes ----------------------------------------------------------------------------
    def route(self, path: str, handler: Handler | Response | str | bytes, **kw) -> None:
        """Map ``path`` to a handler, or to a fixed response (body + ``status``/``content_type``/``headers``)."""
        if callable(handler):
            self.routes[path] = handler
        else:
            fixed = handler if isinstance(handler, Response) else Response(handler, **kw)
            self.routes[path] = lambda _req, _r=fixed: _r

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.log if r.path == path]

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "LocalWeb":
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name="localweb")
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "LocalWeb":
        return self.start()

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.stop()
