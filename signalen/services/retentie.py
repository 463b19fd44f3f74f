"""The daily retention run (AVG): one beat task, `signalen.tasks.retentie_daily`, calls `retentie_run`.

Per team (terms on `buurten.Team`): open signals without activity for `inactief_termijn_maanden`
are rejected with a reason (the purge in `bewaren` removes them `bewaartermijn_maanden` later);
wijkronde GPS routes are dropped after `route_bewaartermijn_maanden`. For everyone: withdrawn
supports lose their e-mail address; invitations, unused accounts and expired sessions go by
`buurten.services.bewaren`. Every job writes audit rows (ids and counts, no personal data).
"""

from __future__ import annotations

import datetime as dt
import logging

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from audit.services import audit_record
from buurten.models import Team
from buurten.services.bewaren import accounts_inactief_uitschakelen, sessies_opruimen, uitnodigingen_opruimen
from core.actors import require_actor

from ..models import HuishoudenIntrekking, Signaal, Status, StatusWijziging, Steunbetuiging, Wijkronde
from ..workflow import OPEN_STATUSES
from .bewaren import signalen_purge_expired
from .status import status_apply

logger = logging.getLogger(__name__)

INACTIEF_REDEN = (
    "Automatisch afgewezen: geen activiteit binnen de bewaartermijn voor open signalen van het team (AVG)."
)


@transaction.atomic
def steun_email_wissen(*, door, now: dt.datetime) -> int:
    """Withdrawn supports lose their e-mail address (and the consent that went with it)."""
    require_actor(door)
    ids = sorted(
        Steunbetuiging.objects.filter(ingetrokken_at__isnull=False, ingetrokken_at__lte=now)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    if ids:
        Steunbetuiging.objects.filter(pk__in=ids).update(email="", email_toestemming=False)
        audit_record(door=door, actie="steun.email_wissen", details={"steunbetuiging_ids": ids})
    return len(ids)


def signalen_inactief(*, team: Team, now: dt.datetime):
    """The team's open signals with no change, support or status move since its term began."""
    grens = now - relativedelta(months=team.inactief_termijn_maanden)
    return (
        Signaal.objects.filter(
            team=team, status__in=OPEN_STATUSES, updated_at__lte=grens, created_at__lte=grens
        )
        .exclude(Exists(Steunbetuiging.objects.filter(signaal=OuterRef("pk"), created_at__gt=grens)))
        .exclude(Exists(StatusWijziging.objects.filter(signaal=OuterRef("pk"), created_at__gt=grens)))
    )


@transaction.atomic
def signalen_inactief_sluiten(*, team: Team, door, now: dt.datetime) -> int:
    """Reject the team's idle open signals through the workflow (history and audit rows there)."""
    require_actor(door)
    ids = list(signalen_inactief(team=team, now=now).values_list("pk", flat=True))
    if not ids:
        return 0
    locked = list(Signaal.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
    return status_apply(locked, naar=Status.AFGEWEZEN, door=door, reden=INACTIEF_REDEN, now=now)


@transaction.atomic
def wijkronde_routes_wissen(*, team: Team, door, now: dt.datetime) -> int:
    """Drop the GPS routes of the team's walks older than its route term."""
    require_actor(door)
    grens = (now - relativedelta(months=team.route_bewaartermijn_maanden)).date()
    ids = sorted(
        Wijkronde.objects.filter(team=team, datum__lte=grens, route__isnull=False).values_list(
            "pk", flat=True
        )
    )
    if ids:
        Wijkronde.objects.filter(pk__in=ids).update(route=None)
        audit_record(
            door=door,
            actie="wijkronde.route_wissen",
            team_id=team.pk,
            details={"wijkronde_ids": ids, "maanden": team.route_bewaartermijn_maanden},
        )
    return len(ids)


INTREKKING_BEWAARDAGEN = 30


@transaction.atomic
def intrekkingen_opruimen(*, door, now: dt.datetime) -> int:
    """Delete households' withdrawal requests older than 30 days (used or not)."""
    require_actor(door)
    grens = now - dt.timedelta(days=INTREKKING_BEWAARDAGEN)
    ids = sorted(HuishoudenIntrekking.objects.filter(created_at__lte=grens).values_list("pk", flat=True))
    if ids:
        HuishoudenIntrekking.objects.filter(pk__in=ids).delete()
        audit_record(door=door, actie="intrekking.opruimen", details={"intrekking_ids": ids})
    return len(ids)


def retentie_run(*, door, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every retention job once; each job (per team where the term is the team's) commits on
    its own, so one team's failure is logged and the others are still done."""
    require_actor(door)
    now = now or timezone.now()
    result = {"signalen_gesloten": 0, "routes_gewist": 0, "mislukt": 0}
    for team in Team.objects.order_by("pk"):
        try:
            result["signalen_gesloten"] += signalen_inactief_sluiten(team=team, door=door, now=now)
            result["routes_gewist"] += wijkronde_routes_wissen(team=team, door=door, now=now)
        except Exception:
            logger.exception("Bewaartermijn: team %s mislukt", team.pk)
            result["mislukt"] += 1
    result["steun_emails_gewist"] = steun_email_wissen(door=door, now=now)
    purge = signalen_purge_expired(door=door, now=now)
    result["signalen_verwijderd"] = purge.verwijderd
    result["mislukt"] += len(purge.mislukt)
    result["uitnodigingen_verwijderd"] = uitnodigingen_opruimen(door=door, now=now)
    result["accounts_uitgeschakeld"] = accounts_inactief_uitschakelen(door=door, now=now)
    result["sessies_verwijderd"] = sessies_opruimen(door=door, now=now)
    result["intrekkingen_verwijderd"] = intrekkingen_opruimen(door=door, now=now)
    return result
