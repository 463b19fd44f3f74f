""" "Heeft het geholpen?": asked once, team.geholpen_weken after an actie is done or a forward is
handled, one question and mail per consenting address; the signed answer link (GET shows,
POST writes, once, 30 days), the anonymous answer, and the selectors the dashboard uses."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.core import signing
from django.utils import timezone

from acties.emails import GEHOLPEN_MAIL
from acties.models import ActieStatus, GeholpenReactie, GeholpenVraag
from acties.selectors_geholpen import (
    geholpen_overwegend_nee,
    geholpen_per_actie,
    geholpen_per_buurt,
    geholpen_voor_actie,
)
from acties.services.geholpen import GEHOLPEN_TAAK, geholpen_beantwoorden, geholpen_vragen_versturen
from audit.models import AuditRegel
from notificaties.models import Bericht
from signalen.models import Doorzetting, Status
from tests import factories as f
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

NU = timezone.now()


def weken_geleden(n, dagen=0):
    return NU - dt.timedelta(weeks=n, days=dagen)


@pytest.fixture
def actie(team):
    """Done 4 weeks and a day ago (the team's default term is 4 weeks), with two signals."""
    actie = f.ActieFactory(
        team=team, titel="Speeltuin opknappen", status=ActieStatus.AFGEROND, afgerond_at=weken_geleden(4, 1)
    )
    eerste = f.ActieSignaalFactory(actie=actie, signaal__status=Status.AFGEROND).signaal
    tweede = f.ActieSignaalFactory(actie=actie, signaal__status=Status.AFGEROND).signaal
    for signaal in (eerste, tweede):
        f.SteunbetuigingFactory(signaal=signaal, email="thuis@example.nl", email_toestemming=True)
    f.SteunbetuigingFactory(signaal=tweede, email="buren@example.nl", email_toestemming=True)
    f.SteunbetuigingFactory(signaal=tweede)  # no consent
    return actie


def vragen_versturen(now=NU):
    return geholpen_vragen_versturen(door=GEHOLPEN_TAAK, now=now)


def links(ontvanger):
    bericht = Bericht.objects.get(soort=GEHOLPEN_MAIL, ontvanger=ontvanger)
    return {k: f"{urlparse(v).path}?{urlparse(v).query}" for k, v in bericht.context["links"].items()}


def test_asked_once_per_address_after_the_teams_term(actie, team, mailoutbox):
    # Not yet: a day short of the term.
    assert vragen_versturen(now=weken_geleden(0, 2))["acties"] == 0
    assert vragen_versturen() == {"acties": 1, "doorzettingen": 0, "mails": 2}
    assert GeholpenVraag.objects.filter(actie=actie).count() == 2
    actie.refresh_from_db()
    assert actie.geholpen_gevraagd_at == NU
    # The daily task again (or a retry): nobody is asked twice.
    assert vragen_versturen(now=NU + dt.timedelta(days=1)) == {"acties": 0, "doorzettingen": 0, "mails": 0}
    assert Bericht.objects.filter(soort=GEHOLPEN_MAIL).count() == 2
    assert AuditRegel.objects.filter(actie="actie.geholpen_gevraagd").count() == 1

    deliver_outbox()
    mail = next(m for m in mailoutbox if m.to == ["thuis@example.nl"])
    assert mail.subject == "Heeft het geholpen?"
    assert "Speeltuin opknappen" in mail.body and "De links werken 30 dagen." in mail.body
    for antwoord in ("ja", "deels", "nee"):
        assert f"/?antwoord={antwoord}\n" in mail.body
    assert "/afmelden/" in mail.body and "List-Unsubscribe" in mail.extra_headers


def test_a_team_with_a_longer_term_waits(actie, team):
    team.geholpen_weken = 8
    team.save(update_fields=["geholpen_weken"])
    assert vragen_versturen()["acties"] == 0
    assert vragen_versturen(now=NU + dt.timedelta(weeks=4))["acties"] == 1


def test_a_handled_forward_is_asked_too(team):
    signaal = f.SignaalFactory(team=team, status=Status.AFGEROND, titel="Losliggende stoeptegel")
    f.SteunbetuigingFactory(signaal=signaal, email="a@example.nl", email_toestemming=True)
    partner = f.PartnerFactory(gemeente=team.gemeente)
    doorzetting = Doorzetting.objects.create(
        signaal=signaal, partner=partner, opvolgen_op=NU.date(), afgehandeld_at=weken_geleden(5)
    )
    Doorzetting.objects.create(signaal=signaal, partner=partner, opvolgen_op=NU.date())  # still open
    assert vragen_versturen() == {"acties": 0, "doorzettingen": 1, "mails": 1}
    doorzetting.refresh_from_db()
    assert doorzetting.geholpen_gevraagd_at == NU
    vraag = GeholpenVraag.objects.get()
    assert vraag.signaal_id == signaal.pk and vraag.actie_id is None
    # The answer counts for the signal's buurt.
    geholpen_beantwoorden(token=links("a@example.nl")["nee"].split("/")[2], antwoord="nee")
    reactie = GeholpenReactie.objects.get()
    assert (reactie.signaal_id, reactie.actie_id, reactie.buurt_id) == (signaal.pk, None, signaal.buurt_id)


def test_answer_get_preselects_post_stores_anonymously_once(client, actie):
    vragen_versturen()
    link = links("thuis@example.nl")["deels"]
    response = client.get(link)
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'value="deels"[^>]*checked', page)
    assert not re.search(r'value="ja"[^>]*checked', page)
    assert "Bevestig mijn antwoord" in page
    assert GeholpenReactie.objects.count() == 0  # a GET (a mail scanner) writes nothing

    response = client.post(link, {"antwoord": "nee", "opmerking": "  Nog steeds rommel.  "})
    assert response.status_code == 200 and "Bedankt voor je antwoord" in response.content.decode()
    reactie = GeholpenReactie.objects.get()
    assert (reactie.actie_id, reactie.antwoord, reactie.opmerking) == (actie.pk, "nee", "Nog steeds rommel.")
    assert reactie.datum == timezone.localdate()
    vraag = GeholpenVraag.objects.get(steun__email="thuis@example.nl")
    assert vraag.beantwoord_at is not None
    assert (
        vraag.beantwoord_at.time() == dt.time.min
        or timezone.localtime(vraag.beantwoord_at).time() == dt.time.min
    )
    regel = AuditRegel.objects.get(actie="geholpen.beantwoord")
    assert regel.object_id == str(actie.pk) and "nee" not in str(regel.details)

    # Reused: a 410 page, nothing written.
    for method in ("get", "post"):
        response = getattr(client, method)(link, {"antwoord": "ja"})
        assert response.status_code == 410
        assert "Op deze vraag is al geantwoord" in response.content.decode()
    assert GeholpenReactie.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "fout"),
    [({}, "Kies ja, deels of nee."), ({"antwoord": "misschien"}, "Kies ja, deels of nee.")],
)
def test_a_bad_answer_is_a_form_error_and_writes_nothing(client, actie, data, fout):
    vragen_versturen()
    response = client.post(links("thuis@example.nl")["ja"], data)
    assert response.status_code == 400 and fout in response.content.decode()
    assert GeholpenReactie.objects.count() == 0
    assert GeholpenVraag.objects.filter(beantwoord_at__isnull=False).count() == 0


def test_too_long_a_comment_is_refused(client, actie):
    vragen_versturen()
    response = client.post(links("thuis@example.nl")["ja"], {"antwoord": "ja", "opmerking": "x" * 2001})
    assert response.status_code == 400
    assert GeholpenReactie.objects.count() == 0


def test_a_tampered_link_is_a_400_page(client, actie):
    vragen_versturen()
    link = links("thuis@example.nl")["ja"]
    token = link.split("/")[2]
    for bad in (token[:-2] + "zz", "abc", token + "x"):
        response = client.post(f"/geholpen/{bad}/?antwoord=ja", {"antwoord": "ja"})
        assert response.status_code == 400 and "niet geldig" in response.content.decode()
    assert GeholpenReactie.objects.count() == 0


def test_a_link_older_than_30_days_is_a_410_page(client, actie, monkeypatch):
    vragen_versturen()
    token = links("thuis@example.nl")["ja"].split("/")[2]
    vraag = GeholpenVraag.objects.get(steun__email="thuis@example.nl")
    # The signature is older than 30 days.
    then = int((timezone.now() - dt.timedelta(days=31)).timestamp())
    with monkeypatch.context() as m:
        m.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(then))
        old = signing.dumps({"n": vraag.nonce}, salt="acties.geholpen")
    response = client.post(f"/geholpen/{old}/", {"antwoord": "ja"})
    assert response.status_code == 410 and "verlopen" in response.content.decode()
    # The question itself older than 30 days (a fresh signature does not help).
    GeholpenVraag.objects.filter(pk=vraag.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    response = client.get(f"/geholpen/{token}/?antwoord=ja")
    assert response.status_code == 410
    assert GeholpenReactie.objects.count() == 0


def test_an_unsubscribed_supporters_question_mail_is_dropped(client, actie, mailoutbox):
    vragen_versturen()
    bericht = Bericht.objects.get(soort=GEHOLPEN_MAIL, ontvanger="buren@example.nl")
    client.post(urlparse(bericht.context["afmeld_link"]).path)
    deliver_outbox()
    assert [m.to for m in mailoutbox] == [["thuis@example.nl"]]


def test_selectors_count_per_actie_and_per_buurt(team, actie):
    ander = f.ActieFactory(team=team, titel="Hek verven")
    for antwoord in ("ja", "nee", "nee"):
        GeholpenReactie.objects.create(
            actie=actie, buurt=actie.buurt, team=team, antwoord=antwoord, datum=NU.date()
        )
    GeholpenReactie.objects.create(
        actie=ander, buurt=ander.buurt, team=team, antwoord="deels", datum=NU.date()
    )
    elders = f.ActieFactory()
    GeholpenReactie.objects.create(
        actie=elders, buurt=elders.buurt, team=elders.team, antwoord="ja", datum=NU.date()
    )

    per_actie = geholpen_per_actie(team_ids=[team.pk])
    assert [
        (r["titel"], r["ja"], r["deels"], r["nee"], r["totaal"], r["overwegend_nee"]) for r in per_actie
    ] == [
        ("Speeltuin opknappen", 1, 0, 2, 3, True),
        ("Hek verven", 0, 1, 0, 1, False),
    ]
    [buurt] = geholpen_per_buurt(team_ids=[team.pk])
    assert (buurt["buurt_id"], buurt["ja"], buurt["deels"], buurt["nee"], buurt["totaal"]) == (
        actie.buurt_id,
        1,
        1,
        2,
        4,
    )
    assert geholpen_overwegend_nee(actie) is True
    assert geholpen_overwegend_nee(ander) is False
    assert geholpen_overwegend_nee(f.ActieFactory(team=team).pk) is False  # no answers
    assert geholpen_voor_actie(actie) == {"ja": 1, "deels": 0, "nee": 2, "totaal": 3}


def test_selectors_have_a_fixed_query_count(team, django_assert_max_num_queries):
    for _ in range(20):
        actie = f.ActieFactory(team=team)
        GeholpenReactie.objects.create(
            actie=actie, buurt=actie.buurt, team=team, antwoord="ja", datum=NU.date()
        )
    with django_assert_max_num_queries(2):
        assert len(geholpen_per_actie(team_ids=[team.pk])) == 20
        geholpen_per_buurt(team_ids=[team.pk])
