"""The team's draagvlak and retention settings: signalen rules stored on `buurten.Team`.

The threshold, the anonymous weight and the support window decide draagvlak; the retention term
decides when closed signals are purged. Changing a draagvlak rule recounts the team's signals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from buurten.models import (
    ANONIEM_GEWICHT,
    BEWAARTERMIJN_MAANDEN,
    DREMPEL_HUISHOUDENS,
    INACTIEF_TERMIJN_MAANDEN,
    ROUTE_BEWAARTERMIJN_MAANDEN,
    STEUN_VENSTER_MAANDEN,
    Team,
)
from buurten.selectors.teams import is_coordinator
from core.actors import is_system, require_actor

from .steun import steun_herberekenen_team


def team_instellingen_clean(
    *,
    drempel_huishoudens: Any,
    anoniem_gewicht: Any,
    steun_venster_maanden: Any,
    bewaartermijn_maanden: Any,
    inactief_termijn_maanden: Any = None,
    route_bewaartermijn_maanden: Any = None,
) -> dict[str, Any]:
    """The settings' rules, without writing: each must lie in its range (`buurten.models`);
    raises a ValidationError naming the range per field, or returns clean values. The two
    retention terms of open work (idle signals, GPS routes) are optional: left out, unchanged."""
    waarden = {
        "drempel_huishoudens": DREMPEL_HUISHOUDENS.geheel(drempel_huishoudens),
        "anoniem_gewicht": ANONIEM_GEWICHT.decimaal(anoniem_gewicht, plaatsen=2),
        "steun_venster_maanden": STEUN_VENSTER_MAANDEN.geheel(steun_venster_maanden),
        "bewaartermijn_maanden": BEWAARTERMIJN_MAANDEN.geheel(bewaartermijn_maanden),
    }
    bereiken = {
        "drempel_huishoudens": DREMPEL_HUISHOUDENS,
        "anoniem_gewicht": ANONIEM_GEWICHT,
        "steun_venster_maanden": STEUN_VENSTER_MAANDEN,
        "bewaartermijn_maanden": BEWAARTERMIJN_MAANDEN,
    }
    for veld, waarde, bereik in (
        ("inactief_termijn_maanden", inactief_termijn_maanden, INACTIEF_TERMIJN_MAANDEN),
        ("route_bewaartermijn_maanden", route_bewaartermijn_maanden, ROUTE_BEWAARTERMIJN_MAANDEN),
    ):
        if waarde is not None:
            waarden[veld] = bereik.geheel(waarde)
            bereiken[veld] = bereik
    errors = {veld: bereiken[veld].melding() for veld, waarde in waarden.items() if waarde is None}
    if errors:
        raise ValidationError(errors)
    return waarden


@transaction.atomic
def team_instellingen_update(
    *,
    team: Team,
    door: Any,
    drempel_huishoudens: int,
    anoniem_gewicht: Decimal | float | str,
    steun_venster_maanden: int,
    bewaartermijn_maanden: int,
    inactief_termijn_maanden: int | None = None,
    route_bewaartermijn_maanden: int | None = None,
) -> Team:
    """Set the support threshold, anonymous weight, support window and retention, each within its
    range (`team_instellingen_clean`); a draagvlak rule that changes recounts the team's signals."""
    require_actor(door)
    if not is_system(door) and not is_coordinator(user=door, team=team):
        raise PermissionDenied(_("Alleen een coördinator van dit team mag dit doen."))
    waarden = team_instellingen_clean(
        drempel_huishoudens=drempel_huishoudens,
        anoniem_gewicht=anoniem_gewicht,
        steun_venster_maanden=steun_venster_maanden,
        bewaartermijn_maanden=bewaartermijn_maanden,
        inactief_termijn_maanden=inactief_termijn_maanden,
        route_bewaartermijn_maanden=route_bewaartermijn_maanden,
    )
    team = Team.objects.select_for_update().get(pk=team.pk)
    regels = ("drempel_huishoudens", "anoniem_gewicht", "steun_venster_maanden")
    regels_gewijzigd = any(getattr(team, veld) != waarden[veld] for veld in regels)
    gewijzigd = {
        veld: [str(getattr(team, veld)), str(waarde)]
        for veld, waarde in waarden.items()
        if getattr(team, veld) != waarde
    }
    for veld, waarde in waarden.items():
        setattr(team, veld, waarde)
    team.save(update_fields=list(waarden))
    audit_record(
        door=door, actie="team.instellingen", object=team, team_id=team.pk, details={"gewijzigd": gewijzigd}
    )
    if regels_gewijzigd:
        # Draagvlak depends on these rules: every open signal of the team is recounted.
        steun_herberekenen_team(team=team, door=door)
    return team
