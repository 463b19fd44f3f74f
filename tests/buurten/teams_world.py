"""Two teams in one gemeente and a person for every role, shared by the team and access tests."""

from __future__ import annotations

from dataclasses import dataclass

from buurten.models import Buurt, Lidmaatschap, Partner, PartnerType, Rol, Subgebied, Team, User
from tests import factories as f

# Two neighbouring squares: team A works in the west one, team B in the east one.
WEST = {
    "type": "Polygon",
    "coordinates": [[[5.68, 50.84], [5.70, 50.84], [5.70, 50.86], [5.68, 50.86], [5.68, 50.84]]],
}
EAST = {
    "type": "Polygon",
    "coordinates": [[[5.70, 50.84], [5.72, 50.84], [5.72, 50.86], [5.70, 50.86], [5.70, 50.84]]],
}
INSIDE_WEST = {
    "type": "Polygon",
    "coordinates": [[[5.685, 50.845], [5.69, 50.845], [5.69, 50.85], [5.685, 50.85], [5.685, 50.845]]],
}
IN_EAST = {
    "type": "Polygon",
    "coordinates": [[[5.705, 50.845], [5.71, 50.845], [5.71, 50.85], [5.705, 50.85], [5.705, 50.845]]],
}

ROLES = ["anonymous", "teamlid", "coordinator", "other_coordinator", "staff"]


@dataclass
class World:
    team: Team
    other_team: Team
    buurt: Buurt
    other_buurt: Buurt
    partners: dict[str, Partner]
    teamlid: User
    coordinator: User
    other_coordinator: User
    staff: User
    teamlid_seat: Lidmaatschap
    coordinator_seat: Lidmaatschap
    subgebied: Subgebied
    other_subgebied: Subgebied

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def build_world() -> World:
    """Team A (with the role people, all for the gemeente's own partner) and team B next door.

    Tests get it through the `world` fixture (tests/conftest.py), built once per module. No access
    rule reads the partner type; tests/buurten/test_access.py pins that once.
    """
    gemeente = f.GemeenteFactory()
    partners = {
        soort: f.PartnerFactory(gemeente=gemeente, naam=f"Partner {soort}", type=soort)
        for soort in PartnerType.values
    }
    buurt = f.BuurtFactory(wijk__gemeente=gemeente, naam="Westbuurt", geometrie=WEST)
    other_buurt = f.BuurtFactory(
        wijk__gemeente=gemeente,
        naam="Oostbuurt",
        geometrie=EAST,
        min_lon=5.70,
        max_lon=5.72,
    )
    team = f.TeamFactory(naam="Team West", gemeente=gemeente, buurten=[buurt])
    other_team = f.TeamFactory(naam="Team Oost", gemeente=gemeente, buurten=[other_buurt])
    partner = partners[PartnerType.GEMEENTE]

    teamlid_seat = f.LidmaatschapFactory(team=team, partner=partner, rol=Rol.TEAMLID)
    coordinator_seat = f.LidmaatschapFactory(team=team, partner=partner, rol=Rol.COORDINATOR)
    other_seat = f.LidmaatschapFactory(team=other_team, partner=partner, rol=Rol.COORDINATOR)
    staff = f.UserFactory(is_staff=True, is_superuser=True)
    for user in (coordinator_seat.user, other_seat.user):
        user.is_staff = True  # as user_sync_staff does for coordinators
        user.save(update_fields=["is_staff"])
    for user in (coordinator_seat.user, other_seat.user, staff):
        f.activate_totp(user)

    return World(
        team=team,
        other_team=other_team,
        buurt=buurt,
        other_buurt=other_buurt,
        partners=partners,
        teamlid=teamlid_seat.user,
        coordinator=coordinator_seat.user,
        other_coordinator=other_seat.user,
        staff=staff,
        teamlid_seat=teamlid_seat,
        coordinator_seat=coordinator_seat,
        subgebied=f.SubgebiedFactory(team=team, buurt=buurt, naam="Kerkstraat"),
        other_subgebied=f.SubgebiedFactory(team=other_team, buurt=other_buurt, naam="Molenweg"),
    )


def grow_world(world, *, per_partner: int = 5) -> None:
    """More members per partner and a subgebied per partner, for query counts that must not grow."""
    for partner in world.partners.values():
        for _ in range(per_partner):
            f.LidmaatschapFactory(team=world.team, partner=partner)
        f.SubgebiedFactory(team=world.team, buurt=world.buurt, naam=f"Straat {partner.pk}")
