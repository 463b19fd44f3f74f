"""The access rule, in one place: who sees which team, and what their role allows there.

A person sees only the teams they have a seat in (`Lidmaatschap`); a coordinator of a team
manages that team. A superuser ("staff" in the issue) sees and manages everything. `is_staff`
alone grants nothing: coordinators get `is_staff` only so that they can log into the admin,
where every ModelAdmin asks these selectors again.

Pages, the admin, and the signalen/acties querysets all scope through these functions:
`Signaal.objects.filter(team_id__in=team_ids_for_user(user=user))` is one SQL query with a
subquery, whatever the number of teams.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from audit.services import audit_refused
from buurten.models import Buurt, Lidmaatschap, Partner, PartnerInzet, Rol, Subgebied, Team, User
from core.geojson import feature_collection

# The seats of the people asked about in this request: (team_id, rol) per user id. Only while a
# request runs (`toegang_per_verzoek`, from `buurten.middleware`): a page asks "member?",
# "coordinator?", "which teams?" and "needs TOTP?" several times, and each was a query. Outside
# a request (services called from commands, tasks and tests) nothing is remembered.
_ZETELS: ContextVar[dict[int, tuple[tuple[int, str], ...]] | None] = ContextVar("vbt_zetels", default=None)


@contextmanager
def toegang_per_verzoek() -> Iterator[None]:
    """Remember each person's seats for the duration of the block (one request)."""
    token = _ZETELS.set({})
    try:
        yield
    finally:
        _ZETELS.reset(token)


def toegang_vergeten() -> None:
    """Forget the remembered seats: a service changed a membership in this request."""
    memo = _ZETELS.get()
    if memo is not None:
        memo.clear()


def zetels_onthouden(*, user: Any) -> tuple[tuple[int, str], ...] | None:
    """The person's seats as (team_id, rol), read once per request in one query; None outside a
    request (the callers then ask the database the question itself)."""
    memo = _ZETELS.get()
    if memo is None or not (user and user.is_authenticated and user.pk):
        return None
    zetels = memo.get(user.pk)
    if zetels is None:
        zetels = memo[user.pk] = tuple(
            Lidmaatschap.objects.filter(user_id=user.pk).values_list("team_id", "rol")
        )
    return zetels


def sees_all(*, user: Any) -> bool:
    """A superuser sees and manages every team; `is_staff` alone is not enough."""
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def second_factor_pending(*, user: Any) -> bool:
    """Does the person's role need TOTP (coordinator, staff, superuser) while it is not set up yet?

    Until it is, the pages treat a coordinator as a teamlid (`rol_in_team`, `coordinates_any_team`,
    the status choices on a signal page) and show no confidential signal or export
    (`signalen.selectors.signaal_list_for_user`). One query for a teamlid, two for a coordinator;
    not remembered on the user object, so that setting TOTP up counts at once.
    """
    if not (user and user.is_authenticated):
        return False
    from buurten.mfa import mfa_missing

    return mfa_missing(user)


def team_ids_for_user(*, user: Any) -> QuerySet:
    """Ids of the teams the user may see, as a lazy queryset usable in `team_id__in=`."""
    if sees_all(user=user):
        return Team.objects.values("id")
    if not (user and user.is_authenticated and user.is_active):
        return Team.objects.none().values("id")
    return Lidmaatschap.objects.filter(user_id=user.pk).values("team_id")


def coordinator_team_ids_for_user(*, user: Any) -> QuerySet:
    """Ids of the teams the user manages (coordinator, or superuser for all)."""
    if sees_all(user=user):
        return Team.objects.values("id")
    if not (user and user.is_authenticated and user.is_active):
        return Team.objects.none().values("id")
    return Lidmaatschap.objects.filter(user_id=user.pk, rol=Rol.COORDINATOR).values("team_id")


def team_list_for_user(*, user: Any) -> QuerySet[Team]:
    """The teams a person belongs to (all teams for a superuser), with their gemeente."""
    return Team.objects.filter(id__in=team_ids_for_user(user=user)).select_related("gemeente")


def team_list_for_coordinator(*, user: Any) -> QuerySet[Team]:
    """The teams a person manages (all teams for a superuser)."""
    return Team.objects.filter(id__in=coordinator_team_ids_for_user(user=user)).select_related("gemeente")


def lidmaatschap_for(*, user: Any, team: Team) -> Lidmaatschap | None:
    """The person's seat in the team; a coordinator seat wins over a teamlid seat."""
    if not (user and user.is_authenticated):
        return None
    seats = list(Lidmaatschap.objects.filter(user_id=user.pk, team_id=team.pk).select_related("partner"))
    seats.sort(key=lambda s: s.rol != Rol.COORDINATOR)
    return seats[0] if seats else None


def is_member(*, user: Any, team: Team) -> bool:
    """May the person see this team (a seat in it, or superuser)?"""
    if sees_all(user=user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    if (zetels := zetels_onthouden(user=user)) is not None:
        return any(team_id == team.pk for team_id, _rol in zetels)
    return Lidmaatschap.objects.filter(user_id=user.pk, team_id=team.pk).exists()


def is_coordinator(*, user: Any, team: Team) -> bool:
    """May the person manage this team (coordinator seat in it, or superuser)?

    The services' rule. Pages ask `rol_in_team` / `coordinates_any_team`, which treat a coordinator
    without TOTP as a teamlid; the coordinator pages send them to the TOTP setup (`buurten.mfa`).
    """
    if sees_all(user=user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    if (zetels := zetels_onthouden(user=user)) is not None:
        return (team.pk, Rol.COORDINATOR) in zetels
    return Lidmaatschap.objects.filter(user_id=user.pk, team_id=team.pk, rol=Rol.COORDINATOR).exists()


def coordinates_any_team(*, user: Any) -> bool:
    """Is the person a coordinator somewhere (what an admin login needs), or superuser?

    A coordinator without TOTP is not one yet: the pages treat them as a teamlid (the admin and
    the coordinator pages send them to the TOTP setup first, `buurten.mfa`).
    """
    if sees_all(user=user):
        return True
    if not (user and user.is_authenticated and user.is_active) or second_factor_pending(user=user):
        return False
    if (zetels := zetels_onthouden(user=user)) is not None:
        return any(rol == Rol.COORDINATOR for _team_id, rol in zetels)
    return Lidmaatschap.objects.filter(user_id=user.pk, rol=Rol.COORDINATOR).exists()


def partner_names_for_user_in_team(*, user: Any, team_id: int) -> str:
    """The partner(s) a person sits in the team for, as audit rows name them ("" without a seat)."""
    namen = (
        Lidmaatschap.objects.filter(user_id=user.pk, team_id=team_id)
        .order_by("partner__naam")
        .values_list("partner__naam", flat=True)
        .distinct()
    )
    return ", ".join(namen)


def team_get_for_user(*, user: Any, team_id: int) -> Team:
    """The team if the person may see it; a 404 otherwise (audited), so other teams stay invisible."""
    team = team_list_for_user(user=user).filter(pk=team_id).first()
    if team is None:
        audit_refused(
            door=user, object=("buurten.team", team_id), status=404, team_id=_existing_team_id(team_id)
        )
        raise Http404(_("Dit team bestaat niet of je bent er geen lid van."))
    return team


def _existing_team_id(team_id: Any) -> int | None:
    # The refused row belongs to the team that was asked for, so its coördinatoren see it.
    try:
        return Team.objects.filter(pk=int(team_id)).values_list("pk", flat=True).first()
    except (TypeError, ValueError):
        return None


def team_get_for_coordinator(*, user: Any, team_id: int) -> Team:
    """The team if the person manages it: 404 for a team they are not in, 403 for a teamlid (both audited)."""
    team = team_get_for_user(user=user, team_id=team_id)
    if not is_coordinator(user=user, team=team):
        audit_refused(door=user, object=team, status=403, team_id=team.pk)
        raise PermissionDenied(_("Alleen een coördinator van dit team mag dit doen."))
    return team


def team_detail_for_user(*, user: Any, team_id: int) -> Team:
    """Everything the team home page shows, in a fixed number of queries (404 if not allowed)."""
    team = (
        team_list_for_user(user=user)
        .prefetch_related(
            Prefetch("buurten", queryset=Buurt.objects.select_related("wijk").order_by("naam")),
            Prefetch(
                "inzet", queryset=PartnerInzet.objects.select_related("partner").order_by("partner__naam")
            ),
            Prefetch(
                "lidmaatschappen",
                queryset=Lidmaatschap.objects.select_related("user", "partner").order_by(
                    "partner__naam", "rol", "user__first_name", "user__last_name", "user__email"
                ),
            ),
            Prefetch("subgebieden", queryset=Subgebied.objects.select_related("buurt").order_by("naam")),
        )
        .filter(pk=team_id)
        .first()
    )
    if team is None:
        audit_refused(
            door=user, object=("buurten.team", team_id), status=404, team_id=_existing_team_id(team_id)
        )
        raise Http404(_("Dit team bestaat niet of je bent er geen lid van."))
    return team


def rol_in_team(*, user: Any, team: Team) -> str | None:
    """The person's role in a team loaded by `team_detail_for_user` (no extra query)."""
    if not (user and user.is_authenticated):
        return None
    rollen = {lid.rol for lid in team.lidmaatschappen.all() if lid.user_id == user.pk}
    if sees_all(user=user) or (Rol.COORDINATOR in rollen and not second_factor_pending(user=user)):
        return Rol.COORDINATOR
    return Rol.TEAMLID if rollen else None


def leden_per_partner(*, team: Team) -> list[tuple[Partner, list[Lidmaatschap]]]:
    """The team's members grouped by partner, from the prefetched memberships."""
    groepen: dict[int, tuple[Partner, list[Lidmaatschap]]] = {}
    for lid in team.lidmaatschappen.all():
        groepen.setdefault(lid.partner_id, (lid.partner, []))[1].append(lid)
    return list(groepen.values())


def lidmaatschap_list_for_user(*, user: Any) -> QuerySet[Lidmaatschap]:
    """Memberships of the teams the person may see."""
    return Lidmaatschap.objects.filter(team_id__in=team_ids_for_user(user=user)).select_related(
        "user", "team", "partner"
    )


def lidmaatschap_get_for_coordinator(*, user: Any, team: Team, lidmaatschap_id: int) -> Lidmaatschap:
    """A membership of a team the person manages; 404 when it belongs to another team."""
    lid = (
        Lidmaatschap.objects.filter(team_id=team.pk, pk=lidmaatschap_id)
        .select_related("user", "partner", "team")
        .first()
    )
    if lid is None:
        andere_team_id = (
            Lidmaatschap.objects.filter(pk=lidmaatschap_id).values_list("team_id", flat=True).first()
        )
        audit_refused(
            door=user, object=("buurten.lidmaatschap", lidmaatschap_id), status=404, team_id=andere_team_id
        )
        raise Http404(_("Dit lidmaatschap bestaat niet in dit team."))
    return lid


def subgebied_list_for_user(*, user: Any) -> QuerySet[Subgebied]:
    """Subgebieden of the teams the person may see."""
    return Subgebied.objects.filter(team_id__in=team_ids_for_user(user=user)).select_related("team", "buurt")


def subgebied_get_for_team(*, user: Any, team: Team, subgebied_id: int) -> Subgebied:
    """A subgebied of this team; 404 (audited for `user`) when it belongs to another team."""
    sub = Subgebied.objects.filter(team_id=team.pk, pk=subgebied_id).select_related("buurt", "team").first()
    if sub is None:
        andere_team_id = Subgebied.objects.filter(pk=subgebied_id).values_list("team_id", flat=True).first()
        audit_refused(
            door=user, object=("buurten.subgebied", subgebied_id), status=404, team_id=andere_team_id
        )
        raise Http404(_("Dit subgebied bestaat niet in dit team."))
    return sub


def partner_list_for_user(*, user: Any) -> QuerySet[Partner]:
    """Partners of the gemeenten the person's teams work in (all for a superuser)."""
    if sees_all(user=user):
        return Partner.objects.select_related("gemeente")
    gemeente_ids = Team.objects.filter(id__in=team_ids_for_user(user=user)).values("gemeente_id")
    return Partner.objects.filter(gemeente_id__in=gemeente_ids).select_related("gemeente")


def buurt_list_for_user(*, user: Any) -> QuerySet[Buurt]:
    """Buurten the person's teams work in (all for a superuser)."""
    if sees_all(user=user):
        return Buurt.objects.select_related("wijk__gemeente")
    return Buurt.objects.filter(teams__id__in=team_ids_for_user(user=user)).distinct()


def user_list_for_user(*, user: Any) -> QuerySet[User]:
    """People the person may see: members of their teams (everyone for a superuser)."""
    if sees_all(user=user):
        return User.objects.all()
    return User.objects.filter(lidmaatschappen__team_id__in=team_ids_for_user(user=user)).distinct()


def team_kaart_geojson(*, team: Team) -> dict:
    """The team's buurten (and drawn subgebieden) as one GeoJSON FeatureCollection for the map.

    Reads the prefetched relations of `team_detail_for_user`, so it costs no query there.
    """
    return feature_collection(
        [
            *((b.geometrie, {"soort": "buurt", "naam": b.naam, "code": b.code}) for b in team.buurten.all()),
            *(
                (s.geometrie, {"soort": "subgebied", "naam": s.naam, "code": ""})
                for s in team.subgebieden.all()
            ),
        ]
    )


def partner_list_for_team(*, team: Team) -> list[Partner]:
    """Partners that can commit to the team's goal: every partner of the team's gemeente."""
    return list(Partner.objects.filter(gemeente_id=team.gemeente_id).order_by("naam"))
