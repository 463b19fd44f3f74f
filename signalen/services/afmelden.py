"""One-click unsubscribe from the mails about a signal a resident supports.

Every mail to a supporter carries a signed link (`/afmelden/<token>/`) naming the supports the
mail was about and a keyed tag of the address it went to; the token never holds the address.
`steun_afmelden` withdraws the consent and erases the address from those supports (the support
itself still counts). GET of the link only shows a button (mail scanners open links); POST
unsubscribes, also as RFC 8058 one-click (`List-Unsubscribe-Post`, set by `bewoner_mail_extra`).
A link is signed for AFMELDEN_GELDIG and works while the address is still on a support; a second
use, a tampered or an expired link writes nothing and says why.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.actors import SystemActor, require_actor
from core.email import email_normalise
from notificaties.services import HEADERS

from ..models import Steunbetuiging

SALT = "signalen.afmelden"
# Long: a resident unsubscribes from an old mail too; the address itself is the real limit.
AFMELDEN_GELDIG = dt.timedelta(days=365)
AFMELDLINK = SystemActor("afmeldlink")

ONGELDIG = _("Deze afmeldlink is niet geldig. Gebruik de link uit de e-mail precies zoals hij is.")
VERLOPEN = _(
    "Deze afmeldlink is verlopen: hij werkt een jaar. Gebruik de link uit een nieuwere e-mail, "
    "of vraag het team om je e-mailadres te wissen."
)
GEBRUIKT = _("Je bent al afgemeld: dit e-mailadres staat niet meer bij deze steun. Er is niets veranderd.")


class AfmeldLinkOngeldig(Exception):
    """The link cannot be used: `bericht` says why (in Dutch), `status` is the HTTP status."""

    def __init__(self, bericht, status: int) -> None:
        super().__init__(str(bericht))
        self.bericht = bericht
        self.status = status


def email_tag(email: str, *, salt: str = SALT) -> str:
    """A keyed tag of an address: the token can check the address without carrying it."""
    return salted_hmac(salt, email_normalise(email)).hexdigest()[:20]


def afmeld_token(*, steun_ids: list[int], email: str) -> str:
    return signing.dumps({"s": sorted(steun_ids), "e": email_tag(email)}, salt=SALT, compress=True)


def afmeld_link(*, steun_ids: list[int], email: str) -> str:
    token = afmeld_token(steun_ids=steun_ids, email=email)
    return settings.SITE_URL.rstrip("/") + reverse("signalen:afmelden", args=[token])


def bewoner_mail_extra(*, afmeld_link: str) -> dict:
    """What every resident mail's builder adds: the link in the text and the RFC 8058 headers."""
    return {
        "afmeld_link": afmeld_link,
        HEADERS: {
            "List-Unsubscribe": f"<{afmeld_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def token_lezen(token: str, *, salt: str, geldig: dt.timedelta, sleutel: str) -> tuple[list[int], str]:
    """The ids and address tag of an unsubscribe token, or AfmeldLinkOngeldig (400 tampered, 410
    expired). Shared with the residents who pick up an actie (acties)."""
    try:
        data = signing.loads(token, salt=salt, max_age=geldig)
    except signing.SignatureExpired:
        raise AfmeldLinkOngeldig(VERLOPEN, 410) from None
    except signing.BadSignature:
        raise AfmeldLinkOngeldig(ONGELDIG, 400) from None
    try:
        ids, tag = data[sleutel], data["e"]
        if not isinstance(tag, str) or not ids or not all(isinstance(pk, int) for pk in ids):
            raise TypeError
    except (KeyError, TypeError):
        raise AfmeldLinkOngeldig(ONGELDIG, 400) from None
    return ids, tag


def _load(token: str, *, lock: bool = False) -> list[Steunbetuiging]:
    ids, tag = token_lezen(token, salt=SALT, geldig=AFMELDEN_GELDIG, sleutel="s")
    qs = Steunbetuiging.objects.filter(pk__in=ids).exclude(email="").select_related("signaal")
    if lock:
        qs = qs.select_for_update(of=("self",))
    steun = [s for s in qs.order_by("pk") if email_tag(s.email) == tag]
    if not steun:
        raise AfmeldLinkOngeldig(GEBRUIKT, 410)
    return steun


def steun_afmelden_check(*, token: str) -> list[Steunbetuiging]:
    """The supports behind an unsubscribe link, or AfmeldLinkOngeldig; writes nothing."""
    return _load(token)


@transaction.atomic
def steun_afmelden(*, token: str, door=AFMELDLINK) -> int:
    """Withdraw the mail consent of the link's supports and erase their address (the support
    still counts); returns how many. AfmeldLinkOngeldig (nothing written) for a tampered,
    expired or already used link."""
    require_actor(door)
    steun = _load(token, lock=True)
    ids = [s.pk for s in steun]
    Steunbetuiging.objects.filter(pk__in=ids).update(email="", email_toestemming=False)
    per_team: dict[int, list[int]] = {}
    for s in steun:
        per_team.setdefault(s.signaal.team_id, []).append(s.pk)
    for team_id, steun_ids in per_team.items():
        audit_record(
            door=door,
            actie="steun.afgemeld",
            object=("signalen.steunbetuiging", steun_ids[0]),
            team_id=team_id,
            details={"steunbetuiging_ids": steun_ids},
        )
    return len(ids)
