"""Reads of the public forms: which buurt a `/buurt/<slug>/` address names, and the themas."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.text import slugify

from buurten.models import Buurt, Team
from signalen.models import Thema


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
    met_team = Buurt.objects.filter(teams__isnull=False).distinct()
    buurt = met_team.filter(code__iexact=slug).first()
    if buurt is None:
        buurt = next((b for b in met_team.order_by("pk") if slugify(b.naam) == slug.lower()), None)
    if buurt is None:
        return None
    return Gebied(team=buurt.teams.order_by("pk").first(), buurten=[buurt])


def themas_for_wens(*, team: Team) -> QuerySet[Thema]:
    """Themas a resident may choose: the active ones of the team's gemeente."""
    return Thema.objects.filter(gemeente_id=team.gemeente_id, actief=True).order_by("naam")
