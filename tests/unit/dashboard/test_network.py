"""Unit tests of dashboard/network.py: allowed hosts and trusted proxies - no browser."""

from __future__ import annotations

from dashboard.network import client_address, default_allowed_hosts, is_loopback, parse_networks


def test_default_allowed_hosts_follow_the_bind():
    assert default_allowed_hosts("127.0.0.1") == ("127.0.0.1", "::1", "localhost")
    assert "pmo.internal" in default_allowed_hosts("pmo.internal")


def test_client_address_trusts_forwarded_for_only_from_trusted_proxies():
    proxies = parse_networks(["10.0.0.0/8"])
    assert client_address("203.0.113.5", "1.2.3.4", proxies) == "203.0.113.5"
    assert client_address("10.0.0.2", "198.51.100.7", proxies) == "198.51.100.7"
    # The client typed a first hop; the proxy appended the real one.
    assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.7", proxies) == "198.51.100.7"
    assert client_address("10.0.0.2", "198.51.100.7, 10.0.0.3", proxies) == "198.51.100.7"
    assert is_loopback("::ffff:127.0.0.1") and not is_loopback("0.0.0.0")
