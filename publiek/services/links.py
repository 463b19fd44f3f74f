"""The signed one-time links of publiek: valid LINK_GELDIG (48 h) and once, like the household's
withdrawal link (signalen.services.intrekken). The token signs only a nonce of the pending row."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

LINK_GELDIG = dt.timedelta(hours=48)

ONGELDIG = _(
    "Deze link is niet geldig. Gebruik de link uit de e-mail precies zoals hij is, of begin opnieuw."
)
VERLOPEN = _("Deze link is verlopen: hij werkt 48 uur. Er is niets geteld; begin opnieuw.")
GEBRUIKT = _("Deze link is al gebruikt. Wat je stuurde is toen al bevestigd; er is niets dubbel geteld.")


class LinkOngeldig(Exception):
    """The link cannot be used: `bericht` says why (in Dutch), `status` is the HTTP status."""

    def __init__(self, bericht, status: int) -> None:
        super().__init__(str(bericht))
        self.bericht = bericht
        self.status = status


def nonce_new() -> str:
    return secrets.token_urlsafe(24)


def link_for(*, nonce: str, salt: str, url_name: str) -> str:
    token = signing.dumps({"n": nonce}, salt=salt)
    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=[token])


def nonce_from(*, token: str, salt: str) -> str:
    """The nonce a token signs, or LinkOngeldig (400) for a tampered or malformed token."""
    try:
        nonce = signing.loads(token, salt=salt)["n"]
    except (signing.BadSignature, KeyError, TypeError):
        raise LinkOngeldig(ONGELDIG, 400) from None
    if not isinstance(nonce, str):
        raise LinkOngeldig(ONGELDIG, 400)
    return nonce


def check_pending(row, *, now: dt.datetime) -> None:
    """LinkOngeldig for a row that is gone (signed by us, removed after expiry), used or expired."""
    if row is None:
        raise LinkOngeldig(VERLOPEN, 410)
    if row.bevestigd_at is not None:
        raise LinkOngeldig(GEBRUIKT, 410)
    if row.created_at + LINK_GELDIG <= now:
        raise LinkOngeldig(VERLOPEN, 410)
