"""The only reads of the anonymous side: what a resident may see of a buurt, an actie and the feed.

What is never public is left out here, not in a template (issue #9, part 2):

- signals that are confidential (`vertrouwelijk`) or about a person (`over_persoon`), and
  their counts, history and photos; no signal photo at all (`signalen.Foto`);
- internal and partner notes (`acties.Notitie`), support rows (household hashes, e-mail),
  resident trekkers' first names and e-mail (only their count), and every person's name:
  partners appear by organisation;
- reasons of status changes, except the ones written for residents: a signal's move to
  *afgewezen* or *heropend*, an actie's move to *gestopt* or *heropend* (`PUBLIEKE_REDENEN`);
- exact locations: a point is snapped to a grid of about 100 m (`GRID_LAT`, `GRID_LON`), and a
  signal of a sensitive thema (`Thema.gevoelig`) is shown only at buurt level, never on the map.

Each page's query count is fixed whatever the data: lists are capped (`MAX_*`) with a count of
the rest, and counts are aggregates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.text import slugify

from acties.models import (
    Actie,
    ActieSignaal,
    ActieStatus,
    ActieStatusWijziging,
    GeholpenAntwoord,
    GeholpenReactie,
    Mijlpaal,
    Voortgangsupdate,
)
from acties.services.voortgang import actie_voortgang
from acties.workflow import OPEN_STATUSES as ACTIE_OPEN
from buurten.models import Buurt, PartnerInzet, Team
from core.geojson import feature_collection, point
from signalen.models import Signaal, Status, StatusWijziging, TriageUitkomst

# ~100 m: one step of latitude is 100 m everywhere; one of longitude is 100 m at 52° north.
GRID_LAT = 0.0009
GRID_LON = 0.0015

# Statuses in which a signal is gathering support on the buurt page.
STEUN_GEZOCHT = (Status.NIEUW, Status.DRAAGVLAK_GEZOCHT, Status.HEROPEND)
# Statuses whose reason residents read (written for them by design; see the workflows).
PUBLIEKE_REDENEN = {
    "signaal": frozenset({Status.AFGEWEZEN, Status.HEROPEND}),
    "actie": frozenset({ActieStatus.GESTOPT, ActieStatus.HEROPEND}),
}

# A buurt page stays small whatever the buurt holds (issue #9 part 5: ~40 kB, not ~100 kB).
MAX_SIGNALEN = 15
MAX_DOORGEZET = 10
MAX_AFGEWEZEN = 10
MAX_ACTIES_OPEN = 15
MAX_ACTIES_KLAAR = 10
MAX_UPDATES = 10
MAX_FEED = 40


def signalen_publiek() -> QuerySet[Signaal]:
    """Every signal a resident may know of: never confidential, never about a person."""
    return Signaal.objects.filter(vertrouwelijk=False, over_persoon=False)


def snap(*, lat: float, lon: float) -> tuple[float, float]:
    """A point snapped to the ~100 m grid (the centre of its cell), rounded to 6 decimals."""
    return (round(round(lat / GRID_LAT) * GRID_LAT, 6), round(round(lon / GRID_LON) * GRID_LON, 6))


# --- finding a buurt ----------------------------------------------------------------------------


def _buurten_met_team() -> QuerySet[Buurt]:
    return Buurt.objects.filter(Q(teams__isnull=False)).distinct()


def buurt_slug(buurt: Buurt) -> str:
    """The buurt page's name in the URL: the buurt's name slugified (`Malberg` → `malberg`)."""
    return slugify(buurt.naam) or buurt.code.lower()


@dataclass(frozen=True)
class Gevonden:
    buurt_id: int
    slug: str
    redirect: bool  # True when the request's slug is not the canonical one (a 301 follows)


def buurt_find(*, slug: str) -> Gevonden:
    """The buurt a `/buurt/<slug>/` means: its name slugified, a team's short name (its first
    buurt), or its CBS code (any case). Only buurten with a team have a page; else Http404."""
    slug = (slug or "").strip()
    rows = list(_buurten_met_team().order_by("naam", "id").values_list("id", "naam", "code"))
    canonical = {}
    for pk, naam, code in rows:
        canonical.setdefault(slugify(naam) or code.lower(), pk)
    by_id = {pk: s for s, pk in canonical.items()}
    # A name shared by two buurten: the second gets its code in the slug.
    for pk, naam, code in rows:
        if pk not in by_id:
            by_id[pk] = f"{slugify(naam)}-{code.lower()}"
            canonical[by_id[pk]] = pk
    if slug in canonical:
        return Gevonden(buurt_id=canonical[slug], slug=slug, redirect=False)
    code = slug.upper()
    for pk, _naam, buurt_code in rows:
        if buurt_code.upper() == code:
            return Gevonden(buurt_id=pk, slug=by_id[pk], redirect=True)
    team_buurt = (
        Team.objects.filter(slug=slug, buurten__isnull=False)
        .order_by("buurten__naam", "buurten__id")
        .values_list("buurten__id", flat=True)
        .first()
    )
    if team_buurt is not None and team_buurt in by_id:
        return Gevonden(buurt_id=team_buurt, slug=by_id[team_buurt], redirect=True)
    raise Http404("buurt")


# --- the home page -------------------------------------------------------------------------------


def _count(qs: QuerySet, outer: str = "pk") -> Subquery:
    """A correlated COUNT(*) of `qs` (already filtered on OuterRef) as an integer annotation."""
    return Coalesce(
        Subquery(
            qs.order_by().values(outer).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
        ),
        0,
    )


@dataclass
class BuurtRegel:
    buurt: Buurt
    slug: str
    acties_open: int
    signalen_steun: int


def buurt_list_publiek() -> list[BuurtRegel]:
    """Every buurt with a team, by gemeente and name, with its open acties and the signals that
    gather support (two correlated counts: one query)."""
    acties = Actie.objects.filter(buurt_id=OuterRef("pk"), status__in=list(ACTIE_OPEN))
    signalen = signalen_publiek().filter(buurt_id=OuterRef("pk"), status__in=STEUN_GEZOCHT)
    buurten = (
        _buurten_met_team()
        .select_related("wijk__gemeente")
        .annotate(n_acties=_count(acties, "buurt_id"), n_signalen=_count(signalen, "buurt_id"))
        .order_by("wijk__gemeente__naam", "naam", "id")
    )
    regels, gezien = [], set()
    for b in buurten:
        slug = slugify(b.naam) or b.code.lower()
        if slug in gezien:
            slug = f"{slugify(b.naam)}-{b.code.lower()}"
        gezien.add(slug)
        regels.append(BuurtRegel(buurt=b, slug=slug, acties_open=b.n_acties, signalen_steun=b.n_signalen))
    return regels


def buurten_geojson(regels: list[BuurtRegel]) -> dict[str, Any]:
    """The outlines of the buurten on the home map (name and code; no counts, no people)."""
    return feature_collection(
        (r.buurt.geometrie, {"soort": "buurt", "naam": r.buurt.naam, "code": r.buurt.code}) for r in regels
    )


def buurt_ids_met_team() -> list[int]:
    return list(_buurten_met_team().order_by("id").values_list("id", flat=True))


# --- a buurt page --------------------------------------------------------------------------------


@dataclass
class ActieRegel:
    actie: Actie
    voortgang: int
    zoekt_bewoners: bool
    geholpen: dict[str, int] = field(default_factory=dict)


@dataclass
class SignaalRegel:
    signaal: Signaal
    drempel: int
    nog_nodig: int
    procent: int
    reden: str = ""


@dataclass
class BuurtPagina:
    buurt: Buurt
    slug: str
    teams: list[Team]
    acties_open: list[ActieRegel]
    acties_open_totaal: int
    acties_klaar: list[ActieRegel]
    acties_klaar_totaal: int
    acties_per_status: dict[str, int]
    updates: list[Voortgangsupdate]
    signalen: list[SignaalRegel]
    signalen_totaal: int
    doorgezet: list[Signaal]
    doorgezet_totaal: int
    afgewezen: list[SignaalRegel]
    afgewezen_totaal: int
    per_thema: list[tuple[str, int]]
    kaart: dict[str, Any]
    buurt_kaart: dict[str, Any] | None
    geholpen_totaal: dict[str, int]


def _acties_met_voortgang(qs: QuerySet[Actie]) -> QuerySet[Actie]:
    # acties' own rule (weighted milestones, else the hand-set value) reads the prefetched list.
    return qs.select_related("trekker").prefetch_related(
        Prefetch("mijlpalen", queryset=Mijlpaal.objects.order_by("volgorde", "id"))
    )


# The columns the buurt page shows (a list row never loads descriptions or other text it does not show).
_ACTIE_KAART = ("id", "titel", "status", "bewoners_aantal", "voortgang_handmatig", "trekker__naam")
_SIGNAAL_KAART = (
    "id",
    "titel",
    "status",
    "steun_totaal",
    "steun_huishoudens",
    "steun_anoniem",
    "thema__naam",
    "team__drempel_huishoudens",
)


def _acties_kaart(qs: QuerySet[Actie]) -> QuerySet[Actie]:
    return (
        qs.select_related("trekker")
        .only(*_ACTIE_KAART)
        .prefetch_related(
            Prefetch(
                "mijlpalen",
                queryset=Mijlpaal.objects.only("id", "actie_id", "gewicht", "gedaan_at").order_by(
                    "volgorde", "id"
                ),
            )
        )
    )


def _actie_regel(a: Actie) -> ActieRegel:
    return ActieRegel(
        actie=a,
        voortgang=actie_voortgang(a),
        zoekt_bewoners=a.bewoners_aantal == 0 and a.status in ACTIE_OPEN,
    )


def _signaal_regel(s: Signaal) -> SignaalRegel:
    drempel = s.team.drempel_huishoudens
    totaal = Decimal(s.steun_totaal or 0)
    nog = max(0, int((Decimal(drempel) - totaal).to_integral_value(rounding="ROUND_CEILING")))
    procent = min(100, int(totaal * 100 / drempel)) if drempel else 100
    return SignaalRegel(signaal=s, drempel=drempel, nog_nodig=nog, procent=procent)


def _reden_laatste(naar: str) -> Subquery:
    return Subquery(
        StatusWijziging.objects.filter(signaal_id=OuterRef("pk"), naar=naar)
        .order_by("-created_at", "-id")
        .values("reden")[:1]
    )


# Forwarded to a partner and still with it (not declined, not taken up by the team after all).
_DOORGEZET = Q(triage_uitkomst=TriageUitkomst.PRIMAIRE_TAAK, doorgezet_naar__isnull=False) & ~Q(
    status__in=(Status.AFGEWEZEN, Status.DRAAGVLAK_BEREIKT)
)


def _geholpen(actie_ids: list[int]) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = {}
    if not actie_ids:
        return result
    for actie_id, antwoord, n in (
        GeholpenReactie.objects.filter(actie_id__in=actie_ids)
        .order_by()
        .values_list("actie_id", "antwoord")
        .annotate(n=Count("pk"))
    ):
        result.setdefault(actie_id, {})[antwoord] = n
    return result


def buurt_pagina(*, buurt_id: int, slug: str) -> BuurtPagina:
    """Everything the public buurt page shows, in a fixed number of queries."""
    try:
        buurt = Buurt.objects.select_related("wijk__gemeente").get(pk=buurt_id)
    except Buurt.DoesNotExist as exc:
        raise Http404("buurt") from exc
    teams = list(
        Team.objects.filter(buurten=buurt)
        .order_by("naam", "id")
        .prefetch_related(
            Prefetch(
                "inzet", queryset=PartnerInzet.objects.select_related("partner").order_by("partner__naam")
            )
        )
    )
    if not teams:
        raise Http404("buurt")

    acties = Actie.objects.filter(buurt=buurt)
    per_status = dict(acties.order_by().values_list("status").annotate(n=Count("pk")))
    open_qs = _acties_kaart(acties.filter(status__in=list(ACTIE_OPEN))).order_by("-created_at", "-id")
    acties_open = [_actie_regel(a) for a in open_qs[:MAX_ACTIES_OPEN]]
    klaar_qs = _acties_kaart(acties.filter(status=ActieStatus.AFGEROND)).order_by(
        F("afgerond_at").desc(nulls_last=True), "-id"
    )
    acties_klaar = [_actie_regel(a) for a in klaar_qs[:MAX_ACTIES_KLAAR]]
    geholpen = _geholpen([r.actie.pk for r in acties_klaar])
    for r in acties_klaar:
        r.geholpen = geholpen.get(r.actie.pk, {})
    geholpen_totaal = dict(
        GeholpenReactie.objects.filter(buurt=buurt, actie__isnull=False)
        .order_by()
        .values_list("antwoord")
        .annotate(n=Count("pk"))
    )
    updates = list(
        Voortgangsupdate.objects.filter(actie__buurt=buurt)
        .select_related("actie", "partner")
        .only("id", "datum", "tekst", "foto", "foto_breedte", "foto_hoogte", "actie__titel", "partner__naam")
        .order_by("-datum", "-created_at", "-id")[:MAX_UPDATES]
    )

    publiek = signalen_publiek().filter(buurt=buurt)
    steun_qs = publiek.filter(status__in=STEUN_GEZOCHT)
    signalen = [
        _signaal_regel(s)
        for s in steun_qs.select_related("team", "thema")
        .only(*_SIGNAAL_KAART)
        .order_by("-steun_totaal", "-created_at", "-id")[:MAX_SIGNALEN]
    ]
    doorgezet_qs = publiek.filter(_DOORGEZET)
    doorgezet = list(
        doorgezet_qs.select_related("thema", "doorgezet_naar")
        .only("id", "titel", "status", "thema__naam", "doorgezet_naar__naam")
        .order_by("-status_gewijzigd_at", "-id")[:MAX_DOORGEZET]
    )
    afgewezen_qs = publiek.filter(status=Status.AFGEWEZEN)
    afgewezen = []
    for s in (
        afgewezen_qs.select_related("team", "thema")
        .only(*_SIGNAAL_KAART)
        .annotate(publieke_reden=_reden_laatste(Status.AFGEWEZEN))
        .order_by("-status_gewijzigd_at", "-id")[:MAX_AFGEWEZEN]
    ):
        regel = _signaal_regel(s)
        regel.reden = s.publieke_reden or ""
        afgewezen.append(regel)
    # The totals and the counts per thema in one pass over the buurt's signals.
    totalen = {"steun": 0, "afgewezen": 0, "doorgezet": 0}
    thema_n: dict[str, int] = {}
    for thema, n_steun, n_afgewezen, n_doorgezet, n in (
        publiek.order_by()
        .values_list("thema__naam")
        .annotate(
            steun=Count("pk", filter=Q(status__in=STEUN_GEZOCHT)),
            afgewezen=Count("pk", filter=Q(status=Status.AFGEWEZEN)),
            doorgezet=Count("pk", filter=_DOORGEZET),
            n=Count("pk"),
        )
    ):
        totalen["steun"] += n_steun
        totalen["afgewezen"] += n_afgewezen
        totalen["doorgezet"] += n_doorgezet
        thema_n[thema] = n
    per_thema = sorted(thema_n.items(), key=lambda tn: (-tn[1], tn[0]))

    return BuurtPagina(
        buurt=buurt,
        slug=slug,
        teams=teams,
        acties_open=acties_open,
        acties_open_totaal=sum(per_status.get(s, 0) for s in ACTIE_OPEN),
        acties_klaar=acties_klaar,
        acties_klaar_totaal=per_status.get(ActieStatus.AFGEROND, 0),
        acties_per_status={str(ActieStatus(k).label): v for k, v in per_status.items()},
        updates=updates,
        signalen=signalen,
        signalen_totaal=totalen["steun"],
        doorgezet=doorgezet,
        doorgezet_totaal=totalen["doorgezet"],
        afgewezen=afgewezen,
        afgewezen_totaal=totalen["afgewezen"],
        per_thema=per_thema,
        kaart=signalen_kaart(buurt=buurt),
        buurt_kaart=feature_collection([(buurt.geometrie, {"naam": buurt.naam})])
        if buurt.geometrie
        else None,
        geholpen_totaal=geholpen_totaal,
    )


def _cel(waarde: Any) -> Func:
    # ROUND on the float itself: Django's Round casts to numeric(1000, 15) on PostgreSQL, which made
    # this GROUP BY the slowest query of the page.
    return Func(waarde, function="ROUND", output_field=FloatField())


def signalen_kaart(*, buurt: Buurt) -> dict[str, Any]:
    """Open public signals of the buurt as points on the ~100 m grid, one point per grid cell with
    its count (grouped in the database); sensitive themas never appear. No titles: a cell can
    hold several signals, and the list on the page names them."""
    cellen = (
        signalen_publiek()
        .filter(buurt=buurt, thema__gevoelig=False)
        .exclude(status__in=(Status.AFGEWEZEN, Status.AFGEROND))
        .annotate(gy=_cel(F("lat") / GRID_LAT), gx=_cel(F("lon") / GRID_LON))
        .order_by()
        .values_list("gy", "gx")
        .annotate(n=Count("pk"))
        .order_by("gy", "gx")
    )
    features, teksten = [], {}
    for gy, gx, n in cellen:
        lat, lon = round(gy * GRID_LAT, 6), round(gx * GRID_LON, 6)
        if n not in teksten:  # a few hundred cells share a few counts: translate each count once
            teksten[n] = _aantal_tekst(n)
        features.append((point(lon=lon, lat=lat), {"titel": teksten[n]}))
    return feature_collection(features)


def _aantal_tekst(n: int) -> str:
    from django.utils.translation import ngettext

    return ngettext(
        "%(n)s signaal in de buurt van dit punt", "%(n)s signalen in de buurt van dit punt", n
    ) % {"n": n}


# --- an actie ------------------------------------------------------------------------------------


@dataclass
class Gebeurtenis:
    """One line of a public timeline."""

    datum: dt.date | dt.datetime
    soort: str  # "update" | "status"
    tekst: str
    partner: str = ""
    update: Voortgangsupdate | None = None
    status: str = ""


@dataclass
class ActiePagina:
    actie: Actie
    voortgang: int
    zoekt_bewoners: bool
    mijlpalen: list[Mijlpaal]
    tijdlijn: list[Gebeurtenis]
    signalen: list[Signaal]
    partners: list[str]
    geholpen: dict[str, int]
    buurt_slug: str


def actie_buurt_id(*, actie_id: int) -> int:
    """The buurt of an actie (for the page cache's key); Http404 for an unknown id."""
    buurt_id = Actie.objects.filter(pk=actie_id).values_list("buurt_id", flat=True).first()
    if buurt_id is None:
        raise Http404("actie")
    return buurt_id


def actie_pagina(*, actie_id: int) -> ActiePagina:
    """One actie as residents see it: progress, milestones, updates and public status changes,
    linked public signals. Never its notes, its residents' names or who in a partner did what."""
    try:
        actie = (
            _acties_met_voortgang(Actie.objects.filter(pk=actie_id))
            .select_related("buurt", "team")
            .prefetch_related("partners")
            .get()
        )
    except Actie.DoesNotExist as exc:
        raise Http404("actie") from exc
    mijlpalen = list(actie.mijlpalen.all())
    updates = list(actie.updates.select_related("partner").order_by("-datum", "-created_at", "-id"))
    tijdlijn = [
        Gebeurtenis(datum=u.datum, soort="update", tekst=u.tekst, partner=u.partner.naam, update=u)
        for u in updates
    ]
    for w in (
        ActieStatusWijziging.objects.filter(actie=actie)
        .select_related("partner")
        .order_by("created_at", "id")
    ):
        tijdlijn.append(
            Gebeurtenis(
                datum=w.created_at,
                soort="status",
                tekst=w.reden if w.naar in PUBLIEKE_REDENEN["actie"] else "",
                partner=w.partner.naam if w.partner else "",
                status=str(ActieStatus(w.naar).label),
            )
        )
    tijdlijn.sort(key=lambda g: _as_datetime(g.datum), reverse=True)
    signalen = list(
        signalen_publiek()
        .filter(pk__in=ActieSignaal.objects.filter(actie=actie).values("signaal_id"))
        .select_related("thema")
        .order_by("-steun_totaal", "id")
    )
    partners = sorted({actie.trekker.naam, *(p.naam for p in actie.partners.all())})
    geholpen = _geholpen([actie.pk]).get(actie.pk, {})
    return ActiePagina(
        actie=actie,
        voortgang=actie_voortgang(actie),
        zoekt_bewoners=actie.bewoners_aantal == 0 and actie.status in ACTIE_OPEN,
        mijlpalen=mijlpalen,
        tijdlijn=tijdlijn,
        signalen=signalen,
        partners=partners,
        geholpen=geholpen,
        buurt_slug=buurt_slug(actie.buurt),
    )


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time.max)


def update_foto(*, update_id: int) -> Voortgangsupdate:
    """A public update that has a photo (all updates are public); Http404 otherwise."""
    update = Voortgangsupdate.objects.filter(pk=update_id).exclude(foto="").first()
    if update is None:
        raise Http404("foto")
    return update


# --- the feed ------------------------------------------------------------------------------------


@dataclass
class FeedItem:
    uid: str
    titel: str
    tekst: str
    datum: dt.datetime
    actie_id: int | None = None
    signaal_id: int | None = None
    auteur: str = ""


def feed_items(*, buurt_id: int) -> list[FeedItem]:
    """The buurt's newest public updates and status changes (acties and public signals), at most
    `MAX_FEED`, newest first; three queries."""
    items: list[FeedItem] = []
    for u in (
        Voortgangsupdate.objects.filter(actie__buurt_id=buurt_id)
        .select_related("actie", "partner")
        .order_by("-created_at", "-id")[:MAX_FEED]
    ):
        items.append(
            FeedItem(
                uid=f"update-{u.pk}",
                titel=u.actie.titel,
                tekst=u.tekst,
                datum=u.created_at,
                actie_id=u.actie_id,
                auteur=u.partner.naam,
            )
        )
    for w in (
        ActieStatusWijziging.objects.filter(actie__buurt_id=buurt_id)
        .select_related("actie")
        .order_by("-created_at", "-id")[:MAX_FEED]
    ):
        items.append(
            FeedItem(
                uid=f"actie-status-{w.pk}",
                titel=f"{w.actie.titel}: {ActieStatus(w.naar).label}",
                tekst=w.reden if w.naar in PUBLIEKE_REDENEN["actie"] else "",
                datum=w.created_at,
                actie_id=w.actie_id,
            )
        )
    for w in (
        StatusWijziging.objects.filter(
            signaal__buurt_id=buurt_id, signaal__vertrouwelijk=False, signaal__over_persoon=False
        )
        .select_related("signaal")
        .order_by("-created_at", "-id")[:MAX_FEED]
    ):
        items.append(
            FeedItem(
                uid=f"signaal-status-{w.pk}",
                titel=f"{w.signaal.titel}: {Status(w.naar).label}",
                tekst=w.reden if w.naar in PUBLIEKE_REDENEN["signaal"] else "",
                datum=w.created_at,
                signaal_id=w.signaal_id,
            )
        )
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    items.sort(key=lambda i: i.datum or epoch, reverse=True)
    return items[:MAX_FEED]


def buurt_naam(*, buurt_id: int) -> str:
    return Buurt.objects.filter(pk=buurt_id).values_list("naam", flat=True).first() or ""


__all__ = [
    "GeholpenAntwoord",
    "buurt_find",
    "buurt_list_publiek",
    "buurt_pagina",
    "actie_pagina",
    "feed_items",
    "signalen_publiek",
    "snap",
]
