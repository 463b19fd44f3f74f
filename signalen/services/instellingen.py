"""The team's draagvlak and retention settings: signalen rules stored on `buurten.Team`.

The threshold, the anonymous weight and the support window decide draagvlak; the retention term
decides when closed signals are purged. Changing a draagvlak rule recounts the team's signals.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from buurten.models import Team
from buurten.selectors.teams import is_coordinator
from core.actors import is_system, require_actor

from .steun import steun_herberekenen_team


def team_instellingen_clean(
    *,
    drempel_huishoudens: int | None,
    anoniem_gewicht: Decimal | float | str | None,
    steun_venster_maanden: int | None,
    bewaartermijn_maanden: int | None,
) -> dict[str, Any]:
    """The settings' rules, without writing: raises a ValidationError per field, or returns clean values."""
    errors: dict[str, str] = {}
    if drempel_huishoudens is None or int(drempel_huishoudens) < 1:
        errors["drempel_huishoudens"] = _("De drempel moet minstens 1 huishouden zijn.")
    try:
        gewicht = Decimal(str(anoniem_gewicht)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        gewicht = None
    if gewicht is None or not Decimal(0) <= gewicht <= Decimal(1):
        errors["anoniem_gewicht"] = _("Het gewicht van anonieme steun ligt tussen 0 en 1.")
    if steun_venster_maanden is None or int(steun_venster_maanden) < 1:
        errors["steun_venster_maanden"] = _("Steun moet minstens 1 maand geldig blijven.")
    if bewaartermijn_maanden is None or int(bewaartermijn_maanden) < 1:
        errors["bewaartermijn_maanden"] = _("De bewaartermijn is minstens 1 maand.")
    if errors:
        raise ValidationError(errors)
    return {
        "drempel_huishoudens": int(drempel_huishoudens),
        "anoniem_gewicht": gewicht,
        "steun_venster_maanden": int(steun_venster_maanden),
        "bewaartermijn_maanden": int(bewaartermijn_maanden),
    }


@transaction.atomic
def team_instellingen_update(
    *,
    team: Team,
    door: Any,
    drempel_huishoudens: int,
    anoniem_gewicht: Decimal | float | str,
    steun_venster_maanden: int,
    bewaartermijn_maanden: int,
) -> Team:
    """Set the support threshold (>= 1 household), anonymous weight (0–1), window and retention (>= 1)."""
    require_actor(door)
    if not is_system(door) and not is_coordinator(user=door, team=team):
        raise PermissionDenied(_("Alleen een coördinator van dit team mag dit doen."))
    waarden = team_instellingen_clean(
        drempel_huishoudens=drempel_huishoudens,
        anoniem_gewicht=anoniem_gewicht,
        steun_venster_maanden=steun_venster_maanden,
        bewaartermijn_maanden=bewaartermijn_maanden,
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
