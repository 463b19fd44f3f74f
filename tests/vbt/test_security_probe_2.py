"""Security probe of the acties, public pages and scale work (issues #8, #9, #11), as an outside
tester would: every token URL, the public page cache, the unsubscribe POST, redirects, uploads.
Each test pins one finding (fixed) or one property that held under the probe."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.vbt.test_logs import MARKER, secret_routes

pytestmark = pytest.mark.django_db


def token_paths() -> list[tuple[str, str]]:
    """(name, path) of every URL pattern with a token or key in its path, with a made-up token."""
    return [
        (name, reverse(name, kwargs={p: f"{MARKER}{p}" for p in parameters}))
        for name, parameters in secret_routes()
    ]


def test_the_token_routes_include_the_new_ones():
    names = {name for name, _ in token_paths()}
    assert {
        "publiek:steunen_bevestigen",
        "publiek:wens_bevestigen",
        "acties:geholpen",
        "acties:bewoner_afmelden",
        "signalen:afmelden",
        "signalen:doorzetting_antwoord",
        "signalen:huishouden_intrekken_bevestigen",
    } <= names, names


@pytest.mark.parametrize(("name", "path"), token_paths())
def test_no_page_with_a_token_in_its_path_is_compressed(client, name, path):
    """BREACH: a page whose address holds a secret is never gzip-compressed (the exclusions were
    matched at the start of the path, which missed /acties/afmelden/<token>/)."""
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code < 500, (name, response.status_code)
    assert response.get("Content-Encoding") != "gzip", (name, path)


@pytest.mark.parametrize(("name", "path"), token_paths())
def test_no_page_with_a_token_in_its_path_may_be_stored(client, name, path):
    """A page reached through a personal link is never kept by a browser or a shared cache."""
    response = client.get(path)
    assert "no-store" in response.get("Cache-Control", ""), (name, path, response.get("Cache-Control"))


# --- the public page cache ----------------------------------------------------------------------


@pytest.fixture
def buurt_slug(team):
    from django.core.cache import cache

    cache.clear()
    from publiek import paginacache

    paginacache._lokaal.clear()
    paginacache._ids_seen.clear()
    return reverse("publiek:buurt", args=[_slug(team)])


def _slug(team) -> str:
    from django.utils.text import slugify

    return slugify(team.buurten.get().naam)


@override_settings(ALLOWED_HOSTS=["vbt.example.nl", "intern.example.nl"])
def test_a_cached_feed_never_carries_another_requests_host(client, team, buurt_slug):
    """The Atom feed's links are absolute, built from the request's host and scheme: a copy made
    for one host (an internal health check over http, say) must not be served to another."""
    feed = reverse("publiek:feed", args=[_slug(team)])
    first = client.get(feed, HTTP_HOST="intern.example.nl")
    assert first.status_code == 200
    assert b"http://intern.example.nl/" in first.content
    second = client.get(feed, HTTP_HOST="vbt.example.nl", secure=True)
    assert b"intern.example.nl" not in second.content
    assert b"https://vbt.example.nl/" in second.content
