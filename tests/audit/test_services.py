"""Every service that changes state writes one audit row in its transaction, and refuses a
missing actor (`door=None` is never "the system" or "already checked")."""

import json
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from audit.context import Herkomst
from audit.models import Resultaat
from buurten.models import Rol
from buurten.services import teams as team_services
from buurten.services import uitnodigingen
from buurten.services.importeren import gebieden_import
from core.actors import COMMAND, DEMO, TALLY
from signalen.models import Kanaal, Signaal, Status, TriageUitkomst
from signalen.services import (
    signaal_log,
    signaal_status_change,
    signaal_triage,
    signalen_tally,
    steun_herberekenen_team,
    steun_register,
    steun_register_anoniem,
    steun_withdraw,
    thema_seed_defaults,
    wijkronde_create,
)
from signalen.services.fotos import foto_add_upload
from signalen.services.instellingen import team_instellingen_update
from tests import factories as f
from tests.audit.conftest import rows
from tests.buurten.teams_world import IN_EAST, INSIDE_WEST
from tests.buurten.test_point_lookup import collection, square
from tests.signalen.ui import jpeg_upload

pytestmark = pytest.mark.django_db

POSTCODE = "6211 AB"


# Each case: (actie, who acts, object type, call(world, door)). "system" cases act as DEMO.
def _instellingen(w, door):
    team_instellingen_update(
        team=w.team,
        door=door,
        drempel_huishoudens=3,
        anoniem_gewicht=Decimal("0.5"),
        steun_venster_maanden=12,
        bewaartermijn_maanden=24,
    )


def _doel(w, door):
    team_services.team_doel_update(
        team=w.team, door=door, doel="Een schonere buurt", doel_start=None, doel_evaluatie=None
    )


def _inzet(w, door):
    team_services.partnerinzet_update(
        team=w.team, door=door, partner=w.partners["politie"], toezegging="Twee uur per week", gevraagd=""
    )


def _lid_create(w, door):
    team_services.lidmaatschap_create(
        team=w.team, door=door, user=f.UserFactory(), partner=w.partners["politie"], rol=Rol.TEAMLID
    )


def _lid_rol(w, door):
    team_services.lidmaatschap_update_rol(lidmaatschap=w.teamlid_seat, door=door, rol=Rol.COORDINATOR)


def _lid_delete(w, door):
    team_services.lidmaatschap_delete(lidmaatschap=w.teamlid_seat, door=door)


def _sub_create(w, door):
    team_services.subgebied_create(team=w.team, door=door, buurt=w.buurt, naam="Markt", geometrie=INSIDE_WEST)


def _sub_update(w, door):
    team_services.subgebied_update(
        subgebied=w.subgebied, door=door, buurt=w.buurt, naam="Kerkplein", geometrie=INSIDE_WEST
    )


def _sub_delete(w, door):
    team_services.subgebied_delete(subgebied=w.subgebied, door=door)


def _uitnodiging(w, door):
    uitnodigingen.uitnodiging_create(
        team=w.team, partner=w.partners["politie"], rol=Rol.TEAMLID, email="nieuw@example.nl", door=door
    )


def _bestaand(w, door):
    user = f.UserFactory(email="wijkagent@example.nl")
    uitnodigingen.lidmaatschap_add_existing(
        team=w.team, door=door, email=user.email, partner=w.partners["politie"], rol=Rol.TEAMLID
    )


def _signaal_log(w, door):
    signaal_log(
        team=w.team,
        door=door,
        titel="Kapotte lantaarn",
        thema=w.thema,
        kanaal=Kanaal.STRAATGESPREK,
        lat=50.85,
        lon=5.69,
    )


def _wijkronde(w, door):
    wijkronde_create(team=w.team, door=door, datum=timezone.localdate(), buurten=[w.buurt], notities="Rondje")


def _steun(w, door):
    steun_register(
        signaal=w.open,
        door=door,
        kanaal=Kanaal.HUISBEZOEK,
        datum=timezone.localdate(),
        postcode=POSTCODE,
        huisnummer="12",
        email="bewoner@example.nl",
        email_toestemming=True,
    )


def _steun_anoniem(w, door):
    steun_register_anoniem(
        signaal=w.open, door=door, kanaal=Kanaal.BUURTBIJEENKOMST, datum=timezone.localdate(), aantal=4
    )


def _steun_withdraw(w, door):
    steun_withdraw(steunbetuiging=f.SteunbetuigingFactory(signaal=w.open), door=door)


def _herberekenen(w, door):
    steun_herberekenen_team(team=w.team, door=door)


def _status(w, door):
    signaal_status_change(signaal=w.open, naar=Status.DRAAGVLAK_GEZOCHT, door=door)


def _triage(w, door):
    Signaal.objects.filter(pk=w.open.pk).update(status=Status.DRAAGVLAK_BEREIKT)
    w.open.refresh_from_db()
    signaal_triage(signaal=w.open, uitkomst=TriageUitkomst.INTEGRAAL, door=door)


def _foto(w, door):
    foto_add_upload(signaal=w.open, upload=jpeg_upload(), door=door)


def _themas(w, door):
    thema_seed_defaults(gemeente=w.team.gemeente, door=door)


def _import(w, door):
    gebieden_import(door=door, bron=collection(("BU09359901", "Nieuwbuurt", square(5.60, 50.80))))


def _tally(w, door):
    f.SteunbetuigingFactory(signaal=w.open, datum=timezone.localdate())
    Signaal.objects.filter(pk=w.open.pk).update(steun_herberekenen=True)
    signalen_tally(door=door)


SERVICES = [
    ("team.instellingen", "coordinator", "buurten.team", _instellingen),
    ("team.doel", "coordinator", "buurten.team", _doel),
    ("partnerinzet.update", "coordinator", "buurten.partnerinzet", _inzet),
    ("lidmaatschap.create", "coordinator", "buurten.lidmaatschap", _lid_create),
    ("lidmaatschap.rol", "coordinator", "buurten.lidmaatschap", _lid_rol),
    ("lidmaatschap.delete", "coordinator", "buurten.lidmaatschap", _lid_delete),
    ("subgebied.create", "coordinator", "buurten.subgebied", _sub_create),
    ("subgebied.update", "coordinator", "buurten.subgebied", _sub_update),
    ("subgebied.delete", "coordinator", "buurten.subgebied", _sub_delete),
    ("uitnodiging.create", "coordinator", "buurten.uitnodiging", _uitnodiging),
    ("lidmaatschap.create", "coordinator", "buurten.lidmaatschap", _bestaand),
    ("signaal.log", "teamlid", "signalen.signaal", _signaal_log),
    ("wijkronde.create", "teamlid", "signalen.wijkronde", _wijkronde),
    ("steun.register", "teamlid", "signalen.steunbetuiging", _steun),
    ("steun.register_anoniem", "teamlid", "signalen.steunbetuiging", _steun_anoniem),
    ("steun.withdraw", "teamlid", "signalen.steunbetuiging", _steun_withdraw),
    ("steun.herberekenen_team", "coordinator", "buurten.team", _herberekenen),
    ("signaal.status", "teamlid", "signalen.signaal", _status),
    ("signaal.triage", "coordinator", "signalen.signaal", _triage),
    ("foto.add", "teamlid", "signalen.foto", _foto),
    ("thema.seed", "system", "buurten.gemeente", _themas),
    ("gebieden.import", "system", "", _import),
    ("signaal.status", "tally", "signalen.signaal", _tally),
]
IDS = [call.__name__.strip("_") for *_, call in SERVICES]
ACTORS = {"system": DEMO, "tally": TALLY}


def _door(w, who):
    return ACTORS.get(who) or getattr(w, who)


def _no_personal_data(w, row) -> None:
    text = json.dumps(row.details)
    for secret in (
        w.open.titel,
        w.open.omschrijving,
        POSTCODE,
        "6211",
        "bewoner@example.nl",
        w.teamlid.email,
        w.teamlid.first_name,
        "Twee uur per week",
        "Een schonere buurt",
        "Kapotte lantaarn",
        "Rondje",
    ):
        assert secret not in text, (secret, row.details)


@pytest.mark.parametrize(("actie", "who", "object_type", "call"), SERVICES, ids=IDS)
def test_each_service_writes_one_audit_row(world, actie, who, object_type, call):
    door = _door(world, who)
    before = rows(actie).count()
    call(world, door)
    assert rows(actie).count() == before + 1
    row = rows(actie).last()
    assert (row.resultaat, row.herkomst, row.ip) == (Resultaat.GELUKT, Herkomst.SYSTEEM, None)
    assert row.object_type == object_type
    if object_type:
        assert row.object_id
    if who in ACTORS:
        assert (row.door, row.door_label, row.door_partner) == (None, str(door), "")
    else:
        # The actor's partner in that team comes from buurten's resolver.
        assert (row.door, row.door_label, row.door_partner) == (door, door.email, "Partner gemeente")
    if object_type.startswith("signalen.") or actie.startswith(("team.", "lidmaatschap.", "subgebied.")):
        assert row.team_id == world.team.pk
    _no_personal_data(world, row)


@pytest.mark.parametrize(("actie", "who", "object_type", "call"), SERVICES, ids=IDS)
def test_a_missing_actor_raises_and_writes_nothing(world, actie, who, object_type, call):
    before = rows().count()
    with pytest.raises(TypeError, match="door is verplicht"):
        call(world, None)
    assert rows().count() == before


def test_an_accepted_invitation_is_the_new_persons_action(world):
    uitnodiging = uitnodigingen.uitnodiging_create(
        team=world.team,
        partner=world.partners["politie"],
        rol=Rol.TEAMLID,
        email="nieuw@example.nl",
        door=world.coordinator,
    )
    user = uitnodigingen.uitnodiging_accept(
        token=uitnodiging.token, first_name="Nieuw", last_name="Lid", password="een-lang-wachtwoord-123"
    )
    accept = rows("uitnodiging.accept").get()
    seat = rows("lidmaatschap.create").get()
    assert (accept.door, accept.object_id, accept.team_id) == (user, str(uitnodiging.pk), world.team.pk)
    assert (seat.door, seat.door_partner, seat.details["user_id"]) == (user, "Partner politie", user.pk)


def test_changed_settings_name_the_fields_and_values(world):
    _instellingen(world, world.coordinator)
    row = rows("team.instellingen").get()
    assert row.details["gewijzigd"]["drempel_huishoudens"] == ["5", "3"]
    assert "bewaartermijn_maanden" not in row.details["gewijzigd"]  # unchanged
    # The recount it queues is the coordinator's action too.
    assert rows("steun.herberekenen_team").get().door == world.coordinator


def test_a_status_change_records_from_and_to(world):
    _status(world, world.teamlid)
    row = rows("signaal.status").get()
    assert (row.object_id, row.details) == (
        str(world.open.pk),
        {"van": Status.NIEUW, "naar": Status.DRAAGVLAK_GEZOCHT},
    )


def test_a_tally_batch_writes_one_row_per_team_with_the_ids_it_moved(world):
    signalen = [world.open, f.SignaalFactory(team=world.team), f.SignaalFactory(team=world.team)]
    for s in signalen:
        f.SteunbetuigingFactory(signaal=s, datum=timezone.localdate())
    f.SteunbetuigingFactory(signaal=world.oost, datum=timezone.localdate())
    Signaal.objects.update(steun_herberekenen=True)
    signalen_tally(door=TALLY)
    by_team = {row.team_id: row for row in rows("signaal.status")}
    assert set(by_team) == {world.team.pk, world.other_team.pk}
    west = by_team[world.team.pk]
    assert (west.door, west.door_label, west.object_id) == (None, "systeem (steuntelling)", "")
    assert west.details["naar"] == Status.DRAAGVLAK_GEZOCHT
    assert west.details["van"] == {Status.NIEUW: 3}
    assert sorted(west.details["signaal_ids"]) == sorted(s.pk for s in signalen)
    assert by_team[world.other_team.pk].object_id == str(world.oost.pk)  # a single move names its signal


def test_the_tally_refuses_a_person_as_actor(world):
    with pytest.raises(TypeError, match="SystemActor"):
        signalen_tally(door=world.coordinator)


def test_a_command_actor_is_named_in_the_row(world):
    _import(world, COMMAND)
    row = rows("gebieden.import").get()
    assert row.door_label == "systeem (beheercommando)"
    assert row.details["aangemaakt"]["buurt"] == 1


def test_a_rolled_back_service_leaves_no_audit_row(world):
    # team_doel_update writes its row, then fails on an unknown partner: all of it rolls back.
    with pytest.raises(Exception, match="bestaat niet"):
        team_services.team_doel_update(
            team=world.team,
            door=world.coordinator,
            doel="Nieuw doel",
            doel_start=None,
            doel_evaluatie=None,
            inzet={999_999: ("iets", "")},
        )
    assert not rows().exists()
    world.team.refresh_from_db()
    assert world.team.doel != "Nieuw doel"


def test_a_rolled_back_outer_transaction_takes_the_row_along(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        _signaal_log(world, world.teamlid)
        assert rows("signaal.log").exists()
        raise RuntimeError("iets anders faalt daarna")
    assert not rows().exists()


def test_a_refused_service_writes_nothing(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _instellingen(world, world.other_coordinator)
    with pytest.raises(PermissionDenied):
        _sub_create(world, world.teamlid)
    assert not rows().exists()


def test_a_subgebied_in_another_teams_buurt_is_refused_without_a_row(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        team_services.subgebied_create(
            team=world.team, door=world.coordinator, buurt=world.other_buurt, naam="X", geometrie=IN_EAST
        )
    assert not rows().exists()


def test_the_demo_acts_as_the_demo_system_actor():
    from io import StringIO

    from django.core.management import call_command

    call_command("demo_data", stdout=StringIO())
    demo = rows().filter(door_label="systeem (demo)")
    assert demo.filter(actie="lidmaatschap.create").exists()
    assert demo.filter(actie="gebieden.import", herkomst=Herkomst.COMMAND).exists()
    # A tally run by the demo still moves signals as the system, on record.
    assert rows("signaal.status").filter(door__isnull=True).exists()
