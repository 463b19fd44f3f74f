"""Reads of acties that pages, the admin, services and tasks share.

`actie_list_for_user` is the access rule for acties: a person sees the acties of the teams they
belong to; a superuser sees all. Everything that lists or opens an actie starts from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurten.models import Team
from buurten.selectors import coordinator_team_ids_for_user, sees_all, team_ids_for_user
from signalen.models import Kanaal, Signaal, Status, Steunbetuiging
from signalen.selectors import signaal_list_for_user
from signalen.selectors.signalen import not_found_audit
from signalen.services.tally import CENT, steun_cutoff

from .models import Actie, ActieSignaal, ActieStatus
from .workflow import OPEN_STATUSES

# An actie in uitvoering this long without residents who pick it up is stalled.
STALLED_NA = dt.timedelta(days=30)
# The triage queue: signals with draagvlak first, then new ones.
TRIAGE_STATUSES = (Status.DRAAGVLAK_BEREIKT, Status.NIEUW)
# A resident's own wish from the buurt page counts its wisher's household as first support, so the
# tally moves it on to draagvlak gezocht at once; it still waits for the team's first look.
TRIAGE_ONLINE = Q(kanaal=Kanaal.ONLINE, status=Status.DRAAGVLAK_GEZOCHT)


def actie_list_for_user(*, user: Any) -> QuerySet[Actie]:
    """Acties `user` may see: those of their own teams; all for a superuser; none otherwise."""
    qs = Actie.objects.select_related("team", "buurt", "subgebied", "trekker")
    if sees_all(user=user):
        return qs
    return qs.filter(team_id__in=team_ids_for_user(user=user))


def acties_list_for_team(*, team: Team | int, status: str | None = None) -> QuerySet[Actie]:
    """The acties of one team, newest first, with what a list shows (partners, linked signals)."""
    team_id = team.pk if isinstance(team, Team) else team
    qs = (
        Actie.objects.filter(team_id=team_id)
        .select_related("team", "buurt", "subgebied", "trekker")
        .prefetch_related("partners", "mijlpalen")
        .annotate(signalen_aantal=Count("koppelingen", distinct=True))
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def actie_for_user(user: Any, pk: Any) -> Actie:
    """One actie `user` may see, with its partners, milestones and linked signals; Http404
    (audited) for another team's actie, as if it did not exist."""
    try:
        return (
            actie_list_for_user(user=user)
            .prefetch_related(
                "partners",
                "mijlpalen",
                Prefetch(
                    "koppelingen",
                    queryset=ActieSignaal.objects.select_related("signaal__thema", "signaal__buurt"),
                ),
            )
            .get(pk=pk)
        )
    except (Actie.DoesNotExist, ValueError, TypeError):
        not_found_audit(user=user, label="acties.actie", ref=pk, model=Actie)
        raise Http404(_("Deze actie bestaat niet of hoort niet bij jouw team.")) from None


@dataclass(frozen=True)
class ActieSteun:
    """The combined support of an actie's signals: a household that supports two of them counts once."""

    huishoudens: int
    anoniem: int
    totaal: Decimal


def _steun_filter(team: Team, today: dt.date) -> Q:
    return Q(
        ingetrokken_at__isnull=True, datum__gt=steun_cutoff(today=today, maanden=team.steun_venster_maanden)
    )


def actie_steun(actie: Actie) -> ActieSteun:
    """Combined support of the actie's signals, counted as the tally counts one signal: distinct
    households over the active supports in the team's window, plus anonymous support at the
    team's weight."""
    return actie_steun_many([actie])[actie.pk]


def actie_steun_many(acties: list[Actie]) -> dict[int, ActieSteun]:
    """`actie_steun` for many acties: one query per team (their windows differ)."""
    today = timezone.localdate()
    result = {a.pk: ActieSteun(0, 0, Decimal("0.00")) for a in acties}
    per_team: dict[int, list[Actie]] = {}
    for a in acties:
        per_team.setdefault(a.team_id, []).append(a)
    for team_acties in per_team.values():
        team = team_acties[0].team
        rows = (
            Steunbetuiging.objects.filter(
                _steun_filter(team, today), signaal__actie_koppeling__actie_id__in=[a.pk for a in team_acties]
            )
            .order_by()
            .values("signaal__actie_koppeling__actie_id")
            .annotate(
                huishoudens=Count("huishouden_hash", distinct=True),
                anoniem=Coalesce(Sum("aantal_anoniem"), 0),
            )
            .values_list("signaal__actie_koppeling__actie_id", "huishoudens", "anoniem")
        )
        for actie_id, huishoudens, anoniem in rows:
            totaal = (Decimal(huishoudens) + Decimal(team.anoniem_gewicht) * anoniem).quantize(CENT)
            result[actie_id] = ActieSteun(huishoudens, anoniem, totaal)
    return result


def acties_stalled(*, team: Team | int, now: dt.datetime | None = None) -> QuerySet[Actie]:
    """Acties in uitvoering for 30 days or more without any resident who picks them up."""
    now = now or timezone.now()
    return acties_list_for_team(team=team, status=ActieStatus.IN_UITVOERING).filter(
        bewoners_aantal=0, in_uitvoering_at__lte=now - STALLED_NA
    )


def acties_zoeken_bewoners(*, team: Team | int) -> QuerySet[Actie]:
    """Open acties without residents who pick them up ("zoekt bewoners")."""
    return acties_list_for_team(team=team).filter(status__in=OPEN_STATUSES, bewoners_aantal=0)


def triage_queue_for_user(*, user: Any) -> QuerySet[Signaal]:
    """Signals waiting for triage in the teams the person coordinates: draagvlak bereikt first,
    then nieuw and residents' own wishes (kanaal online) still gathering support, oldest first;
    with team (threshold), thema, buurt and the tally's counts."""
    return (
        signaal_list_for_user(user=user)
        .filter(team_id__in=coordinator_team_ids_for_user(user=user))
        .filter(Q(status__in=TRIAGE_STATUSES) | TRIAGE_ONLINE)
        .annotate(
            triage_volgorde=Case(
                When(status=Status.DRAAGVLAK_BEREIKT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("triage_volgorde", "created_at", "pk")
    )


def open_acties_for_team(*, team: Team | int) -> QuerySet[Actie]:
    """Open acties of a team that signals can be linked to."""
    team_id = team.pk if isinstance(team, Team) else team
    return Actie.objects.filter(team_id=team_id, status__in=OPEN_STATUSES).order_by("titel", "pk")
