"""Adding a person who already has an account (a wijkagent in a second team) by e-mail address."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from buurten.models import Lidmaatschap, Rol, User
from buurten.services.uitnodigingen import lidmaatschap_add_existing
from tests.factories import (
    GemeenteFactory,
    LidmaatschapFactory,
    PartnerFactory,
    TeamFactory,
    UserFactory,
    activate_totp,
)
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _coordinator_has_totp(coordinator):
    """Adding a person is a coördinator page: the team's coördinator has set up TOTP."""
    activate_totp(coordinator)


@pytest.fixture
def wijkagent(politie):
    """A member of another team of the same gemeente."""
    ander_team = TeamFactory(naam="Wittevrouwenveld", gemeente=politie.gemeente)
    return LidmaatschapFactory(team=ander_team, partner=politie, rol=Rol.TEAMLID).user


def seats() -> int:
    return Lidmaatschap.objects.count()


def add(team, door, email, partner, rol=Rol.TEAMLID):
    return lidmaatschap_add_existing(team=team, door=door, email=email, partner=partner, rol=rol)


# --- service ---------------------------------------------------------------------------------


def test_adds_the_seat_and_mails_the_person_after_commit(
    team, coordinator, politie, wijkagent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lid = add(team, coordinator, f"  {wijkagent.email.upper()} ", politie)
        assert mail.outbox == []  # nothing leaves before the commit
    deliver_outbox()
    assert (lid.user, lid.team, lid.partner, lid.rol) == (wijkagent, team, politie, Rol.TEAMLID)
    assert set(wijkagent.lidmaatschappen.values_list("team__naam", flat=True)) == {
        "Malberg",
        "Wittevrouwenveld",
    }
    (message,) = mail.outbox
    assert message.to == [wijkagent.email]
    assert "Malberg" in message.subject
    assert "Politie Limburg" in message.body and str(coordinator) in message.body
    assert f"/teams/{team.pk}/" in message.body


def test_found_by_a_secondary_verified_address(team, coordinator, politie, wijkagent):
    EmailAddress.objects.create(user=wijkagent, email="agent.tweede@politie.example", verified=True)
    assert add(team, coordinator, "agent.tweede@politie.example", politie).user == wijkagent


def test_a_coordinator_seat_gives_admin_access(team, coordinator, politie, wijkagent):
    assert not wijkagent.is_staff
    add(team, coordinator, wijkagent.email, politie, rol=Rol.COORDINATOR)
    wijkagent.refresh_from_db()
    assert wijkagent.is_staff


@pytest.mark.parametrize(
    ("email", "bericht"),
    [
        ("onbekend@example.nl", "Er is geen account met dit e-mailadres"),
        ("", "Vul een e-mailadres in."),
    ],
)
def test_no_account_is_refused_and_writes_nothing(team, coordinator, politie, email, bericht):
    before = (seats(), User.objects.count())
    with pytest.raises(ValidationError) as exc:
        add(team, coordinator, email, politie)
    assert bericht in " ".join(exc.value.message_dict["email"])
    assert (seats(), User.objects.count()) == before
    assert mail.outbox == []


def test_a_switched_off_account_is_refused(team, coordinator, politie):
    UserFactory(email="weg@example.nl", is_active=False)
    before = seats()
    with pytest.raises(ValidationError) as exc:
        add(team, coordinator, "weg@example.nl", politie)
    assert "uitgeschakeld" in " ".join(exc.value.message_dict["email"])
    assert seats() == before


def test_a_second_seat_for_the_same_partner_is_refused(team, coordinator, politie, wijkagent):
    add(team, coordinator, wijkagent.email, politie)
    before = seats()
    with pytest.raises(ValidationError) as exc:
        add(team, coordinator, wijkagent.email, politie, rol=Rol.COORDINATOR)
    assert "is al lid van Malberg namens Politie Limburg" in " ".join(exc.value.messages)
    assert seats() == before


def test_a_partner_of_another_gemeente_is_refused(team, coordinator, wijkagent):
    elders = PartnerFactory(gemeente=GemeenteFactory(code="GM0917", naam="Heerlen"))
    before = seats()
    with pytest.raises(ValidationError) as exc:
        add(team, coordinator, wijkagent.email, elders)
    assert "gemeente van dit team" in " ".join(exc.value.messages)
    assert seats() == before


def test_a_teamlid_may_not_add_people(team, politie, wijkagent):
    teamlid = LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user
    before = seats()
    with pytest.raises(PermissionDenied):
        add(team, teamlid, wijkagent.email, politie)
    assert seats() == before
    assert mail.outbox == []


# --- page ------------------------------------------------------------------------------------


def url(team) -> str:
    return reverse("buurten:lid_toevoegen", kwargs={"team_id": team.pk})


def test_coordinator_adds_through_the_page(
    client, team, coordinator, politie, wijkagent, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    leden = client.get(reverse("buurten:team_leden", kwargs={"team_id": team.pk})).content.decode()
    assert url(team) in leden  # linked from the members page
    page = client.get(url(team))
    assert page.status_code == 200
    assert "Politie Limburg" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(team), {"email": wijkagent.email, "partner": politie.pk, "rol": Rol.TEAMLID}
        )
    assert response.status_code == 302
    assert response.url == reverse("buurten:team_leden", kwargs={"team_id": team.pk})
    assert Lidmaatschap.objects.filter(team=team, user=wijkagent, partner=politie).exists()
    deliver_outbox()
    assert len(mail.outbox) == 1
    follow = client.get(response.url).content.decode()
    assert "is toegevoegd aan het team namens Politie Limburg." in follow


def test_page_says_why_and_writes_nothing(client, team, coordinator, politie):
    client.force_login(coordinator)
    before = seats()
    response = client.post(
        url(team), {"email": "onbekend@example.nl", "partner": politie.pk, "rol": Rol.TEAMLID}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Er is geen account met dit e-mailadres" in body
    assert reverse("buurten:uitnodigen", kwargs={"team_id": team.pk}) in body  # the way out
    assert seats() == before
    assert mail.outbox == []


def test_page_refuses_bad_input_per_field(client, team, coordinator):
    client.force_login(coordinator)
    elders = PartnerFactory(gemeente=GemeenteFactory(code="GM0917", naam="Heerlen"))
    before = seats()
    response = client.post(url(team), {"email": "geen-adres", "partner": elders.pk, "rol": "baas"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "partner", "rol"}
    assert seats() == before


def test_coordinator_of_another_team_cannot_add_here(client, coordinator, politie, wijkagent):
    ander_team = wijkagent.lidmaatschappen.get().team
    client.force_login(coordinator)
    before = seats()
    response = client.post(
        url(ander_team), {"email": wijkagent.email, "partner": politie.pk, "rol": Rol.TEAMLID}
    )
    assert response.status_code == 404
    assert seats() == before


def test_the_invitation_refusal_points_to_this_page(client, team, coordinator, politie, wijkagent):
    client.force_login(coordinator)
    response = client.post(
        reverse("buurten:uitnodigen", kwargs={"team_id": team.pk}),
        {"email": wijkagent.email, "partner": politie.pk, "rol": Rol.TEAMLID},
    )
    assert response.status_code == 400
    assert "Bestaand account toevoegen" in response.content.decode()
