"""Who may do what with an actie (the rule of `acties.workflow`, for every acties service).

- A coördinator of the actie's team (or a superuser) may do everything.
- A team member whose seat is for the lead partner (trekker) or a participating partner is
  *betrokken*: posts updates, ticks milestones, sets progress by hand, adds residents and notes,
  and moves the actie gepland → in uitvoering → afgerond.
- Anyone else is refused with a Dutch PermissionDenied.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from buurten.models import Lidmaatschap, Partner
from buurten.selectors import is_coordinator, sees_all
from core.actors import is_system, require_actor

from ..models import Actie
from ..workflow import Actor

ALLEEN_COORDINATOR = _("Alleen een coördinator van het team van deze actie kan dit doen.")
ALLEEN_BETROKKEN = _(
    "Alleen de coördinator en teamleden van de trekker of de deelnemende partners kunnen dit doen."
)


def betrokken_partner_ids(actie: Actie) -> set[int]:
    """The lead partner and the participating partners of the actie."""
    if actie.pk is None:  # not saved yet (being made): only its trekker
        return {actie.trekker_id}
    return {actie.trekker_id, *(p.pk for p in actie.partners.all())}


def actors_for_actie(*, user: Any, actie: Actie) -> set[Actor]:
    """The workflow roles `user` has for `actie` (a SystemActor acts as coördinator)."""
    require_actor(user)
    if is_system(user) or is_coordinator(user=user, team=actie.team):
        return {Actor.COORDINATOR, Actor.BETROKKEN}
    if not (user.is_authenticated and user.is_active):
        return set()
    betrokken = Lidmaatschap.objects.filter(
        user_id=user.pk, team_id=actie.team_id, partner_id__in=betrokken_partner_ids(actie)
    ).exists()
    return {Actor.BETROKKEN} if betrokken else set()


def require_coordinator(*, door: Any, actie: Actie) -> None:
    if Actor.COORDINATOR not in actors_for_actie(user=door, actie=actie):
        raise PermissionDenied(ALLEEN_COORDINATOR)


def require_betrokken(*, door: Any, actie: Actie) -> None:
    if not actors_for_actie(user=door, actie=actie):
        raise PermissionDenied(ALLEEN_BETROKKEN)


def partner_for(*, door: Any, actie: Actie) -> Partner | None:
    """The partner `door` acts for in the actie's team: an involved partner of their seats first
    (the trekker before the others), else any seat's; none for the system or a superuser without
    a seat."""
    if is_system(door) or not getattr(door, "is_authenticated", False):
        return None
    seats = list(
        Lidmaatschap.objects.filter(user_id=door.pk, team_id=actie.team_id).select_related("partner")
    )
    if not seats:
        return actie.trekker if sees_all(user=door) else None
    betrokken = betrokken_partner_ids(actie)
    seats.sort(key=lambda s: (s.partner_id != actie.trekker_id, s.partner_id not in betrokken, s.pk))
    return seats[0].partner
