"""The outbox against a real SMTP server: sent once, retried when refused, down or hanging."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from buurten.models import Rol, Uitnodiging
from buurten.services.uitnodigingen import uitnodiging_accept, uitnodiging_create, uitnodiging_mail_sleutel
from notificaties.models import Bericht, BerichtStatus
from notificaties.services import (
    MAX_POGINGEN,
    VerzendFout,
    bericht_send,
    berichten_due,
    berichten_resend_due,
    notificatie_queue,
)
from notificaties.tasks import bericht_send_task
from tests import factories as f
from tests.notificaties.pages import post_invitation

pytestmark = pytest.mark.django_db

EAGER = settings.CELERY_TASK_ALWAYS_EAGER


def invite(coordinator, email="anna@example.nl") -> Uitnodiging:
    lid = coordinator.lidmaatschappen.get()
    return uitnodiging_create(
        team=lid.team,
        partner=lid.team.gemeente.partners.get(naam="Woonpunt"),
        rol=Rol.TEAMLID,
        email=email,
        door=coordinator,
    )


@pytest.fixture
def bericht(coordinator, django_capture_on_commit_callbacks) -> Bericht:
    """An invitation's mail, queued but not yet handed to the send task."""
    with django_capture_on_commit_callbacks(execute=False):
        uitnodiging = invite(coordinator)
    return Bericht.objects.get(sleutel=uitnodiging_mail_sleutel(uitnodiging))


def reload(bericht) -> Bericht:
    return Bericht.objects.get(pk=bericht.pk)


def test_sent_once_to_the_smtp_server(smtp, bericht):
    assert (bericht.status, bericht.ontvanger, bericht.soort) == (
        "wachtend",
        "anna@example.nl",
        "buurten.uitnodiging",
    )
    assert bericht_send(bericht_id=bericht.pk) == BerichtStatus.VERZONDEN
    assert bericht_send(bericht_id=bericht.pk) == BerichtStatus.VERZONDEN  # a second delivery: nothing
    (message,) = smtp.messages
    assert message["To"] == "anna@example.nl"
    assert "Uitnodiging voor het Veilige Buurten Team Malberg" in message["Subject"]
    assert message["Message-ID"] == f"<vbt-{bericht.pk}@localhost>"
    assert "/uitnodiging/" in message.get_payload(decode=True).decode()
    row = reload(bericht)
    assert (row.status, row.pogingen, row.fout, row.volgende_poging_at) == ("verzonden", 1, "", None)
    assert row.verzonden_at is not None


def test_the_same_task_delivered_twice_sends_once(smtp, bericht):
    first = bericht_send_task.apply(args=[bericht.pk], task_id="bericht-1")
    again = bericht_send_task.apply(args=[bericht.pk], task_id="bericht-1")
    assert (first.get(), again.get()) == ("verzonden", "verzonden")
    assert len(smtp.messages) == 1
    assert reload(bericht).pogingen == 1


def test_a_refusing_server_leaves_the_row_waiting_and_beat_sends_it_once_when_back(smtp, bericht):
    smtp.refuse("451 4.3.0 Probeer het later opnieuw")
    now = timezone.now()
    with pytest.raises(VerzendFout):
        bericht_send(bericht_id=bericht.pk, now=now)
    # The task in-process (the embedded default) does not raise: the row waits for beat.
    assert bericht_send_task.apply(args=[bericht.pk]).get() == "wachtend"
    row = reload(bericht)
    assert (row.status, row.pogingen) == ("wachtend", 2)
    assert "451" in row.fout and "Probeer het later opnieuw" in row.fout
    assert row.volgende_poging_at > now
    assert smtp.messages == []

    smtp.accept()
    assert berichten_resend_due(now=now) == {}  # not due yet
    later = row.volgende_poging_at + dt.timedelta(seconds=1)
    assert berichten_resend_due(now=later) == {"verzonden": 1}
    assert berichten_resend_due(now=later + dt.timedelta(hours=2)) == {}
    assert len(smtp.messages) == 1
    assert reload(bericht).fout == ""


def test_waiting_grows_with_each_attempt_and_gives_up_visibly(smtp, bericht):
    smtp.refuse("550 5.1.1 Deze ontvanger bestaat niet")
    now = timezone.now()
    waits = []
    for _ in range(MAX_POGINGEN - 1):
        with pytest.raises(VerzendFout):
            bericht_send(bericht_id=bericht.pk, now=now)
        waits.append(reload(bericht).volgende_poging_at - now)
    assert (
        waits == sorted(waits) and waits[0] == dt.timedelta(seconds=60) and waits[-1] <= dt.timedelta(hours=1)
    )
    assert bericht_send(bericht_id=bericht.pk, now=now) == BerichtStatus.MISLUKT
    row = reload(bericht)
    assert (row.status, row.pogingen, row.volgende_poging_at) == ("mislukt", MAX_POGINGEN, None)
    assert "550" in row.fout
    assert berichten_due(now=now + dt.timedelta(days=1)) == []
    assert smtp.messages == []


def test_a_server_that_is_down_then_back(smtp, bericht):
    smtp.stop()
    now = timezone.now()
    with pytest.raises(VerzendFout):
        bericht_send(bericht_id=bericht.pk, now=now)
    row = reload(bericht)
    assert row.status == "wachtend" and "ConnectionRefusedError" in row.fout
    smtp.start()
    assert berichten_resend_due(now=row.volgende_poging_at) == {"verzonden": 1}
    assert berichten_resend_due(now=row.volgende_poging_at + dt.timedelta(hours=1)) == {}
    assert len(smtp.messages) == 1


def test_a_server_that_never_answers_times_out(smtp, silent_server, settings, bericht):
    settings.EMAIL_PORT = silent_server
    settings.EMAIL_TIMEOUT = 1
    now = timezone.now()
    with pytest.raises(VerzendFout):
        bericht_send(bericht_id=bericht.pk, now=now)
    row = reload(bericht)
    assert row.status == "wachtend" and "timed out" in row.fout
    settings.EMAIL_PORT = smtp.port
    assert berichten_resend_due(now=row.volgende_poging_at) == {"verzonden": 1}
    assert len(smtp.messages) == 1


def test_a_row_that_never_reached_a_worker_is_sent_by_beat(smtp, bericht):
    # The broker was down at the commit: no attempt, no next attempt's time.
    assert berichten_due(now=bericht.created_at + dt.timedelta(minutes=1)) == []
    assert berichten_resend_due(now=bericht.created_at + dt.timedelta(minutes=3)) == {"verzonden": 1}
    assert len(smtp.messages) == 1


def test_a_mail_about_something_gone_is_dropped_not_retried(smtp, bericht):
    uitnodiging = Uitnodiging.objects.get()
    uitnodiging_accept(
        token=uitnodiging.token, first_name="Anna", last_name="Smeets", password="Zonnebloem-7-Maas"
    )
    assert bericht_send(bericht_id=bericht.pk) == BerichtStatus.MISLUKT
    row = reload(bericht)
    assert row.fout == "vervallen: de uitnodiging is al gebruikt"
    assert smtp.messages == []


# --- queuing: bad input writes nothing ---------------------------------------------------------


def test_queue_refuses_an_unusable_address_and_writes_nothing(coordinator):
    with pytest.raises(ValidationError) as exc:
        notificatie_queue(ontvanger="geen-adres", soort="buurten.uitnodiging", context={}, sleutel="x")
    assert exc.value.messages == [
        "‘geen-adres’ is geen bruikbaar e-mailadres; de e-mail is niet in de wachtrij gezet."
    ]
    with pytest.raises(LookupError, match="onbekende e-mailsoort"):
        notificatie_queue(ontvanger="a@example.nl", soort="bestaat.niet", context={}, sleutel="y")
    assert Bericht.objects.count() == 0


def test_the_same_key_queues_once_and_a_long_key_stays_unique(coordinator):
    lang = "uitnodiging:1:" + "a" * 300 + "@example.nl"
    first = notificatie_queue(ontvanger="a@example.nl", soort="buurten.uitnodiging", context={}, sleutel=lang)
    assert first is not None and len(first.sleutel) == 200
    assert (
        notificatie_queue(ontvanger="a@example.nl", soort="buurten.uitnodiging", context={}, sleutel=lang)
        is None
    )
    other = notificatie_queue(
        ontvanger="a@example.nl", soort="buurten.uitnodiging", context={}, sleutel=lang.replace("@", "+b@")
    )
    assert other is not None and other.sleutel != first.sleutel
    assert Bericht.objects.count() == 2


# --- the invitation page: the mail server misbehaves, the page does not ------------------------

needs_eager = pytest.mark.skipif(
    not EAGER, reason="with REDIS_URL the page hands the mail to a worker (tests/notificaties/test_worker.py)"
)


@needs_eager
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("server", ["refuses", "down"])
def test_invitation_page_saves_and_says_the_mail_follows_when_smtp_fails(client, smtp, coordinator, server):
    if server == "refuses":
        smtp.refuse("451 4.7.1 Even niet")
    else:
        smtp.stop()
    response, page = post_invitation(client, coordinator)
    assert response.status_code == 302
    assert (
        "De uitnodiging voor anna@example.nl is opgeslagen; de e-mail wordt zo snel mogelijk verstuurd."
        in page
    )
    uitnodiging = Uitnodiging.objects.get(email="anna@example.nl")
    row = Bericht.objects.get(sleutel=uitnodiging_mail_sleutel(uitnodiging))
    assert (row.status, row.pogingen) == ("wachtend", 1) and row.fout and row.volgende_poging_at

    if server == "refuses":
        smtp.accept()
    else:
        smtp.start()
    assert berichten_resend_due(now=row.volgende_poging_at) == {"verzonden": 1}
    assert berichten_resend_due(now=row.volgende_poging_at + dt.timedelta(hours=1)) == {}
    (message,) = smtp.messages
    assert uitnodiging.token in message.get_payload(decode=True).decode()


@needs_eager
@pytest.mark.django_db(transaction=True)
def test_invitation_page_says_sent_when_the_server_took_it(client, smtp, coordinator):
    response, page = post_invitation(client, coordinator)
    assert response.status_code == 302
    assert "De uitnodiging is verstuurd naar anna@example.nl." in page
    assert len(smtp.messages) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_beat_skips_a_row_that_another_process_is_sending(smtp, coordinator):
    invite(coordinator)  # committed: sent at once (in-process) or handed to the broker
    row = Bericht.objects.get()
    Bericht.objects.filter(pk=row.pk).update(
        status=BerichtStatus.WACHTEND, volgende_poging_at=None, pogingen=0
    )
    sent_before = len(smtp.messages)
    locked, release = threading.Event(), threading.Event()

    def other_sender():
        with transaction.atomic():
            Bericht.objects.select_for_update().get(pk=row.pk)
            locked.set()
            release.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=other_sender)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        later = row.created_at + dt.timedelta(minutes=3)
        assert berichten_resend_due(now=later) == {"bezig": 1}  # not waited for
    finally:
        release.set()
        thread.join()
    assert berichten_resend_due(now=later) == {"verzonden": 1}
    assert len(smtp.messages) == sent_before + 1


@needs_eager
@pytest.mark.django_db(transaction=True)
def test_adding_an_account_with_the_server_down_says_the_mail_follows(client, smtp, coordinator):
    wijkagent = f.UserFactory(email="agent@politie.example")
    smtp.stop()
    client.force_login(coordinator)
    lid = coordinator.lidmaatschappen.get()
    url = reverse("buurten:lid_toevoegen", kwargs={"team_id": lid.team_id})
    partner = lid.team.gemeente.partners.get(naam="Woonpunt")
    response = client.post(
        url, {"email": wijkagent.email, "partner": partner.pk, "rol": Rol.TEAMLID}, follow=True
    )
    assert response.status_code == 200
    assert "De e-mail daarover wordt zo snel mogelijk verstuurd." in response.content.decode()
    assert wijkagent.lidmaatschappen.filter(team_id=lid.team_id).exists()
    row = Bericht.objects.get(soort="buurten.toegevoegd")
    assert (row.status, row.pogingen) == ("wachtend", 1) and "ConnectionRefusedError" in row.fout
    smtp.start()
    assert berichten_resend_due(now=row.volgende_poging_at) == {"verzonden": 1}
    assert len(smtp.messages) == 1
