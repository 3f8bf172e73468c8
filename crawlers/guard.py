"""The SSRF guard: refuse hosts that resolve to loopback, private, link-local, reserved or
metadata addresses.

A source with ``allow_private_network = true`` may reach a private address only at its own
origins (the addresses and ports of its ``url`` and ``sitemap``): a redirect or link from there
to another private service (another local port, the metadata endpoint) is still refused.

Used by ``crawlers.http`` (before any connection, and again inside the connection backend so the
address that is checked is the address that is dialled) and by the Scrapy runner's downloader
middleware and resolver.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

import httpcore

#: Named explicitly although link-local covers it: the cloud metadata endpoint.
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})


class AddressRefused(Exception):
    """Raised by :func:`resolve_checked` when a host resolves to a forbidden address.

    ``crawlers.http`` and the Scrapy runner turn it into ``errors.BlockedError``.
    """

    def __init__(self, host: str, address: str, reason: str):
        self.host, self.address, self.reason = host, address, reason
        super().__init__(f"host {host!r} resolves to {address} ({reason}); refused by the SSRF "
                         "guard (allow_private_network = true allows only the source's own origins)")


def why_forbidden(address: str) -> str | None:
    """The reason an IP address is not a public internet address, or None when it is."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "metadata"
    for attr in ("is_loopback", "is_private", "is_link_local", "is_reserved", "is_multicast",
                 "is_unspecified"):
        if getattr(ip, attr):
            return attr[3:].replace("_", "-")
    if not ip.is_global:
        return "not-global"
    return None


Allowance = frozenset[tuple[str, int]]
"""(address, port) pairs where a private address is allowed."""


def resolve(host: str, port: int) -> list[str]:
    """All addresses of ``host`` (``OSError`` when it does not resolve)."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve host {host!r}: {exc}") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def allowance(urls: list[str | None]) -> Allowance:
    """The (address, port) pairs of a source's own origins, where private addresses are fine."""
    from urllib.parse import urlsplit

    pairs = set()
    for url in urls:
        parts = urlsplit(url or "")
        if parts.hostname:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            try:
                pairs.update((a, port) for a in resolve(parts.hostname, port))
            except OSError:
                continue
    return frozenset(pairs)


def resolve_checked(host: str, port: int, allowed: Allowance = frozenset()) -> list[str]:
    """Resolve ``host`` and return its addresses; raise :class:`AddressRefused` when any one of
    them is forbidden (checking every address defeats a mixed public/private answer)."""
    addresses = resolve(host, port)
    for address in addresses:
        reason = why_forbidden(address)
        if reason and (address, port) not in allowed:
            raise AddressRefused(host, address, reason)
    return addresses


class GuardedBackend(httpcore.SyncBackend):
    """An httpcore network backend that resolves, checks and then dials the checked address, so a
    DNS answer that changes between the check and the connect (rebinding) cannot slip through."""

    def __init__(self, allowed: Callable[[], Allowance]):
        self.allowed = allowed

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = resolve_checked(host, port, self.allowed())
        except AddressRefused:
            raise
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host!r}")
