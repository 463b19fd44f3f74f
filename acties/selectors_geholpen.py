""" "Heeft het geholpen?" results for the dashboard and the actie page: counts of ja / deels / nee,
per actie and per buurt (forwarded signals' answers count for their buurt), each one query."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django.db.models import Count, Q

from .models import Actie, GeholpenAntwoord, GeholpenReactie

A = GeholpenAntwoord


class Telling(TypedDict):
    ja: int
    deels: int
    nee: int
    totaal: int


_TELLINGEN = {
    "ja": Count("pk", filter=Q(antwoord=A.JA)),
    "deels": Count("pk", filter=Q(antwoord=A.DEELS)),
    "nee": Count("pk", filter=Q(antwoord=A.NEE)),
    "totaal": Count("pk"),
}


def geholpen_per_actie(*, team_ids: Iterable[int]) -> list[dict]:
    """Per actie of these teams with answers: {actie_id, titel, buurt_naam, ja, deels, nee,
    totaal, overwegend_nee}, most answers first."""
    rows = (
        GeholpenReactie.objects.filter(team_id__in=list(team_ids), actie__isnull=False)
        .values("actie_id", "actie__titel", "actie__buurt__naam")
        .annotate(**_TELLINGEN)
        .order_by("-totaal", "actie_id")
    )
    return [
        {
            "actie_id": r["actie_id"],
            "titel": r["actie__titel"],
            "buurt_naam": r["actie__buurt__naam"],
            "ja": r["ja"],
            "deels": r["deels"],
            "nee": r["nee"],
            "totaal": r["totaal"],
            "overwegend_nee": r["nee"] * 2 > r["totaal"],
        }
        for r in rows
    ]


def geholpen_per_buurt(*, team_ids: Iterable[int]) -> list[dict]:
    """Per buurt of these teams with answers (acties and forwarded signals together):
    {buurt_id, buurt_naam, ja, deels, nee, totaal}, by buurt name."""
    rows = (
        GeholpenReactie.objects.filter(team_id__in=list(team_ids))
        .values("buurt_id", "buurt__naam")
        .annotate(**_TELLINGEN)
        .order_by("buurt__naam", "buurt_id")
    )
    return [
        {
            "buurt_id": r["buurt_id"],
            "buurt_naam": r["buurt__naam"],
            **{k: r[k] for k in ("ja", "deels", "nee", "totaal")},
        }
        for r in rows
    ]


def geholpen_voor_actie(actie: Actie | int) -> Telling:
    """The counts of one actie (zeros when nobody answered)."""
    actie_id = actie.pk if isinstance(actie, Actie) else actie
    return GeholpenReactie.objects.filter(actie_id=actie_id).aggregate(**_TELLINGEN)  # type: ignore[return-value]


def geholpen_overwegend_nee(actie: Actie | int) -> bool:
    """Whether most answers to the actie say nee (more than half): offer to reopen its signals."""
    telling = geholpen_voor_actie(actie)
    return telling["nee"] * 2 > telling["totaal"]
