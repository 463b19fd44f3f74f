"""Reads the signal pages need: the filtered list, map GeoJSON, one signal with its support and history.

Every read of signals starts from `signalen.selectors.signaal_list_for_user` (the one access rule);
walks go through the team access rule of `buurten.selectors`. Each page's query count is fixed:
related rows come with `select_related`/`prefetch_related`, never per row.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Lidmaatschap, Subgebied, Team
from buurten.selectors import coordinator_team_ids_for_user, second_factor_pending, team_ids_for_user
from core.geojson import feature_collection, point

from ..models import Foto, Signaal, Status, StatusWijziging, Steunbetuiging, Thema, Wijkronde
from ..workflow import ALLEEN_VIA_ACTIE, Actor, next_statuses_for
from .signalen import actors_for_user, not_found_audit, signaal_list_for_user


@dataclass(frozen=True)
class SignaalFilter:
    buurt: Buurt | None = None
    thema: Thema | None = None
    status: str = ""
    kanaal: str = ""
    van: dt.date | None = None
    tot: dt.date | None = None


def signaal_list_filtered(*, user: Any, filters: SignaalFilter | None = None) -> QuerySet[Signaal]:
    """The signals the person may see, narrowed by the list page's filters, newest first."""
    qs = signaal_list_for_user(user=user).select_related("team", "thema", "buurt", "subgebied")
    f = filters or SignaalFilter()
    if f.buurt is not None:
        qs = qs.filter(buurt=f.buurt)
    if f.thema is not None:
        qs = qs.filter(thema=f.thema)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kanaal:
        qs = qs.filter(kanaal=f.kanaal)
    if f.van is not None:
        qs = qs.filter(created_at__date__gte=f.van)
    if f.tot is not None:
        qs = qs.filter(created_at__date__lte=f.tot)
    return qs.order_by("-created_at", "-id")


def thema_list_for_user(*, user: Any) -> QuerySet[Thema]:
    """Themas of the gemeenten the person's teams work in (for filtering; inactive ones included)."""
    gemeente_ids = Team.objects.filter(id__in=team_ids_for_user(user=user)).values("gemeente_id")
    return Thema.objects.filter(gemeente_id__in=gemeente_ids).order_by("naam")


def thema_list_for_team(*, team: Team) -> QuerySet[Thema]:
    """Themas a new signal of this team may have: the active ones of the team's gemeente."""
    return Thema.objects.filter(gemeente_id=team.gemeente_id, actief=True).order_by("naam")


def signalen_geojson(*, signalen: Any) -> dict[str, Any]:
    """Signals as a GeoJSON FeatureCollection of points for the list map (title, status, link)."""
    return feature_collection(
        (
            point(lon=s.lon, lat=s.lat),
            {
                "titel": s.titel,
                "status": str(s.get_status_display()),
                "url": reverse("signalen:detail", args=[s.pk]),
            },
        )
        for s in signalen
    )


def buurten_geojson(*, buurten: Any) -> dict[str, Any]:
    """Outlines of buurten as a FeatureCollection: the context layer under a map."""
    return feature_collection((b.geometrie, {"naam": b.naam, "code": b.code}) for b in buurten)


def team_for_logging(*, team: Team) -> Team:
    """The team with what the logging form needs (buurten with geometry, subgebieden) prefetched."""
    return (
        Team.objects.select_related("gemeente")
        .prefetch_related(
            Prefetch("buurten", queryset=Buurt.objects.order_by("naam")),
            Prefetch("subgebieden", queryset=Subgebied.objects.select_related("buurt").order_by("naam")),
        )
        .get(pk=team.pk)
    )


@dataclass(frozen=True)
class SteunStand:
    """Support counts of a signal as the last tally wrote them, against the team's threshold."""

    huishoudens: int
    anoniem: int
    totaal: Decimal
    drempel: int
    nog_nodig: int
    berekend_at: dt.datetime | None


def steun_stand(*, signaal: Signaal) -> SteunStand:
    totaal = Decimal(signaal.steun_totaal)
    drempel = signaal.team.drempel_huishoudens
    nog = max(0, math.ceil(Decimal(drempel) - totaal))
    return SteunStand(
        huishoudens=signaal.steun_huishoudens,
        anoniem=signaal.steun_anoniem,
        totaal=totaal,
        drempel=drempel,
        nog_nodig=nog,
        berekend_at=signaal.steun_berekend_at,
    )


STEUN_OP_PAGINA = 100


def signaal_page(*, user: Any, pk: int) -> dict[str, Any]:
    """One signal the person may see, with support, photos and history; Http404 otherwise."""
    qs = signaal_list_for_user(user=user).select_related(
        "team", "team__gemeente", "thema", "buurt", "subgebied", "wijkronde", "created_by", "doorgezet_naar"
    )
    qs = qs.prefetch_related(
        Prefetch(
            "steunbetuigingen",
            # The newest ones; a signal with thousands of supports still makes a short page.
            queryset=Steunbetuiging.objects.order_by("-datum", "-created_at", "-id")[:STEUN_OP_PAGINA],
            to_attr="steun_rijen",
        ),
        Prefetch("fotos", queryset=Foto.objects.order_by("created_at"), to_attr="foto_rijen"),
        Prefetch(
            "statuswijzigingen",
            queryset=StatusWijziging.objects.select_related("door").order_by("created_at", "id"),
            to_attr="historie",
        ),
    )
    signaal = qs.filter(pk=pk).first()
    if signaal is None:
        not_found_audit(user=user, label="signalen.signaal", ref=pk, model=Signaal)
        raise Http404(_("Dit signaal bestaat niet of hoort niet bij jouw team."))
    steun_aantal = len(signaal.steun_rijen)
    if steun_aantal == STEUN_OP_PAGINA:
        steun_aantal = Steunbetuiging.objects.filter(signaal=signaal).count()
    return {
        "signaal": signaal,
        "steun": signaal.steun_rijen,
        "steun_aantal": steun_aantal,
        "fotos": signaal.foto_rijen,
        "historie": signaal.historie,
        "stand": steun_stand(signaal=signaal),
    }


def status_keuzes_for_user(*, user: Any, signaal: Signaal, shown: bool = True) -> list[str]:
    """Statuses this person may move the signal to from its page (triage has its own form, in the admin).

    The page shows a coordinator without TOTP a teamlid's choices until it is set up; the form post
    (`shown=False`) accepts the coordinator's, so that choosing one sends them to the TOTP setup.
    """
    actors = actors_for_user(user=user, team=signaal.team_id)
    if shown and second_factor_pending(user=user):
        actors = actors & {Actor.TEAMLID}
    return [
        naar
        for naar in next_statuses_for(signaal.status, actors)
        if naar != Status.GETRIEERD and (signaal.status, naar) not in ALLEEN_VIA_ACTIE
    ]


def foto_get_for_user(*, user: Any, uuid: Any) -> Foto:
    """A photo of a signal the person may see; Http404 otherwise (photos never leave the team)."""
    foto = Foto.objects.filter(uuid=uuid, signaal__in=signaal_list_for_user(user=user)).first()
    if foto is None:
        not_found_audit(
            user=user,
            label="signalen.foto",
            ref=uuid,
            model=Foto,
            field="uuid",
            team_field="signaal__team_id",
        )
        raise Http404(_("Deze foto bestaat niet of hoort niet bij jouw team."))
    return foto


def steun_get_for_user(*, user: Any, signaal: Signaal, pk: int) -> Steunbetuiging:
    """A support of a signal the person may see; Http404 otherwise."""
    steun = Steunbetuiging.objects.filter(pk=pk, signaal=signaal).select_related("signaal").first()
    if steun is None:
        not_found_audit(
            user=user,
            label="signalen.steunbetuiging",
            ref=pk,
            model=Steunbetuiging,
            team_field="signaal__team_id",
        )
        raise Http404(_("Deze steunbetuiging bestaat niet bij dit signaal."))
    return steun


def wijkronde_list_for_user(*, user: Any) -> QuerySet[Wijkronde]:
    """Walks of the person's teams, newest first, with team and buurten."""
    return (
        Wijkronde.objects.filter(team_id__in=team_ids_for_user(user=user))
        .select_related("team")
        .prefetch_related("buurten")
        .order_by("-datum", "-created_at")
    )


def wijkronde_get_for_user(*, user: Any, pk: Any) -> Wijkronde:
    """One walk of the person's teams, with who walked and its signals; Http404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        not_found_audit(user=user, label="signalen.wijkronde", ref=pk, model=Wijkronde)
        raise Http404(_("Deze wijkronde bestaat niet of hoort niet bij jouw team.")) from None
    wijkronde = (
        Wijkronde.objects.filter(team_id__in=team_ids_for_user(user=user), pk=pk)
        .select_related("team", "team__gemeente", "created_by")
        .prefetch_related(
            "buurten",
            "lopers",
            "meegelopen_partners",
            Prefetch(
                "signalen",
                queryset=Signaal.objects.select_related("thema", "buurt").order_by("-created_at"),
            ),
        )
        .first()
    )
    if wijkronde is None:
        not_found_audit(user=user, label="signalen.wijkronde", ref=pk, model=Wijkronde)
        raise Http404(_("Deze wijkronde bestaat niet of hoort niet bij jouw team."))
    return wijkronde


def team_members(*, team: Team) -> list[Any]:
    """The people with a seat in the team, by name (for "who walked")."""
    seats = Lidmaatschap.objects.filter(team=team).select_related("user").order_by("user__first_name")
    seen: dict[int, Any] = {}
    for seat in seats:
        seen.setdefault(seat.user_id, seat.user)
    return list(seen.values())


def signaal_list_wacht_op_triage(*, user: Any) -> QuerySet[Signaal]:
    """Signals with draagvlak bereikt in the teams the person coordinates: the triage queue."""
    return (
        signaal_list_for_user(user=user)
        .filter(status=Status.DRAAGVLAK_BEREIKT, team_id__in=coordinator_team_ids_for_user(user=user))
        .select_related("team", "thema", "buurt")
        .order_by("status_gewijzigd_at", "created_at")
    )
