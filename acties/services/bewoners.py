"""Residents who pick up an actie, and the team's internal notes on it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from buurten.models import Partner
from buurten.services.teams import partner_buiten_gemeente
from core.actors import is_system, require_actor
from core.cache import buurten_changed
from core.email import email_normalise

from ..models import Actie, BewonerTrekker, Notitie
from ._access import require_betrokken

AANTAL_MIN, AANTAL_MAX = 1, 1000
VOORNAAM_MAX = BewonerTrekker._meta.get_field("voornaam").max_length


def _lock(actie_id: int) -> Actie:
    return Actie.objects.select_for_update(of=("self",)).select_related("team", "trekker").get(pk=actie_id)


def _aantal_bijwerken(actie: Actie) -> None:
    actie.bewoners_aantal = actie.bewoners.aggregate(n=Sum("aantal"))["n"] or 0
    actie.save(update_fields=["bewoners_aantal", "updated_at"])


@transaction.atomic
def bewoners_add(
    *,
    actie: Actie,
    aantal: int = 1,
    voornaam: str = "",
    email: str = "",
    toestemming: bool = False,
    door: Any,
) -> BewonerTrekker:
    """Record residents who pick up an actie: a count (1–1000), and a first name and e-mail address
    only with their consent. Keeps `actie.bewoners_aantal`."""
    require_actor(door)
    locked = _lock(actie.pk)
    require_betrokken(door=door, actie=locked)
    errors: dict[str, list] = {}
    try:
        aantal = int(aantal)
    except (TypeError, ValueError):
        aantal = 0
    if not AANTAL_MIN <= aantal <= AANTAL_MAX:
        errors["aantal"] = [_("Het aantal bewoners is een heel getal van 1 tot en met 1000.")]
    voornaam = (voornaam or "").strip()
    email = (email or "").strip()
    if (voornaam or email) and not toestemming:
        errors["toestemming"] = [
            _("Een naam of e-mailadres leg je alleen vast met toestemming van de bewoner.")
        ]
    if len(voornaam) > VOORNAAM_MAX:
        errors["voornaam"] = [_("De voornaam is te lang (hoogstens %(max)s tekens).") % {"max": VOORNAAM_MAX}]
    if email:
        try:
            validate_email(email)
            email = email_normalise(email)
        except ValidationError:
            errors["email"] = [_("Vul een geldig e-mailadres in.")]
    if errors:
        raise ValidationError(errors)
    bewoner = BewonerTrekker.objects.create(
        actie=locked,
        aantal=aantal,
        voornaam=voornaam,
        email=email,
        toestemming=bool(toestemming and (voornaam or email)),
        door=None if is_system(door) else door,
    )
    _aantal_bijwerken(locked)
    audit_record(
        door=door,
        actie="bewoners.add",
        object=bewoner,
        team_id=locked.team_id,
        details={"actie_id": locked.pk, "aantal": aantal, "met_gegevens": bool(voornaam or email)},
    )
    buurten_changed(locked.buurt_id)
    actie.bewoners_aantal = locked.bewoners_aantal
    return bewoner


@transaction.atomic
def bewoner_remove(*, bewoner: BewonerTrekker, door: Any, actie: Actie | None = None) -> None:
    """Remove a record of residents (and with it their name and address); with `actie` (the page's
    actie) a record of another actie is refused."""
    require_actor(door)
    if actie is not None and bewoner.actie_id != actie.pk:
        raise ValidationError({"bewoner": [_("Deze bewoners horen niet bij deze actie.")]})
    locked = _lock(bewoner.actie_id)
    require_betrokken(door=door, actie=locked)
    pk, aantal = bewoner.pk, bewoner.aantal
    BewonerTrekker.objects.filter(pk=pk, actie_id=locked.pk).delete()
    _aantal_bijwerken(locked)
    audit_record(
        door=door,
        actie="bewoners.remove",
        object=("acties.bewonertrekker", pk),
        team_id=locked.team_id,
        details={"actie_id": locked.pk, "aantal": aantal},
    )
    buurten_changed(locked.buurt_id)
    if actie is not None:
        actie.bewoners_aantal = locked.bewoners_aantal


@transaction.atomic
def notitie_add(*, actie: Actie, tekst: str, door: Any, alleen_partner: Partner | None = None) -> Notitie:
    """An internal note on an actie, for the whole team or for one partner of its gemeente only."""
    require_actor(door)
    locked = _lock(actie.pk)
    require_betrokken(door=door, actie=locked)
    errors: dict[str, list] = {}
    tekst = (tekst or "").strip()
    if not tekst:
        errors["tekst"] = [_("Schrijf een notitie.")]
    if alleen_partner is not None and (
        fout := partner_buiten_gemeente(team=locked.team, partner=alleen_partner)
    ):
        errors["alleen_partner"] = [fout]
    if errors:
        raise ValidationError(errors)
    notitie = Notitie.objects.create(
        actie=locked, tekst=tekst, alleen_partner=alleen_partner, door=None if is_system(door) else door
    )
    audit_record(
        door=door,
        actie="notitie.add",
        object=notitie,
        team_id=locked.team_id,
        details={"actie_id": locked.pk, "alleen_partner_id": alleen_partner.pk if alleen_partner else None},
    )
    return notitie
