"""A resident's own wish: a mailed link logs it as a signal (nieuw, kanaal online) with the
wisher's household as its first support; spam checks write nothing."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from audit.models import AuditRegel
from notificaties.models import Bericht
from publiek.emails import WENS_MAIL
from publiek.forms import gestart_token
from publiek.models import OnlineWens
from signalen.models import Kanaal, Signaal, Status, Steunbetuiging
from signalen.services.huishouden import huishouden_hash
from tests import factories as f

from .conftest import ingevuld_gestart, link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(team):
    return f"/buurt/{team.slug}/wens/"


@pytest.fixture
def data(thema):
    return {
        "titel": "Een bankje bij de speeltuin",
        "omschrijving": "Ouders staan nu de hele middag.",
        "thema": thema.pk,
        "locatie_lat": "50.851",
        "locatie_lon": "5.691",
        "postcode": "6211 AB",
        "huisnummer": "12a",
        "email": "wens@example.nl",
        "website": "",
        "gestart": ingevuld_gestart(),
    }


def indienen(client, url, data, **extra) -> str:
    response = client.post(url, {**data, **extra})
    assert response.status_code == 200, response.content.decode()
    assert "Kijk in je e-mail" in response.content.decode()
    return link_path(WENS_MAIL)


def test_a_confirmed_wish_reaches_triage_as_nieuw_online_with_the_household_as_first_support(
    client, url, data, team, thema
):
    response = client.get(url)
    assert response.status_code == 200
    assert "Malberg" in response.content.decode() or team.buurten.get().naam in response.content.decode()
    link = indienen(client, url, data)
    assert Bericht.objects.get(soort=WENS_MAIL).ontvanger == "wens@example.nl"
    assert not Signaal.objects.exists()

    assert "Ja, bevestig mijn wens" in client.get(link).content.decode()
    assert not Signaal.objects.exists()
    response = client.post(link)
    assert response.status_code == 200 and "Bedankt voor je wens" in response.content.decode()

    signaal = Signaal.objects.get()
    assert (signaal.titel, signaal.kanaal, signaal.status, signaal.thema, signaal.team) == (
        "Een bankje bij de speeltuin",
        Kanaal.ONLINE,
        Status.NIEUW,
        thema,
        team,
    )
    assert (signaal.lat, signaal.lon, signaal.vertrouwelijk, signaal.created_by) == (
        50.851,
        5.691,
        False,
        None,
    )
    steun = Steunbetuiging.objects.get(signaal=signaal)
    assert steun.huishouden_hash == huishouden_hash(postcode="6211AB", huisnummer="12 a")
    assert steun.kanaal == Kanaal.ONLINE
    assert OnlineWens.objects.get().signaal == signaal
    assert AuditRegel.objects.filter(actie="signaal.log", team_id=team.pk).exists()
    # Used once.
    assert client.post(link).status_code == 410
    assert Signaal.objects.count() == 1


def test_a_wish_without_a_place_lies_inside_its_buurt(client, url, data, buurt):
    link = indienen(client, url, data, locatie_lat="", locatie_lon="")
    client.post(link)
    signaal = Signaal.objects.get()
    assert signaal.buurt == buurt
    assert 5.68 < signaal.lon < 5.70 and 50.84 < signaal.lat < 50.86


def test_the_buurt_name_and_cbs_code_lead_to_the_same_form(client, buurt, data):
    from django.utils.text import slugify

    for slug in (slugify(buurt.naam), buurt.code, buurt.code.lower()):
        assert client.get(f"/buurt/{slug}/wens/").status_code == 200
    response = client.get("/buurt/bestaat-niet/wens/")
    assert response.status_code == 404
    assert "Deze buurt kennen we niet" in response.content.decode()


@pytest.mark.parametrize(
    ("extra", "bericht"),
    [
        ({"titel": ""}, "Geef je wens een korte titel"),
        ({"titel": "   "}, "Geef je wens een korte titel"),
        ({"omschrijving": ""}, "Beschrijf je wens"),
        ({"titel": "x" * 121}, "hoogstens 120 tekens"),
        ({"thema": ""}, "Kies een thema"),
        ({"thema": "999999"}, "Kies een van de thema"),
        ({"locatie_lat": "50.95", "locatie_lon": "5.9"}, "ligt buiten de buurt"),
        ({"locatie_lat": "95", "locatie_lon": "5.9"}, ""),
        ({"locatie_lat": "abc", "locatie_lon": "5.9"}, ""),
        ({"postcode": "0123 AB"}, "Vul een geldige postcode in"),
        ({"huisnummer": ""}, "Vul je huisnummer in"),
        ({"email": "wens@"}, "Vul een geldig e-mailadres in"),
    ],
)
def test_bad_input_is_a_dutch_message_and_writes_nothing(client, url, data, extra, bericht):
    response = client.post(url, {**data, **extra})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er is niets opgeslagen" in page and bericht in page
    assert not OnlineWens.objects.exists() and not Bericht.objects.exists()


def test_an_inactive_thema_of_another_gemeente_is_refused(client, url, data):
    ander = f.ThemaFactory(gemeente=f.GemeenteFactory(code="GM0917", naam="Heerlen"), naam="groen")
    response = client.post(url, {**data, "thema": ander.pk})
    assert response.status_code == 400 and not OnlineWens.objects.exists()


def test_a_filled_honeypot_answers_like_success_and_writes_nothing(client, url, data):
    response = client.post(url, {**data, "website": "http://spam.example"})
    assert response.status_code == 200 and "Kijk in je e-mail" in response.content.decode()
    assert not OnlineWens.objects.exists() and not Bericht.objects.exists()


def test_a_form_sent_within_two_seconds_is_refused_with_a_dutch_message(client, url, data):
    response = client.post(url, {**data, "gestart": gestart_token(time.time() - 0.5)})
    assert response.status_code == 400
    assert "binnen 2 seconden" in response.content.decode()
    assert not OnlineWens.objects.exists() and not Bericht.objects.exists()


@pytest.mark.parametrize("gestart", ["", "knoeiwerk", gestart_token(time.time() - 2 * 24 * 3600)])
def test_a_missing_tampered_or_old_timestamp_is_refused(client, url, data, gestart):
    response = client.post(url, {**data, "gestart": gestart})
    assert response.status_code == 400
    assert "verlopen of niet compleet" in response.content.decode()
    assert not OnlineWens.objects.exists()


def test_at_most_three_open_wishes_per_household(client, url, data):
    for i in range(3):
        indienen(client, url, data, email=f"w{i}@example.nl", titel=f"Wens {i}")
    response = client.post(url, {**data, "email": "w9@example.nl"})
    assert response.status_code == 400
    assert "wachten al 3 wensen" in response.content.decode()
    assert OnlineWens.objects.count() == 3
    # Once they expired a new one is fine again.
    OnlineWens.objects.update(created_at=timezone.now() - dt.timedelta(hours=49))
    indienen(client, url, data, email="w9@example.nl")


def test_the_wish_form_is_rate_limited_per_email_address(client, url, data):
    for i in range(3):
        indienen(client, url, data, postcode=f"621{i} AB")
    response = client.post(url, {**data, "postcode": "6219 AB"})
    assert response.status_code == 429 and "Te veel aanvragen" in response.content.decode()
    assert OnlineWens.objects.count() == 3


def test_an_expired_or_tampered_wish_link_logs_nothing(client, url, data):
    link = indienen(client, url, data)
    OnlineWens.objects.update(created_at=timezone.now() - dt.timedelta(hours=48, seconds=1))
    response = client.post(link)
    assert response.status_code == 410 and "verlopen" in response.content.decode()
    response = client.post(link.rstrip("/") + "x/")
    assert response.status_code == 400 and "niet geldig" in response.content.decode()
    assert not Signaal.objects.exists()


def test_a_wish_whose_thema_was_switched_off_says_so_and_logs_nothing(client, url, data, thema):
    link = indienen(client, url, data)
    thema.actief = False
    thema.save()
    response = client.post(link)
    assert response.status_code == 409 and "niet meer worden vastgelegd" in response.content.decode()
    assert not Signaal.objects.exists() and OnlineWens.objects.get().bevestigd_at is None
