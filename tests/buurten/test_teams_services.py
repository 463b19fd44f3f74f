"""The team services: their rules, their Dutch messages, and that refused input writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from buurten.models import Lidmaatschap, PartnerInzet, PartnerType, Rol, Subgebied, Team
from buurten.services import teams as s
from core.actors import TALLY
from signalen.services import instellingen
from tests import factories as f
from tests.buurten.teams_world import IN_EAST, INSIDE_WEST

pytestmark = pytest.mark.django_db

SETTINGS = {
    "drempel_huishoudens": 7,
    "anoniem_gewicht": "0.25",
    "steun_venster_maanden": 6,
    "bewaartermijn_maanden": 18,
}


# --- settings --------------------------------------------------------------------------------


def test_coordinator_sets_the_threshold(world):
    instellingen.team_instellingen_update(team=world.team, door=world.coordinator, **SETTINGS)
    world.team.refresh_from_db()
    assert world.team.drempel_huishoudens == 7
    assert world.team.anoniem_gewicht == Decimal("0.25")
    assert (world.team.steun_venster_maanden, world.team.bewaartermijn_maanden) == (6, 18)


@pytest.mark.parametrize("drempel", [0, -1, -100])
def test_threshold_below_one_is_refused_and_nothing_is_written(drempel, world):
    with pytest.raises(ValidationError) as exc:
        instellingen.team_instellingen_update(
            team=world.team, door=world.coordinator, **{**SETTINGS, "drempel_huishoudens": drempel}
        )
    assert exc.value.message_dict["drempel_huishoudens"] == ["Kies een getal van 1 tot en met 1000."]
    world.team.refresh_from_db()
    assert world.team.drempel_huishoudens == 5
    assert world.team.steun_venster_maanden == 12


@pytest.mark.parametrize(
    "veld,waarde,bericht",
    [
        ("anoniem_gewicht", "1.5", "Kies een getal van 0 tot en met 1."),
        ("anoniem_gewicht", "-0.1", "Kies een getal van 0 tot en met 1."),
        ("anoniem_gewicht", "veel", "Kies een getal van 0 tot en met 1."),
        ("steun_venster_maanden", 0, "Kies een getal van 1 tot en met 60."),
        ("bewaartermijn_maanden", 0, "Kies een getal van 1 tot en met 120."),
    ],
)
def test_other_settings_out_of_range(veld, waarde, bericht, world):
    with pytest.raises(ValidationError) as exc:
        instellingen.team_instellingen_update(
            team=world.team, door=world.coordinator, **{**SETTINGS, veld: waarde}
        )
    assert exc.value.message_dict[veld] == [bericht]
    world.team.refresh_from_db()
    assert world.team.drempel_huishoudens == 5


def test_database_refuses_a_zero_threshold_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.filter(pk=world.team.pk).update(drempel_huishoudens=0)


@pytest.mark.parametrize("who", ["teamlid", "other_coordinator"])
def test_only_this_teams_coordinator_changes_settings(who, world):
    with pytest.raises(PermissionDenied):
        instellingen.team_instellingen_update(team=world.team, door=getattr(world, who), **SETTINGS)
    world.team.refresh_from_db()
    assert world.team.drempel_huishoudens == 5


# --- shared goal -------------------------------------------------------------------------------


def test_goal_and_commitments(world):
    politie = world.partners[PartnerType.POLITIE]
    s.team_doel_update(
        team=world.team,
        door=world.coordinator,
        doel="  Een schone buurt.  ",
        doel_start=dt.date(2026, 1, 1),
        doel_evaluatie=dt.date(2026, 12, 31),
        inzet={
            politie.pk: ("Wijkagent loopt mee.", "Signalen delen."),
            world.partners["welzijn"].pk: ("", ""),
        },
    )
    world.team.refresh_from_db()
    assert world.team.doel == "Een schone buurt."
    inzet = PartnerInzet.objects.get(team=world.team)
    assert (inzet.partner, inzet.toezegging, inzet.gevraagd) == (
        politie,
        "Wijkagent loopt mee.",
        "Signalen delen.",
    )

    # Emptying an existing commitment keeps the partner on the team.
    s.partnerinzet_update(
        team=world.team, door=world.coordinator, partner=politie, toezegging="", gevraagd=""
    )
    assert PartnerInzet.objects.get(team=world.team, partner=politie).toezegging == ""


def test_evaluation_before_start_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        s.team_doel_update(
            team=world.team,
            door=world.coordinator,
            doel="Nieuw doel",
            doel_start=dt.date(2026, 6, 1),
            doel_evaluatie=dt.date(2026, 5, 1),
        )
    assert exc.value.message_dict["doel_evaluatie"] == [
        "De evaluatiedatum moet op of na de startdatum liggen."
    ]
    world.team.refresh_from_db()
    assert world.team.doel == "Samen zorgen voor een schone en veilige buurt."


def test_partner_of_another_gemeente_cannot_commit(world):
    vreemd = f.PartnerFactory(gemeente=f.GemeenteFactory(code="GM0363", naam="Amsterdam"))
    with pytest.raises(ValidationError, match="hoort niet bij de gemeente van dit team"):
        s.partnerinzet_update(
            team=world.team, door=world.coordinator, partner=vreemd, toezegging="x", gevraagd=""
        )
    assert not PartnerInzet.objects.exists()


# --- memberships -------------------------------------------------------------------------------


def test_second_membership_for_same_person_partner_team_is_refused(world):
    seat = world.teamlid_seat
    with pytest.raises(ValidationError) as exc:
        s.lidmaatschap_create(team=world.team, door=world.coordinator, user=seat.user, partner=seat.partner)
    assert "is al lid van Team West namens" in exc.value.messages[0]
    assert Lidmaatschap.objects.filter(user=seat.user).count() == 1


def test_database_constraint_guards_the_seat(world):
    seat = world.teamlid_seat
    with pytest.raises(IntegrityError), transaction.atomic():
        Lidmaatschap.objects.create(user=seat.user, team=seat.team, partner=seat.partner)


def test_same_person_for_another_partner_is_fine_and_staff_follows_the_role(world):
    person = world.teamlid
    assert not person.is_staff
    seat = s.lidmaatschap_create(
        team=world.team,
        door=world.coordinator,
        user=person,
        partner=world.partners["politie"],
        rol=Rol.COORDINATOR,
    )
    person.refresh_from_db()
    assert person.is_staff
    s.lidmaatschap_update_rol(lidmaatschap=seat, door=world.coordinator, rol=Rol.TEAMLID)
    person.refresh_from_db()
    assert not person.is_staff


def test_last_coordinator_cannot_step_down_or_be_removed(world):
    seat = world.coordinator_seat
    with pytest.raises(ValidationError, match="minstens één coördinator"):
        s.lidmaatschap_update_rol(lidmaatschap=seat, door=world.coordinator, rol=Rol.TEAMLID)
    with pytest.raises(ValidationError, match="laatste coördinator"):
        s.lidmaatschap_delete(lidmaatschap=seat, door=world.staff)
    seat.refresh_from_db()
    assert seat.rol == Rol.COORDINATOR


def test_with_a_second_coordinator_the_first_may_go(world):
    s.lidmaatschap_update_rol(lidmaatschap=world.teamlid_seat, door=world.coordinator, rol=Rol.COORDINATOR)
    s.lidmaatschap_delete(lidmaatschap=world.coordinator_seat, door=world.coordinator)
    assert not Lidmaatschap.objects.filter(pk=world.coordinator_seat.pk).exists()
    world.coordinator.refresh_from_db()
    assert not world.coordinator.is_staff


def test_other_teams_coordinator_cannot_touch_members(world):
    with pytest.raises(PermissionDenied):
        s.lidmaatschap_delete(lidmaatschap=world.teamlid_seat, door=world.other_coordinator)
    with pytest.raises(PermissionDenied):
        s.lidmaatschap_update_rol(
            lidmaatschap=world.teamlid_seat, door=world.other_coordinator, rol=Rol.COORDINATOR
        )
    assert Lidmaatschap.objects.filter(pk=world.teamlid_seat.pk, rol=Rol.TEAMLID).exists()


def test_unknown_role_is_refused(world):
    with pytest.raises(ValidationError):
        s.lidmaatschap_update_rol(lidmaatschap=world.teamlid_seat, door=world.coordinator, rol="baas")


# --- subgebieden -------------------------------------------------------------------------------


def test_subgebied_inside_its_buurt_is_saved(world):
    sub = s.subgebied_create(
        team=world.team, door=world.coordinator, buurt=world.buurt, naam=" Dorpstraat ", geometrie=INSIDE_WEST
    )
    assert sub.naam == "Dorpstraat"
    assert sub.geometrie["type"] == "Polygon"


def test_subgebied_as_a_drawn_feature_or_text_is_accepted(world):
    feature = {"type": "Feature", "properties": {}, "geometry": INSIDE_WEST}
    sub = s.subgebied_create(
        team=world.team, door=world.coordinator, buurt=world.buurt, naam="A", geometrie=feature
    )
    assert sub.geometrie["type"] == "Polygon"
    import json

    sub = s.subgebied_update(
        subgebied=sub, door=world.coordinator, buurt=world.buurt, naam="A", geometrie=json.dumps(INSIDE_WEST)
    )
    assert sub.geometrie["type"] == "Polygon"


def test_subgebied_outside_its_buurt_is_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as exc:
        s.subgebied_create(
            team=world.team, door=world.coordinator, buurt=world.buurt, naam="Buiten", geometrie=IN_EAST
        )
    assert exc.value.message_dict["geometrie"][0].startswith("Het subgebied ligt buiten de buurt Westbuurt")
    assert not Subgebied.objects.filter(naam="Buiten").exists()


def test_moving_a_subgebied_outside_is_refused(world):
    with pytest.raises(ValidationError, match="buiten de buurt"):
        s.subgebied_update(
            subgebied=world.subgebied,
            door=world.coordinator,
            buurt=world.buurt,
            naam="Kerkstraat",
            geometrie=IN_EAST,
        )
    world.subgebied.refresh_from_db()
    assert world.subgebied.geometrie is None


@pytest.mark.parametrize(
    "geometrie,bericht",
    [
        ("{niet json", "Dit is geen geldige GeoJSON."),
        ({"type": "Point", "coordinates": [5.69, 50.85]}, "moet een GeoJSON-polygoon"),
        (
            {"type": "Polygon", "coordinates": [[[5.69, 50.85], [5.69, 50.85]]]},
            "te weinig of ongeldige punten",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[5.685, 50.845], [5.69, 50.85], [5.69, 50.845], [5.685, 50.85], [5.685, 50.845]]
                ],
            },
            "snijdt zichzelf",
        ),
        (
            {"type": "Polygon", "coordinates": [[[500, 50], [501, 50], [501, 51], [500, 50]]]},
            "buiten de wereld",
        ),
    ],
)
def test_bad_polygons_are_refused(geometrie, bericht, world):
    with pytest.raises(ValidationError) as exc:
        s.subgebied_create(
            team=world.team, door=world.coordinator, buurt=world.buurt, naam="X", geometrie=geometrie
        )
    assert bericht in exc.value.message_dict["geometrie"][0]
    assert not Subgebied.objects.filter(naam="X").exists()


def test_subgebied_in_a_buurt_of_another_team_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        s.subgebied_create(team=world.team, door=world.coordinator, buurt=world.other_buurt, naam="Molenweg")
    assert exc.value.message_dict["buurt"] == ["Buurt Oostbuurt hoort niet bij dit team."]


def test_subgebied_needs_a_name_and_a_unique_one(world):
    with pytest.raises(ValidationError) as exc:
        s.subgebied_create(team=world.team, door=world.coordinator, buurt=world.buurt, naam="  ")
    assert "naam" in exc.value.message_dict
    with pytest.raises(ValidationError, match="al een subgebied met deze naam"):
        s.subgebied_create(team=world.team, door=world.coordinator, buurt=world.buurt, naam="kerkstraat")


def test_subgebied_of_another_team_cannot_be_deleted_by_me(world):
    with pytest.raises(PermissionDenied):
        s.subgebied_delete(subgebied=world.other_subgebied, door=world.coordinator)
    s.subgebied_delete(subgebied=world.subgebied, door=world.coordinator)
    assert list(Subgebied.objects.values_list("naam", flat=True)) == ["Molenweg"]


def test_lowering_the_threshold_recounts_the_teams_open_signals(django_capture_on_commit_callbacks, world):
    """A signal with 3 households is below 5; once the coordinator lowers the threshold to 3,
    its open signals are marked and a tally is queued after commit, which moves it on."""
    from signalen.models import Status
    from signalen.services.tally import signalen_tally

    signaal = f.SignaalFactory(team=world.team, status=Status.DRAAGVLAK_GEZOCHT)
    for _ in range(3):
        f.SteunbetuigingFactory(signaal=signaal)
    with django_capture_on_commit_callbacks() as queued:
        instellingen.team_instellingen_update(
            team=world.team, door=world.coordinator, **{**SETTINGS, "drempel_huishoudens": 3}
        )
    signaal.refresh_from_db()
    assert signaal.steun_herberekenen and len(queued) == 1
    signalen_tally(door=TALLY)
    signaal.refresh_from_db()
    assert signaal.steun_huishoudens == 3
    assert signaal.status == Status.DRAAGVLAK_BEREIKT


def test_changing_only_the_retention_does_not_recount(world):
    from signalen.models import Signaal

    f.SignaalFactory(team=world.team)
    instellingen.team_instellingen_update(
        team=world.team,
        door=world.coordinator,
        drempel_huishoudens=5,
        anoniem_gewicht="0.5",
        steun_venster_maanden=12,
        bewaartermijn_maanden=36,
    )
    assert not Signaal.objects.filter(steun_herberekenen=True).exists()
