"""Reads of signals that pages, the admin, tasks and services share.

`signaal_list_for_user` is THE access rule for signals: a person sees the signals of the
teams they belong to (confidential ones included: confidential means "only for the team"),
a superuser sees all. Everything that lists or opens a signal starts from it.
Reads that only the pages need live in `signalen.selectors.pages`.
"""

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from audit.services import audit_refused
from buurten.models import Lidmaatschap, Rol, Team
from buurten.selectors import is_coordinator, is_member, second_factor_pending, sees_all, team_ids_for_user
from buurten.selectors.teams import zetels_onthouden

from ..models import Signaal, StatusWijziging, Steunbetuiging
from ..workflow import OPEN_STATUSES, Actor

EARTH_RADIUS_M = 6_371_000.0


def _team(team: Team | int) -> Team:
    # The access selectors only read the team's pk; callers often hold just the id.
    return team if isinstance(team, Team) else Team(pk=team)


def user_is_coordinator(*, user, team: Team | int) -> bool:
    """Whether `user` may act as coördinator of `team` (a superuser always may)."""
    return is_coordinator(user=user, team=_team(team))


def user_is_member(*, user, team: Team | int) -> bool:
    """Whether `user` is in `team` (any role; a superuser always is)."""
    return is_member(user=user, team=_team(team))


def actors_for_user(*, user, team: Team | int) -> set[Actor]:
    """The workflow roles (`signalen.workflow.Actor`) `user` has for signals of `team`."""
    if user is None:
        return {Actor.SYSTEEM}
    if user_is_coordinator(user=user, team=team):
        return {Actor.COORDINATOR, Actor.TEAMLID}
    if user_is_member(user=user, team=team):
        return {Actor.TEAMLID}
    return set()


def signaal_list_for_user(*, user, evaluate_teams: bool = False) -> QuerySet[Signaal]:
    """Signals `user` may see: those of their own teams; all for a superuser; none otherwise.

    Someone whose role needs TOTP (coordinator, superuser) and who has not set it up yet sees no
    confidential signal: the password alone opens only what a teamlid may pass on.
    `evaluate_teams` reads the team ids first (one query) and filters on the list, so that for a
    person in one team PostgreSQL walks the (team, created_at, id) index in order instead of
    sorting every signal of a subquery's teams (the paginated list).
    """
    qs = Signaal.objects.select_related("team", "thema", "buurt", "subgebied", "doorgezet_naar")
    if second_factor_pending(user=user):
        qs = qs.filter(vertrouwelijk=False)
    if sees_all(user=user):
        return qs
    if evaluate_teams:
        return qs.filter(team_id__in=team_ids_evaluated(user=user))
    return qs.filter(team_id__in=team_ids_for_user(user=user))


def team_ids_evaluated(*, user) -> list[int]:
    """The ids of `team_ids_for_user` as a list (one query): the teams whose signals `user` sees."""
    if sees_all(user=user):
        return sorted(Team.objects.values_list("id", flat=True))
    if user and user.is_active and (zetels := zetels_onthouden(user=user)) is not None:
        return sorted({team_id for team_id, _rol in zetels})
    return sorted({next(iter(row.values())) for row in team_ids_for_user(user=user)})


def signaal_waits_for_second_factor(*, user, pk: Any) -> bool:
    """Is this a confidential signal of the person's teams that they will see once TOTP is set up?"""
    if not second_factor_pending(user=user):
        return False
    qs = Signaal.objects.filter(vertrouwelijk=True)
    if not sees_all(user=user):
        qs = qs.filter(team_id__in=team_ids_for_user(user=user))
    try:
        return qs.filter(pk=pk).exists()
    except (ValueError, TypeError):
        return False


def signaal_get_for_user(*, user, pk: int) -> Signaal:
    """One signal `user` may see; Http404 (audited) for another team's signal, as if it did not exist."""
    try:
        return signaal_list_for_user(user=user).get(pk=pk)
    except (Signaal.DoesNotExist, ValueError, TypeError):
        not_found_audit(user=user, label="signalen.signaal", ref=pk, model=Signaal)
        raise Http404(_("Dit signaal bestaat niet of hoort niet bij jouw team.")) from None


def not_found_audit(
    *, user: Any, label: str, ref: Any, model: type, field: str = "pk", team_field: str = "team_id"
) -> None:
    """Audit a 404 of the access rule: `ref` (the `field` of a `model`, named `label`) was asked
    for; if it exists (another team's), the row gets its team so that team's coördinatoren see
    the attempt."""
    try:
        team_id = model.objects.filter(**{field: ref}).values_list(team_field, flat=True).first()
    except (ValueError, TypeError, ValidationError):  # not even a valid id
        team_id = None
    audit_refused(door=user, object=(label, str(ref)[:40]), status=404, team_id=team_id)


def steun_list_for_signaal(*, signaal: Signaal) -> QuerySet[Steunbetuiging]:
    """The support of one signal, newest first, withdrawn included (pages mark them)."""
    return signaal.steunbetuigingen.select_related("created_by", "ingetrokken_door").order_by(
        "-datum", "-created_at"
    )


def statuswijzigingen_for_signaal(*, signaal: Signaal) -> QuerySet[StatusWijziging]:
    """The history of one signal, oldest first."""
    return signaal.statuswijzigingen.select_related("door").order_by("created_at", "id")


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def signaal_nearby(*, team: Team, thema, lat: float, lon: float, radius_m: float = 150) -> list[Signaal]:
    """Open signals of the team with the same thema within `radius_m` metres, nearest first.

    A bounding box on lat/lon narrows it down in SQL (indexed on thema, lat, lon); the exact
    distance is haversine in Python on the few rows left.
    """
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    candidates = Signaal.objects.filter(
        team=team,
        thema=thema,
        status__in=OPEN_STATUSES,
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    ).select_related("thema", "buurt")
    found = []
    for s in candidates:
        s.afstand_m = distance_m(lat, lon, s.lat, s.lon)
        if s.afstand_m <= radius_m:
            found.append(s)
    return sorted(found, key=lambda s: s.afstand_m)


def coordinator_emails(*, team: Team) -> list[str]:
    """E-mail addresses of the team's active coördinatoren."""
    return coordinator_emails_by_team(team_ids=[team.pk]).get(team.pk, [])


def coordinator_emails_by_team(*, team_ids: list[int]) -> dict[int, list[str]]:
    """{team_id: sorted e-mail addresses of its active coördinatoren}, in one query."""
    found: dict[int, set[str]] = {}
    rows = (
        Lidmaatschap.objects.filter(team_id__in=team_ids, rol=Rol.COORDINATOR, user__is_active=True)
        .exclude(user__email="")
        .values_list("team_id", "user__email")
    )
    for team_id, email in rows:
        found.setdefault(team_id, set()).add(email)
    return {team_id: sorted(emails) for team_id, emails in found.items()}
