"""Progress of an actie: milestones, progress set by hand, and public progress updates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.actors import is_system, require_actor
from core.cache import buurten_changed
from signalen.services.fotos import foto_clean

from .. import meldingen
from ..models import Actie, Mijlpaal, Voortgangsupdate, VoortgangWijziging
from ._access import partner_for, require_betrokken, require_coordinator

TITEL_MAX = Mijlpaal._meta.get_field("titel").max_length
GEWICHT_MIN, GEWICHT_MAX = 1, 100
TERUG_ZONDER_REDEN = _("De voortgang gaat terug: geef een reden op.")


def actie_voortgang(actie: Actie) -> int:
    """Progress 0–100: the weighted share of milestones done, or the progress set by hand when the
    actie has none. Reads `actie.mijlpalen.all()`, so a prefetched list costs no query."""
    mijlpalen = list(actie.mijlpalen.all())
    if not mijlpalen:
        return actie.voortgang_handmatig
    totaal = sum(m.gewicht for m in mijlpalen)
    gedaan = sum(m.gewicht for m in mijlpalen if m.gedaan_at)
    return round(100 * gedaan / totaal) if totaal else 0


def _lock(actie_id: int) -> Actie:
    return Actie.objects.select_for_update(of=("self",)).select_related("team", "trekker").get(pk=actie_id)


def _door_or_none(door: Any):
    return None if is_system(door) else door


@transaction.atomic
def mijlpaal_add(*, actie: Actie, titel: str, gewicht: int = 1, door: Any) -> Mijlpaal:
    """A coördinator adds a milestone (weight 1–100) to an actie."""
    require_actor(door)
    locked = _lock(actie.pk)
    require_coordinator(door=door, actie=locked)
    errors: dict[str, list] = {}
    titel = (titel or "").strip()
    if not titel:
        errors["titel"] = [_("Geef de mijlpaal een titel.")]
    elif len(titel) > TITEL_MAX:
        errors["titel"] = [_("De titel is te lang (hoogstens %(max)s tekens).") % {"max": TITEL_MAX}]
    try:
        gewicht = int(gewicht)
    except (TypeError, ValueError):
        gewicht = 0
    if not GEWICHT_MIN <= gewicht <= GEWICHT_MAX:
        errors["gewicht"] = [_("Het gewicht is een heel getal van 1 tot en met 100.")]
    if errors:
        raise ValidationError(errors)
    volgorde = (locked.mijlpalen.aggregate(m=Max("volgorde"))["m"] or 0) + 1
    mijlpaal = Mijlpaal.objects.create(actie=locked, titel=titel, gewicht=gewicht, volgorde=volgorde)
    audit_record(
        door=door,
        actie="mijlpaal.add",
        object=mijlpaal,
        team_id=locked.team_id,
        details={"actie_id": locked.pk, "gewicht": gewicht},
    )
    buurten_changed(locked.buurt_id)
    return mijlpaal


@transaction.atomic
def mijlpaal_afvinken(
    *, mijlpaal: Mijlpaal, gedaan: bool, door: Any, reden: str = "", actie: Actie | None = None
) -> Mijlpaal:
    """Tick a milestone done (or undo it, which needs a reason: progress goes back). With `actie`
    (the page's actie) a milestone of another actie is refused."""
    require_actor(door)
    if actie is not None and mijlpaal.actie_id != actie.pk:
        raise ValidationError({"mijlpaal": [_("Deze mijlpaal hoort niet bij deze actie.")]})
    locked_actie = _lock(mijlpaal.actie_id)
    require_betrokken(door=door, actie=locked_actie)
    locked = Mijlpaal.objects.select_for_update().get(pk=mijlpaal.pk, actie_id=locked_actie.pk)
    reden = (reden or "").strip()
    if bool(locked.gedaan_at) == bool(gedaan):
        return locked
    if not gedaan and not reden:
        raise ValidationError({"reden": [TERUG_ZONDER_REDEN]})
    van = actie_voortgang(locked_actie)
    locked.gedaan_at = timezone.now() if gedaan else None
    locked.save(update_fields=["gedaan_at"])
    naar = actie_voortgang(locked_actie)
    if van != naar:
        VoortgangWijziging.objects.create(
            actie=locked_actie, van=van, naar=naar, reden=reden, door=_door_or_none(door)
        )
    audit_record(
        door=door,
        actie="mijlpaal.afvinken",
        object=locked,
        team_id=locked_actie.team_id,
        details={"actie_id": locked_actie.pk, "gedaan": bool(gedaan), "van": van, "naar": naar},
    )
    buurten_changed(locked_actie.buurt_id)
    mijlpaal.gedaan_at = locked.gedaan_at
    return locked


@transaction.atomic
def actie_voortgang_zetten(*, actie: Actie, voortgang: int, door: Any, reden: str = "") -> Actie:
    """Set an actie's progress by hand (0–100), only when it has no milestones; going back needs a
    reason. Writes a VoortgangWijziging."""
    require_actor(door)
    locked = _lock(actie.pk)
    require_betrokken(door=door, actie=locked)
    if locked.mijlpalen.exists():
        raise ValidationError(
            {"voortgang": [_("Deze actie heeft mijlpalen: de voortgang volgt uit de afgevinkte mijlpalen.")]}
        )
    try:
        nieuw = int(voortgang)
    except (TypeError, ValueError):
        nieuw = -1
    if not 0 <= nieuw <= 100:
        raise ValidationError({"voortgang": [_("De voortgang is een percentage van 0 tot en met 100.")]})
    reden = (reden or "").strip()
    van = locked.voortgang_handmatig
    if nieuw < van and not reden:
        raise ValidationError({"reden": [TERUG_ZONDER_REDEN]})
    if nieuw == van:
        return locked
    locked.voortgang_handmatig = nieuw
    locked.save(update_fields=["voortgang_handmatig", "updated_at"])
    VoortgangWijziging.objects.create(
        actie=locked, van=van, naar=nieuw, reden=reden, door=_door_or_none(door)
    )
    audit_record(
        door=door,
        actie="actie.voortgang",
        object=locked,
        team_id=locked.team_id,
        details={"van": van, "naar": nieuw},
    )
    buurten_changed(locked.buurt_id)
    actie.voortgang_handmatig = nieuw
    return locked


@transaction.atomic
def voortgangsupdate_post(
    *, actie: Actie, tekst: str, door: Any, datum: dt.date | None = None, foto: Any = None
) -> Voortgangsupdate:
    """Post a public progress update ("jij zei, wij deden") signed by the author's partner, never
    the person; an optional photo is cleaned like a signal's photo (a non-image is refused)."""
    require_actor(door)
    locked = _lock(actie.pk)
    require_betrokken(door=door, actie=locked)
    errors: dict[str, list] = {}
    tekst = (tekst or "").strip()
    if not tekst:
        errors["tekst"] = [_("Schrijf wat er gedaan is.")]
    vandaag = timezone.localdate()
    datum = datum or vandaag
    if datum > vandaag:
        errors["datum"] = [_("Een update kan niet in de toekomst liggen.")]
    schoon = None
    if foto:
        try:
            schoon = foto_clean(upload=foto)
        except ValidationError as exc:
            errors["foto"] = exc.messages
    partner = partner_for(door=door, actie=locked) or locked.trekker
    if errors:
        raise ValidationError(errors)
    update = Voortgangsupdate(
        actie=locked, datum=datum, tekst=tekst, partner=partner, door=_door_or_none(door)
    )
    if schoon is not None:
        update.foto_formaat = schoon.formaat
        update.foto.save(f"{update.foto_uuid}.{schoon.formaat}", ContentFile(schoon.inhoud), save=False)
        update.foto_breedte, update.foto_hoogte = schoon.breedte, schoon.hoogte
    update.save()
    audit_record(
        door=door,
        actie="voortgangsupdate.post",
        object=update,
        team_id=locked.team_id,
        details={"actie_id": locked.pk, "partner_id": partner.pk, "foto": schoon is not None},
    )
    buurten_changed(locked.buurt_id)
    meldingen.actie_update_melden(update=update, door=door)
    return update
