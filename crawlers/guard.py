"""The SSRF guard: refuse hosts that resolve to loopback, private, link-local, reserved or
metadata addresses, unless the source allows the private network.

Used by ``crawlers.http`` (before any connection, and again inside the connection backend so the
address that is checked is the address that is dialled) and by the Scrapy runner's downloader
middleware and resolver.
"""

from __future__ import annotations

import ipaddress
import socket

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
                         "guard (set allow_private_network = true for a source on a private network)")


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


def resolve_checked(host: str, port: int, allow_private: bool) -> list[str]:
    """Resolve ``host`` and return its addresses; raise :class:`AddressRefused` when any one of
    them is forbidden (checking every address defeats a mixed public/private answer)."""
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve host {host!r}: {exc}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private:
        for address in addresses:
            reason = why_forbidden(address)
            if reason:
                raise AddressRefused(host, address, reason)
    return addresses


class GuardedBackend(httpcore.SyncBackend):
    """An httpcore network backend that resolves, checks and then dials the checked address, so a
    DNS answer that changes between the check and the connect (rebinding) cannot slip through."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # noqa: ANN001
        try:
            addresses = resolve_checked(host, port, self.allow_private)
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
