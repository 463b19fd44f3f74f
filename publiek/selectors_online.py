"""Reads of the public forms: which buurt a `/buurt/<slug>/` address names, and the themas."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from buurten.models import Buurt, Team
from signalen.models import Thema

from .selectors import buurt_find


@dataclass(frozen=True)
class Gebied:
    """What a public buurt address names: a team and the buurten of it the page is about."""

    team: Team
    buurten: list[Buurt]

    @property
    def naam(self) -> str:
        return self.buurten[0].naam if len(self.buurten) == 1 else self.team.naam


def gebied_for_slug(*, slug: str) -> Gebied | None:
    """The team's short name (all its buurten), a buurt's CBS code or its name as a slug (that buurt
    with its team); None when nothing with a team matches."""
    team = Team.objects.filter(slug__iexact=slug).first()
    if team is not None:
        buurten = list(team.buurten.order_by("naam"))
        return Gebied(team=team, buurten=buurten) if buurten else None
    # The same reading of a buurt's slug as the buurt page (name, name-code for a shared name, code).
    try:
        gevonden = buurt_find(slug=slug)
    except Http404:
        return None
    buurt = Buurt.objects.get(pk=gevonden.buurt_id)
    return Gebied(team=buurt.teams.order_by("pk").first(), buurten=[buurt])


def themas_for_wens(*, team: Team) -> QuerySet[Thema]:
    """Themas a resident may choose: the active ones of the team's gemeente."""
    return Thema.objects.filter(gemeente_id=team.gemeente_id, actief=True).order_by("naam")
