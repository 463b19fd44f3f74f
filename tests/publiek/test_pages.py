"""The public pages as a visitor sees them, what never reaches them, and their cache."""

import json
import re

import pytest
from django.urls import reverse

from buurten.models import Rol
from core.actors import TALLY
from core.cache import buurten_changed
from signalen.models import Signaal, Status
from signalen.services.status import signaal_status_change
from tests import factories as f
from tests.publiek.world import MARKERS, SNAPPED, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world_once(module_transaction):
    return build_world()


@pytest.fixture
def world(world_once, db):
    return world_once


def text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def public_urls(w) -> list[str]:
    return [
        "/",
        "/buurt/malberg/",
        "/buurt/malberg/feed/",
        f"/actie/{w.actie.pk}/",
        f"/actie/{w.klaar.pk}/",
        f"/actie/{w.zoekt.pk}/",
    ]


def test_the_buurt_page_shows_what_residents_may_see(client, world):
    body = text(client.get("/buurt/malberg/"))
    for expected in [
        "VBT Malberg",
        "Samen zorgen voor een schone en veilige buurt.",
        "Gemeente Maastricht",
        "Extra veegrondes",
        "Wijkagent loopt mee",
        "Speelveld opknappen",
        "Buurtmoestuin",
        "Zoekt bewoners",
        "De nieuwe bankjes staan er.",
        "Zwerfvuil bij het speelveld",
        "Nog 2 huishoudens nodig.",
        "doorgezet naar Gemeente Maastricht",
        "Dit pakt de gemeente al aan met de nieuwe afvalbakken.",
        "drugs en ondermijning",
        'rel="alternate" type="application/atom+xml"',
    ]:
        assert expected in body, expected
    # Weighted milestones: one of weight 1 done out of 4.
    assert 'value="25"' in body
    # The support bar: 3 of the threshold 5, named by the signal's title.
    assert re.search(r'<progress max="5" value="3(\.00)?" aria-labelledby="signaal-\d+-titel"', body)
    # Steeg verlichten is done: the "heeft het geholpen" answers.
    assert "ja: 2" in body and "nee: 1" in body


def test_never_public_markers_appear_in_no_public_response(client, world):
    """Every private field holds a marker (tests/publiek/world.py); no page, feed, cached copy or
    map data may carry one, in Dutch or English."""
    for taal in ["nl", "en"]:
        client.cookies["django_language"] = taal
        for url in public_urls(world):
            for _round in ("fresh", "cached"):
                response = client.get(url)
                assert response.status_code == 200, url
                body = text(response)
                for marker in MARKERS:
                    assert marker not in body, (url, taal, _round, marker)
                # No signal photo, and no team member's name.
                assert "/signalen/foto/" not in body
                assert world.lid.get_full_name() not in body


def test_the_map_shows_points_only_on_the_grid_and_never_a_sensitive_thema(client, world):
    body = text(client.get("/buurt/malberg/"))
    data = re.search(r'<script id="buurtkaart-punten" type="application/json">(.*?)</script>', body, re.S)
    punten = [tuple(reversed(ft["geometry"]["coordinates"])) for ft in json.loads(data.group(1))["features"]]
    assert SNAPPED in punten
    for lat, lon in punten:
        assert abs(lat / 0.0009 - round(lat / 0.0009)) < 1e-6
        assert abs(lon / 0.0015 - round(lon / 0.0015)) < 1e-6
    # The sensitive signal (drugs) is listed at buurt level but has no point: its cell is absent.
    assert "Drugsoverlast in de straat" in body
    assert (50.8464 // 0.0009) not in [round(lat / 0.0009) for lat, _lon in punten] or all(
        abs(lon - 5.6835) > 0.001 for _lat, lon in punten
    )
    assert len(punten) == 2  # the public open signal and the forwarded one; never the confidential ones


def test_a_cbs_code_or_the_team_name_redirects_to_the_buurt_name(client, world):
    for url in ["/buurt/BU09350207/", "/buurt/bu09350207/", "/buurt/vbt-malberg/"]:
        response = client.get(url)
        assert response.status_code == 301 and response["Location"] == "/buurt/malberg/", url
    assert client.get("/buurt/bu09350207/feed/")["Location"] == "/buurt/malberg/feed/"


@pytest.mark.parametrize(
    "url", ["/buurt/nergens/", "/buurt/BU99999999/", "/buurt/nergens/feed/", "/actie/999999/"]
)
def test_unknown_buurten_and_acties_are_a_404_in_the_site_look(client, world, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in text(response)


def test_a_buurt_without_a_team_has_no_page(client, world):
    f.BuurtFactory(wijk=world.wijk, naam="Heer")
    assert client.get("/buurt/heer/").status_code == 404


def test_the_home_page_lists_the_buurten_with_a_team_and_their_counts(client, world):
    body = text(client.get("/"))
    assert 'href="/buurt/malberg/"' in body
    assert "2 lopende acties" in body
    assert "2 signalen zoeken steun" in body  # the open one and the sensitive one
    assert reverse("account_login") in body
    data = re.search(r'<script id="buurtenkaart-data" type="application/json">(.*?)</script>', body, re.S)
    assert json.loads(data.group(1))["features"][0]["properties"] == {
        "soort": "buurt",
        "naam": "Malberg",
        "code": "BU09350207",
    }


def test_a_member_keeps_the_team_home_page(client, world):
    client.force_login(world.lid)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("buurten:team_detail", args=[world.team.pk])


def test_the_actie_page_shows_its_timeline_milestones_and_public_signals_only(client, world):
    linked = f.ActieSignaalFactory(actie=world.actie, signaal__titel="Bankjes gewenst").signaal
    body = text(client.get(f"/actie/{world.actie.pk}/"))
    for expected in [
        "Speelveld opknappen",
        "Plan maken",
        "Uitvoeren",
        "De nieuwe bankjes staan er.",
        linked.titel,
    ]:
        assert expected in body
    assert "In uitvoering" in body and "Gemeente Maastricht" in body and "Politie Limburg" in body
    assert "GEHEIM" not in body


def test_the_feed_is_atom_with_updates_and_public_status_changes(client, world):
    response = client.get("/buurt/malberg/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = text(response)
    assert "<feed" in body and "De nieuwe bankjes staan er." in body
    assert "Hondenpoep overal: Afgewezen" in body
    assert "Dit pakt de gemeente al aan" in body
    assert "<name>Gemeente Maastricht</name>" in body


def test_the_public_update_photo_is_served_and_nothing_else(client, world, settings):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    update = f.VoortgangsupdateFactory(
        actie=world.actie, foto_formaat="png", foto=ContentFile(buf.getvalue(), name="x.png")
    )
    response = client.get(reverse("publiek:update_foto", args=[update.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get(reverse("publiek:update_foto", args=[world.update.pk])).status_code == 404  # no photo
    assert client.get(reverse("publiek:update_foto", args=[999999])).status_code == 404


# --- the cache -------------------------------------------------------------------------------------


def test_anonymous_pages_are_cached_without_cookies_or_tokens(client, world):
    first = client.get("/buurt/malberg/")
    assert first["Cache-Control"] == "public, no-cache" and first["ETag"]
    assert not first.cookies and "csrfmiddlewaretoken" not in text(first)
    Signaal.objects.filter(pk=world.open.pk).update(titel="Stiekem veranderd")  # no bump: the copy is served
    second = client.get("/buurt/malberg/")
    assert text(second) == text(first)
    assert client.get("/buurt/malberg/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_logged_in_person_gets_a_fresh_page_and_no_store(client, world):
    client.get("/buurt/malberg/")
    Signaal.objects.filter(pk=world.open.pk).update(titel="Net veranderd")
    client.force_login(world.lid)
    response = client.get("/buurt/malberg/")
    assert "Net veranderd" in text(response)
    assert "no-store" in response["Cache-Control"]


def test_a_declined_signal_leaves_the_cached_page_after_commit(
    client, world, django_capture_on_commit_callbacks
):
    assert "Zwerfvuil bij het speelveld" in text(client.get("/buurt/malberg/"))
    with django_capture_on_commit_callbacks(execute=True):
        signaal_status_change(
            signaal=world.open, naar=Status.AFGEWEZEN, door=world.lid, reden="Valt buiten het doel."
        )
    body = text(client.get("/buurt/malberg/"))
    afgewezen = body[body.index('id="kop-afgewezen"') :]
    assert "Zwerfvuil bij het speelveld" in afgewezen and "Valt buiten het doel." in afgewezen
    assert "Nog 2 huishoudens nodig" not in body
    feed = text(client.get("/buurt/malberg/feed/"))
    assert "Valt buiten het doel." in feed


def test_a_signal_made_confidential_leaves_every_cached_copy(
    client, world, django_capture_on_commit_callbacks
):
    """No service edits the flag yet; whatever does must bump the buurt (core.cache.buurten_changed),
    and then no cached page, feed or map shows the signal."""
    urls = ["/", "/buurt/malberg/", "/buurt/malberg/feed/"]
    for url in urls:
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Signaal.objects.filter(pk=world.open.pk).update(vertrouwelijk=True)
        buurten_changed(world.buurt.pk)
    for url in urls:
        body = text(client.get(url))
        assert "Zwerfvuil bij het speelveld" not in body, url
    assert "1 signaal zoekt steun" in text(client.get("/"))


def test_the_tally_bumps_the_buurt_of_every_signal_it_recounts(
    client, world, django_capture_on_commit_callbacks
):
    from signalen.services.tally import signalen_tally

    client.get("/buurt/malberg/")
    for _n in range(4):
        f.SteunbetuigingFactory(signaal=world.open)
    Signaal.objects.filter(pk=world.open.pk).update(steun_herberekenen=True)
    with django_capture_on_commit_callbacks(execute=True):
        signalen_tally(door=TALLY)
    body = text(client.get("/buurt/malberg/"))
    # Five households: draagvlak bereikt, no longer gathering support on the page.
    assert (
        "Zwerfvuil bij het speelveld" not in body.split('id="kop-signalen"')[1].split('id="kop-doorgezet"')[0]
    )


def test_a_new_goal_bumps_the_buurt(client, world, django_capture_on_commit_callbacks):
    from buurten.services.teams import team_doel_update

    client.get("/buurt/malberg/")
    with django_capture_on_commit_callbacks(execute=True):
        team_doel_update(
            team=world.team,
            door=world.lid,
            doel="Een nieuw doel voor Malberg.",
            doel_start=None,
            doel_evaluatie=None,
        )
    assert "Een nieuw doel voor Malberg." in text(client.get("/buurt/malberg/"))


def test_a_visitor_with_a_message_is_not_cached(client, world):
    client.force_login(world.lid)
    client.post(reverse("account_logout"))  # leaves a message for the next page
    response = client.get("/")
    assert 'class="meldingen"' in text(response)
    assert "ETag" not in response  # rendered for this visitor only, never stored
    other = client.get("/")
    assert 'class="meldingen"' not in text(other) and other["ETag"]


def test_the_language_choice_on_public_pages_needs_no_token(world):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    response = c.post(reverse("publiek:taal"), {"language": "en", "next": "/buurt/malberg/"})
    assert response.status_code == 302 and response["Location"] == "/buurt/malberg/"
    assert "Signals per" in text(c.get("/buurt/malberg/")) or c.cookies["django_language"].value == "en"


def test_a_coordinator_seat_does_not_change_what_the_page_shows(client, world):
    f.LidmaatschapFactory(team=world.team, rol=Rol.TEAMLID, user__first_name="Zichtbaarniet")
    assert "Zichtbaarniet" not in text(client.get("/buurt/malberg/"))


def test_team_changes_resolve_the_public_addresses_anew(client, world, django_capture_on_commit_callbacks):
    """A cached copy is kept under its address; a new team, a renamed team or moved buurten bump the
    buurten index (core.cache.buurten_index_changed), so the home page and the slugs follow."""
    from buurten.services.teams import team_create, team_update

    beheerder = f.UserFactory(is_superuser=True, is_staff=True)
    nieuw = f.BuurtFactory(wijk=world.wijk, naam="Caberg")
    assert "Caberg" not in text(client.get("/"))
    assert client.get("/buurt/caberg/").status_code == 404
    assert "VBT Malberg" in text(client.get("/buurt/malberg/"))
    with django_capture_on_commit_callbacks(execute=True):
        team_create(
            door=beheerder, naam="VBT Caberg", slug="vbt-caberg", gemeente=world.gemeente, buurten=[nieuw]
        )
    assert "Caberg" in text(client.get("/"))
    assert client.get("/buurt/caberg/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        team_update(
            team=world.team,
            door=beheerder,
            naam="VBT Malberg-Noord",
            slug="malberg-noord",
            gemeente=world.gemeente,
            buurten=[world.buurt],
        )
    assert "VBT Malberg-Noord" in text(client.get("/buurt/malberg/"))
    assert client.get("/buurt/malberg-noord/").status_code == 301


def test_an_anonymous_visitor_with_a_session_cookie_gets_the_cached_copy(client, world):
    first = client.get("/buurt/malberg/")
    client.cookies["sessionid"] = "geen-echte-sessie"
    second = client.get("/buurt/malberg/")
    assert second["ETag"] == first["ETag"] and text(second) == text(first)
