"""One-click unsubscribe of a resident who picks up an actie (`BewonerTrekker` with consent).

The same shape as a supporter's (`signalen.services.afmelden`): a signed link naming the rows and
a keyed tag of the address; POST withdraws the consent and erases the address and first name
(the count of residents stays). A second use, a tampered or an expired link writes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from audit.services import audit_record
from core.actors import require_actor
from signalen.services.afmelden import (
    AFMELDEN_GELDIG,
    AFMELDLINK,
    GEBRUIKT,
    AfmeldLinkOngeldig,
    email_tag,
    token_lezen,
)

from ..models import BewonerTrekker

SALT = "acties.bewoner_afmelden"


def bewoner_afmeld_link(*, bewoner_ids: list[int], email: str) -> str:
    token = signing.dumps(
        {"b": sorted(bewoner_ids), "e": email_tag(email, salt=SALT)}, salt=SALT, compress=True
    )
    return settings.SITE_URL.rstrip("/") + reverse("acties:bewoner_afmelden", args=[token])


def _load(token: str, *, lock: bool = False) -> list[BewonerTrekker]:
    ids, tag = token_lezen(token, salt=SALT, geldig=AFMELDEN_GELDIG, sleutel="b")
    qs = BewonerTrekker.objects.filter(pk__in=ids).exclude(email="").select_related("actie")
    if lock:
        qs = qs.select_for_update(of=("self",))
    rows = [b for b in qs.order_by("pk") if email_tag(b.email, salt=SALT) == tag]
    if not rows:
        raise AfmeldLinkOngeldig(GEBRUIKT, 410)
    return rows


def bewoner_afmelden_check(*, token: str) -> list[BewonerTrekker]:
    """The rows behind an unsubscribe link, or AfmeldLinkOngeldig; writes nothing."""
    return _load(token)


@transaction.atomic
def bewoner_afmelden(*, token: str, door=AFMELDLINK) -> int:
    """Withdraw the consent of the link's residents and erase their address and first name (the
    count stays); returns how many rows. AfmeldLinkOngeldig (nothing written) otherwise."""
    require_actor(door)
    rows = _load(token, lock=True)
    ids = [b.pk for b in rows]
    BewonerTrekker.objects.filter(pk__in=ids).update(email="", voornaam="", toestemming=False)
    per_team: dict[int, list[int]] = {}
    for b in rows:
        per_team.setdefault(b.actie.team_id, []).append(b.pk)
    for team_id, bewoner_ids in per_team.items():
        audit_record(
            door=door,
            actie="bewoner.afgemeld",
            object=("acties.bewonertrekker", bewoner_ids[0]),
            team_id=team_id,
            details={"bewonertrekker_ids": bewoner_ids},
        )
    return len(ids)
