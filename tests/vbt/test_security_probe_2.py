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


def test_a_logged_in_visit_never_reaches_the_anonymous_copy(client, team, buurt_slug, coordinator):
    """Logged in first (name, CSRF token, session), then anonymous: the copy holds none of it."""
    coordinator.first_name = "Geheimvoornaamprobe"
    coordinator.save()
    client.force_login(coordinator)
    ingelogd = client.get(buurt_slug)
    assert ingelogd.status_code == 200
    assert "no-store" in ingelogd["Cache-Control"]
    assert "public" not in ingelogd["Cache-Control"]
    client.logout()
    client.cookies.clear()
    for _ in range(2):  # the miss that stores the copy, then the hit
        anoniem = client.get(buurt_slug)
        assert anoniem.status_code == 200
        assert anoniem["Cache-Control"] == "public, no-cache"
        assert b"Geheimvoornaamprobe" not in anoniem.content
        assert b"csrfmiddlewaretoken" not in anoniem.content
        assert not anoniem.cookies, anoniem.cookies
        assert set(v.strip() for v in anoniem["Vary"].split(",")) >= {"Cookie", "Accept-Language"}


def test_a_pending_message_never_reaches_the_copy(client, team, buurt_slug, coordinator):
    client.force_login(coordinator)
    client.post(reverse("account_logout"))  # leaves "Je bent uitgelogd." for the next page
    eerste = client.get(buurt_slug)
    assert "public" not in eerste.get("Cache-Control", "")
    client.cookies.clear()
    tweede = client.get(buurt_slug)
    assert b"uitgelogd" not in tweede.content


def test_query_strings_make_no_new_copies(client, team, buurt_slug, monkeypatch):
    """Cache-key explosion: any query string is the same page, stored once."""
    from django.core.cache import cache

    gezet = []
    echte = cache.set_many
    monkeypatch.setattr(
        cache, "set_many", lambda data, *a, **k: (gezet.append(data), echte(data, *a, **k))[1]
    )
    for i in range(5):
        assert client.get(buurt_slug, {"x": f"{i}{MARKER}"}).status_code == 200
    assert len(gezet) == 1
    assert not any(MARKER in key for data in gezet for key in data)


def test_the_language_copy_follows_the_visitors_language(client, team, buurt_slug):
    engels = client.get(buurt_slug, HTTP_ACCEPT_LANGUAGE="en")
    nederlands = client.get(buurt_slug, HTTP_ACCEPT_LANGUAGE="nl")
    assert engels["Content-Language"] == "en"
    assert nederlands["Content-Language"] == "nl"
    assert engels.content != nederlands.content


def test_an_unknown_slug_is_not_stored(client, team, buurt_slug, monkeypatch):
    from django.core.cache import cache

    gezet = []
    monkeypatch.setattr(cache, "set_many", lambda data, *a, **k: gezet.append(data))
    for i in range(3):
        assert client.get(reverse("publiek:buurt", args=[f"onbekend-{i}"])).status_code == 404
        assert client.get(buurt_slug.upper()).status_code in (301, 404)
    assert gezet == []


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]
)
def test_the_language_switch_never_redirects_off_site(client, next_url):
    response = client.post(reverse("publiek:taal"), {"language": "en", "next": next_url})
    assert response.status_code in (302, 204)
    if response.status_code == 302:
        assert response["Location"] in ("/", "/en/"), response["Location"]


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_the_login_never_redirects_off_site(client, coordinator, next_url):
    response = client.post(
        reverse("account_login") + f"?next={next_url}",
        {"login": coordinator.email, "password": "geheim-wachtwoord-123"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# --- update photos --------------------------------------------------------------------------------


def _jpeg_met_gps(name: str, content_type: str):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "GEHEIMCAMERA"  # Make
    exif.get_ifd(0x8825)[2] = (50.0, 51.0, 4.0)  # GPSLatitude
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 0, 0)).save(out, format="JPEG", exif=exif.tobytes())
    assert b"GEHEIMCAMERA" in out.getvalue()
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


def test_an_update_photo_named_as_html_is_served_as_a_clean_image(client, team, coordinator):
    from acties.services.voortgang import voortgangsupdate_post
    from tests import factories as f

    actie = f.ActieFactory(team=team)
    update = voortgangsupdate_post(
        actie=actie, tekst="Plein geveegd", door=coordinator, foto=_jpeg_met_gps("x.html", "text/html")
    )
    assert update.foto.name.endswith(".jpg"), update.foto.name
    response = client.get(reverse("publiek:update_foto", args=[update.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert b"GEHEIMCAMERA" not in body
    assert b"Exif" not in body
    assert "x.html" not in update.foto.name


@pytest.mark.parametrize(
    ("name", "inhoud"),
    [
        ("foto.jpg", b"<html><script>alert(1)</script></html>"),
        ("foto.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("foto.gif", b"GIF89a<script>alert(1)</script>"),
    ],
)
def test_an_update_with_a_disguised_non_image_writes_nothing(team, coordinator, name, inhoud):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from acties.models import Voortgangsupdate
    from acties.services.voortgang import voortgangsupdate_post
    from tests import factories as f

    actie = f.ActieFactory(team=team)
    with pytest.raises(ValidationError) as fout:
        voortgangsupdate_post(
            actie=actie,
            tekst="x",
            door=coordinator,
            foto=SimpleUploadedFile(name, inhoud, content_type="image/jpeg"),
        )
    assert "foto" in fout.value.message_dict
    assert not Voortgangsupdate.objects.exists()


def test_only_update_photos_are_served_not_signal_photos_by_guessing_ids(client, team, coordinator):
    from signalen.services.fotos import foto_add_upload
    from tests import factories as f
    from tests.signalen.ui import jpeg_upload

    signaal = f.SignaalFactory(team=team, vertrouwelijk=True)
    foto_add_upload(signaal=signaal, upload=jpeg_upload(), door=coordinator)
    for pk in range(1, 5):
        assert client.get(reverse("publiek:update_foto", args=[pk])).status_code == 404


# --- one-click unsubscribe and the other signed links --------------------------------------------


@pytest.fixture
def twee_steunen(team):
    from tests import factories as f

    signaal = f.SignaalFactory(team=team)
    a = f.SteunbetuigingFactory(signaal=signaal, email="a@example.nl", email_toestemming=True)
    b = f.SteunbetuigingFactory(signaal=signaal, email="b@example.nl", email_toestemming=True)
    return a, b


def _adressen(*steunen):
    for steun in steunen:
        steun.refresh_from_db()
    return [(s.email, s.email_toestemming) for s in steunen]


def test_one_click_unsubscribe_without_a_valid_token_unsubscribes_nobody(client, twee_steunen):
    """The POST is CSRF-exempt (RFC 8058): the token is the only credential, so everything that is
    not exactly a token mailed to that address writes nothing."""
    from django.core import signing

    from signalen.services.afmelden import afmeld_token, email_tag

    a, b = twee_steunen
    echt_a = afmeld_token(steun_ids=[a.pk], email=a.email)
    pogingen = [
        # A's own link naming B's support: the address tag does not match B.
        afmeld_token(steun_ids=[b.pk], email=a.email),
        # A link for B's support with a guessed tag, signed with another salt (the geholpen salt).
        signing.dumps({"s": [b.pk], "e": email_tag(b.email)}, salt="acties.geholpen", compress=True),
        # A's link with its payload edited (signature no longer matches).
        echt_a.replace(echt_a.split(":")[0], signing.b64_encode(b'{"s":[%d],"e":"x"}' % b.pk).decode()),
        echt_a[:-2] + ("AA" if not echt_a.endswith("AA") else "BB"),
        "",
        "x" * 5000,
        f"{MARKER}",
    ]
    for token in pogingen:
        if not token:
            continue
        response = client.post(reverse("signalen:afmelden", args=[token]))
        assert response.status_code in (400, 410), (token, response.status_code)
    assert _adressen(a, b) == [("a@example.nl", True), ("b@example.nl", True)]
    # The real link works once, for A only; a replay says so and writes nothing.
    assert client.post(reverse("signalen:afmelden", args=[echt_a])).status_code == 200
    assert _adressen(a, b) == [("", False), ("b@example.nl", True)]
    assert client.post(reverse("signalen:afmelden", args=[echt_a])).status_code == 410
    assert _adressen(a, b) == [("", False), ("b@example.nl", True)]


def test_a_supporters_unsubscribe_token_is_no_residents_token(client, team, twee_steunen):
    """The two unsubscribe links share their shape; each salt only opens its own rows."""
    from acties.models import BewonerTrekker
    from signalen.services.afmelden import afmeld_token
    from tests import factories as f

    a, _b = twee_steunen
    actie = f.ActieFactory(team=team)
    bewoner = BewonerTrekker.objects.create(
        actie=actie, aantal=1, voornaam="Anna", email="a@example.nl", toestemming=True
    )
    token = afmeld_token(steun_ids=[bewoner.pk], email="a@example.nl")
    assert client.post(reverse("acties:bewoner_afmelden", args=[token])).status_code == 400
    bewoner.refresh_from_db()
    assert (bewoner.email, bewoner.voornaam) == ("a@example.nl", "Anna")


@pytest.mark.parametrize("name", ["publiek:steunen_bevestigen", "publiek:wens_bevestigen", "acties:geholpen"])
def test_the_confirmation_posts_need_the_csrf_token(name):
    """Only the unsubscribe links are one-click: a confirmation (it counts support or logs a wish)
    keeps the CSRF check, so another site cannot submit someone's link for them."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse(name, args=[MARKER]))
    assert response.status_code == 403


# --- access and hidden fields on the triage page -------------------------------------------------


@pytest.fixture
def triage_wereld(team):
    from buurten.models import Rol
    from signalen.models import Status
    from tests import factories as f

    coordinator = f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user
    f.activate_totp(coordinator)
    thema = f.ThemaFactory(gemeente=team.gemeente)
    ander = f.TeamFactory(naam="Elders", gemeente=f.GemeenteFactory(code="GM0917", naam="Heerlen"))
    return {
        "coordinator": coordinator,
        "signaal": f.SignaalFactory(team=team, thema=thema, status=Status.DRAAGVLAK_BEREIKT),
        "eigen_trekker": f.PartnerFactory(gemeente=team.gemeente),
        "vreemde_partner": f.PartnerFactory(gemeente=ander.gemeente, contact_email="p@example.nl"),
        "vreemde_actie": f.ActieFactory(team=ander),
        "ander": ander,
    }


def _stap(client, stap, signaal, **data):
    return client.post(reverse("acties:triage_stap", args=[stap]), {"signaal": [signaal.pk], **data})


def test_triage_cannot_link_to_another_teams_actie_by_its_id(client, triage_wereld):
    from acties.models import ActieSignaal

    w = triage_wereld
    client.force_login(w["coordinator"])
    response = _stap(client, "koppel", w["signaal"], actie=w["vreemde_actie"].pk)
    assert response.status_code == 400
    assert not ActieSignaal.objects.exists()


def test_triage_takes_no_partner_of_another_gemeente_and_no_posted_team(client, triage_wereld):
    from acties.models import Actie
    from signalen.models import Doorzetting

    w = triage_wereld
    client.force_login(w["coordinator"])
    response = _stap(
        client,
        "nieuw",
        w["signaal"],
        titel="Plein",
        omschrijving="x",
        trekker=w["vreemde_partner"].pk,
        partners=[w["vreemde_partner"].pk],
        team=w["ander"].pk,
        team_id=w["ander"].pk,
    )
    assert response.status_code == 400
    assert not Actie.objects.exclude(pk=w["vreemde_actie"].pk).exists()
    response = _stap(client, "doorzetten", w["signaal"], partner=w["vreemde_partner"].pk, reden="x")
    assert response.status_code == 400
    assert not Doorzetting.objects.exists()
    # With the team's own partner, a posted team id is ignored: the actie is the signal's team's.
    response = _stap(
        client,
        "nieuw",
        w["signaal"],
        titel="Plein",
        omschrijving="x",
        trekker=w["eigen_trekker"].pk,
        team=w["ander"].pk,
        team_id=w["ander"].pk,
        buurt=w["ander"].buurten.first().pk,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    nieuw = Actie.objects.exclude(pk=w["vreemde_actie"].pk).get()
    assert nieuw.team_id == w["signaal"].team_id
    assert nieuw.buurt_id == w["signaal"].buurt_id


@pytest.mark.parametrize(
    "url", ["/triage/", "/coordinator/", "/signalen/kaart/punten.json", "/signalen/export.csv"]
)
def test_staff_urls_send_anonymous_visitors_and_deactivated_people_to_the_login(client, triage_wereld, url):
    assert client.get(url).status_code == 302
    coordinator = triage_wereld["coordinator"]
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    coordinator.is_active = False
    coordinator.save()
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- rate limits ----------------------------------------------------------------------------------


def test_a_forged_forwarded_for_header_does_not_reset_the_per_client_limit(client, team):
    """Without a trusted proxy (TRUSTED_PROXY_COUNT=0) X-Forwarded-For is anyone's to send: a new
    one on every request must not buy a new budget of 20 an hour; the 21st gets the 429 page."""
    from publiek.models import OnlineSteun
    from signalen.models import Status
    from tests import factories as f

    signaal = f.SignaalFactory(team=team, status=Status.DRAAGVLAK_GEZOCHT)
    statussen = []
    for i in range(21):
        response = client.post(
            reverse("publiek:steunen", args=[signaal.pk]),
            {"postcode": "6211ab", "huisnummer": str(i + 1), "email": f"buur{i}@example.nl"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
            HTTP_X_REAL_IP=f"198.51.100.{i}",
        )
        statussen.append(response.status_code)
    assert statussen[:20] == [200] * 20
    assert statussen[20] == 429
    assert "Te veel aanvragen" in response.content.decode()
    assert OnlineSteun.objects.count() == 20


def test_plus_addresses_share_the_per_client_budget_of_the_wish_form(client, team):
    """Another spelling of one address (a+1@, A@) does not open a new per-client budget either."""
    from publiek.forms import gestart_token
    from publiek.models import OnlineWens
    from tests import factories as f

    thema = f.ThemaFactory(gemeente=team.gemeente)
    url = reverse("publiek:wens", args=[_slug(team)])
    statussen = []
    import time

    for i in range(11):
        response = client.post(
            url,
            {
                "titel": "Meer groen",
                "omschrijving": "Bankjes op het plein",
                "thema": thema.pk,
                "postcode": "6211ab",
                "huisnummer": str(i + 1),
                "email": f"Buur+{i}@Example.nl",
                "gestart": gestart_token(time.time() - 60),
            },
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
        statussen.append(response.status_code)
    assert statussen[:10] == [200] * 10, statussen
    assert statussen[10] == 429, statussen
    assert OnlineWens.objects.count() <= 10


def test_a_page_that_used_the_visitors_csrf_token_is_never_stored(rf, team, buurt_slug):
    """Should a public template ever gain a form with {% csrf_token %}, one visitor's token must not
    land in everyone's copy (CsrfViewMiddleware sets its cookie only after the view returned, so
    `response.cookies` is still empty when the copy would be stored)."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from publiek.paginacache import cache_hit, cached_page

    request = rf.get(buurt_slug)
    request.user = AnonymousUser()

    def render():
        return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")

    response = cached_page(request, naam="probe", buurt_ids=[], render=render)
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    later = rf.get(buurt_slug)
    later.user = AnonymousUser()
    assert cache_hit(later, naam="probe") is None


# --- headers on the new pages ---------------------------------------------------------------------


def _new_pages(team, signaal, actie) -> list[str]:
    slug = _slug(team)
    return [
        "/",
        reverse("publiek:buurt", args=[slug]),
        reverse("publiek:feed", args=[slug]),
        reverse("publiek:actie", args=[actie.pk]),
        reverse("publiek:steunen", args=[signaal.pk]),
        reverse("publiek:wens", args=[slug]),
        reverse("publiek:toegankelijkheid"),
        reverse("publiek:buurt", args=["bestaat-niet"]),
    ]


def test_the_new_public_pages_carry_the_security_headers(client, team):
    from signalen.models import Status
    from tests import factories as f

    signaal = f.SignaalFactory(team=team, status=Status.DRAAGVLAK_GEZOCHT)
    actie = f.ActieFactory(team=team)
    for url in _new_pages(team, signaal, actie):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url
        assert "camera=()" in response["Permissions-Policy"], url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        if response.status_code == 404:
            assert "public" not in response.get("Cache-Control", ""), url
        body = response.content.decode()
        assert " style=" not in body and "<script>" not in body, url


def test_the_new_staff_pages_are_private_and_never_public(client, triage_wereld, team):
    from tests import factories as f

    actie = f.ActieFactory(team=team)
    client.force_login(triage_wereld["coordinator"])
    urls = [
        "/triage/",
        "/coordinator/",
        "/signalen/kaart/punten.json",
        "/signalen/export.csv",
        *_new_pages(team, triage_wereld["signaal"], actie)[:4],
    ]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code in (200, 302), url
        assert response["Cache-Control"] == "private, no-store", (url, response["Cache-Control"])
        assert "Cookie" in response.get("Vary", ""), url


def test_admin_triage_actions_ignore_another_teams_signal_ids(client, triage_wereld):
    """The admin's actions work on its queryset: a posted id of another team's signal is no
    selection at all (nothing is made, linked or rejected)."""
    from acties.models import Actie, ActieSignaal
    from buurten.models import Rol
    from signalen.models import Status
    from tests import factories as f

    w = triage_wereld
    buiten = f.LidmaatschapFactory(team=w["ander"], rol=Rol.COORDINATOR, user__is_staff=True).user
    f.activate_totp(buiten)
    client.force_login(buiten)
    url = reverse("admin:acties_triage_changelist")
    for actie, extra in [
        ("nieuwe_actie_action", {"toepassen": "1", "titel": "Overgenomen", "trekker": w["eigen_trekker"].pk}),
        ("koppel_action", {"toepassen": "1", "actie": w["vreemde_actie"].pk}),
        ("afwijzen_action", {"toepassen": "1", "reden": "weg"}),
    ]:
        response = client.post(
            url, {"action": actie, "_selected_action": [w["signaal"].pk], "index": 0, **extra}
        )
        assert response.status_code in (200, 302), actie
    w["signaal"].refresh_from_db()
    assert w["signaal"].status == Status.DRAAGVLAK_BEREIKT
    assert not ActieSignaal.objects.exists()
    assert list(Actie.objects.values_list("pk", flat=True)) == [w["vreemde_actie"].pk]


# --- the acties team pages ------------------------------------------------------------------------


def test_a_partner_only_note_reaches_that_partners_members_and_the_coordinator_only(client, team):
    from acties.models import Mijlpaal
    from acties.services.bewoners import notitie_add
    from buurten.models import Rol
    from tests import factories as f

    woonpunt = f.PartnerFactory(gemeente=team.gemeente, naam="Woonpunt")
    politie = f.PartnerFactory(gemeente=team.gemeente, naam="Politie")
    coordinator = f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user
    f.activate_totp(coordinator)
    van_woonpunt = f.LidmaatschapFactory(team=team, partner=woonpunt).user
    van_politie = f.LidmaatschapFactory(team=team, partner=politie).user
    actie = f.ActieFactory(team=team, trekker=woonpunt, partners=[politie])
    notitie_add(actie=actie, tekst="GEHEIMWOONPUNTNOTITIE", door=coordinator, alleen_partner=woonpunt)
    notitie_add(actie=actie, tekst="Voor het hele team", door=coordinator)
    url = reverse("acties:detail", args=[actie.pk])
    for user, ziet in [(coordinator, True), (van_woonpunt, True), (van_politie, False)]:
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Voor het hele team" in page
        assert ("GEHEIMWOONPUNTNOTITIE" in page) is ziet, user
    # Politie cannot post a note "for Woonpunt only" by naming it (a hidden-field guess).
    client.force_login(van_politie)
    response = client.post(
        reverse("acties:notitie", args=[actie.pk]), {"tekst": "Ingeschoven", "alleen_partner": woonpunt.pk}
    )
    assert response.status_code in (200, 400, 403)
    if response.status_code != 403:
        assert "Kies een partner waarvoor je in dit team zit." in response.content.decode()
    assert not actie.notities.filter(tekst="Ingeschoven").exists()
    # A milestone of another actie through this actie's address: a 404, nothing ticked.
    client.force_login(coordinator)
    ander = f.ActieFactory(team=f.TeamFactory(naam="Elders"))
    mijlpaal = Mijlpaal.objects.create(actie=ander, titel="Elders", gewicht=1)
    response = client.post(reverse("acties:mijlpaal_afvinken", args=[actie.pk, mijlpaal.pk]), {"gedaan": "1"})
    assert response.status_code == 404
    mijlpaal.refresh_from_db()
    assert not mijlpaal.gedaan_at
