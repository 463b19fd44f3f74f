"""The weekly digest per coördinator (beat, Monday morning): what waits on them per team.

Signals waiting for triage (draagvlak bereikt), forwards past their follow-up date that are still
open, stalled acties (in uitvoering for STIL_NA without residents) and open acties without
residents. One mail per coördinator per ISO week (the key), none when every count is 0.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from audit.services import audit_record
from buurten.models import Lidmaatschap, Rol
from core.actors import SystemActor, require_actor
from core.email import email_normalise
from notificaties.services import NieuwBericht, notificaties_queue_bulk
from signalen.models import Doorzetting, Signaal, Status

from ..emails import WEEKOVERZICHT_MAIL
from ..models import Actie, ActieStatus
from ..workflow import OPEN_STATUSES

STIL_NA = dt.timedelta(days=30)
WEEKOVERZICHT_TAAK = SystemActor("weekoverzicht")
VELDEN = ("triage", "te_laat", "stil", "zonder_bewoners")


def _tel(qs, veld: str) -> dict[int, int]:
    return dict(qs.order_by().values_list(veld).annotate(n=Count("pk")).values_list(veld, "n"))


def weekoverzicht_cijfers(*, team_ids: list[int], now: dt.datetime) -> dict[int, dict[str, int]]:
    """{team id: {triage, te_laat, stil, zonder_bewoners}}: four grouped queries for all teams."""
    vandaag = timezone.localdate(now)
    tellingen = {
        "triage": _tel(
            Signaal.objects.filter(team_id__in=team_ids, status=Status.DRAAGVLAK_BEREIKT), "team_id"
        ),
        "te_laat": _tel(
            Doorzetting.objects.filter(
                signaal__team_id__in=team_ids, opvolgen_op__lt=vandaag, gesloten_at__isnull=True
            ),
            "signaal__team_id",
        ),
        "stil": _tel(
            Actie.objects.filter(
                team_id__in=team_ids,
                status=ActieStatus.IN_UITVOERING,
                in_uitvoering_at__lte=now - STIL_NA,
                bewoners_aantal=0,
            ),
            "team_id",
        ),
        "zonder_bewoners": _tel(
            Actie.objects.filter(team_id__in=team_ids, status__in=OPEN_STATUSES, bewoners_aantal=0), "team_id"
        ),
    }
    return {team_id: {veld: tellingen[veld].get(team_id, 0) for veld in VELDEN} for team_id in team_ids}


@transaction.atomic
def weekoverzichten_versturen(*, door, now: dt.datetime | None = None) -> int:
    """Queue this ISO week's digest for every active coördinator with something waiting;
    returns how many were offered (a second run in the same week sends nothing new)."""
    require_actor(door)
    now = now or timezone.now()
    jaar, week, _dag = timezone.localdate(now).isocalendar()
    week_label = f"{jaar}-W{week:02d}"
    zetels = (
        Lidmaatschap.objects.filter(rol=Rol.COORDINATOR, user__is_active=True)
        .order_by("user_id", "team__naam")
        .values_list("user_id", "user__email", "team_id", "team__naam")
        .distinct()
    )
    per_user: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for user_id, email, team_id, naam in zetels:
        teams = per_user.setdefault(user_id, (email, []))[1]
        if (team_id, naam) not in teams:
            teams.append((team_id, naam))
    cijfers = weekoverzicht_cijfers(
        team_ids=sorted({t for _e, teams in per_user.values() for t, _n in teams}), now=now
    )
    berichten = []
    for user_id, (email, teams) in per_user.items():
        regels = [{"naam": naam, **cijfers[team_id]} for team_id, naam in teams]
        if not email or not any(regel[veld] for regel in regels for veld in VELDEN):
            continue
        berichten.append(
            NieuwBericht(
                ontvanger=email_normalise(email),
                soort=WEEKOVERZICHT_MAIL,
                context={"user_id": user_id, "week": week_label, "teams": regels},
                sleutel=f"weekoverzicht:{user_id}:{week_label}",
            )
        )
    aantal = notificaties_queue_bulk(berichten=berichten)
    audit_record(door=door, actie="weekoverzicht.verstuurd", details={"week": week_label, "aantal": aantal})
    return aantal
