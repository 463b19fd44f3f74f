"""A household withdraws all its support: postcode + huisnummer, then a link mailed to confirm.

`huishouden_intrekking_aanvragen` keeps only the household hash (`huishouden.huishouden_hash`)
and queues a mail through the outbox with a signed link; the link works once and for
INTREKKING_GELDIG. The page always says the same after the request, so it never tells whether a
household supports anything. `huishouden_steun_intrekken` withdraws every active support of the
household and marks the link used, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.actors import require_actor
from core.email import email_normalise
from notificaties.services import notificatie_queue

from ..emails import INTREKKEN_MAIL
from ..models import HuishoudenIntrekking, Steunbetuiging
from .huishouden import huishouden_hash
from .steun import steun_queue_tally

INTREKKING_GELDIG = dt.timedelta(hours=48)
SALT = "signalen.huishouden_intrekken"

ONGELDIG = _(
    "Deze link is niet geldig. Gebruik de link uit de e-mail precies zoals hij is, of vraag een nieuwe aan."
)
VERLOPEN = _("Deze link is verlopen: hij werkt 48 uur. Vraag een nieuwe aan.")
GEBRUIKT = _("Deze link is al gebruikt. De steun van dit huishouden is toen al ingetrokken.")


class LinkOngeldig(Exception):
    """The link cannot be used: `bericht` says why (in Dutch), `status` is the HTTP status."""

    def __init__(self, bericht, status: int) -> None:
        super().__init__(str(bericht))
        self.bericht = bericht
        self.status = status


@transaction.atomic
def huishouden_intrekking_aanvragen(
    *, postcode: str, huisnummer: str, email: str, door
) -> HuishoudenIntrekking:
    """Keep the request (the household hash only) and mail the confirmation link to `email`.
    ValidationError per field for a bad postcode, huisnummer or address; nothing is written then."""
    require_actor(door)
    errors: dict[str, list] = {}
    hash_ = None
    try:
        hash_ = huishouden_hash(postcode=postcode, huisnummer=huisnummer)
    except ValidationError as fout:
        errors.update(fout.message_dict)
    email = email_normalise(email or "")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Vul een geldig e-mailadres in.")]
    if errors:
        raise ValidationError(errors)
    intrekking = HuishoudenIntrekking.objects.create(huishouden_hash=hash_, nonce=secrets.token_urlsafe(24))
    token = signing.dumps({"n": intrekking.nonce}, salt=SALT)
    link = settings.SITE_URL.rstrip("/") + reverse("signalen:huishouden_intrekken_bevestigen", args=[token])
    notificatie_queue(
        ontvanger=email,
        soort=INTREKKEN_MAIL,
        context={"intrekking_id": intrekking.pk, "link": link},
        sleutel=f"huishouden-intrekken:{intrekking.pk}",
    )
    audit_record(door=door, actie="steun.intrekking_aangevraagd", object=intrekking)
    return intrekking


def _load(token: str, *, now: dt.datetime, lock: bool = False) -> HuishoudenIntrekking:
    try:
        nonce = signing.loads(token, salt=SALT)["n"]
    except (signing.BadSignature, KeyError, TypeError):
        raise LinkOngeldig(ONGELDIG, 400) from None
    qs = HuishoudenIntrekking.objects.filter(nonce=nonce)
    intrekking = (qs.select_for_update() if lock else qs).first()
    if intrekking is None:
        # Signed by us but gone: the retention run removed it long after it expired.
        raise LinkOngeldig(VERLOPEN, 410)
    if intrekking.gebruikt_at is not None:
        raise LinkOngeldig(GEBRUIKT, 410)
    if intrekking.created_at + INTREKKING_GELDIG <= now:
        raise LinkOngeldig(VERLOPEN, 410)
    return intrekking


def huishouden_intrekking_check(*, token: str, now: dt.datetime | None = None) -> HuishoudenIntrekking:
    """The request behind a link, or LinkOngeldig (tampered, expired or used); writes nothing."""
    return _load(token, now=now or timezone.now())


@transaction.atomic
def huishouden_steun_intrekken(*, token: str, door, now: dt.datetime | None = None) -> int:
    """Withdraw every active support of the link's household and use the link up; returns how
    many. LinkOngeldig (nothing written) for a tampered, expired or used link."""
    require_actor(door)
    now = now or timezone.now()
    intrekking = _load(token, now=now, lock=True)
    steun = list(
        Steunbetuiging.objects.select_for_update(of=("self",))
        .filter(huishouden_hash=intrekking.huishouden_hash, ingetrokken_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "signaal_id", "signaal__team_id")
    )
    ids = [pk for pk, _s, _t in steun]
    # The withdrawal also drops the address given for updates: the household asked to be let go.
    Steunbetuiging.objects.filter(pk__in=ids).update(ingetrokken_at=now, email="", email_toestemming=False)
    intrekking.gebruikt_at = now
    intrekking.save(update_fields=["gebruikt_at"])
    per_team: dict[int, list[int]] = {}
    for pk, _signaal_id, team_id in steun:
        per_team.setdefault(team_id, []).append(pk)
    for team_id, steun_ids in per_team.items():
        audit_record(
            door=door,
            actie="steun.withdraw_huishouden",
            object=intrekking,
            team_id=team_id,
            details={"steunbetuiging_ids": steun_ids},
        )
    if not per_team:
        audit_record(
            door=door,
            actie="steun.withdraw_huishouden",
            object=intrekking,
            details={"steunbetuiging_ids": []},
        )
    signaal_ids = sorted({signaal_id for _pk, signaal_id, _t in steun})
    if signaal_ids:
        steun_queue_tally(signaal_ids=signaal_ids)
    return len(ids)
