"""Mails that acties and follow-up send, all through the outbox (`notificaties`).

The services call these in their own transaction, after the change is written; each queues
outbox rows with an idempotency key, so a retried service or task never mails twice.

Supporters (`signalen.services.steunmail`): one mail per address per event, whatever number of
the actie's signals the address supports; residents who pick the actie up: one per address per
status change. Every resident mail carries its one-click unsubscribe link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.email import email_normalise
from notificaties.services import NieuwBericht, notificatie_queue, notificaties_queue_bulk
from signalen.services.steunmail import steun_berichten

from .emails import ACTIE_BEWONER_MAIL, ACTIE_PARTNER_MAIL, ACTIE_STEUN_MAIL
from .models import ActieSignaal, ActieStatus, ActieStatusWijziging, BewonerTrekker

if TYPE_CHECKING:
    from .models import Actie, Voortgangsupdate


def _signaal_ids(actie: Actie) -> list[int]:
    return list(ActieSignaal.objects.filter(actie_id=actie.pk).values_list("signaal_id", flat=True))


def _steun_melden(actie: Actie, *, gebeurtenis: str, sleutel: str, **extra) -> int:
    berichten = steun_berichten(
        signaal_ids=_signaal_ids(actie),
        soort=ACTIE_STEUN_MAIL,
        gebeurtenis=sleutel,
        context={"gebeurtenis": gebeurtenis, "actie_id": actie.pk, **extra},
    )
    return notificaties_queue_bulk(berichten=berichten)


def actie_aangemaakt_melden(*, actie: Actie, door) -> None:
    """Supporters who consented of the actie's signals: their signal became a VBT-actie; the lead
    partner's contact: a new actie for it."""
    _steun_melden(actie, gebeurtenis="aangemaakt", sleutel=f"actie-aangemaakt:{actie.pk}")
    trekker = actie.trekker
    if trekker.contact_email:
        adres = email_normalise(trekker.contact_email)
        notificatie_queue(
            ontvanger=adres,
            soort=ACTIE_PARTNER_MAIL,
            context={"actie_id": actie.pk, "partner_id": trekker.pk, "door_id": getattr(door, "pk", None)},
            sleutel=f"actie-trekker:{actie.pk}:{trekker.pk}:{adres}",
        )


def actie_update_melden(*, update: Voortgangsupdate, door) -> None:
    """Supporters who consented: a public update of the actie their signal is in."""
    _steun_melden(
        update.actie, gebeurtenis="update", sleutel=f"actie-update:{update.pk}", update_id=update.pk
    )


def _wijziging(actie: Actie, naar: str) -> str:
    """The event of a status change: its history row (or, before that row exists, the time)."""
    pk = (
        ActieStatusWijziging.objects.filter(actie_id=actie.pk, naar=naar)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return str(pk) if pk else (actie.status_gewijzigd_at.isoformat() if actie.status_gewijzigd_at else naar)


def actie_status_melden(*, actie: Actie, van: str, naar: str, door) -> None:
    """Residents who pick up the actie (with consent) on every status change; supporters when it
    is done (afgerond)."""
    wijziging = _wijziging(actie, naar)
    per_adres: dict[str, list[int]] = {}
    for pk, email in (
        BewonerTrekker.objects.filter(actie_id=actie.pk, toestemming=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email")
    ):
        per_adres.setdefault(email_normalise(email), []).append(pk)
    if per_adres:
        from .services.afmelden import bewoner_afmeld_link

        notificaties_queue_bulk(
            berichten=[
                NieuwBericht(
                    ontvanger=adres,
                    soort=ACTIE_BEWONER_MAIL,
                    context={
                        "actie_id": actie.pk,
                        "bewoner_ids": ids,
                        "van": van,
                        "naar": naar,
                        "afmeld_link": bewoner_afmeld_link(bewoner_ids=ids, email=adres),
                    },
                    sleutel=f"actie-bewoner-status:{actie.pk}:{wijziging}:{adres}",
                )
                for adres, ids in per_adres.items()
            ]
        )
    if naar == ActieStatus.AFGEROND:
        _steun_melden(actie, gebeurtenis="afgerond", sleutel=f"actie-afgerond:{actie.pk}:{wijziging}")
