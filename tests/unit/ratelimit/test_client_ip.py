"""Which address a per-IP bucket is keyed on (spoofed X-Forwarded-For must not help)."""

from __future__ import annotations

from typing import Any

import pytest

from xin.api.security import client_ip


def scope(peer: str, *forwarded: str) -> dict[str, Any]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"type": "http", "client": (peer, 5000), "headers": headers}


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted() -> None:
    assert client_ip(scope("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_rightmost_entry_wins_over_a_forged_prefix() -> None:
    forged = scope("10.0.0.2", "6.6.6.6, 198.51.100.7")
    assert client_ip(forged, trust_proxy=True) == "198.51.100.7"
    two_hops = scope("10.0.0.2", "6.6.6.6, 198.51.100.7", "10.0.0.9")  # header split in two
    assert client_ip(two_hops, trust_proxy=True, hops=2) == "198.51.100.7"


@pytest.mark.parametrize("junk", ["not-an-ip", "", "1.2.3.4.5", "<script>"])
def test_a_malformed_forwarded_for_falls_back_to_the_peer(junk: str) -> None:
    assert client_ip(scope("192.0.2.1", junk), trust_proxy=True) == "192.0.2.1"


def test_ipv6_callers_share_a_bucket_per_64_and_mapped_ipv4_is_unwrapped() -> None:
    first = client_ip(scope("2001:db8:1:2::10"))
    second = client_ip(scope("2001:db8:1:2:ffff::1"))
    assert first == second == "2001:db8:1:2::/64"
    assert client_ip(scope("::ffff:192.0.2.5")) == "192.0.2.5"


def test_no_client_at_all() -> None:
    assert client_ip({"type": "http", "headers": []}) == "unknown"
