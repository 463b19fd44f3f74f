"""Mail to the residents who support a signal and gave an address with consent.

One outbox row per address per event: a household that supports two signals of the same event
(two signals merged into one actie, a batch declined at once) with one address gets one mail.
The key is the event and the address, so queuing the same event again sends nothing new.
Each mail carries the one-click unsubscribe link of the supports it is about (`afmelden`).

`steun_status_melden` is signalen's own event (a signal forwarded, declined or closed), called
by `status_apply` and `signaal_triage`; acties builds its events with `steun_berichten`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max

from core.actors import TALLY
from core.email import email_normalise
from notificaties import registry
from notificaties.services import NieuwBericht, notificaties_queue_bulk

from ..emails import STEUN_STATUS_MAIL
from ..models import Signaal, Status, StatusWijziging, Steunbetuiging, TriageUitkomst
from .afmelden import afmeld_link, bewoner_mail_extra

DOORGEZET = "doorgezet"


def steun_ontvangers(*, signaal_ids: Iterable[int]) -> dict[str, list[tuple[int, int]]]:
    """{address: [(steunbetuiging id, signaal id), …]} of the active supports with consent."""
    rows = (
        Steunbetuiging.objects.filter(
            signaal_id__in=list(signaal_ids), ingetrokken_at__isnull=True, email_toestemming=True
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "signaal_id", "email")
    )
    per_adres: dict[str, list[tuple[int, int]]] = {}
    for pk, signaal_id, email in rows:
        per_adres.setdefault(email_normalise(email), []).append((pk, signaal_id))
    return per_adres


def steun_berichten(
    *, signaal_ids: Iterable[int], soort: str, gebeurtenis: str, context: dict
) -> list[NieuwBericht]:
    """One mail per address of the signals' consenting supporters, keyed `<gebeurtenis>:<address>`."""
    berichten = []
    for email, rows in steun_ontvangers(signaal_ids=signaal_ids).items():
        steun_ids = [pk for pk, _s in rows]
        berichten.append(
            NieuwBericht(
                ontvanger=email,
                soort=soort,
                context={
                    **context,
                    "steun_ids": steun_ids,
                    "signaal_ids": sorted({s for _pk, s in rows}),
                    "afmeld_link": afmeld_link(steun_ids=steun_ids, email=email),
                },
                sleutel=f"{gebeurtenis}:{email}",
            )
        )
    return berichten


def steun_mail_basis(context: dict) -> dict:
    """A builder's common part: the signals the mail is about (a confidential one without its
    title) and the unsubscribe link and headers. Dropped when every address was unsubscribed
    since, or the signals are gone."""
    nog = (
        Steunbetuiging.objects.filter(
            pk__in=context["steun_ids"], email_toestemming=True, ingetrokken_at__isnull=True
        )
        .exclude(email="")
        .exists()
    )
    if not nog:
        raise registry.BerichtVervallen("afgemeld of de steun is ingetrokken")
    signalen = list(
        Signaal.objects.filter(pk__in=context["signaal_ids"])
        .select_related("buurt")
        .order_by("pk")
        .only("pk", "titel", "vertrouwelijk", "buurt__naam")
    )
    if not signalen:
        raise registry.BerichtVervallen("de signalen bestaan niet meer")
    return {"signalen": signalen, **bewoner_mail_extra(afmeld_link=context["afmeld_link"])}


def steun_status_melden(*, signalen: list, naar: str, door, reden: str = "", partner=None) -> int:
    """Supporters hear that their signal was forwarded (`naar` = DOORGEZET, with the partner),
    declined (afgewezen, with the reason) or closed (afgerond). Not for the tally's moves, and
    not for closing a signal of a VBT-actie (the actie's own mail says it is done). Returns how
    many mails were offered to the outbox."""
    if door is TALLY or naar not in (DOORGEZET, Status.AFGEWEZEN, Status.AFGEROND):
        return 0
    if naar == Status.AFGEROND:
        signalen = [s for s in signalen if getattr(s, "triage_uitkomst", "") != TriageUitkomst.INTEGRAAL]
    ids = [s.pk for s in signalen]
    if not ids:
        return 0
    # The event: the newest history row of this move (every call writes fresh ones).
    wijziging = StatusWijziging.objects.filter(signaal_id__in=ids).aggregate(m=Max("pk"))["m"]
    # Only a decline's reason is written for residents; a close's note may be the partner's own.
    context = {
        "gebeurtenis": str(naar),
        "reden": reden if naar == Status.AFGEWEZEN else "",
        "partner_id": getattr(partner, "pk", None),
    }
    berichten = steun_berichten(
        signaal_ids=ids, soort=STEUN_STATUS_MAIL, gebeurtenis=f"steun-{naar}:{wijziging}", context=context
    )
    return notificaties_queue_bulk(berichten=berichten)
