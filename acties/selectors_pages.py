"""Reads the team's acties pages need: the filtered list, one actie with its timeline, the
person's role on it, and an update's photo.

Every read starts from the team access rule (`buurten.selectors`): an actie of a team the person
is not in is a 404. Each page's query count is fixed: related rows come with
`select_related`/`prefetch_related` or as subqueries, never per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Lidmaatschap, Partner, Rol, Team
from buurten.selectors import second_factor_pending, sees_all, team_ids_for_user
from signalen.models import Signaal, Thema
from signalen.selectors.signalen import not_found_audit

from .models import (
    Actie,
    ActieSignaal,
    ActieStatus,
    ActieStatusWijziging,
    BewonerTrekker,
    Mijlpaal,
    Notitie,
    Voortgangsupdate,
    VoortgangWijziging,
)
from .selectors import STALLED_NA
from .selectors_geholpen import geholpen_overwegend_nee, geholpen_voor_actie
from .services.voortgang import actie_voortgang
from .workflow import Actor, next_statuses_for


@dataclass(frozen=True)
class ActieFilter:
    status: str = ""
    buurt: Buurt | None = None
    thema: Thema | None = None
    partner: Partner | None = None
    zoekt_bewoners: bool = False


def is_stalled(actie: Actie, *, nu: dt.datetime | None = None) -> bool:
    """In uitvoering for 30 days without residents who pick it up (the rule of `acties_stalled`)."""
    nu = nu or timezone.now()
    return (
        actie.status == ActieStatus.IN_UITVOERING
        and not actie.bewoners_aantal
        and actie.in_uitvoering_at is not None
        and actie.in_uitvoering_at <= nu - STALLED_NA
    )


def zoekt_bewoners(actie: Actie) -> bool:
    """An open actie without residents who pick it up looks for them."""
    return not actie.bewoners_aantal and actie.status not in (ActieStatus.AFGEROND, ActieStatus.GESTOPT)


def actie_list_filtered(*, team: Team, filters: ActieFilter | None = None) -> QuerySet[Actie]:
    """The team's acties, narrowed by the list page's filters, newest first, with their progress."""
    qs = Actie.objects.filter(team=team).select_related("trekker", "buurt", "subgebied")
    f = filters or ActieFilter()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.buurt is not None:
        qs = qs.filter(buurt=f.buurt)
    if f.thema is not None:
        # A subquery, not a join: an actie with two signals of the thema stays one row.
        qs = qs.filter(pk__in=ActieSignaal.objects.filter(signaal__thema=f.thema).values("actie_id"))
    if f.partner is not None:
        deelnemend = Actie.partners.through.objects.filter(partner=f.partner).values("actie_id")
        qs = qs.filter(Q(trekker=f.partner) | Q(pk__in=deelnemend))
    if f.zoekt_bewoners:
        qs = qs.filter(bewoners_aantal=0).exclude(status__in=[ActieStatus.AFGEROND, ActieStatus.GESTOPT])
    # Milestones for the progress (acties.services.actie_voortgang): one query per page.
    return qs.prefetch_related("mijlpalen").order_by("-created_at", "-id")


def thema_list_for_team(*, team: Team) -> QuerySet[Thema]:
    """Themas of the team's gemeente (for the list filter; inactive ones included)."""
    return Thema.objects.filter(gemeente_id=team.gemeente_id).order_by("naam")


def buurt_list_for_team(*, team: Team) -> QuerySet[Buurt]:
    return team.buurten.order_by("naam")


def partner_list_for_team(*, team: Team) -> QuerySet[Partner]:
    return Partner.objects.filter(gemeente_id=team.gemeente_id).order_by("naam")


# --- one actie ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActieRol:
    """What the person may do on one actie's page (the services decide again on every post)."""

    coordinator: bool
    betrokken: bool
    partner_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def mag_bijdragen(self) -> bool:
        """Post updates, tick milestones, add residents and notes."""
        return self.coordinator or self.betrokken

    @property
    def actors(self) -> set[Actor]:
        actors = set()
        if self.coordinator:
            actors.add(Actor.COORDINATOR)
        if self.betrokken:
            actors.add(Actor.BETROKKEN)
        return actors


def rol_op_actie(*, user: Any, actie: Actie, partner_ids_actie: set[int]) -> ActieRol:
    """The person's role on the actie: coördinator of its team, a member for an involved partner,
    or neither (sees the page, may not change it). A coördinator without TOTP counts as a teamlid
    until it is set up, as on every page."""
    seats = list(
        Lidmaatschap.objects.filter(user_id=user.pk, team_id=actie.team_id).values_list("rol", "partner_id")
    )
    partner_ids = frozenset(p for _rol, p in seats)
    coordinator = sees_all(user=user) or (
        any(r == Rol.COORDINATOR for r, _p in seats) and not second_factor_pending(user=user)
    )
    return ActieRol(
        coordinator=coordinator,
        betrokken=bool(partner_ids & partner_ids_actie),
        partner_ids=partner_ids,
    )


def actie_get_for_user(*, user: Any, pk: Any) -> Actie:
    """An actie of one of the person's teams (for a form post); Http404, audited, otherwise."""
    actie = (
        Actie.objects.filter(team_id__in=team_ids_for_user(user=user), pk=pk)
        .select_related("team", "team__gemeente", "buurt", "trekker")
        .prefetch_related("partners")
        .first()
    )
    if actie is None:
        not_found_audit(user=user, label="acties.actie", ref=pk, model=Actie)
        raise Http404(_("Deze actie bestaat niet of hoort niet bij jouw team."))
    return actie


def actie_en_rol(*, user: Any, pk: Any) -> tuple[Actie, ActieRol]:
    """An actie of the person's teams (Http404 otherwise) with the person's role on it."""
    actie = actie_get_for_user(user=user, pk=pk)
    return actie, rol_op_actie(user=user, actie=actie, partner_ids_actie=partner_ids_van(actie))


def partner_ids_van(actie: Actie) -> set[int]:
    """The lead partner and the participating partners (reads the prefetched `partners`)."""
    return {actie.trekker_id, *(p.pk for p in actie.partners.all())}


@dataclass(frozen=True)
class Moment:
    """One line of the actie's timeline."""

    soort: str  # status, update, mijlpaal, voortgang, aangemaakt
    wanneer: dt.datetime
    datum: dt.date
    object: Any


def _update_tijd(update: Voortgangsupdate) -> dt.datetime:
    # An update's date is the day it is about: written that day it sorts by when it was written,
    # dated another day it sorts at the end of that day.
    if update.datum == timezone.localdate(update.created_at):
        return update.created_at
    return timezone.make_aware(dt.datetime.combine(update.datum, dt.time(23, 59)))


def tijdlijn(*, actie: Actie) -> list[Moment]:
    """History, updates, milestones done and progress changes, newest first (prefetched rows)."""
    momenten = [Moment("status", w.created_at, timezone.localdate(w.created_at), w) for w in actie.historie]
    momenten += [Moment("update", _update_tijd(u), u.datum, u) for u in actie.update_rijen]
    momenten += [
        Moment("mijlpaal", m.gedaan_at, timezone.localdate(m.gedaan_at), m)
        for m in actie.mijlpalen.all()
        if m.gedaan_at
    ]
    momenten += [
        Moment("voortgang", v.created_at, timezone.localdate(v.created_at), v) for v in actie.voortgang_rijen
    ]
    return sorted(momenten, key=lambda m: (m.wanneer, m.object.created_at), reverse=True)


def notities_zichtbaar(*, actie: Actie, rol: ActieRol) -> list[Notitie]:
    """Team-wide notes, and partner-only notes for members of that partner and coördinatoren."""
    return [
        n
        for n in actie.notitie_rijen
        if n.alleen_partner_id is None or rol.coordinator or n.alleen_partner_id in rol.partner_ids
    ]


def actie_page(*, user: Any, pk: int) -> dict[str, Any]:
    """One actie of the person's teams with everything its page shows; Http404 otherwise."""
    actie = (
        Actie.objects.filter(team_id__in=team_ids_for_user(user=user), pk=pk)
        .select_related("team", "team__gemeente", "buurt", "subgebied", "trekker")
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.order_by("naam")),
            Prefetch("mijlpalen", queryset=Mijlpaal.objects.order_by("volgorde", "id")),
            Prefetch(
                "updates",
                queryset=Voortgangsupdate.objects.select_related("partner").order_by("-datum", "-created_at"),
                to_attr="update_rijen",
            ),
            Prefetch(
                "statuswijzigingen",
                queryset=ActieStatusWijziging.objects.select_related("partner").order_by("created_at", "id"),
                to_attr="historie",
            ),
            Prefetch(
                "voortgangswijzigingen",
                queryset=VoortgangWijziging.objects.order_by("created_at", "id"),
                to_attr="voortgang_rijen",
            ),
            Prefetch(
                "notities",
                queryset=Notitie.objects.select_related("alleen_partner", "door").order_by(
                    "created_at", "id"
                ),
                to_attr="notitie_rijen",
            ),
            Prefetch(
                "bewoners",
                queryset=BewonerTrekker.objects.order_by("created_at", "id"),
                to_attr="bewoner_rijen",
            ),
            Prefetch(
                "koppelingen",
                queryset=ActieSignaal.objects.select_related("signaal__thema", "signaal__buurt").order_by(
                    "created_at", "id"
                ),
                to_attr="koppeling_rijen",
            ),
        )
        .first()
    )
    if actie is None:
        not_found_audit(user=user, label="acties.actie", ref=pk, model=Actie)
        raise Http404(_("Deze actie bestaat niet of hoort niet bij jouw team."))
    rol = rol_op_actie(user=user, actie=actie, partner_ids_actie=partner_ids_van(actie))
    return {
        "actie": actie,
        "rol": rol,
        "voortgang": actie_voortgang(actie),
        "stalled": is_stalled(actie),
        "zoekt_bewoners": zoekt_bewoners(actie),
        "tijdlijn": tijdlijn(actie=actie),
        "mijlpalen": list(actie.mijlpalen.all()),
        "signalen": [k.signaal for k in actie.koppeling_rijen],
        "notities": notities_zichtbaar(actie=actie, rol=rol),
        "bewoners": actie.bewoner_rijen,
        "geholpen": geholpen_voor_actie(actie),
        "geholpen_overwegend_nee": geholpen_overwegend_nee(actie),
        "status_keuzes": next_statuses_for(actie.status, rol.actors),
    }


def mijlpaal_get_for_actie(*, user: Any, actie: Actie, pk: Any) -> Mijlpaal:
    """A milestone of this actie; Http404 (audited) for one of another actie."""
    mijlpaal = Mijlpaal.objects.filter(actie=actie, pk=pk).select_related("actie").first()
    if mijlpaal is None:
        not_found_audit(
            user=user, label="acties.mijlpaal", ref=pk, model=Mijlpaal, team_field="actie__team_id"
        )
        raise Http404(_("Deze mijlpaal hoort niet bij deze actie."))
    return mijlpaal


def open_signalen(*, actie: Actie) -> list[Signaal]:
    """The actie's linked signals that are still open: each needs a decision when it stops."""
    from signalen.workflow import OPEN_STATUSES

    return list(
        Signaal.objects.filter(actie_koppeling__actie=actie, status__in=OPEN_STATUSES)
        .select_related("thema")
        .order_by("pk")
    )


def update_foto_get_for_user(*, user: Any, uuid: Any) -> Voortgangsupdate:
    """An update with a photo of an actie the person may see; Http404 otherwise (team data)."""
    update = (
        Voortgangsupdate.objects.filter(foto_uuid=uuid, actie__team_id__in=team_ids_for_user(user=user))
        .exclude(foto="")
        .first()
    )
    if update is None:
        not_found_audit(
            user=user,
            label="acties.voortgangsupdate",
            ref=uuid,
            model=Voortgangsupdate,
            field="foto_uuid",
            team_field="actie__team_id",
        )
        raise Http404(_("Deze foto bestaat niet of hoort niet bij jouw team."))
    return update
