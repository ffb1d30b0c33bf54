"""The client's address: REMOTE_ADDR unless a trusted proxy header is configured; then the entry the proxies wrote,
only from a trusted proxy, never what the client wrote itself; IPv6 limits count per /64; sign-in lockout uses
the same address."""

from __future__ import annotations

import pytest
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from gaozhong.core.clientaddr import client_address, limit_bucket

rf = RequestFactory()


def _req(remote="127.0.0.1", **headers):
    return rf.get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_configured_header_the_peer_counts_and_forwarded_headers_are_ignored():
    assert client_address(_req("203.0.113.7")) == "203.0.113.7"
    assert client_address(_req("203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1, TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_one_proxy_the_last_entry_counts_and_what_the_client_wrote_does_not():
    assert client_address(_req(HTTP_X_FORWARDED_FOR="198.51.100.1")) == "198.51.100.1"
    # the client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw
    assert client_address(_req(HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    # no header, or garbage: the peer (the proxy) — stricter, never a fresh address
    assert client_address(_req()) == "127.0.0.1"
    assert client_address(_req(HTTP_X_FORWARDED_FOR="not-an-address")) == "127.0.0.1"


@override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_header_is_read_only_from_a_trusted_proxy():
    assert client_address(_req("10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "198.51.100.1"
    assert client_address(_req("203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=2, TRUSTED_PROXIES=["*"])
def test_two_proxies_the_second_entry_from_the_right():
    assert client_address(_req("10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1, 10.0.0.9")) == "198.51.100.1"
    assert client_address(_req("10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "10.0.0.5"  # too short: the peer


@override_settings(TRUSTED_PROXY_HEADER="X-Real-IP", TRUSTED_PROXIES=["127.0.0.1"])
def test_a_single_address_header():
    assert client_address(_req(HTTP_X_REAL_IP="2001:db8::1")) == "2001:db8::1"
    assert client_address(_req(HTTP_X_REAL_IP="::ffff:198.51.100.4")) == "198.51.100.4"


def test_ipv6_addresses_of_one_line_share_a_bucket():
    assert limit_bucket("2001:db8:1:2::1") == limit_bucket("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert limit_bucket("2001:db8:1:3::1") != limit_bucket("2001:db8:1:2::1")
    assert limit_bucket("198.51.100.1") == "198.51.100.1"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXIES=["127.0.0.1"])
def test_sign_in_lockout_counts_the_forwarded_address(world):
    """Behind the proxy, five wrong passwords from one family do not lock the next family out of its own account."""
    assert get_client_ip_address(_req(HTTP_X_FORWARDED_FOR="198.51.100.1")) == "198.51.100.1"
    c = Client()
    for _ in range(6):
        c.post(reverse("login"), {"username": "nobody-here", "password": "wrong-Pass-1"}, HTTP_X_FORWARDED_FOR="198.51.100.1", HTTP_USER_AGENT="ua")
    r = c.post(reverse("login"), {"username": "school_a", "password": world.password}, HTTP_X_FORWARDED_FOR="198.51.100.2", HTTP_USER_AGENT="ua")
    assert r.status_code == 302
