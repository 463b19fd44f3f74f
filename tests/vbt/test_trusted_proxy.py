"""TRUSTED_PROXY_COUNT: the client IP that the audit log records and allauth's login throttle counts."""

import pytest
from allauth.core.internal.httpkit import get_client_ip as allauth_client_ip
from django.test import RequestFactory, override_settings

from audit.context import AuditOriginMiddleware, client_ip, current_origin

PROXY = "10.0.0.2"


def request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # No proxy of our own: the header is the client's own words and is ignored.
        (0, None, PROXY),
        (0, "203.0.113.7", PROXY),
        # One TLS proxy appends the address it saw: the last entry. What the client put before
        # it (a spoofed address) is not trusted.
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.66, 203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.66,203.0.113.7 ", "203.0.113.7"),
        # Two proxies: the client is second from the right.
        (2, "198.51.100.66, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, "2001:DB8::1", "2001:db8::1"),
    ],
    ids=[
        "none-no-header",
        "none-spoofed-header",
        "one-proxy",
        "one-proxy-spoofed-prefix",
        "one-proxy-spaces",
        "two-proxies",
        "ipv6-normalised",
    ],
)
def test_the_client_ip_counts_the_trusted_proxies_from_the_right(count, forwarded, expected):
    with override_settings(TRUSTED_PROXY_COUNT=count, ALLAUTH_TRUSTED_PROXY_COUNT=count):
        assert client_ip(request(forwarded)) == expected
        # The same address as allauth's login throttle counts.
        assert allauth_client_ip(request(forwarded)) == expected


@pytest.mark.parametrize(
    ("forwarded", "remote", "expected"),
    [
        ("203.0.113.7", PROXY, PROXY),  # shorter than the chain of two: not through our proxies
        ("not-an-address, 10.0.0.9", PROXY, PROXY),
        ("<script>, 10.0.0.9", PROXY, PROXY),
        ("203.0.113.7, 10.0.0.9", "", "203.0.113.7"),
        ("", "", None),
        ("", "garbage", None),
    ],
    ids=["too-short", "not-an-address", "markup", "no-remote-addr", "nothing", "bad-remote-addr"],
)
def test_a_header_that_does_not_fit_falls_back_to_the_peer_and_never_raises(forwarded, remote, expected):
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_ip(request(forwarded, remote=remote)) == expected


def test_the_audit_origin_of_a_request_carries_the_client_ip_behind_a_proxy():
    seen = []

    def view(request):
        seen.append(current_origin())
        return None

    middleware = AuditOriginMiddleware(view)
    with override_settings(TRUSTED_PROXY_COUNT=1):
        middleware(request("198.51.100.66, 203.0.113.7"))
    with override_settings(TRUSTED_PROXY_COUNT=0):
        middleware(request("198.51.100.66, 203.0.113.7"))
    assert [(origin.herkomst, origin.ip) for origin in seen] == [("view", "203.0.113.7"), ("view", PROXY)]


def test_the_default_trusts_no_proxy():
    from django.conf import settings

    assert settings.TRUSTED_PROXY_COUNT == 0
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
