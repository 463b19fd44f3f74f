"""Invitations: a coordinator invites a new person by e-mail into their own team."""

import datetime as dt
import re
import threading

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from buurten.models import Lidmaatschap, Rol, Uitnodiging, User
from buurten.services.teams import lidmaatschap_create
from buurten.services.uitnodigingen import (
    UitnodigingOnbruikbaar,
    uitnodiging_accept,
    uitnodiging_create,
)
from tests.factories import (
    GemeenteFactory,
    LidmaatschapFactory,
    PartnerFactory,
    TeamFactory,
    UserFactory,
    activate_totp,
    verify_email,
)
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

WACHTWOORD = "Zonnebloem-Maas-2024"


@pytest.fixture(autouse=True)
def _coordinator_has_totp(coordinator):
    """Inviting is a coördinator page: the team's coördinator has set up TOTP."""
    activate_totp(coordinator)


def invite(team, partner, door, email="nieuw@example.nl", rol=Rol.TEAMLID):
    return uitnodiging_create(team=team, partner=partner, rol=rol, email=email, door=door)


def link_from(message) -> str:
    return re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)


# --- service ---------------------------------------------------------------------------------


def test_create_sends_mail_with_link_after_commit(
    team, coordinator, politie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        uitnodiging = invite(team, politie, coordinator, email=" Nieuw@Example.nl ")
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    deliver_outbox()
    assert uitnodiging.email == "nieuw@example.nl"
    assert len(uitnodiging.token) >= 40
    assert uitnodiging.verloopt_at - timezone.now() > dt.timedelta(days=6)
    (message,) = mail.outbox
    assert message.to == ["nieuw@example.nl"]
    assert "Malberg" in message.subject
    assert "Politie Limburg" in message.body
    assert link_from(message).endswith(f"/uitnodiging/{uitnodiging.token}/")


def test_inviting_an_existing_account_is_refused_and_writes_nothing(
    team, coordinator, politie, django_capture_on_commit_callbacks
):
    UserFactory(email="bestaand@example.nl")
    before = (Uitnodiging.objects.count(), User.objects.count())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        invite(team, politie, coordinator, email="BESTAAND@example.nl")
    assert "Er bestaat al een account met dit e-mailadres" in str(exc.value.message_dict["email"])
    assert (Uitnodiging.objects.count(), User.objects.count()) == before
    assert mail.outbox == []


def test_partner_of_another_gemeente_is_refused(team, coordinator):
    elders = PartnerFactory(gemeente=GemeenteFactory(code="GM0917", naam="Heerlen"))
    with pytest.raises(ValidationError) as exc:
        invite(team, elders, coordinator)
    assert "partner" in exc.value.message_dict
    assert Uitnodiging.objects.count() == 0


def test_teamlid_cannot_invite(team, politie):
    teamlid = LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user
    with pytest.raises(PermissionDenied):
        invite(team, politie, teamlid)
    assert Uitnodiging.objects.count() == 0


def test_accept_creates_verified_user_and_membership(team, coordinator, politie):
    uitnodiging = invite(team, politie, coordinator, rol=Rol.COORDINATOR)
    user = uitnodiging_accept(
        token=uitnodiging.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD
    )
    assert user.email == "nieuw@example.nl"
    assert user.check_password(WACHTWOORD)
    assert user.get_full_name() == "Anna Smeets"
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary and address.email == "nieuw@example.nl"
    lid = Lidmaatschap.objects.get(user=user)
    assert (lid.team, lid.partner, lid.rol) == (team, politie, Rol.COORDINATOR)
    uitnodiging.refresh_from_db()
    assert uitnodiging.geaccepteerd_at is not None


def test_reused_invitation_is_refused(team, coordinator, politie):
    uitnodiging = invite(team, politie, coordinator)
    uitnodiging_accept(token=uitnodiging.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD)
    before = (User.objects.count(), Lidmaatschap.objects.count())
    with pytest.raises(UitnodigingOnbruikbaar) as exc:
        uitnodiging_accept(token=uitnodiging.token, first_name="Bea", last_name="Bos", password=WACHTWOORD)
    assert exc.value.code == "gebruikt"
    assert (User.objects.count(), Lidmaatschap.objects.count()) == before


def test_expired_invitation_is_refused(team, coordinator, politie):
    uitnodiging = invite(team, politie, coordinator)
    Uitnodiging.objects.filter(pk=uitnodiging.pk).update(verloopt_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(UitnodigingOnbruikbaar) as exc:
        uitnodiging_accept(
            token=uitnodiging.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD
        )
    assert exc.value.code == "verlopen"
    assert not User.objects.filter(email="nieuw@example.nl").exists()


def test_a_new_invitation_replaces_the_open_one(team, coordinator, politie):
    eerste = invite(team, politie, coordinator)
    tweede = invite(team, politie, coordinator)
    with pytest.raises(UitnodigingOnbruikbaar):
        uitnodiging_accept(token=eerste.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD)
    uitnodiging_accept(token=tweede.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD)
    assert User.objects.filter(email="nieuw@example.nl").exists()


def test_second_membership_same_person_partner_team_is_refused(team, coordinator, politie):
    uitnodiging = invite(team, politie, coordinator)
    user = uitnodiging_accept(
        token=uitnodiging.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD
    )
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_create(team=team, door=coordinator, user=user, partner=politie, rol=Rol.TEAMLID)
    assert "is al lid van Malberg namens Politie Limburg" in exc.value.messages[0]
    assert Lidmaatschap.objects.filter(user=user).count() == 1


# --- invite page -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_coordinator_invites_through_the_page(client, team, coordinator, politie):
    # Committed as in production: the mail leaves at the commit, before the page answers.
    client.force_login(coordinator)
    url = reverse("buurten:uitnodigen", kwargs={"team_id": team.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Politie Limburg" in page.content.decode()
    response = client.post(url, {"email": "nieuw@example.nl", "partner": politie.pk, "rol": Rol.TEAMLID})
    assert response.status_code == 302
    assert Uitnodiging.objects.get().email == "nieuw@example.nl"
    follow = client.get(url)
    if settings.CELERY_TASK_ALWAYS_EAGER:  # sent in-process at the commit
        assert "De uitnodiging is verstuurd naar nieuw@example.nl." in follow.content.decode()
    else:  # queued for a worker (none runs in this test)
        assert "de e-mail wordt zo snel mogelijk verstuurd" in follow.content.decode()
        deliver_outbox()
    (message,) = mail.outbox
    assert link_from(message).startswith("http://testserver/uitnodiging/")
    assert "nieuw@example.nl" in follow.content.decode()  # listed as open


def test_page_shows_existing_account_error_and_writes_nothing(client, team, coordinator, politie):
    UserFactory(email="bestaand@example.nl")
    client.force_login(coordinator)
    response = client.post(
        reverse("buurten:uitnodigen", kwargs={"team_id": team.pk}),
        {"email": "bestaand@example.nl", "partner": politie.pk, "rol": Rol.TEAMLID},
    )
    assert response.status_code == 400
    assert "Er bestaat al een account met dit e-mailadres" in response.content.decode()
    assert Uitnodiging.objects.count() == 0
    assert mail.outbox == []


def test_page_refuses_bad_input_with_messages(client, team, coordinator):
    client.force_login(coordinator)
    elders = PartnerFactory(gemeente=GemeenteFactory(code="GM0917", naam="Heerlen"))
    response = client.post(
        reverse("buurten:uitnodigen", kwargs={"team_id": team.pk}),
        {"email": "geen-adres", "partner": elders.pk, "rol": "baas"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"email", "partner", "rol"}
    assert Uitnodiging.objects.count() == 0


def test_teamlid_gets_403_on_invite_page(client, team):
    teamlid = verify_email(LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user)
    client.force_login(teamlid)
    url = reverse("buurten:uitnodigen", kwargs={"team_id": team.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "x@example.nl"}).status_code == 403
    assert Uitnodiging.objects.count() == 0


def test_coordinator_of_team_a_cannot_invite_into_team_b(client, coordinator, politie):
    ander_team = TeamFactory(naam="Wittevrouwenveld", gemeente=politie.gemeente)
    client.force_login(coordinator)
    response = client.post(
        reverse("buurten:uitnodigen", kwargs={"team_id": ander_team.pk}),
        {"email": "nieuw@example.nl", "partner": politie.pk, "rol": Rol.TEAMLID},
    )
    assert response.status_code in (403, 404)
    assert Uitnodiging.objects.count() == 0


def test_anonymous_is_sent_to_login(client, team):
    url = reverse("buurten:uitnodigen", kwargs={"team_id": team.pk})
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# --- accept page -----------------------------------------------------------------------------


def test_accept_page_creates_account_and_logs_in(client, team, coordinator, politie):
    uitnodiging = invite(team, politie, coordinator)
    url = reverse("buurten:uitnodiging_accepteren", kwargs={"token": uitnodiging.token})
    page = client.get(url)
    assert page.status_code == 200
    assert "Welkom bij Malberg" in page.content.decode()
    response = client.post(
        url, {"first_name": "Anna", "last_name": "Smeets", "password1": WACHTWOORD, "password2": WACHTWOORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("buurten:team_detail", kwargs={"team_id": team.pk})
    user = User.objects.get(email="nieuw@example.nl")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Lidmaatschap.objects.filter(user=user, team=team, partner=politie).exists()
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()


def test_accept_page_refuses_mismatched_or_weak_password(client, team, coordinator, politie):
    uitnodiging = invite(team, politie, coordinator)
    url = reverse("buurten:uitnodiging_accepteren", kwargs={"token": uitnodiging.token})
    response = client.post(
        url, {"first_name": "Anna", "last_name": "Smeets", "password1": WACHTWOORD, "password2": "anders"}
    )
    assert response.status_code == 400
    assert "De twee wachtwoorden zijn niet gelijk." in response.content.decode()
    response = client.post(
        url, {"first_name": "Anna", "last_name": "", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 400
    assert {"last_name", "password1"} <= set(response.context["form"].errors)
    assert not User.objects.filter(email="nieuw@example.nl").exists()
    assert "_auth_user_id" not in client.session


def test_reused_link_page_is_410_and_writes_nothing(client, team, coordinator, politie):
    uitnodiging = invite(team, politie, coordinator)
    uitnodiging_accept(token=uitnodiging.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD)
    url = reverse("buurten:uitnodiging_accepteren", kwargs={"token": uitnodiging.token})
    for response in (
        client.get(url),
        client.post(
            url, {"first_name": "B", "last_name": "B", "password1": WACHTWOORD, "password2": WACHTWOORD}
        ),
    ):
        assert response.status_code == 410
        assert "Deze uitnodiging is al gebruikt." in response.content.decode()
    assert User.objects.filter(email="nieuw@example.nl").count() == 1


def test_expired_link_page_is_410(client, team, coordinator, politie):
    uitnodiging = invite(team, politie, coordinator)
    Uitnodiging.objects.filter(pk=uitnodiging.pk).update(verloopt_at=timezone.now() - dt.timedelta(seconds=1))
    url = reverse("buurten:uitnodiging_accepteren", kwargs={"token": uitnodiging.token})
    response = client.post(
        url, {"first_name": "Anna", "last_name": "Smeets", "password1": WACHTWOORD, "password2": WACHTWOORD}
    )
    assert response.status_code == 410
    assert "Deze uitnodiging is verlopen." in response.content.decode()
    assert not User.objects.filter(email="nieuw@example.nl").exists()


def test_unknown_link_page_is_404(client):
    response = client.get(reverse("buurten:uitnodiging_accepteren", kwargs={"token": "bestaat-niet"}))
    assert response.status_code == 404
    assert "Deze uitnodigingslink is onbekend." in response.content.decode()


def test_accept_page_when_logged_in_asks_to_log_out(client, team, coordinator, politie):
    uitnodiging = invite(team, politie, coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("buurten:uitnodiging_accepteren", kwargs={"token": uitnodiging.token}))
    assert response.status_code == 400
    assert "Log eerst uit" in response.content.decode()


def test_second_invitation_after_the_address_got_an_account_is_refused(team, coordinator, politie):
    ander_team = TeamFactory(naam="Wittevrouwenveld", gemeente=team.gemeente)
    ander_coordinator = verify_email(LidmaatschapFactory(team=ander_team, rol=Rol.COORDINATOR).user)
    activate_totp(ander_coordinator)
    hier = invite(team, politie, coordinator)
    daar = invite(ander_team, politie, ander_coordinator)
    uitnodiging_accept(token=hier.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD)
    with pytest.raises(ValidationError) as exc:
        uitnodiging_accept(token=daar.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD)
    assert "Er bestaat al een account met dit e-mailadres" in exc.value.messages[0]
    daar.refresh_from_db()
    assert daar.geaccepteerd_at is None
    assert Lidmaatschap.objects.filter(user__email="nieuw@example.nl").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_the_same_link_accepted_twice_at_once_makes_one_account():
    team = TeamFactory(naam="Malberg")
    coordinator = LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user
    partner = PartnerFactory(gemeente=team.gemeente)
    uitnodiging = invite(team, partner, coordinator)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept():
        start.wait()
        try:
            uitnodiging_accept(
                token=uitnodiging.token, first_name="Anna", last_name="Smeets", password=WACHTWOORD
            )
            outcomes.append("ok")
        except UitnodigingOnbruikbaar as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["gebruikt", "ok"]
    assert User.objects.filter(email="nieuw@example.nl").count() == 1
    assert Lidmaatschap.objects.filter(user__email="nieuw@example.nl").count() == 1
