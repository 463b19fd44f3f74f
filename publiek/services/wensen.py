"""A resident brings in a wish for the buurt: title, description, thema, an optional place inside
the buurt, postcode + huisnummer and an e-mail address. The mailed link (48 h, once) logs it as a
signal (*nieuw*, kanaal online, `signalen.services.signalen.signaal_log` with `core.actors.BEWONER`)
with the wisher's household as its first support. At most MAX_OPEN unconfirmed wishes per
household at a time; spam checks that need the form (honeypot, fill time) live in the form.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from audit.services import audit_record
from buurten.models import Buurt, Team
from core.actors import BEWONER, require_actor
from core.geojson import COORDINATEN_BUITEN_BEREIK, coordinates_in_range
from notificaties.services import notificatie_queue
from signalen.models import Kanaal, Signaal, Thema
from signalen.services.huishouden import huishouden_hash
from signalen.services.signalen import signaal_log, team_buurt_for_point
from signalen.services.steun import steun_register

from ..emails import WENS_MAIL
from ..models import OnlineWens
from .links import LINK_GELDIG, LinkOngeldig, check_pending, link_for, nonce_from, nonce_new
from .steunen import _email

SALT = "publiek.online_wens"
MAX_OPEN = 3
OMSCHRIJVING_MAX = 2000

TITEL_LEEG = _("Geef je wens een korte titel.")
TITEL_TE_LANG = _("Houd de titel kort: hoogstens 120 tekens.")
OMSCHRIJVING_LEEG = _("Beschrijf je wens in een paar zinnen.")
OMSCHRIJVING_TE_LANG = _("Houd de beschrijving korter dan 2000 tekens.")
THEMA_ONGELDIG = _("Kies een van de thema's uit de lijst.")
PLEK_BUITEN_BUURT = _(
    "Deze plek ligt buiten de buurt. Kies een plek binnen de buurtgrens op de kaart, of laat de plek leeg."
)
TE_VEEL_OPEN = _(
    "Er wachten al %(max)s wensen van dit adres op bevestiging. Bevestig die eerst via de link in je "
    "e-mail, of probeer het over twee dagen opnieuw."
)
NIET_MEER = _("Deze wens kan niet meer worden vastgelegd: %(reden)s")


def _point_in(buurten: list[Buurt], *, team: Team, lat: float, lon: float) -> Buurt | None:
    found = team_buurt_for_point(team=team, lat=lat, lon=lon)
    return found if found is not None and found.pk in {b.pk for b in buurten} else None


@transaction.atomic
def online_wens_aanvragen(
    *,
    team: Team,
    buurten: list[Buurt],
    titel: str,
    omschrijving: str,
    thema: Thema | None,
    lat: float | None,
    lon: float | None,
    postcode: str,
    huisnummer: str,
    email: str,
    door,
    now: dt.datetime | None = None,
) -> OnlineWens:
    """Keep the pending wish of one of `buurten` (of `team`) and mail the confirmation link.
    ValidationError per field for bad input or too many open wishes; nothing is written then."""
    require_actor(door)
    now = now or timezone.now()
    errors: dict[str, list] = {}
    titel = (titel or "").strip()
    omschrijving = (omschrijving or "").strip()
    if not titel:
        errors["titel"] = [TITEL_LEEG]
    elif len(titel) > OnlineWens._meta.get_field("titel").max_length:
        errors["titel"] = [TITEL_TE_LANG]
    if not omschrijving:
        errors["omschrijving"] = [OMSCHRIJVING_LEEG]
    elif len(omschrijving) > OMSCHRIJVING_MAX:
        errors["omschrijving"] = [OMSCHRIJVING_TE_LANG]
    if thema is None or thema.gemeente_id != team.gemeente_id or not thema.actief:
        errors["thema"] = [THEMA_ONGELDIG]
    buurt = buurten[0] if len(buurten) == 1 else None
    if lat is not None or lon is not None:
        if lat is None or lon is None or not coordinates_in_range(lon=lon, lat=lat):
            errors["locatie"] = [COORDINATEN_BUITEN_BEREIK]
        else:
            buurt = _point_in(buurten, team=team, lat=lat, lon=lon)
            if buurt is None:
                errors["locatie"] = [PLEK_BUITEN_BUURT]
    elif buurt is None:
        errors["locatie"] = [_("Deze pagina hoort bij meer buurten: kies een plek op de kaart.")]
    digest = None
    try:
        digest = huishouden_hash(postcode=postcode, huisnummer=huisnummer)
    except ValidationError as fout:
        errors.update(fout.message_dict)
    email = _email(email, errors)
    if digest:
        open_wensen = OnlineWens.objects.filter(
            huishouden_hash=digest, bevestigd_at__isnull=True, created_at__gt=now - LINK_GELDIG
        ).count()
        if open_wensen >= MAX_OPEN:
            errors["__all__"] = [TE_VEEL_OPEN % {"max": MAX_OPEN}]
    if errors:
        raise ValidationError(errors)
    wens = OnlineWens.objects.create(
        team=team,
        buurt=buurt,
        titel=titel,
        omschrijving=omschrijving,
        thema=thema,
        lat=lat,
        lon=lon,
        huishouden_hash=digest,
        nonce=nonce_new(),
        created_at=now,
    )
    link = link_for(nonce=wens.nonce, salt=SALT, url_name="publiek:wens_bevestigen")
    notificatie_queue(
        ontvanger=email,
        soort=WENS_MAIL,
        context={"online_wens_id": wens.pk, "link": link},
        sleutel=f"publiek-wens:{wens.pk}",
    )
    audit_record(
        door=door,
        actie="publiek.wens_aangevraagd",
        object=wens,
        team_id=team.pk,
        details={"buurt_id": buurt.pk, "thema_id": thema.pk},
    )
    return wens


def _load(token: str, *, now: dt.datetime, lock: bool = False) -> OnlineWens:
    nonce = nonce_from(token=token, salt=SALT)
    qs = OnlineWens.objects.select_related("team", "buurt", "thema").filter(nonce=nonce)
    wens = (qs.select_for_update(of=("self",)) if lock else qs).first()
    check_pending(wens, now=now)
    return wens


def online_wens_check(*, token: str, now: dt.datetime | None = None) -> OnlineWens:
    """The pending wish behind a link, or LinkOngeldig (tampered, expired or used); writes nothing."""
    return _load(token, now=now or timezone.now())


def _plek(wens: OnlineWens) -> tuple[float, float]:
    """The wish's place, or (without one) a point surely inside its buurt: the signal needs one."""
    if wens.lat is not None and wens.lon is not None:
        return wens.lat, wens.lon
    punt = shape(wens.buurt.geometrie).representative_point()
    return punt.y, punt.x


@transaction.atomic
def online_wens_bevestigen(*, token: str, door=BEWONER, now: dt.datetime | None = None) -> Signaal:
    """The mailed link confirms: the wish becomes a signal of the team (*nieuw*, kanaal online) with
    the wisher's household as its first support. LinkOngeldig (nothing written) for a bad,
    expired or used link, or a wish that can no longer be logged (its thema was switched off)."""
    require_actor(door)
    now = now or timezone.now()
    wens = _load(token, now=now, lock=True)
    lat, lon = _plek(wens)
    try:
        signaal = signaal_log(
            team=wens.team,
            door=door,
            titel=wens.titel,
            omschrijving=wens.omschrijving,
            thema=wens.thema,
            kanaal=Kanaal.ONLINE,
            lat=lat,
            lon=lon,
            buurt=wens.buurt,
        )
        steun_register(
            signaal=signaal,
            door=door,
            kanaal=Kanaal.ONLINE,
            datum=timezone.localdate(now),
            postcode="",
            huisnummer="",
            huishouden=wens.huishouden_hash,
        )
    except ValidationError as fout:
        raise LinkOngeldig(NIET_MEER % {"reden": " ".join(fout.messages)}, 409) from None
    wens.bevestigd_at = now
    wens.signaal = signaal
    wens.save(update_fields=["bevestigd_at", "signaal"])
    audit_record(
        door=door,
        actie="publiek.wens_bevestigd",
        object=wens,
        team_id=wens.team_id,
        details={"signaal_id": signaal.pk},
    )
    return signaal
