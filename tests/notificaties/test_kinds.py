"""Each kind of mail is queued by its service in the service's transaction, with the recipient and
the key of its event, and renders with the wording of its templates."""

from decimal import Decimal

import pytest
from django.core import mail

from buurten.models import Rol
from buurten.services.uitnodigingen import lidmaatschap_add_existing, uitnodiging_create
from core.actors import TALLY
from notificaties.models import Bericht
from signalen.models import Signaal, Status, StatusWijziging, TriageUitkomst
from signalen.services import signaal_triage, signalen_tally
from tests import factories as f
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = f.TeamFactory(naam="Malberg", drempel_huishoudens=2, anoniem_gewicht=Decimal("0.5"))
    f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR, user__email="coord1@example.nl")
    f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR, user__email="coord2@example.nl")
    return team


@pytest.fixture
def coordinator(team):
    return team.lidmaatschappen.filter(rol=Rol.COORDINATOR).order_by("pk").first().user


@pytest.fixture
def partner(team):
    return f.PartnerFactory(
        gemeente=team.gemeente, naam="Woonpunt", contact_email="meldingen@woonpunt.example"
    )


def queued(django_capture_on_commit_callbacks, service, **kwargs):
    """Run the service; nothing is sent before its commit, the rows are there inside it."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = service(**kwargs)
        assert mail.outbox == []
    assert callbacks
    deliver_outbox()
    return result


def test_invitation(team, coordinator, partner, django_capture_on_commit_callbacks):
    u = queued(
        django_capture_on_commit_callbacks,
        uitnodiging_create,
        team=team,
        partner=partner,
        rol=Rol.TEAMLID,
        email="Anna@Example.nl",
        door=coordinator,
    )
    (row,) = Bericht.objects.all()
    assert (row.soort, row.ontvanger, row.sleutel) == (
        "buurten.uitnodiging",
        "anna@example.nl",
        f"uitnodiging:{u.pk}:anna@example.nl",
    )
    assert row.status == "verzonden" and row.context == {"uitnodiging_id": u.pk, "base_url": ""}
    (message,) = mail.outbox
    assert message.subject == "Uitnodiging voor het Veilige Buurten Team Malberg"
    assert "nodigt je uit voor het Veilige Buurten Team Malberg, als teamlid namens Woonpunt." in message.body
    assert f"http://127.0.0.1:8000/uitnodiging/{u.token}/" in message.body


def test_account_added(team, coordinator, partner, django_capture_on_commit_callbacks):
    wijkagent = f.UserFactory(email="agent@politie.example")
    lid = queued(
        django_capture_on_commit_callbacks,
        lidmaatschap_add_existing,
        team=team,
        door=coordinator,
        email="agent@politie.example",
        partner=partner,
        rol=Rol.TEAMLID,
        base_url="https://vbt.example.nl/",
    )
    (row,) = Bericht.objects.all()
    assert (row.soort, row.ontvanger, row.sleutel) == (
        "buurten.toegevoegd",
        wijkagent.email,
        f"toegevoegd:{lid.pk}:agent@politie.example",
    )
    (message,) = mail.outbox
    assert message.to == ["agent@politie.example"]
    assert message.subject == "Je bent toegevoegd aan het Veilige Buurten Team Malberg"
    assert f"{coordinator} heeft je toegevoegd" in message.body
    assert f"https://vbt.example.nl/teams/{team.pk}/" in message.body


def test_forwarded_signal(team, coordinator, partner, django_capture_on_commit_callbacks):
    signaal = f.SignaalFactory(team=team, status=Status.DRAAGVLAK_BEREIKT, titel="Lantaarnpaal kapot")
    queued(
        django_capture_on_commit_callbacks,
        signaal_triage,
        signaal=signaal,
        uitkomst=TriageUitkomst.PRIMAIRE_TAAK,
        door=coordinator,
        partner=partner,
    )
    wijziging = StatusWijziging.objects.filter(signaal=signaal).latest("pk")
    (row,) = Bericht.objects.all()
    assert (row.soort, row.ontvanger, row.sleutel) == (
        "signalen.doorgezet",
        "meldingen@woonpunt.example",
        f"doorgezet:{signaal.pk}:{wijziging.pk}:meldingen@woonpunt.example",
    )
    (message,) = mail.outbox
    assert message.subject == "Doorgezet signaal van Malberg"
    assert "Signaal: Lantaarnpaal kapot" in message.body
    assert coordinator.email in message.body


def test_draagvlak_one_row_per_coordinator(team, django_capture_on_commit_callbacks):
    signalen = [f.SignaalFactory(team=team, titel=f"Signaal {i}") for i in range(2)]
    for s in signalen:
        for i in range(2):
            f.SteunbetuigingFactory(signaal=s, huishouden_hash=f"{s.pk:032x}{i:032x}")
    Signaal.objects.update(steun_herberekenen=True)
    result = queued(django_capture_on_commit_callbacks, signalen_tally, door=TALLY)
    assert result.gemeld == 2
    rows = list(Bericht.objects.order_by("ontvanger"))
    assert [(r.soort, r.ontvanger) for r in rows] == [
        ("signalen.draagvlak", "coord1@example.nl"),
        ("signalen.draagvlak", "coord2@example.nl"),
    ]
    for row in rows:
        assert row.sleutel.startswith(f"draagvlak:{team.pk}:") and row.sleutel.endswith(f":{row.ontvanger}")
        assert row.context == {"team_id": team.pk, "signaal_ids": [s.pk for s in signalen], "aantal": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["coord1@example.nl", "coord2@example.nl"]
    assert {m.subject for m in mail.outbox} == {"Draagvlak bereikt voor 2 signalen van Malberg"}
    assert "- Signaal 0" in mail.outbox[0].body and "- Signaal 1" in mail.outbox[0].body
