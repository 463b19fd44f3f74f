"""The one place where an actie's status changes; its signals follow it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.actors import is_system, require_actor
from core.cache import buurten_changed
from signalen.models import Signaal, Status
from signalen.services.status import status_apply
from signalen.workflow import OPEN_STATUSES as SIGNAAL_OPEN

from .. import meldingen
from ..models import Actie, ActieSignaal, ActieStatus, ActieStatusWijziging
from ..workflow import REDEN_VERPLICHT, Actor, rule_for
from ._access import ALLEEN_BETROKKEN, ALLEEN_COORDINATOR, actors_for_actie, partner_for

TERUG_TRIAGE = "triage"
TERUG_AFGEWEZEN = "afgewezen"
TERUG_KEUZES = (TERUG_TRIAGE, TERUG_AFGEWEZEN)


def _check(actie: Actie, *, naar: str, actors: set[Actor], reden: str) -> None:
    if naar not in ActieStatus.values:
        raise ValidationError({"naar": [_("Kies een bestaande status.")]}, code="transition")
    if actie.status == naar == ActieStatus.AFGEROND:
        raise ValidationError(_("Deze actie is al afgerond."), code="al_afgerond")
    if actie.status == naar:
        raise ValidationError(
            _("De actie heeft de status ‘%(status)s’ al."),
            code="transition",
            params={"status": ActieStatus(naar).label},
        )
    rule = rule_for(actie.status, naar)
    if rule is None:
        raise ValidationError(
            _("Een actie met status ‘%(van)s’ kan niet naar ‘%(naar)s’."),
            code="transition",
            params={"van": ActieStatus(actie.status).label, "naar": ActieStatus(naar).label},
        )
    if not rule.actors & actors:
        raise PermissionDenied(ALLEEN_COORDINATOR if rule.actors == {Actor.COORDINATOR} else ALLEEN_BETROKKEN)
    if rule.reden_verplicht and not reden.strip():
        raise ValidationError({"reden": [REDEN_VERPLICHT]}, code="reden")


def _gestopt_keuzes(signalen: list[Signaal], signalen_terug: dict[int, str] | None) -> dict[int, str]:
    """Every linked open signal needs a decision: back to triage, or afgewezen."""
    keuzes: dict[int, str] = {}
    for key, waarde in (signalen_terug or {}).items():
        try:
            keuzes[int(key)] = str(waarde)
        except (TypeError, ValueError):
            raise ValidationError({"signalen_terug": [_("Onbekend signaal in de keuzes.")]}) from None
    open_ids = {s.pk for s in signalen if s.status in SIGNAAL_OPEN}
    errors = []
    if open_ids - keuzes.keys():
        errors.append(_("Kies voor elk open signaal van de actie: terug naar triage of afgewezen."))
    if keuzes.keys() - open_ids:
        errors.append(_("Een gekozen signaal hoort niet (meer) open bij deze actie."))
    if any(keuzes[pk] not in TERUG_KEUZES for pk in keuzes.keys() & open_ids):
        errors.append(_("Kies per signaal ‘terug naar triage’ of ‘afgewezen’."))
    if errors:
        raise ValidationError({"signalen_terug": errors})
    return keuzes


def _signalen_volgen(
    actie: Actie, signalen: list[Signaal], *, van: str, naar: str, door: Any, reden: str, keuzes: dict
) -> dict[str, list[int]]:
    """Move the linked (locked) signals with their actie; returns {signal status: ids moved}."""
    moved: dict[str, list[int]] = {}

    def move(subset: list[Signaal], signaal_naar: str, signaal_reden: str = "") -> None:
        if subset:
            status_apply(subset, naar=signaal_naar, door=door, reden=signaal_reden)
            moved.setdefault(signaal_naar, []).extend(s.pk for s in subset)

    if naar in (ActieStatus.IN_UITVOERING, ActieStatus.AFGEROND):
        move([s for s in signalen if s.status == Status.GETRIEERD], Status.IN_ACTIE)
    if naar == ActieStatus.AFGEROND:
        move([s for s in signalen if s.status == Status.IN_ACTIE], Status.AFGEROND)
    elif naar == ActieStatus.GESTOPT:
        terug = [s for s in signalen if keuzes.get(s.pk) == TERUG_TRIAGE]
        move(terug, Status.DRAAGVLAK_BEREIKT, reden)
        move([s for s in signalen if keuzes.get(s.pk) == TERUG_AFGEWEZEN], Status.AFGEWEZEN, reden)
        # Back in triage: no longer part of this actie.
        ActieSignaal.objects.filter(actie=actie, signaal_id__in=[s.pk for s in terug]).delete()
    elif naar == ActieStatus.HEROPEND:
        if van == ActieStatus.AFGEROND:
            move([s for s in signalen if s.status == Status.AFGEROND], Status.IN_ACTIE, reden)
        else:
            move([s for s in signalen if s.status == Status.AFGEWEZEN], Status.GETRIEERD, reden)
    return moved


@transaction.atomic
def actie_status_change(
    *,
    actie: Actie,
    naar: str,
    door: Any,
    reden: str = "",
    signalen_terug: dict[int, str] | None = None,
) -> Actie:
    """Move an actie to `naar` if `acties.workflow.ALLOWED_TRANSITIONS` lets `door` do so; its
    signals follow (in actie, afgerond; when stopped each goes back to triage or is afgewezen as
    `signalen_terug` says; when reopened back into work). Locks the row and writes the history."""
    require_actor(door)
    locked = Actie.objects.select_for_update(of=("self",)).select_related("team").get(pk=actie.pk)
    reden = (reden or "").strip()
    _check(locked, naar=naar, actors=actors_for_actie(user=door, actie=locked), reden=reden)
    signalen = list(
        Signaal.objects.select_for_update(of=("self",)).filter(actie_koppeling__actie=locked).order_by("pk")
    )
    keuzes = _gestopt_keuzes(signalen, signalen_terug) if naar == ActieStatus.GESTOPT else {}

    van = locked.status
    now = timezone.now()
    moved = _signalen_volgen(locked, signalen, van=van, naar=naar, door=door, reden=reden, keuzes=keuzes)
    locked.status = naar
    locked.status_gewijzigd_at = now
    fields = ["status", "status_gewijzigd_at", "updated_at"]
    if naar == ActieStatus.IN_UITVOERING:
        locked.in_uitvoering_at = now
        fields.append("in_uitvoering_at")
    elif naar == ActieStatus.AFGEROND:
        locked.afgerond_at = now
        fields.append("afgerond_at")
    elif naar == ActieStatus.HEROPEND:
        locked.afgerond_at = None
        fields.append("afgerond_at")
    if naar in (ActieStatus.GESTOPT, ActieStatus.HEROPEND):
        locked.publieke_reden = reden
        fields.append("publieke_reden")
    locked.save(update_fields=fields)
    ActieStatusWijziging.objects.create(
        actie=locked,
        van=van,
        naar=naar,
        door=None if is_system(door) else door,
        partner=partner_for(door=door, actie=locked),
        reden=reden,
    )
    audit_record(
        door=door,
        actie="actie.status",
        object=locked,
        team_id=locked.team_id,
        details={"van": van, "naar": naar, "signalen": moved},
    )
    buurten_changed(locked.buurt_id, *{s.buurt_id for s in signalen})
    meldingen.actie_status_melden(actie=locked, van=van, naar=naar, door=door)
    for field in ("status", "status_gewijzigd_at", "in_uitvoering_at", "afgerond_at", "publieke_reden"):
        setattr(actie, field, getattr(locked, field))
    return locked
