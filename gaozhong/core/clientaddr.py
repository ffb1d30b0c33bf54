"""The client's address as the platform counts it (rate limits, sign-in lockout): the TCP peer (``REMOTE_ADDR``),
or, behind a trusted proxy, the address that proxy wrote into the one header the settings name.

Behind the HTTPS proxy every request's peer is the proxy, so families would share one address; a client, on the
other hand, can write any ``X-Forwarded-For`` it likes. So the header is read only when it is configured
(``TRUSTED_PROXY_HEADER``, from ``GAOZHONG_TRUSTED_PROXY_HEADER``) and only from a request whose peer is one of
the trusted proxies (``TRUSTED_PROXIES``, from ``GAOZHONG_TRUSTED_PROXIES``: addresses or networks, ``*`` for
any). ``TRUSTED_PROXY_COUNT`` proxies each append the address they saw, so the client is the entry that many
places from the right; entries further left were written by the client and are ignored. A header that is
missing, too short or not an address falls back to the peer, the stricter choice (everyone behind that proxy
shares one bucket).

``limit_bucket`` is the unit a per-address limit counts: the address itself for IPv4, the /64 network for IPv6
(one subscriber line holds at least a /64 and can use any address in it).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


def _meta_key(header: str) -> str:
    """``X-Forwarded-For`` → ``HTTP_X_FORWARDED_FOR`` (a name already in that form is kept)."""
    name = header.strip().upper().replace("-", "_")
    return name if name.startswith("HTTP_") or name == "REMOTE_ADDR" else "HTTP_" + name


@lru_cache(maxsize=8)
def _trusted_networks(spec: tuple[str, ...]) -> tuple | None:
    """The trusted proxies' networks; ``None`` means any peer."""
    if "*" in spec:
        return None
    return tuple(ipaddress.ip_network(s, strict=False) for s in spec)


def _parse(value: str):
    try:
        addr = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def _peer_is_trusted(peer) -> bool:
    nets = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    return nets is None or (peer is not None and any(peer in n for n in nets))


def client_address(request) -> str:
    """The client's address (text), by the rules in the module docstring."""
    remote = request.META.get("REMOTE_ADDR") or ""
    peer = _parse(remote)
    header = settings.TRUSTED_PROXY_HEADER
    if header and _peer_is_trusted(peer):
        entries = [e for e in (p.strip() for p in request.META.get(_meta_key(header), "").split(",")) if e]
        count = max(1, int(settings.TRUSTED_PROXY_COUNT))
        if len(entries) >= count:
            addr = _parse(entries[-count])
            if addr is not None:
                return str(addr)
    return str(peer) if peer is not None else "0.0.0.0"


def limit_bucket(address: str) -> str:
    """What a per-address limit counts for ``address``: itself (IPv4) or its /64 network (IPv6)."""
    addr = _parse(address)
    if addr is None:
        return "invalid"
    if isinstance(addr, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)
