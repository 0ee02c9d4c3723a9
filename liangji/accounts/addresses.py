"""The address a request came from, believing X-Forwarded-For only from trusted proxies.

Behind the nginx the README prescribes every request arrives from 127.0.0.1; keying the login
throttle on that address let anyone lock any account (issue 11). The client is the right-most
address of the chain `X-Forwarded-For, REMOTE_ADDR` that is not one of LIANGJI_TRUSTED_PROXIES:
entries a client wrote itself sit to the left of what the trusted proxies appended, so they are
never believed. python-ipware (through django-ipware) parses the header (ports, IPv6 brackets,
RFC 7239 `for=`); the walk from the right is ours because ipware anchors a fixed number of
proxies rather than "skip every trusted hop".
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from python_ipware.modern.parsers import parse_ip, split_proxy_chain

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    # Checked at start-up by config.env_networks; here only parsed once.
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: Address, nets: Sequence[Network]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in net for net in nets)


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    remote_text = str(request.META.get("REMOTE_ADDR", ""))
    remote = parse_ip(remote_text)
    nets = _networks(tuple(settings.LIANGJI_TRUSTED_PROXIES))
    if remote is None or not _trusted(remote, nets):
        return remote_text
    chain = split_proxy_chain(str(request.META.get("HTTP_X_FORWARDED_FOR", "")), strict=False)
    for hop in reversed(chain or []):
        if not _trusted(hop, nets):
            return str(hop)
    # Only trusted hops (a request from the proxy machine itself): the left-most of them.
    return str(chain[0]) if chain else remote_text
