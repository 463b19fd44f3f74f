"""A resident supports a public signal online: postcode + huisnummer and an e-mail address, then
a mailed link (48 h, once) makes the support count through `signalen.services.steun.steun_register`
(kanaal online, actor `core.actors.BEWONER`), with the one rule for every channel: a household
counts once. The request answers the same whether or not the household already supports the
signal (that would tell a stranger what an address supports); the confirmation page says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.actors import BEWONER, require_actor
from core.email import email_normalise
from notificaties.services import notificatie_queue
from signalen.models import Kanaal, Signaal, Steunbetuiging
from signalen.services.huishouden import huishouden_hash
from signalen.services.steun import AL_GESTEUND as AL_GESTEUND_TEAM
from signalen.services.steun import steun_register
from signalen.workflow import TALLY_STATUSES

from ..emails import STEUN_MAIL
from ..models import OnlineSteun
from .links import LinkOngeldig, check_pending, link_for, nonce_from, nonce_new

SALT = "publiek.online_steun"

AL_GESTEUND = _(
    "Je huishouden steunt dit signaal al (online of via het team). Een huishouden telt één keer mee; "
    "er is niets dubbel geteld."
)
GEEN_STEUN_MEER = _("Dit signaal verzamelt geen steun meer. Er is niets geteld.")
EMAIL_ONGELDIG = _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")


def signalen_online_steunbaar() -> QuerySet[Signaal]:
    """Signals a resident may support online: public and still gathering support (before triage)."""
    return Signaal.objects.filter(vertrouwelijk=False, over_persoon=False, status__in=TALLY_STATUSES)


def _email(email: str, errors: dict) -> str:
    email = email_normalise(email)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [EMAIL_ONGELDIG]
    return email


@transaction.atomic
def online_steun_aanvragen(
    *, signaal: Signaal, postcode: str, huisnummer: str, email: str, email_toestemming: bool, door
) -> OnlineSteun:
    """Keep the pending support (household hash; the e-mail address only with consent) and mail the
    confirmation link. ValidationError per field for bad input; nothing is written then."""
    require_actor(door)
    if not signalen_online_steunbaar().filter(pk=signaal.pk).exists():
        raise ValidationError({"__all__": [GEEN_STEUN_MEER]})
    errors: dict[str, list] = {}
    digest = None
    try:
        digest = huishouden_hash(postcode=postcode, huisnummer=huisnummer)
    except ValidationError as fout:
        errors.update(fout.message_dict)
    email = _email(email, errors)
    if errors:
        raise ValidationError(errors)
    steun = OnlineSteun.objects.create(
        signaal=signaal,
        huishouden_hash=digest,
        email=email if email_toestemming else "",
        email_toestemming=bool(email_toestemming),
        nonce=nonce_new(),
    )
    link = link_for(nonce=steun.nonce, salt=SALT, url_name="publiek:steunen_bevestigen")
    notificatie_queue(
        ontvanger=email,
        soort=STEUN_MAIL,
        context={"online_steun_id": steun.pk, "link": link},
        sleutel=f"publiek-steun:{steun.pk}",
    )
    audit_record(
        door=door,
        actie="publiek.steun_aangevraagd",
        object=steun,
        team_id=signaal.team_id,
        details={"signaal_id": signaal.pk},
    )
    return steun


def _load(token: str, *, now: dt.datetime, lock: bool = False) -> OnlineSteun:
    nonce = nonce_from(token=token, salt=SALT)
    qs = OnlineSteun.objects.select_related("signaal").filter(nonce=nonce)
    steun = (qs.select_for_update(of=("self",)) if lock else qs).first()
    check_pending(steun, now=now)
    return steun


def online_steun_check(*, token: str, now: dt.datetime | None = None) -> OnlineSteun:
    """The pending support behind a link, or LinkOngeldig (tampered, expired or used, or a signal
    that no longer gathers support: one made confidential since must not show its title); writes
    nothing."""
    steun = _load(token, now=now or timezone.now())
    if not signalen_online_steunbaar().filter(pk=steun.signaal_id).exists():
        raise LinkOngeldig(GEEN_STEUN_MEER, 409)
    return steun


@dataclass(frozen=True)
class Bevestiging:
    """The outcome of a confirmed link: the new support, or None when the household already
    supported the signal (then nothing was counted and the link is used up)."""

    steun: Steunbetuiging | None

    @property
    def al_gesteund(self) -> bool:
        return self.steun is None


@transaction.atomic
def online_steun_bevestigen(*, token: str, door=BEWONER, now: dt.datetime | None = None) -> Bevestiging:
    """The mailed link confirms: the household's support counts (kanaal online), once. A household
    that already supports the signal (any channel) counts nothing and uses the link up.
    LinkOngeldig (nothing written) for a bad, expired or used link or a signal that no longer
    gathers support."""
    require_actor(door)
    now = now or timezone.now()
    pending = _load(token, now=now, lock=True)
    signaal = pending.signaal
    if not signalen_online_steunbaar().filter(pk=signaal.pk).exists():
        raise LinkOngeldig(GEEN_STEUN_MEER, 409)
    try:
        steun = steun_register(
            signaal=signaal,
            door=door,
            kanaal=Kanaal.ONLINE,
            datum=timezone.localdate(now),
            postcode="",
            huisnummer="",
            huishouden=pending.huishouden_hash,
            email=pending.email,
            email_toestemming=pending.email_toestemming,
        )
    except ValidationError as fout:
        if str(AL_GESTEUND_TEAM) not in fout.messages:
            raise LinkOngeldig(GEEN_STEUN_MEER, 409) from None
        _use(pending, now=now)
        audit_record(
            door=door,
            actie="publiek.steun_dubbel",
            object=pending,
            team_id=signaal.team_id,
            details={"signaal_id": signaal.pk},
        )
        return Bevestiging(steun=None)
    except PermissionDenied:
        raise LinkOngeldig(GEEN_STEUN_MEER, 409) from None
    _use(pending, now=now)
    return Bevestiging(steun=steun)


def _use(pending: OnlineSteun, *, now: dt.datetime) -> None:
    # Once confirmed the address for updates lives on the Steunbetuiging only.
    pending.bevestigd_at = now
    pending.email = ""
    pending.email_toestemming = False
    pending.save(update_fields=["bevestigd_at", "email", "email_toestemming"])
