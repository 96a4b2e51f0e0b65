"""Who is connecting, through which proxy, under which Host name (docs/security.md, "Network").

Three questions every request answers before sign-in is even considered:

- *Is the client on this machine?* With sign-in off the app serves only loopback clients, so the
  answer comes from the socket's peer address, never from the address the app was told to bind.
- *Which forwarded headers count?* Only those a proxy listed in ``PMO_TRUSTED_PROXIES`` added;
  anybody else can type ``X-Forwarded-For`` or ``X-Forwarded-User``.
- *Is the Host one we serve?* A page on a DNS-rebinding domain reaches a loopback app with its
  own name in ``Host``; the allow-list refuses it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
FORWARDED_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


class NetworkConfigError(ValueError):
    """A proxy or host setting cannot be read; the message names it."""


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 (also IPv4-mapped) and ``localhost``."""
    if not host:
        return False
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``PMO_TRUSTED_PROXIES`` entries (addresses or CIDR networks) as networks.

    Raises:
        NetworkConfigError: An entry is neither an address nor a network.
    """
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise NetworkConfigError(
                f"PMO_TRUSTED_PROXIES: {value!r} is not an address or network"
            ) from exc
    return tuple(networks)


def in_networks(address: str | None, networks: Iterable[Network]) -> bool:
    """True when ``address`` parses and lies in one of ``networks``."""
    try:
        ip = ipaddress.ip_address((address or "").strip().strip("[]"))
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return any(ip in net or (mapped is not None and mapped in net) for net in networks)


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted: tuple) -> str:
    """The client's address: the peer, or the nearest untrusted hop a trusted proxy reported.

    ``X-Forwarded-For`` is read right to left (each proxy appends the address it saw) and only
    while the hop that wrote it is trusted, so a client cannot put a made-up address first.
    """
    address = remote_addr or ""
    if not forwarded_for or not in_networks(address, trusted):
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        address = hop
        if not in_networks(hop, trusted):
            break
    return address


def forwarded_addresses(headers: dict[str, str]) -> list[str]:
    """Every address named by a forwarding header (to spot a proxied outside client)."""
    found = []
    for name in FORWARDED_HEADERS:
        value = headers.get(name)
        if not value:
            continue
        for part in value.split(","):
            part = part.strip()
            if name == "Forwarded":
                for pair in part.split(";"):
                    key, _, val = pair.strip().partition("=")
                    if key.lower() == "for":
                        found.append(val.strip('"').strip("[]").split("]:")[0])
            else:
                found.append(part)
    return found


def default_allowed_hosts(bound: str) -> tuple[str, ...]:
    """Host names served when ``PMO_ALLOWED_HOSTS`` is unset: loopback names and the bound host.

    A wildcard bind (0.0.0.0, ::) adds this machine's own names; a deployment reached under
    another name (behind a proxy that passes ``Host`` through) sets ``PMO_ALLOWED_HOSTS``.
    """
    names = {*LOOPBACK_NAMES}
    if bound in WILDCARDS:
        names.update({socket.gethostname(), socket.getfqdn()})
    else:
        names.add(bound)
    return tuple(sorted(name.strip("[]").lower() for name in names if name))
