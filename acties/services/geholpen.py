""" "Heeft het geholpen?": the question after an actie is done or a forward is handled, and the
resident's one-click answer.

`geholpen_vragen_versturen` (daily from beat) asks, `Team.geholpen_weken` weeks after an actie
was afgerond or a Doorzetting afgehandeld, every consenting supporter once: one `GeholpenVraag`
and one mail per address (a household on two signals of the actie answers once), and marks the
actie or Doorzetting asked (`geholpen_gevraagd_at`), so it runs once. The mail has three signed
links (ja / deels / nee: `/geholpen/<token>/?antwoord=ja`), valid GELDIG, without login. GET of a
link shows the chosen answer and a confirm button with an optional comment; POST stores a
`GeholpenReactie`, which keeps no tie to the support or the question (anonymity), and uses the
question up (its nonce, `beantwoord_at`).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from buurten.models import GEHOLPEN_WEKEN
from core.actors import SystemActor, require_actor
from notificaties.services import NieuwBericht, notificaties_queue_bulk
from signalen.models import Doorzetting
from signalen.services.afmelden import afmeld_link
from signalen.services.intrekken import LinkOngeldig
from signalen.services.steunmail import steun_ontvangers

from ..emails import GEHOLPEN_MAIL
from ..models import Actie, ActieSignaal, ActieStatus, GeholpenAntwoord, GeholpenReactie, GeholpenVraag
from ..selectors_dashboard import dashboard_trends_changed

SALT = "acties.geholpen"
GELDIG = dt.timedelta(days=30)
OPMERKING_MAX = 2000
GEHOLPEN_TAAK = SystemActor("heeft het geholpen")
GEHOLPEN_LINK = SystemActor("geholpen-link")

ONGELDIG = _("Deze link is niet geldig. Gebruik de link uit de e-mail precies zoals hij is.")
VERLOPEN = _("Deze link is verlopen: je kon 30 dagen antwoorden. Bedankt voor je moeite.")
GEBRUIKT = _("Op deze vraag is al geantwoord. Er kan één keer geantwoord worden.")


def _token(vraag: GeholpenVraag) -> str:
    return signing.dumps({"n": vraag.nonce}, salt=SALT)


def geholpen_links(vraag: GeholpenVraag) -> dict[str, str]:
    token = _token(vraag)
    base = settings.SITE_URL.rstrip("/")
    path = base + reverse("acties:geholpen", args=[token])
    return {antwoord: f"{path}?antwoord={antwoord}" for antwoord in GeholpenAntwoord.values}


def _vragen(*, signaal_ids: list[int], actie: Actie | None, signaal_id: int | None) -> list[NieuwBericht]:
    """One question and one mail per address of the consenting supporters of `signaal_ids`."""
    berichten = []
    for email, rows in steun_ontvangers(signaal_ids=signaal_ids).items():
        steun_ids = [pk for pk, _s in rows]
        vraag, created = GeholpenVraag.objects.get_or_create(
            steun_id=steun_ids[0],
            actie=actie,
            signaal_id=signaal_id,
            defaults={"nonce": secrets.token_urlsafe(32)},
        )
        if not created:
            continue
        berichten.append(
            NieuwBericht(
                ontvanger=email,
                soort=GEHOLPEN_MAIL,
                context={
                    "vraag_id": vraag.pk,
                    "links": geholpen_links(vraag),
                    "geldig_dagen": GELDIG.days,
                    "afmeld_link": afmeld_link(steun_ids=steun_ids, email=email),
                },
                sleutel=f"geholpen:{vraag.pk}",
            )
        )
    return berichten


@transaction.atomic
def _actie_vragen(*, actie_id: int, door, now: dt.datetime) -> int:
    actie = Actie.objects.select_for_update(of=("self",)).select_related("team").get(pk=actie_id)
    if actie.geholpen_gevraagd_at is not None or actie.status != ActieStatus.AFGEROND:
        return 0
    signaal_ids = list(ActieSignaal.objects.filter(actie=actie).values_list("signaal_id", flat=True))
    aantal = notificaties_queue_bulk(berichten=_vragen(signaal_ids=signaal_ids, actie=actie, signaal_id=None))
    actie.geholpen_gevraagd_at = now
    actie.save(update_fields=["geholpen_gevraagd_at"])
    audit_record(
        door=door,
        actie="actie.geholpen_gevraagd",
        object=actie,
        team_id=actie.team_id,
        details={"aantal": aantal},
    )
    return aantal


@transaction.atomic
def _doorzetting_vragen(*, doorzetting_id: int, door, now: dt.datetime) -> int:
    doorzetting = (
        Doorzetting.objects.select_for_update(of=("self",)).select_related("signaal").get(pk=doorzetting_id)
    )
    if doorzetting.geholpen_gevraagd_at is not None or doorzetting.afgehandeld_at is None:
        return 0
    signaal = doorzetting.signaal
    aantal = notificaties_queue_bulk(
        berichten=_vragen(signaal_ids=[signaal.pk], actie=None, signaal_id=signaal.pk)
    )
    doorzetting.geholpen_gevraagd_at = now
    doorzetting.save(update_fields=["geholpen_gevraagd_at"])
    audit_record(
        door=door,
        actie="doorzetting.geholpen_gevraagd",
        object=doorzetting,
        team_id=signaal.team_id,
        details={"aantal": aantal},
    )
    return aantal


def _due(at: dt.datetime | None, weken: int, now: dt.datetime) -> bool:
    return at is not None and at <= now - dt.timedelta(weeks=weken)


def geholpen_vragen_versturen(*, door, now: dt.datetime | None = None) -> dict[str, int]:
    """Ask the supporters of every actie done, and every forward handled, `team.geholpen_weken`
    weeks ago and not asked yet (each in its own transaction, so one failure stops nothing
    else); {acties, doorzettingen, mails}."""
    require_actor(door)
    now = now or timezone.now()
    # The shortest term any team may set: nothing younger can be due.
    grens = now - dt.timedelta(weeks=GEHOLPEN_WEKEN.laag)
    result = {"acties": 0, "doorzettingen": 0, "mails": 0}
    acties = Actie.objects.filter(
        status=ActieStatus.AFGEROND, geholpen_gevraagd_at__isnull=True, afgerond_at__lte=grens
    ).values_list("pk", "afgerond_at", "team__geholpen_weken")
    for pk, afgerond_at, weken in list(acties):
        if _due(afgerond_at, weken, now):
            result["mails"] += _actie_vragen(actie_id=pk, door=door, now=now)
            result["acties"] += 1
    doorzettingen = Doorzetting.objects.filter(
        geholpen_gevraagd_at__isnull=True, afgehandeld_at__lte=grens
    ).values_list("pk", "afgehandeld_at", "signaal__team__geholpen_weken")
    for pk, afgehandeld_at, weken in list(doorzettingen):
        if _due(afgehandeld_at, weken, now):
            result["mails"] += _doorzetting_vragen(doorzetting_id=pk, door=door, now=now)
            result["doorzettingen"] += 1
    return result


def _load(token: str, *, now: dt.datetime, lock: bool = False) -> GeholpenVraag:
    try:
        nonce = signing.loads(token, salt=SALT, max_age=GELDIG)["n"]
    except signing.SignatureExpired:
        raise LinkOngeldig(VERLOPEN, 410) from None
    except (signing.BadSignature, KeyError, TypeError):
        raise LinkOngeldig(ONGELDIG, 400) from None
    qs = GeholpenVraag.objects.filter(nonce=nonce).select_related("actie", "signaal")
    vraag = (qs.select_for_update(of=("self",)) if lock else qs).first()
    if vraag is None:
        raise LinkOngeldig(VERLOPEN, 410)
    if vraag.beantwoord_at is not None:
        raise LinkOngeldig(GEBRUIKT, 410)
    if vraag.created_at + GELDIG <= now:
        raise LinkOngeldig(VERLOPEN, 410)
    return vraag


def geholpen_vraag_check(*, token: str, now: dt.datetime | None = None) -> GeholpenVraag:
    """The question behind an answer link, or LinkOngeldig (tampered, expired, answered)."""
    return _load(token, now=now or timezone.now())


@transaction.atomic
def geholpen_beantwoorden(
    *, token: str, antwoord: str, opmerking: str = "", door=GEHOLPEN_LINK, now: dt.datetime | None = None
) -> GeholpenReactie:
    """Store a resident's answer without any tie to them and use the question up. LinkOngeldig
    for a tampered, expired or answered link, ValidationError for a bad answer; nothing written."""
    require_actor(door)
    now = now or timezone.now()
    vraag = _load(token, now=now, lock=True)
    opmerking = (opmerking or "").strip()
    errors: dict[str, list] = {}
    if antwoord not in GeholpenAntwoord.values:
        errors["antwoord"] = [_("Kies ja, deels of nee.")]
    if len(opmerking) > OPMERKING_MAX:
        errors["opmerking"] = [_("Een opmerking is hoogstens %(max)s tekens.") % {"max": OPMERKING_MAX}]
    if errors:
        raise ValidationError(errors)
    over = vraag.actie or vraag.signaal
    team_id = over.team_id
    vandaag = timezone.localdate(now)
    reactie = GeholpenReactie.objects.create(
        actie=vraag.actie,
        signaal=vraag.signaal if vraag.actie_id is None else None,
        buurt_id=over.buurt_id,
        team_id=team_id,
        antwoord=antwoord,
        opmerking=opmerking,
        datum=vandaag,
    )
    # The day only, like the answer: an exact time would tie the answer to the question.
    vraag.beantwoord_at = timezone.make_aware(dt.datetime.combine(vandaag, dt.time.min))
    vraag.save(update_fields=["beantwoord_at"])
    # Which actie or signal was answered, never which answer or by whom.
    audit_record(door=door, actie="geholpen.beantwoord", object=over, team_id=team_id)
    dashboard_trends_changed(team_id)
    return reactie
