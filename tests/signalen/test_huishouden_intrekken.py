"""A household withdraws all its support: postcode + huisnummer, a mailed link, valid 48 h, once."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from audit.models import AuditRegel
from notificaties.models import Bericht
from signalen.emails import INTREKKEN_MAIL
from signalen.models import HuishoudenIntrekking, Signaal, Steunbetuiging
from signalen.services.huishouden import huishouden_hash
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/steun-intrekken/"


@pytest.fixture
def steun():
    thuis = huishouden_hash(postcode="6211 AB", huisnummer="12a")
    eerste = f.SteunbetuigingFactory(huishouden_hash=thuis, email="thuis@example.nl", email_toestemming=True)
    tweede = f.SteunbetuigingFactory(huishouden_hash=thuis)
    buren = f.SteunbetuigingFactory(huishouden_hash=huishouden_hash(postcode="6211 AB", huisnummer="14"))
    return {"eigen": [eerste, tweede], "buren": buren, "hash": thuis}


def request_link(client, **data) -> str:
    data = {"postcode": "6211ab", "huisnummer": "12 A", "email": "thuis@example.nl", **data}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "Kijk in je e-mail" in response.content.decode()
    bericht = Bericht.objects.filter(soort=INTREKKEN_MAIL).latest("pk")
    assert bericht.ontvanger == "thuis@example.nl"
    return urlparse(bericht.context["link"]).path


def active(steun) -> list[bool]:
    return [
        Steunbetuiging.objects.get(pk=s.pk).ingetrokken_at is None for s in [*steun["eigen"], steun["buren"]]
    ]


def test_the_whole_flow_withdraws_every_support_of_the_household_and_nothing_else(client, steun):
    assert client.get(URL).status_code == 200
    link = request_link(client)
    assert HuishoudenIntrekking.objects.get().huishouden_hash == steun["hash"]

    # Opening the link (a mail scanner does too) only asks for confirmation.
    response = client.get(link)
    assert response.status_code == 200 and "Ja, trek alle steun in" in response.content.decode()
    assert active(steun) == [True, True, True]

    response = client.post(link)
    assert response.status_code == 200
    assert "De steun van je huishouden is ingetrokken" in response.content.decode()
    assert active(steun) == [False, False, True]
    eerste = Steunbetuiging.objects.get(pk=steun["eigen"][0].pk)
    assert (eerste.email, eerste.email_toestemming) == ("", False)
    signaal_ids = [s.signaal_id for s in steun["eigen"]]
    # Both signals are marked for the tally, which recounts them after commit.
    assert Signaal.objects.filter(pk__in=signaal_ids, steun_herberekenen=True).count() == 2
    rows = AuditRegel.objects.filter(actie="steun.withdraw_huishouden")
    assert sorted(i for r in rows for i in r.details["steunbetuiging_ids"]) == sorted(
        s.pk for s in steun["eigen"]
    )
    assert "example.nl" not in str([r.details for r in AuditRegel.objects.all()])


def test_a_reused_link_says_so_and_changes_nothing(client, steun):
    link = request_link(client)
    assert client.post(link).status_code == 200
    nieuw = f.SteunbetuigingFactory(huishouden_hash=steun["hash"])  # support given again later

    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 410
        assert "Deze link is al gebruikt" in response.content.decode()
    assert Steunbetuiging.objects.get(pk=nieuw.pk).ingetrokken_at is None


def test_an_expired_link_says_so_and_changes_nothing(client, steun):
    link = request_link(client)
    HuishoudenIntrekking.objects.update(created_at=timezone.now() - dt.timedelta(hours=48, minutes=1))

    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 410
        assert "Deze link is verlopen" in response.content.decode()
    assert active(steun) == [True, True, True]
    assert HuishoudenIntrekking.objects.get().gebruikt_at is None


@pytest.mark.parametrize(
    "knoeien", [lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"), lambda t: "abc", lambda t: t + "x"]
)
def test_a_tampered_link_says_so_and_changes_nothing(client, steun, knoeien):
    link = request_link(client)
    token = link.rstrip("/").rsplit("/", 1)[1]
    fout = f"{URL}{knoeien(token)}/"

    for method in (client.get, client.post):
        response = method(fout)
        assert response.status_code == 400
        assert "Deze link is niet geldig" in response.content.decode()
    assert active(steun) == [True, True, True]
    assert HuishoudenIntrekking.objects.get().gebruikt_at is None


@pytest.mark.parametrize(
    ("data", "bericht"),
    [
        ({"postcode": "12345"}, "Vul een geldige postcode in"),
        ({"huisnummer": "abc"}, "Vul een huisnummer in"),
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in"),
    ],
)
def test_bad_input_is_a_dutch_message_and_writes_nothing(client, steun, data, bericht):
    response = client.post(
        URL, {"postcode": "6211 AB", "huisnummer": "12a", "email": "thuis@example.nl", **data}
    )
    assert response.status_code == 400
    assert bericht in response.content.decode()
    assert not HuishoudenIntrekking.objects.exists()
    assert not Bericht.objects.exists()


def strip(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_the_page_never_tells_whether_a_household_supports_anything(client, steun):
    met = client.post(URL, {"postcode": "6211 AB", "huisnummer": "12a", "email": "a@example.nl"})
    zonder = client.post(URL, {"postcode": "9999 ZZ", "huisnummer": "1", "email": "a@example.nl"})
    assert met.status_code == zonder.status_code == 200
    assert strip(met) == strip(zonder)


def test_the_form_cannot_flood_an_inbox(client, steun):
    """At most three links an hour to one address (and ten per client): then a Dutch 429, no mail."""
    for _ in range(3):
        request_link(client)
    response = client.post(URL, {"postcode": "6211ab", "huisnummer": "12 A", "email": "Thuis@example.nl"})
    assert response.status_code == 429
    assert "Te veel aanvragen" in response.content.decode()
    assert Bericht.objects.filter(soort=INTREKKEN_MAIL).count() == 3
