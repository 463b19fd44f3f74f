"""Follow-up of a signal forwarded to a partner as its primary task (a `Doorzetting`).

Triage as *primaire taak* (`status.signaal_triage`) opens a Doorzetting with a follow-up date
in working days (`core.werkdagen`: no weekends, no Dutch public holidays) and mails the partner
a signed link. Through that link, without an account, the partner's contact answers
(`doorzetting_beantwoorden` with `core.actors.PARTNER_LINK`); a coördinator can record the same
answer. *opgepakt* puts the signal in actie, *afgehandeld* closes it (afgerond), *niet onze
taak* (with a note) returns it to triage; the last two close the Doorzetting, and with it the
link. Once past its date, an open Doorzetting is overdue and its partner gets one reminder
(`doorzettingen_herinneren`, daily from Celery beat).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from buurten.models import Partner
from core.actors import is_system, require_actor
from core.werkdagen import werkdagen_erbij
from notificaties.services import notificatie_queue

from ..emails import DOORZET_HERINNERING_MAIL
from ..models import DoorzetAntwoord, Doorzetting, Signaal, Status
from ..selectors import user_is_coordinator
from . import status as status_services

OPVOLGEN_WERKDAGEN = 10
OPVOLGEN_MIN, OPVOLGEN_MAX = 1, 60
SALT = "signalen.doorzetting"

ONGELDIG = _("Deze link is niet geldig. Gebruik de link uit de e-mail precies zoals hij is.")
ONBEKEND = _("Deze doorverwijzing bestaat niet meer.")
GESLOTEN = _("Deze doorverwijzing is afgesloten: het antwoord is al vastgelegd of het signaal is gesloten.")
NOTITIE_VERPLICHT = _("Leg kort uit waarom het niet jullie taak is; het team leest dit bij de nieuwe triage.")


class DoorzetLinkOngeldig(Exception):
    """The link cannot be used: `bericht` says why (in Dutch), `status` is the HTTP status."""

    def __init__(self, bericht, status: int) -> None:
        super().__init__(str(bericht))
        self.bericht = bericht
        self.status = status


def opvolgen_werkdagen_clean(werkdagen) -> int:
    """The follow-up term in working days, 1 to 60; ValidationError on field `opvolgen_werkdagen`."""
    try:
        werkdagen = int(werkdagen)
    except (TypeError, ValueError):
        werkdagen = None
    if werkdagen is None or not OPVOLGEN_MIN <= werkdagen <= OPVOLGEN_MAX:
        raise ValidationError(
            {
                "opvolgen_werkdagen": [
                    _("Kies een termijn van %(min)s tot en met %(max)s werkdagen.")
                    % {"min": OPVOLGEN_MIN, "max": OPVOLGEN_MAX}
                ]
            }
        )
    return werkdagen


def doorzetting_open(
    *, signaal: Signaal, partner: Partner, werkdagen: int, door, vandaag: dt.date | None = None
) -> Doorzetting:
    """Open the follow-up of a forward (inside `signaal_triage`'s transaction, after its checks):
    the date is `werkdagen` working days from today; an older open one of the signal is closed."""
    require_actor(door)
    now = timezone.now()
    vandaag = vandaag or timezone.localdate(now)
    Doorzetting.objects.filter(signaal=signaal, gesloten_at__isnull=True).update(gesloten_at=now)
    doorzetting = Doorzetting.objects.create(
        signaal=signaal,
        partner=partner,
        opvolgen_op=werkdagen_erbij(vandaag, werkdagen),
        door=None if is_system(door) else door,
    )
    audit_record(
        door=door,
        actie="doorzetting.open",
        object=doorzetting,
        team_id=signaal.team_id,
        details={
            "signaal_id": signaal.pk,
            "partner_id": partner.pk,
            "opvolgen_op": doorzetting.opvolgen_op.isoformat(),
            "werkdagen": werkdagen,
        },
    )
    return doorzetting


def doorzetting_token(*, doorzetting: Doorzetting) -> str:
    return signing.dumps({"d": doorzetting.pk, "p": doorzetting.partner_id}, salt=SALT)


def doorzetting_link(*, doorzetting: Doorzetting) -> str:
    """The partner's answer page, absolute (for the mail)."""
    path = reverse("signalen:doorzetting_antwoord", args=[doorzetting_token(doorzetting=doorzetting)])
    return settings.SITE_URL.rstrip("/") + path


def doorzetting_from_token(*, token: str, open_only: bool = True) -> Doorzetting:
    """The Doorzetting behind a link, or DoorzetLinkOngeldig: tampered 400, gone 404, closed 410
    (with `open_only`). Writes nothing."""
    try:
        data = signing.loads(token, salt=SALT)
        pk, partner_id = int(data["d"]), int(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise DoorzetLinkOngeldig(ONGELDIG, 400) from None
    doorzetting = (
        Doorzetting.objects.select_related(
            "signaal", "signaal__thema", "signaal__buurt", "signaal__team", "partner"
        )
        .filter(pk=pk, partner_id=partner_id)
        .first()
    )
    if doorzetting is None:
        raise DoorzetLinkOngeldig(ONBEKEND, 404)
    if open_only and doorzetting.gesloten_at is not None:
        raise DoorzetLinkOngeldig(GESLOTEN, 410)
    return doorzetting


# Where each answer moves the signal; None: it stays (already there).
_NAAR = {
    DoorzetAntwoord.OPGEPAKT: Status.IN_ACTIE,
    DoorzetAntwoord.AFGEHANDELD: Status.AFGEROND,
    DoorzetAntwoord.NIET_ONZE_TAAK: Status.DRAAGVLAK_BEREIKT,
}


@transaction.atomic
def doorzetting_beantwoorden(*, doorzetting: Doorzetting, antwoord: str, notitie: str = "", door) -> bool:
    """Record the partner's answer: opgepakt → signal in actie; afgehandeld → afgerond and the
    forward closed; niet onze taak (note required) → back to triage and the forward closed.
    `door` is PARTNER_LINK (the signed link) or a coördinator of the signal's team. The same
    answer again writes nothing (returns False); any answer on a closed forward is refused."""
    require_actor(door)
    notitie = (notitie or "").strip()
    if antwoord not in DoorzetAntwoord.values:
        raise ValidationError({"antwoord": [_("Kies opgepakt, afgehandeld of niet onze taak.")]})
    if not is_system(door) and not user_is_coordinator(user=door, team=doorzetting.signaal.team_id):
        raise PermissionDenied(
            _("Alleen een coördinator van het team kan het antwoord van de partner vastleggen.")
        )
    locked = Doorzetting.objects.select_for_update().get(pk=doorzetting.pk)
    if locked.antwoord == antwoord and (antwoord == DoorzetAntwoord.OPGEPAKT or locked.gesloten_at):
        return False  # a second click, a resent form: nothing new
    if locked.gesloten_at is not None:
        raise ValidationError({"__all__": [GESLOTEN]})
    if antwoord == DoorzetAntwoord.NIET_ONZE_TAAK and not notitie:
        raise ValidationError({"notitie": [NOTITIE_VERPLICHT]})

    signaal = status_services._lock(None, locked.signaal_id)
    naar = _NAAR[antwoord]
    if signaal.status != naar:
        status_services.status_apply([signaal], naar=naar, door=door, reden=notitie)
    now = timezone.now()
    locked.antwoord = antwoord
    locked.notitie = notitie
    locked.beantwoord_at = now
    locked.beantwoord_door = None if is_system(door) else door
    fields = ["antwoord", "notitie", "beantwoord_at", "beantwoord_door"]
    if antwoord == DoorzetAntwoord.AFGEHANDELD:
        locked.afgehandeld_at = now
        fields.append("afgehandeld_at")
    if antwoord != DoorzetAntwoord.OPGEPAKT:
        # The status change above may have closed it already (status_apply closes open forwards).
        locked.gesloten_at = now
        fields.append("gesloten_at")
    locked.save(update_fields=fields)
    audit_record(
        door=door,
        actie="doorzetting.antwoord",
        object=locked,
        team_id=signaal.team_id,
        details={"antwoord": antwoord, "signaal_id": signaal.pk, "via_link": is_system(door)},
    )
    for field in fields:
        setattr(doorzetting, field, getattr(locked, field))
    return True


@transaction.atomic
def doorzettingen_herinneren(*, door, vandaag: dt.date | None = None) -> int:
    """One reminder per overdue open forward (past its date, never reminded), to the partner's
    contact through the outbox; marks it reminded in the same transaction. Returns how many."""
    require_actor(door)
    vandaag = vandaag or timezone.localdate()
    now = timezone.now()
    rows = list(
        Doorzetting.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("partner", "signaal")
        .filter(gesloten_at__isnull=True, herinnerd_at__isnull=True, opvolgen_op__lt=vandaag)
        .exclude(partner__contact_email="")
        .order_by("pk")
    )
    for doorzetting in rows:
        notificatie_queue(
            ontvanger=doorzetting.partner.contact_email,
            soort=DOORZET_HERINNERING_MAIL,
            context={"doorzetting_id": doorzetting.pk},
            sleutel=f"doorzet-herinnering:{doorzetting.pk}",
        )
        audit_record(
            door=door,
            actie="doorzetting.herinnering",
            object=doorzetting,
            team_id=doorzetting.signaal.team_id,
            details={"partner_id": doorzetting.partner_id},
        )
    Doorzetting.objects.filter(pk__in=[d.pk for d in rows]).update(herinnerd_at=now)
    return len(rows)
