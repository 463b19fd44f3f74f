"""A resident supports a public signal online: a mailed link (48 h, once) makes it count."""

import datetime as dt

import pytest
from django.core import signing
from django.utils import timezone

from audit.models import AuditRegel
from core.actors import RETENTION, TALLY
from notificaties.models import Bericht
from publiek.emails import STEUN_MAIL
from publiek.models import OnlineSteun
from publiek.services.opruimen import online_opruimen
from signalen.models import Kanaal, Signaal, Status, Steunbetuiging
from signalen.services.huishouden import huishouden_hash
from signalen.services.tally import signalen_tally
from tests import factories as f

from .conftest import link_path

pytestmark = pytest.mark.django_db

DATA = {"postcode": "6211ab", "huisnummer": "12 A", "email": "Bewoner@Example.nl"}


def url(signaal) -> str:
    return f"/steunen/{signaal.pk}/"


def aanvragen(client, signaal, **data) -> str:
    response = client.post(url(signaal), {**DATA, **data})
    assert response.status_code == 200, response.content.decode()
    assert "Kijk in je e-mail" in response.content.decode()
    return link_path(STEUN_MAIL)


def test_the_whole_flow_counts_the_household_once_through_the_link(client, signaal):
    response = client.get(url(signaal))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Meer groen op het plein" in page and "versleutelde code" in page and "/steun-intrekken/" in page

    link = aanvragen(client, signaal)
    bericht = Bericht.objects.get(soort=STEUN_MAIL)
    assert bericht.ontvanger == "bewoner@example.nl"
    pending = OnlineSteun.objects.get()
    assert pending.huishouden_hash == huishouden_hash(postcode="6211 AB", huisnummer="12a")
    assert pending.email == ""  # no consent: the address is not kept
    assert not Steunbetuiging.objects.exists()

    # Opening the link (a mail scanner does too) only asks to confirm.
    response = client.get(link)
    assert response.status_code == 200 and "Ja, bevestig mijn steun" in response.content.decode()
    assert not Steunbetuiging.objects.exists()

    response = client.post(link)
    assert response.status_code == 302
    steun = Steunbetuiging.objects.get()
    assert (steun.kanaal, steun.huishouden_hash, steun.email, steun.created_by) == (
        Kanaal.ONLINE,
        pending.huishouden_hash,
        "",
        None,
    )
    # The tally (queued after commit; here run directly) counts it.
    signalen_tally(door=TALLY, signaal_ids=[signaal.pk])
    assert Signaal.objects.get(pk=signaal.pk).steun_huishoudens == 1
    response = client.get(response["Location"])
    assert "1 huishouden steunt dit" in response.content.decode()
    assert AuditRegel.objects.filter(actie="steun.register", team_id=signaal.team_id).exists()
    assert "example.nl" not in str([r.details for r in AuditRegel.objects.all()])


def test_with_consent_the_address_is_kept_on_the_support_only(client, signaal):
    link = aanvragen(client, signaal, email_toestemming="on")
    assert OnlineSteun.objects.get().email == "bewoner@example.nl"
    client.post(link)
    steun = Steunbetuiging.objects.get()
    assert (steun.email, steun.email_toestemming) == ("bewoner@example.nl", True)
    assert OnlineSteun.objects.get().email == ""


def test_a_reused_link_says_so_and_counts_nothing_twice(client, signaal):
    link = aanvragen(client, signaal)
    client.post(link)
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 410
        assert "al gebruikt" in response.content.decode()
    assert Steunbetuiging.objects.count() == 1


def test_an_expired_link_says_so_and_counts_nothing(client, signaal):
    link = aanvragen(client, signaal)
    OnlineSteun.objects.update(created_at=timezone.now() - dt.timedelta(hours=48, seconds=1))
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 410 and "verlopen" in response.content.decode()
    assert not Steunbetuiging.objects.exists()


@pytest.mark.parametrize(
    "knoeien",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.dumps({"n": "x"}, salt="signalen.huishouden_intrekken"),
        lambda token: "zomaar-iets",
    ],
)
def test_a_tampered_link_says_so_and_counts_nothing(client, signaal, knoeien):
    link = aanvragen(client, signaal)
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = client.post(f"/steunen/bevestigen/{knoeien(token)}/")
    assert response.status_code == 400
    assert "niet geldig" in response.content.decode()
    assert not Steunbetuiging.objects.exists()


def test_a_household_that_supported_through_the_team_is_not_counted_twice(client, signaal):
    hash_ = huishouden_hash(postcode="6211 AB", huisnummer="12a")
    f.SteunbetuigingFactory(signaal=signaal, huishouden_hash=hash_, kanaal=Kanaal.HUISBEZOEK)
    # The request answers like any other: it must not tell what an address supports.
    link = aanvragen(client, signaal, huisnummer="12-a")
    response = client.post(link)
    assert response.status_code == 409
    assert "steunt dit signaal al" in response.content.decode()
    assert Steunbetuiging.objects.filter(signaal=signaal).count() == 1
    # The link is used up.
    assert client.post(link).status_code == 410


def test_two_links_of_one_household_count_once(client, signaal):
    eerste = aanvragen(client, signaal)
    tweede = aanvragen(client, signaal, email="ander@example.nl")
    assert client.post(eerste).status_code == 302
    response = client.post(tweede)
    assert response.status_code == 409 and "niets dubbel geteld" in response.content.decode()
    assert Steunbetuiging.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "veld", "bericht"),
    [
        ({"postcode": "12345"}, "postcode", "Vul een geldige postcode in"),
        ({"postcode": ""}, "postcode", "Vul je postcode in"),
        ({"huisnummer": "twaalf"}, "huisnummer", "Vul een huisnummer in"),
        ({"email": "geen-adres"}, "email", "Vul een geldig e-mailadres in"),
        ({"email": ""}, "email", "Vul je e-mailadres in"),
    ],
)
def test_bad_input_is_a_dutch_message_and_writes_nothing(client, signaal, data, veld, bericht):
    response = client.post(url(signaal), {**DATA, **data})
    assert response.status_code == 400
    assert bericht in response.content.decode()
    assert "Er is niets opgeslagen" in response.content.decode()
    assert not OnlineSteun.objects.exists() and not Bericht.objects.exists()


@pytest.mark.parametrize(
    "soort", ["vertrouwelijk", "over_persoon", Status.GETRIEERD, Status.AFGEWEZEN, "onbekend"]
)
def test_only_public_signals_that_gather_support_have_the_page(client, team, thema, soort):
    if soort == "onbekend":
        pk = 999999
    else:
        kwargs = {"status": soort} if soort in Status.values else {soort: True, "vertrouwelijk": True}
        pk = f.SignaalFactory(team=team, thema=thema, titel="GEHEIM-MARKER", **kwargs).pk
    for method in (client.get, client.post):
        response = method(f"/steunen/{pk}/", DATA if method == client.post else None)
        assert response.status_code == 404
        assert "GEHEIM-MARKER" not in response.content.decode()
    assert not OnlineSteun.objects.exists()


def test_a_signal_made_confidential_after_the_request_counts_nothing(client, signaal):
    link = aanvragen(client, signaal)
    Signaal.objects.filter(pk=signaal.pk).update(vertrouwelijk=True)
    response = client.post(link)
    assert response.status_code == 409 and "geen steun meer" in response.content.decode()
    assert not Steunbetuiging.objects.exists()


def test_the_form_is_rate_limited_per_email_address_and_per_client(client, signaal):
    for _ in range(5):
        aanvragen(client, signaal)
    response = client.post(url(signaal), DATA)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Te veel aanvragen" in page and '<html lang="nl">' in page
    assert OnlineSteun.objects.count() == 5
    # Other addresses from the same client: 20 attempts an hour (the refused one above counted).
    for i in range(14):
        aanvragen(client, signaal, email=f"buur{i}@example.nl")
    assert client.post(url(signaal), {**DATA, "email": "nog-een@example.nl"}).status_code == 429
    assert OnlineSteun.objects.count() == 19


def test_expired_pending_supports_are_deleted_by_the_daily_run(client, signaal):
    aanvragen(client, signaal)
    aanvragen(client, signaal, email="b@example.nl")
    OnlineSteun.objects.filter(pk=OnlineSteun.objects.order_by("pk").first().pk).update(
        created_at=timezone.now() - dt.timedelta(hours=49)
    )
    assert online_opruimen(door=RETENTION) == {"steun": 1, "wensen": 0}
    assert OnlineSteun.objects.count() == 1
    assert AuditRegel.objects.filter(actie="publiek.online_opruimen").exists()


def test_the_mail_is_dropped_once_the_support_is_confirmed(client, signaal):
    from notificaties import registry
    from publiek.emails import steun_mail_context

    link = aanvragen(client, signaal)
    bericht = Bericht.objects.get(soort=STEUN_MAIL)
    assert steun_mail_context(bericht.context)["titel"] == "Meer groen op het plein"
    client.post(link)
    with pytest.raises(registry.BerichtVervallen):
        steun_mail_context(bericht.context)


def test_the_steun_knop_include_links_to_the_page(signaal):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    # The buurt page passes its row (publiek.selectors.SignaalRegel) as `regel`.
    html = render_to_string("publiek/_steun_knop.html", {"regel": SimpleNamespace(signaal=signaal)})
    assert f'href="/steunen/{signaal.pk}/"' in html and "Ik steun dit" in html


def test_a_link_whose_signal_was_removed_reads_as_expired(client, signaal):
    link = aanvragen(client, signaal)
    Steunbetuiging.objects.filter(signaal=signaal).delete()
    Signaal.objects.filter(pk=signaal.pk).delete()
    response = client.post(link)
    assert response.status_code == 410 and "verlopen" in response.content.decode()
