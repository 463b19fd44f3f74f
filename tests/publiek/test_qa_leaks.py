"""QA of #9's "never public" on the anonymous URLs beyond the three pages and the feed: the
support form and its thank-you page, the wish form, guessed photo ids, the language switch, the
error pages and the confirmation links. Each response is searched for every private marker."""

import pytest
from django.urls import reverse

from publiek.emails import STEUN_MAIL
from publiek.models import OnlineSteun
from signalen.models import Signaal, Steunbetuiging
from tests.publiek.world import MARKERS, build_world

from .conftest import link_path

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world_once(module_transaction):
    return build_world()


@pytest.fixture
def world(world_once, db):
    return world_once


def text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def assert_clean(response, url) -> None:
    body = text(response)
    for marker in MARKERS:
        assert marker not in body, (url, marker)
    assert "/signalen/foto/" not in body, url


def test_anonymous_urls_around_the_pages_carry_no_private_marker(client, world):
    ok = [
        f"/steunen/{world.open.pk}/",
        f"/steunen/{world.open.pk}/bedankt/",
        "/buurt/malberg/wens/",
        "/buurt/BU09350207/wens/",
        "/buurt/vbt-malberg/wens/",
        "/toegankelijkheid/",
        "/privacy/",
    ]
    refused = [
        # the support form and thank-you page of a confidential signal, of one about a person
        f"/steunen/{world.vertrouwelijk.pk}/",
        f"/steunen/{world.vertrouwelijk.pk}/bedankt/",
        f"/steunen/{world.persoon.pk}/bedankt/",
        # a signal photo's id tried as an update photo; an update without a photo
        f"/actie/update/{world.update.pk}/foto/",
        "/actie/update/1/foto/",
        "/actie/0/",
        "/buurt/nergens/",
        f"/buurt/malberg/wens/?next={world.vertrouwelijk.pk}",
        "/steunen/bevestigen/nietgeldig/",
        "/wens/bevestigen/nietgeldig/",
        "/geholpen/nietgeldig/",
        "/acties/afmelden/nietgeldig/",
    ]
    for taal in ["nl", "en"]:
        client.cookies["django_language"] = taal
        for url in ok + refused:
            response = client.get(url)
            if url in ok:
                assert response.status_code == 200, url
            elif "wens/?next" not in url:
                assert 400 <= response.status_code < 500, (url, response.status_code)
            assert_clean(response, url)


def test_the_language_switch_follows_only_our_pages_and_shows_nothing_private(client, world):
    for nxt in [
        "/buurt/malberg/",
        "https://evil.example/",
        "//evil.example/x",
        f"/actie/{world.actie.pk}/",
    ]:
        response = client.post(reverse("publiek:taal"), {"language": "en", "next": nxt})
        assert response.status_code == 302
        assert "evil.example" not in response["Location"], nxt
        assert_clean(client.get(response["Location"]), nxt)
    # A GET to the switch changes nothing and leaks nothing.
    assert_clean(client.get(reverse("publiek:taal")), "/taal/ GET")


def test_a_confirmation_link_of_a_signal_made_confidential_shows_no_title(client, world):
    client.post(
        f"/steunen/{world.open.pk}/", {"postcode": "6211ab", "huisnummer": "12", "email": "a@example.nl"}
    )
    link = link_path(STEUN_MAIL)
    titel = world.open.titel
    Signaal.objects.filter(pk=world.open.pk).update(vertrouwelijk=True)
    response = client.get(link)
    assert response.status_code == 409
    body = text(response)
    assert titel not in body and "geen steun meer" in body
    response = client.post(link)
    assert response.status_code == 409 and titel not in text(response)
    assert not Steunbetuiging.objects.filter(signaal=world.open, kanaal="online").exists()
    assert OnlineSteun.objects.get().bevestigd_at is None


# --- links between the resident's pages (found walking the journey at 375 px) ----------------------


def test_the_buurt_page_links_to_the_wish_form_of_that_buurt(client, world):
    import re

    body = text(client.get("/buurt/malberg/"))
    href = re.search(r'href="(/buurt/[^"]+/wens/)"', body).group(1)
    form = client.get(href)
    assert form.status_code == 200 and "Een wens voor Malberg" in text(form)


def test_the_thank_you_page_after_support_links_back_to_the_buurt_page(client, world):
    import re

    body = text(client.get(f"/steunen/{world.open.pk}/bedankt/"))
    href = re.search(r'href="(/buurt/[^"]+/)">Terug naar Malberg', body).group(1)
    assert client.get(href, follow=True).redirect_chain[-1][0] == "/buurt/malberg/"
