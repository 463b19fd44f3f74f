"""Supporters who consented hear when their signal is forwarded, declined or closed (with the
reason), once per address per event; every such mail has a one-click unsubscribe link that
erases the address from the support; bad links change nothing."""

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.core import signing
from django.utils import timezone

from audit.models import AuditRegel
from buurten.models import Rol
from core.actors import RETENTION, TALLY
from notificaties.models import Bericht
from signalen.emails import STEUN_STATUS_MAIL
from signalen.models import Status, Steunbetuiging, TriageUitkomst
from signalen.services import afmelden as afmelden_service
from signalen.services.afmelden import afmeld_token
from signalen.services.status import signaal_status_change, signaal_triage, status_apply
from tests import factories as f
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_met_totp(coordinator):
    f.activate_totp(coordinator)
    return coordinator


@pytest.fixture
def signaal(team):
    return f.SignaalFactory(team=team, status=Status.DRAAGVLAK_BEREIKT, titel="Zwerfvuil bij de speeltuin")


def steun(signaal, email="", **kwargs):
    return f.SteunbetuigingFactory(signaal=signaal, email=email, email_toestemming=bool(email), **kwargs)


def mails():
    return list(Bericht.objects.filter(soort=STEUN_STATUS_MAIL).order_by("pk"))


def test_a_forward_mails_each_consenting_supporter_once_with_the_partner(
    signaal, coordinator_met_totp, team, mailoutbox
):
    steun(signaal, "a@example.nl")
    steun(signaal, "B@Example.nl ")
    steun(signaal)  # no address
    steun(signaal, "weg@example.nl", ingetrokken_at=timezone.now())  # withdrawn
    f.SteunbetuigingFactory(signaal=signaal, huishouden_hash=None, aantal_anoniem=4)
    partner = f.PartnerFactory(gemeente=team.gemeente, naam="Woonpunt")
    signaal_triage(
        signaal=signaal,
        uitkomst=TriageUitkomst.PRIMAIRE_TAAK,
        partner=partner,
        door=coordinator_met_totp,
        reden="intern",
    )
    assert sorted(m.ontvanger for m in mails()) == ["a@example.nl", "b@example.nl"]
    assert deliver_outbox() >= 2
    mail = next(m for m in mailoutbox if m.to == ["a@example.nl"])
    assert mail.subject == "Het signaal dat je steunt is doorgezet"
    assert "doorgezet naar Woonpunt" in mail.body
    assert "Zwerfvuil bij de speeltuin" in mail.body
    assert "intern" not in mail.body  # the triage's own note is not for residents
    link = next(line for line in mail.body.splitlines() if "/afmelden/" in line)
    assert mail.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_declined_with_the_reason_and_not_twice_for_the_same_event(signaal, coordinator_met_totp, mailoutbox):
    steun(signaal, "a@example.nl")
    signaal_status_change(
        signaal=signaal,
        naar=Status.AFGEWEZEN,
        door=coordinator_met_totp,
        reden="Dit is geen taak van het team.",
    )
    [bericht] = mails()
    # The same event queued again (a retried task) adds nothing.
    from signalen.services.steunmail import steun_status_melden

    signaal.refresh_from_db()
    assert steun_status_melden(signalen=[signaal], naar=Status.AFGEWEZEN, door=coordinator_met_totp) == 1
    assert len(mails()) == 1
    deliver_outbox()
    [mail] = mailoutbox
    assert mail.subject == "Het signaal dat je steunt wordt niet opgepakt"
    assert "Reden: Dit is geen taak van het team." in mail.body
    # Reopened and declined again is a new event: a new mail.
    signaal_status_change(signaal=signaal, naar=Status.HEROPEND, door=coordinator_met_totp, reden="nieuw")
    signaal_status_change(
        signaal=signaal, naar=Status.AFGEWEZEN, door=coordinator_met_totp, reden="weer niet"
    )
    assert len(mails()) == 2 and bericht.pk == mails()[0].pk


def test_one_address_on_two_signals_declined_at_once_gets_one_mail(team):
    eerste, tweede = (f.SignaalFactory(team=team, status=Status.NIEUW) for _ in range(2))
    steun(eerste, "thuis@example.nl")
    steun(tweede, "thuis@example.nl")
    steun(tweede, "buren@example.nl")
    status_apply([eerste, tweede], naar=Status.AFGEWEZEN, door=RETENTION, reden="Geen activiteit.")
    berichten = mails()
    assert sorted(b.ontvanger for b in berichten) == ["buren@example.nl", "thuis@example.nl"]
    thuis = next(b for b in berichten if b.ontvanger == "thuis@example.nl")
    assert thuis.context["signaal_ids"] == sorted([eerste.pk, tweede.pk])


def test_closing_a_forwarded_signal_mails_but_closing_an_actie_signal_does_not(team):
    doorgezet = f.SignaalFactory(
        team=team, status=Status.GETRIEERD, triage_uitkomst=TriageUitkomst.PRIMAIRE_TAAK
    )
    in_actie = f.SignaalFactory(team=team, status=Status.IN_ACTIE, triage_uitkomst=TriageUitkomst.INTEGRAAL)
    steun(doorgezet, "a@example.nl")
    steun(in_actie, "b@example.nl")
    signaal_status_change(signaal=doorgezet, naar=Status.AFGEROND, door=RETENTION, reden="Notitie partner")
    signaal_status_change(signaal=in_actie, naar=Status.AFGEROND, door=RETENTION)
    assert [b.ontvanger for b in mails()] == ["a@example.nl"]
    assert mails()[0].context["gebeurtenis"] == Status.AFGEROND
    assert mails()[0].context["reden"] == ""  # a close's note is not written for residents


def test_the_tally_never_mails_supporters(team):
    signaal = f.SignaalFactory(team=team, status=Status.NIEUW)
    steun(signaal, "a@example.nl")
    status_apply([signaal], naar=Status.DRAAGVLAK_GEZOCHT, door=TALLY)
    assert mails() == []
    # Moves other than forward / decline / close do not mail either.
    lid = f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID)
    signaal = f.SignaalFactory(team=team, status=Status.NIEUW)
    steun(signaal, "b@example.nl")
    signaal_status_change(signaal=signaal, naar=Status.DRAAGVLAK_GEZOCHT, door=lid.user)
    assert mails() == []


# --- unsubscribe ---------------------------------------------------------------------------------


@pytest.fixture
def gemeld(team):
    signaal = f.SignaalFactory(team=team, status=Status.NIEUW)
    ander = f.SignaalFactory(team=team, status=Status.NIEUW)
    eigen = [steun(signaal, "thuis@example.nl"), steun(ander, "thuis@example.nl")]
    buren = steun(signaal, "buren@example.nl")
    status_apply([signaal, ander], naar=Status.AFGEWEZEN, door=RETENTION, reden="Geen activiteit.")
    bericht = Bericht.objects.get(soort=STEUN_STATUS_MAIL, ontvanger="thuis@example.nl")
    return {"link": urlparse(bericht.context["afmeld_link"]).path, "eigen": eigen, "buren": buren}


def addresses(*rows):
    return [
        (s.email, s.email_toestemming) for s in Steunbetuiging.objects.filter(pk__in=[r.pk for r in rows])
    ]


def test_unsubscribe_get_only_asks_post_erases_the_address_and_keeps_the_support(client, gemeld):
    response = client.get(gemeld["link"])
    assert response.status_code == 200 and "Ja, meld mij af" in response.content.decode()
    assert addresses(*gemeld["eigen"]) == [("thuis@example.nl", True)] * 2

    response = client.post(gemeld["link"])
    assert response.status_code == 200 and "Je bent afgemeld" in response.content.decode()
    assert addresses(*gemeld["eigen"]) == [("", False)] * 2
    assert addresses(gemeld["buren"]) == [("buren@example.nl", True)]
    assert all(
        s.ingetrokken_at is None
        for s in Steunbetuiging.objects.filter(pk__in=[s.pk for s in gemeld["eigen"]])
    )
    regel = AuditRegel.objects.get(actie="steun.afgemeld")
    assert sorted(regel.details["steunbetuiging_ids"]) == sorted(s.pk for s in gemeld["eigen"])

    # Used: a clear 410 page, nothing changes.
    response = client.post(gemeld["link"])
    assert response.status_code == 410 and "Je bent al afgemeld" in response.content.decode()
    assert AuditRegel.objects.filter(actie="steun.afgemeld").count() == 1


def test_rfc_8058_one_click_post_without_csrf_token(gemeld):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        gemeld["link"], "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert addresses(*gemeld["eigen"]) == [("", False)] * 2


def test_a_mail_queued_before_unsubscribing_is_dropped_not_sent(gemeld, client, mailoutbox):
    client.post(gemeld["link"])
    deliver_outbox()
    assert [m.to for m in mailoutbox] == [["buren@example.nl"]]
    assert Bericht.objects.get(ontvanger="thuis@example.nl").status == "mislukt"


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_link_is_a_400_page_and_changes_nothing(client, gemeld, method):
    response = getattr(client, method)(gemeld["link"][:-3] + "xyz/")
    assert response.status_code == 400
    assert "Deze afmeldlink is niet geldig" in response.content.decode()
    assert "Er is niets veranderd" in response.content.decode()
    assert addresses(*gemeld["eigen"]) == [("thuis@example.nl", True)] * 2


def old_token(monkeypatch, age: dt.timedelta, make):
    """A token signed `age` ago."""
    then = int((timezone.now() - age).timestamp())
    with monkeypatch.context() as m:
        m.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(then))
        return make()


def test_expired_link_is_a_410_page_and_changes_nothing(client, gemeld, monkeypatch):
    ids = [s.pk for s in gemeld["eigen"]]
    token = old_token(
        monkeypatch,
        afmelden_service.AFMELDEN_GELDIG + dt.timedelta(minutes=1),
        lambda: afmeld_token(steun_ids=ids, email="thuis@example.nl"),
    )
    for method in ("get", "post"):
        response = getattr(client, method)(f"/afmelden/{token}/")
        assert response.status_code == 410
        assert "Deze afmeldlink is verlopen" in response.content.decode()
    assert addresses(*gemeld["eigen"]) == [("thuis@example.nl", True)] * 2
    # Just inside the term it still works.
    token = old_token(
        monkeypatch,
        afmelden_service.AFMELDEN_GELDIG - dt.timedelta(minutes=1),
        lambda: afmeld_token(steun_ids=ids, email="thuis@example.nl"),
    )
    assert client.post(f"/afmelden/{token}/").status_code == 200


def test_a_token_for_another_address_does_not_erase(gemeld):
    token = afmeld_token(steun_ids=[s.pk for s in gemeld["eigen"]], email="iemand-anders@example.nl")
    with pytest.raises(afmelden_service.AfmeldLinkOngeldig) as fout:
        afmelden_service.steun_afmelden(token=token)
    assert fout.value.status == 410
    assert addresses(*gemeld["eigen"]) == [("thuis@example.nl", True)] * 2


def test_a_forward_handled_through_the_partners_link_mails_supporters_and_is_asked_later(
    signaal, coordinator_met_totp, team, mailoutbox
):
    """End to end with the forward follow-up: forwarded, the partner answers afgehandeld through
    its link, and `team.geholpen_weken` later the supporter is asked "heeft het geholpen?"."""
    from acties.emails import GEHOLPEN_MAIL
    from acties.services.geholpen import GEHOLPEN_TAAK, geholpen_vragen_versturen
    from core.actors import PARTNER_LINK
    from signalen.models import DoorzetAntwoord, Doorzetting
    from signalen.services.doorzetten import doorzetting_beantwoorden

    steun(signaal, "a@example.nl")
    partner = f.PartnerFactory(gemeente=team.gemeente, naam="Woonpunt")
    signaal_triage(
        signaal=signaal, uitkomst=TriageUitkomst.PRIMAIRE_TAAK, partner=partner, door=coordinator_met_totp
    )
    doorzetting = Doorzetting.objects.get(signaal=signaal)
    doorzetting_beantwoorden(
        doorzetting=doorzetting,
        antwoord=DoorzetAntwoord.AFGEHANDELD,
        notitie="Tegel vervangen",
        door=PARTNER_LINK,
    )
    assert [b.context["gebeurtenis"] for b in mails()] == ["doorgezet", Status.AFGEROND]
    assert mails()[1].context["reden"] == ""
    later = timezone.now() + dt.timedelta(weeks=team.geholpen_weken, days=1)
    assert geholpen_vragen_versturen(door=GEHOLPEN_TAAK, now=later)["doorzettingen"] == 1
    assert Bericht.objects.filter(soort=GEHOLPEN_MAIL, ontvanger="a@example.nl").count() == 1
