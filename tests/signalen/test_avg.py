"""AVG rights: `manage.py avg_export` / `avg_erase` round trip for a resident and a staff member."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditRegel
from buurten.models import Lidmaatschap, Rol, Uitnodiging, User
from signalen.models import Steunbetuiging
from tests import factories as f

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_residents_support_export_and_erase_round_trip():
    steun = f.SteunbetuigingFactory(email="Bewoner@Example.nl", email_toestemming=True)

    data = json.loads(run("avg_export", "bewoner@example.nl"))
    assert data["account"] is None
    assert [s["signaal_id"] for s in data["steunbetuigingen"]] == [steun.signaal_id]
    html = run("avg_export", "bewoner@example.nl", "--html")
    assert "<h1>" in html and steun.signaal.titel in html

    # Without --bevestig nothing is erased.
    assert "Niets gewist" in run("avg_erase", "bewoner@example.nl")
    assert Steunbetuiging.objects.get(pk=steun.pk).email == "Bewoner@Example.nl"

    run("avg_erase", "bewoner@example.nl", "--bevestig")
    steun.refresh_from_db()
    assert (steun.email, steun.email_toestemming, steun.huishouden_hash) == ("", False, steun.huishouden_hash)
    assert json.loads(run("avg_export", "bewoner@example.nl"))["steunbetuigingen"] == []
    rij = AuditRegel.objects.get(actie="avg.erase")
    assert rij.details["steunbetuigingen"] == 1
    assert "example.nl" not in json.dumps(rij.details).lower()
    assert AuditRegel.objects.filter(actie="avg.export").count() == 3


def test_a_staff_members_account_is_exported_and_anonymised_not_deleted():
    team = f.TeamFactory()
    lid = f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID)
    f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR)
    user = lid.user
    signaal = f.SignaalFactory(team=team, created_by=user)
    Uitnodiging.objects.create(
        team=team, partner=lid.partner, email=user.email, token="t" * 64, verloopt_at=timezone.now()
    )

    data = json.loads(run("avg_export", user.email))
    assert data["account"]["email"] == user.email
    assert data["lidmaatschappen"][0]["team"] == team.naam
    assert [s["id"] for s in data["signalen_gelogd"]] == [signaal.pk]
    assert len(data["uitnodigingen"]) == 1

    email = user.email
    run("avg_erase", email, "--bevestig")
    user.refresh_from_db()
    assert user.email == f"verwijderd-{user.pk}@verwijderd.invalid"
    assert (user.first_name, user.last_name, user.is_active, user.has_usable_password()) == (
        "",
        "",
        False,
        False,
    )
    assert not Lidmaatschap.objects.filter(user=user).exists()
    assert not Uitnodiging.objects.exists()
    assert json.loads(run("avg_export", email))["account"] is None
    assert AuditRegel.objects.get(actie="avg.erase").object_id == str(user.pk)


def test_the_last_coordinator_is_not_erased_and_nothing_is_written():
    lid = f.LidmaatschapFactory(rol=Rol.COORDINATOR)
    steun = f.SteunbetuigingFactory(email=lid.user.email, email_toestemming=True)

    with pytest.raises(CommandError, match="laatste coördinator"):
        run("avg_erase", lid.user.email, "--bevestig")

    assert User.objects.get(pk=lid.user.pk).email == lid.user.email
    assert Steunbetuiging.objects.get(pk=steun.pk).email == lid.user.email
    assert not AuditRegel.objects.filter(actie="avg.erase").exists()


def test_a_bad_address_is_a_dutch_message():
    with pytest.raises(CommandError, match="Geef een geldig e-mailadres op"):
        run("avg_export", "geen-adres")
