"""Making an actie from triaged signals, linking more signals to it, and changing its details."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from buurten.models import Partner, Subgebied, Team
from buurten.services.teams import partner_buiten_gemeente
from core.actors import is_system, require_actor
from core.cache import buurten_changed
from signalen.models import Signaal, Status, TriageUitkomst
from signalen.services import signaal_triage
from signalen.services.status import status_apply

from .. import meldingen
from ..models import Actie, ActieSignaal, ActieStatus, ActieStatusWijziging
from ..selectors_dashboard import dashboard_trends_changed
from ..workflow import CLOSED_STATUSES
from ._access import partner_for, require_coordinator

TITEL_MAX = Actie._meta.get_field("titel").max_length


def _lock_signalen(signalen: Iterable[Signaal]) -> list[Signaal]:
    ids = sorted({s.pk for s in signalen})
    return list(
        Signaal.objects.select_for_update(of=("self",))
        .select_related("team", "actie_koppeling__actie")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _signalen_errors(signalen: list[Signaal], *, team: Team | None) -> list:
    """Why these signals cannot go into an actie (of `team`), as Dutch messages; [] when they can."""
    if not signalen:
        return [_("Kies minstens één signaal.")]
    errors = []
    team_ids = {s.team_id for s in signalen}
    if len(team_ids) > 1 or (team is not None and team_ids != {team.pk}):
        errors.append(_("De signalen horen bij verschillende teams; een actie hoort bij één team."))
    for s in signalen:
        koppeling = getattr(s, "actie_koppeling", None)
        if koppeling is not None:
            errors.append(
                ValidationError(
                    _("Signaal ‘%(titel)s’ hoort al bij de actie ‘%(actie)s’."),
                    params={"titel": s.titel, "actie": koppeling.actie.titel},
                )
            )
        elif s.status == Status.GETRIEERD and s.triage_uitkomst != TriageUitkomst.INTEGRAAL:
            errors.append(
                ValidationError(
                    _("Signaal ‘%(titel)s’ is als primaire taak doorgezet, niet als integraal getrieerd."),
                    params={"titel": s.titel},
                )
            )
        elif s.status not in (Status.DRAAGVLAK_BEREIKT, Status.GETRIEERD):
            errors.append(
                ValidationError(
                    _(
                        "Signaal ‘%(titel)s’ heeft geen draagvlak en is niet integraal getrieerd "
                        "(status: %(status)s)."
                    ),
                    params={"titel": s.titel, "status": Status(s.status).label},
                )
            )
    return errors


def _details_errors(
    *,
    team: Team,
    titel: str,
    trekker: Partner | None,
    partners: Sequence[Partner],
    start: dt.date | None,
    eind: dt.date | None,
    subgebied: Subgebied | None,
) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not (titel or "").strip():
        errors["titel"] = [_("Geef de actie een titel.")]
    elif len(titel.strip()) > TITEL_MAX:
        errors["titel"] = [_("De titel is te lang (hoogstens %(max)s tekens).") % {"max": TITEL_MAX}]
    if trekker is None:
        errors["trekker"] = [_("Kies de partner die de actie trekt.")]
    elif fout := partner_buiten_gemeente(team=team, partner=trekker):
        errors["trekker"] = [fout]
    for partner in partners:
        if fout := partner_buiten_gemeente(team=team, partner=partner):
            errors["partners"] = [fout]
            break
    if start and eind and eind < start:
        errors["eind"] = [_("Het geplande einde ligt vóór de start.")]
    if subgebied is not None and subgebied.team_id != team.pk:
        errors["subgebied"] = [_("Dit subgebied hoort niet bij het team van de actie.")]
    return errors


def actie_details_clean(
    *,
    team: Team,
    titel: str,
    trekker: Partner | None,
    partners: Sequence[Partner] = (),
    start: dt.date | None = None,
    eind: dt.date | None = None,
    subgebied: Subgebied | None = None,
) -> None:
    """The rules for an actie's details (forms call it before the service): ValidationError per field."""
    fouten = _details_errors(
        team=team,
        titel=titel,
        trekker=trekker,
        partners=partners,
        start=start,
        eind=eind,
        subgebied=subgebied,
    )
    if fouten:
        raise ValidationError(fouten)


def _meest_voorkomende_buurt(signalen: list[Signaal]) -> int:
    # Most common buurt; a tie goes to the buurt of the oldest signal.
    telling = Counter(s.buurt_id for s in signalen)
    hoogste = max(telling.values())
    return next(s.buurt_id for s in sorted(signalen, key=lambda s: s.pk) if telling[s.buurt_id] == hoogste)


def _koppel(actie: Actie, signalen: list[Signaal], *, door: Any) -> None:
    """Link locked, checked signals: triage those with draagvlak as integraal; in actie at once
    when the actie is already in uitvoering."""
    for s in signalen:
        if s.status == Status.DRAAGVLAK_BEREIKT:
            signaal_triage(signaal=s, uitkomst=TriageUitkomst.INTEGRAAL, door=door)
    ActieSignaal.objects.bulk_create(ActieSignaal(actie=actie, signaal=s) for s in signalen)
    if actie.status == ActieStatus.IN_UITVOERING:
        status_apply([s for s in signalen if s.status == Status.GETRIEERD], naar=Status.IN_ACTIE, door=door)


def _unieke_partners(partners: Iterable[Partner], trekker: Partner | None) -> list[Partner]:
    seen: dict[int, Partner] = {}
    for p in partners or ():
        if trekker is None or p.pk != trekker.pk:
            seen.setdefault(p.pk, p)
    return list(seen.values())


@transaction.atomic
def actie_create_from_signalen(
    *,
    signalen: Sequence[Signaal],
    titel: str,
    omschrijving: str = "",
    trekker: Partner,
    partners: Sequence[Partner] = (),
    start: dt.date | None = None,
    eind: dt.date | None = None,
    subgebied: Subgebied | None = None,
    door: Any,
) -> Actie:
    """A coördinator makes one VBT-actie of one or more related signals of one team: each has
    draagvlak (it is triaged integraal here) or was triaged integraal and is in no actie yet."""
    require_actor(door)
    locked = _lock_signalen(signalen)
    if len(locked) != len({s.pk for s in signalen}):
        raise ValidationError(_("Een van de signalen bestaat niet meer."))
    errors = _signalen_errors(locked, team=None)
    if errors:
        raise ValidationError({"signalen": errors})
    team = locked[0].team
    # An unsaved actie carries the team for the access rule.
    actie = Actie(team=team, trekker=trekker)
    require_coordinator(door=door, actie=actie)
    partners = _unieke_partners(partners, trekker)
    fouten = _details_errors(
        team=team,
        titel=titel,
        trekker=trekker,
        partners=partners,
        start=start,
        eind=eind,
        subgebied=subgebied,
    )
    if fouten:
        raise ValidationError(fouten)

    now = timezone.now()
    actie = Actie.objects.create(
        team=team,
        titel=titel.strip(),
        omschrijving=(omschrijving or "").strip(),
        buurt_id=subgebied.buurt_id if subgebied else _meest_voorkomende_buurt(locked),
        subgebied=subgebied,
        trekker=trekker,
        start=start,
        eind=eind,
        status=ActieStatus.GEPLAND,
        status_gewijzigd_at=now,
        created_by=None if is_system(door) else door,
    )
    actie.partners.set(partners)
    ActieStatusWijziging.objects.create(
        actie=actie,
        van="",
        naar=ActieStatus.GEPLAND,
        door=None if is_system(door) else door,
        partner=partner_for(door=door, actie=actie),
    )
    _koppel(actie, locked, door=door)
    audit_record(
        door=door,
        actie="actie.create",
        object=actie,
        team_id=team.pk,
        details={
            "signaal_ids": [s.pk for s in locked],
            "trekker_id": trekker.pk,
            "partner_ids": [p.pk for p in partners],
        },
    )
    buurten_changed(actie.buurt_id, *(s.buurt_id for s in locked))
    meldingen.actie_aangemaakt_melden(actie=actie, door=door)
    return actie


def _lock_actie(actie: Actie) -> Actie:
    return Actie.objects.select_for_update(of=("self",)).select_related("team", "trekker").get(pk=actie.pk)


@transaction.atomic
def actie_signalen_koppelen(*, actie: Actie, signalen: Sequence[Signaal], door: Any) -> Actie:
    """A coördinator links more signals of the actie's team to an open actie (the same rules as
    making one); they are in actie at once when the actie is in uitvoering."""
    require_actor(door)
    locked_actie = _lock_actie(actie)
    require_coordinator(door=door, actie=locked_actie)
    if locked_actie.status in CLOSED_STATUSES:
        raise ValidationError(
            {
                "actie": [
                    _("Deze actie is afgesloten; koppel de signalen aan een open actie of maak een nieuwe.")
                ]
            }
        )
    locked = _lock_signalen(signalen)
    if len(locked) != len({s.pk for s in signalen}):
        raise ValidationError(_("Een van de signalen bestaat niet meer."))
    errors = _signalen_errors(locked, team=locked_actie.team)
    if errors:
        raise ValidationError({"signalen": errors})
    _koppel(locked_actie, locked, door=door)
    audit_record(
        door=door,
        actie="actie.signalen_koppelen",
        object=locked_actie,
        team_id=locked_actie.team_id,
        details={"signaal_ids": [s.pk for s in locked]},
    )
    buurten_changed(locked_actie.buurt_id, *(s.buurt_id for s in locked))
    return locked_actie


@transaction.atomic
def actie_update(
    *,
    actie: Actie,
    titel: str,
    omschrijving: str,
    trekker: Partner,
    partners: Sequence[Partner],
    start: dt.date | None,
    eind: dt.date | None,
    subgebied: Subgebied | None,
    door: Any,
) -> Actie:
    """A coördinator changes an actie's title, public description, partners, dates and subgebied."""
    require_actor(door)
    locked = _lock_actie(actie)
    require_coordinator(door=door, actie=locked)
    partners = _unieke_partners(partners, trekker)
    fouten = _details_errors(
        team=locked.team,
        titel=titel,
        trekker=trekker,
        partners=partners,
        start=start,
        eind=eind,
        subgebied=subgebied,
    )
    if fouten:
        raise ValidationError(fouten)
    oude_buurt = locked.buurt_id
    nieuw = {
        "titel": titel.strip(),
        "omschrijving": (omschrijving or "").strip(),
        "trekker_id": trekker.pk,
        "start": start,
        "eind": eind,
        "subgebied_id": subgebied.pk if subgebied else None,
    }
    if subgebied is not None:
        nieuw["buurt_id"] = subgebied.buurt_id
    gewijzigd = [veld for veld, waarde in nieuw.items() if getattr(locked, veld) != waarde]
    for veld, waarde in nieuw.items():
        setattr(locked, veld, waarde)
    locked.save(update_fields=[*nieuw, "updated_at"])
    oude_partners = set(locked.partners.values_list("pk", flat=True))
    if oude_partners != {p.pk for p in partners}:
        locked.partners.set(partners)
        gewijzigd.append("partners")
    audit_record(
        door=door,
        actie="actie.update",
        object=locked,
        team_id=locked.team_id,
        details={"velden": gewijzigd},
    )
    buurten_changed(oude_buurt, locked.buurt_id)
    if "titel" in gewijzigd:
        dashboard_trends_changed(locked.team_id)  # its answers show under the title
    for veld in (*nieuw, "updated_at"):
        setattr(actie, veld, getattr(locked, veld))
    return locked
