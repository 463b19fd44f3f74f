"""Reads the signal pages need: the filtered list, map GeoJSON, one signal with its support and history.

Every read of signals starts from `signalen.selectors.signaal_list_for_user` (the one access rule);
walks go through the team access rule of `buurten.selectors`. Each page's query count is fixed:
related rows come with `select_related`/`prefetch_related`, never per row.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Lidmaatschap, Subgebied, Team
from buurten.selectors import (
    coordinator_team_ids_for_user,
    second_factor_pending,
    team_ids_for_user,
)
from core.geojson import feature_collection, geometry_for_display, point

from ..models import Foto, Kanaal, Signaal, Status, StatusWijziging, Steunbetuiging, Thema, Wijkronde
from ..workflow import ALLEEN_VIA_ACTIE, Actor, next_statuses_for
from .signalen import actors_for_user, not_found_audit, signaal_list_for_user, team_ids_evaluated


@dataclass(frozen=True)
class SignaalFilter:
    buurt: Buurt | None = None
    thema: Thema | None = None
    status: str = ""
    kanaal: str = ""
    van: dt.date | None = None
    tot: dt.date | None = None


# A buurt's or subgebied's outline can be megabytes of GeoJSON; a page that shows only their
# names must not load (and decode) it with every signal.
ZONDER_GEOMETRIE = ("buurt__geometrie", "subgebied__geometrie")


def signaal_list_filtered(*, user: Any, filters: SignaalFilter | None = None) -> QuerySet[Signaal]:
    """The signals the person may see, narrowed by the list page's filters, newest first.

    Ordered by (created_at, id) descending, which the (team, created_at, id) index serves: with
    the team ids read first, PostgreSQL reads a page from the index instead of sorting the team.
    """
    qs = (
        signaal_list_for_user(user=user, evaluate_teams=True)
        .select_related("team", "thema", "buurt", "subgebied")
        .defer(*ZONDER_GEOMETRIE)
    )
    return _apply_filters(qs, filters or SignaalFilter()).order_by("-created_at", "-id")


def _apply_filters(qs: QuerySet[Signaal], f: SignaalFilter) -> QuerySet[Signaal]:
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
    return qs


PER_PAGINA = 25
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_CURSOR = re.compile(r"^(\d{1,17})-(\d{1,18})$")


def signaal_cursor(signaal: Signaal) -> str:
    """A list position: the signal's created_at in microseconds since 1970 and its id."""
    return f"{(signaal.created_at - _EPOCH) // dt.timedelta(microseconds=1)}-{signaal.pk}"


def cursor_parse(cursor: str | None) -> tuple[dt.datetime, int] | None:
    """(created_at, id) of a cursor from `signaal_cursor`; None for anything else."""
    found = _CURSOR.match(cursor or "")
    if not found:
        return None
    try:
        moment = _EPOCH + dt.timedelta(microseconds=int(found[1]))
    except OverflowError:
        return None
    return moment, int(found[2])


@dataclass(frozen=True)
class KeysetPagina:
    """One page of the list, found from a position (keyset) instead of an offset: a signal
    logged while someone pages on shifts nothing, and a deep page costs what the first costs."""

    rijen: list[Signaal]
    volgende: str | None  # cursor for the older signals after this page
    vorige: str | None  # cursor for the newer signals before this page; None on the first page
    eerste: bool


def signaal_keyset_page(
    *, qs: QuerySet[Signaal], na: str | None = None, voor: str | None = None, per_pagina: int = PER_PAGINA
) -> KeysetPagina:
    """The page of `qs` (ordered newest first) after cursor `na` (older) or before `voor` (newer).

    No count: one query of per_pagina + 1 rows tells whether there is more. Paging back to the
    top gives the first page itself (with whatever was logged meanwhile).
    """
    if (positie := cursor_parse(voor)) is not None:
        moment, pk = positie
        newer = list(
            qs.filter(created_at__gte=moment)
            .exclude(created_at=moment, id__lte=pk)
            .order_by("created_at", "id")[: per_pagina + 1]
        )
        if len(newer) > per_pagina:
            rijen = newer[:per_pagina][::-1]
            return KeysetPagina(
                rijen=rijen, volgende=signaal_cursor(rijen[-1]), vorige=signaal_cursor(rijen[0]), eerste=False
            )
        na = None
    elif (positie := cursor_parse(na)) is not None:
        moment, pk = positie
        qs = qs.filter(created_at__lte=moment).exclude(created_at=moment, id__gte=pk)
    rijen = list(qs[: per_pagina + 1])
    meer = len(rijen) > per_pagina
    rijen = rijen[:per_pagina]
    eerste = cursor_parse(na) is None
    return KeysetPagina(
        rijen=rijen,
        volgende=signaal_cursor(rijen[-1]) if meer else None,
        vorige=signaal_cursor(rijen[0]) if rijen and not eerste else None,
        eerste=eerste,
    )


def signaal_list_kaartje_kolommen(qs: QuerySet[Signaal]) -> QuerySet[Signaal]:
    """The list's query narrowed to the columns a card shows (and the keyset needs)."""
    return (
        qs.select_related(None)
        .select_related("thema", "buurt", "subgebied")
        .only(
            "id",
            "titel",
            "status",
            "vertrouwelijk",
            "created_at",
            "steun_huishoudens",
            "thema__naam",
            "buurt__naam",
            "subgebied__naam",
        )
    )


@dataclass(frozen=True, slots=True)
class Kaartje:
    """One card of the signal list, ready to print: labels, date and link worked out once."""

    url: str
    titel: str
    status: str
    status_label: str
    vertrouwelijk: bool
    thema: str
    plek: str
    datum: str
    huishoudens: str


def signaal_kaartjes(*, signalen: list[Signaal]) -> list[Kaartje]:
    """The list's cards: each label translated once per page, not once per card, and links built
    from one reversed prefix (a template `{% url %}` per card resolves the whole URLconf)."""
    from django.utils import timezone
    from django.utils.translation import ngettext

    detail = reverse("signalen:detail", args=[0]).removesuffix("0/")
    status_labels = {k: str(v) for k, v in Status.choices}
    huishoudens: dict[int, str] = {}
    tz = timezone.get_current_timezone()
    kaartjes = []
    for s in signalen:
        n = s.steun_huishoudens
        if n not in huishoudens:
            huishoudens[n] = ngettext("%(n)s huishouden", "%(n)s huishoudens", n) % {"n": n}
        plek = s.buurt.naam if s.buurt_id else ""
        if s.subgebied_id:
            plek = f"{plek} ({s.subgebied.naam})"
        moment = s.created_at.astimezone(tz)
        kaartjes.append(
            Kaartje(
                url=f"{detail}{s.pk}/",
                titel=s.titel,
                status=s.status,
                status_label=status_labels.get(s.status, s.status),
                vertrouwelijk=s.vertrouwelijk,
                thema=s.thema.naam if s.thema_id else "",
                plek=plek,
                datum=f"{moment.day}-{moment.month}-{moment.year}",
                huishoudens=huishoudens[n],
            )
        )
    return kaartjes


def kaartpunten_json(*, user: Any, filters: SignaalFilter | None = None, compressed: bool = False) -> bytes:
    """The map's points as compact GeoJSON text: per signal only its id, point, status and thema.

    Cached per team, per filter and per "may see confidential", keyed on the team's version
    (`core.cache.team_signalen_key`), which the services bump after commit; a cache hit costs
    two cache round trips and no query but the team ids. Only the person's teams are read.
    `compressed`: the whole answer gzip-compressed, cached as such for the same teams, versions
    and filter (the answer holds no secret and echoes nothing from the request: no BREACH).
    """
    from django.core.cache import cache

    from core.cache import cache_versions, team_signalen_key

    f = filters or SignaalFilter()
    team_ids = team_ids_evaluated(user=user)
    vertrouwelijk = not second_factor_pending(user=user)
    filter_key = "|".join(
        str(x)
        for x in (
            f.buurt.pk if f.buurt else "",
            f.thema.pk if f.thema else "",
            f.status,
            f.kanaal,
            f.van or "",
            f.tot or "",
            int(vertrouwelijk),
        )
    )
    versies = cache_versions([team_signalen_key(t) for t in team_ids])
    digest = hashlib.sha256(filter_key.encode()).hexdigest()[:24]
    keys = {t: f"vbt:kaartpunten:{t}:{versies[team_signalen_key(t)]}:{digest}" for t in team_ids}
    geheel = "vbt:kaartpunten-gz:" + hashlib.sha256("|".join(keys.values()).encode()).hexdigest()
    if compressed and (hit := cache.get(geheel)) is not None:
        return hit
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [t for t in team_ids if keys[t] not in found]
    if missing:
        per_team: dict[int, list[str]] = {t: [] for t in missing}
        rows = (
            _apply_filters(signaal_list_for_user(user=user).filter(team_id__in=missing), f)
            .select_related(None)
            .order_by()
            .values_list("team_id", "id", "lon", "lat", "status", "thema_id")
        )
        for team_id, pk, lon, lat, status, thema_id in rows.iterator(chunk_size=5000):
            per_team[team_id].append(
                f'{{"type":"Feature","id":{pk},"geometry":{{"type":"Point","coordinates":'
                f"[{round(lon, 6)},{round(lat, 6)}]}},"
                f'"properties":{{"s":{json.dumps(status)},"t":{thema_id}}}}}'
            )
        nieuw = {keys[t]: ",".join(parts) for t, parts in per_team.items()}
        cache.set_many(nieuw, timeout=24 * 3600)
        found.update(nieuw)
    parts = [found[keys[t]] for t in team_ids if found.get(keys[t])]
    body = ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()
    if compressed:
        body = gzip.compress(body, compresslevel=6, mtime=0)
        cache.set(geheel, body, timeout=24 * 3600)
    return body


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
    """Outlines of buurten as a FeatureCollection: the context layer under a map, simplified for
    display (`core.geojson.geometry_for_display`) and cached per buurt until it is changed."""
    from django.core.cache import cache

    buurten = list(buurten)
    keys = {
        b.pk: f"vbt:buurt-omtrek:{b.pk}:{b.updated_at.timestamp() if b.updated_at else 0}" for b in buurten
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [b.pk for b in buurten if keys[b.pk] not in found]
    # The stored outlines only for what is not cached (the callers' buurten come without them).
    nieuw = {
        keys[pk]: geometry_for_display(geometrie)
        for pk, geometrie in (
            Buurt.objects.filter(pk__in=missing).values_list("pk", "geometrie") if missing else []
        )
    }
    if nieuw:
        cache.set_many(nieuw, timeout=7 * 24 * 3600)
        found.update(nieuw)
    return feature_collection((found[keys[b.pk]], {"naam": b.naam, "code": b.code}) for b in buurten)


def team_for_logging(*, team: Team) -> Team:
    """The team with what the logging form needs (buurten, subgebieden) prefetched. The buurten
    come without their outlines (the map's come simplified from `buurten_geojson`); a service
    that needs one loads it when it reads it."""
    return (
        Team.objects.select_related("gemeente")
        .defer("gemeente__geometrie")
        .prefetch_related(
            Prefetch("buurten", queryset=Buurt.objects.defer("geometrie").order_by("naam")),
            Prefetch(
                "subgebieden",
                queryset=Subgebied.objects.select_related("buurt").defer("buurt__geometrie").order_by("naam"),
            ),
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


STEUN_OP_PAGINA = 25


def signaal_page(*, user: Any, pk: int, steun_pagina: int = 1) -> dict[str, Any]:
    """One signal the person may see, with one page of its support (newest first), photos and
    history; Http404 otherwise. A signal with thousands of supports still makes a short page."""
    per = STEUN_OP_PAGINA
    start = (max(1, steun_pagina) - 1) * per
    # The team ids as a list (remembered for the request) instead of a subquery, and only the
    # joins nearly every page shows: PostgreSQL planned the nine-table query in 4–6 ms, the
    # six-table one in under 1.5 ms. A walk and a forwarding partner (few signals have them)
    # are read when the page shows them.
    qs = (
        signaal_list_for_user(user=user, evaluate_teams=True)
        .select_related(None)
        .select_related("team", "thema", "buurt", "subgebied", "created_by")
        .defer(*ZONDER_GEOMETRIE)
        .prefetch_related(
            Prefetch("fotos", queryset=Foto.objects.order_by("created_at"), to_attr="foto_rijen"),
            Prefetch(
                "statuswijzigingen",
                queryset=StatusWijziging.objects.select_related("door").order_by("created_at", "id"),
                to_attr="historie",
            ),
        )
    )
    signaal = qs.filter(pk=pk).first()
    if signaal is None:
        not_found_audit(user=user, label="signalen.signaal", ref=pk, model=Signaal)
        raise Http404(_("Dit signaal bestaat niet of hoort niet bij jouw team."))
    # One more than a page, to know whether there is a next one without counting; a plain
    # LIMIT/OFFSET on the (signaal, …) index, asked after the access check above.
    steun_rijen = list(
        Steunbetuiging.objects.filter(signaal_id=signaal.pk).order_by("-datum", "-created_at", "-id")[
            start : start + per + 1
        ]
    )
    rijen = steun_rijen[:per]
    meer = len(steun_rijen) > per
    # Counted only when there is more than one page, and then from the (signaal, …) index.
    steun_aantal = start + len(rijen)
    if meer or start:
        steun_aantal = Steunbetuiging.objects.filter(signaal=signaal).count()
    _steun_regels(signaal=signaal, rijen=rijen)
    return {
        "signaal": signaal,
        "steun": rijen,
        "steun_aantal": steun_aantal,
        "steun_pagina": max(1, steun_pagina),
        "steun_vanaf": start + 1,
        "steun_tot": start + len(rijen),
        "steun_volgende": max(1, steun_pagina) + 1 if meer else None,
        "steun_vorige": max(1, steun_pagina) - 1 if start else None,
        "fotos": signaal.foto_rijen,
        "historie": signaal.historie,
        "stand": steun_stand(signaal=signaal),
    }


def _datum(d: dt.date) -> str:
    return f"{d.day}-{d.month}-{d.year}"


def _steun_regels(*, signaal: Signaal, rijen: list[Steunbetuiging]) -> None:
    """What each support row shows, worked out here: the texts translated once per page (not per
    row), the withdrawal link built from one reversed URL."""
    from django.utils import timezone
    from django.utils.translation import gettext, ngettext

    kanalen = {k: str(v).lower() for k, v in Kanaal.choices}
    huishouden = gettext("huishouden, via %(kanaal)s, %(datum)s")
    updates = ", " + gettext("wil updates per e-mail")
    ingetrokken = gettext("ingetrokken op %(datum)s")
    intrekken = gettext("Intrekken")
    soort = {True: gettext("huishouden"), False: gettext("anoniem")}
    anoniem: dict[int, str] = {}
    url = reverse("signalen:steun_intrekken", args=[signaal.pk, 0]).removesuffix("0/intrekken/")
    tz = timezone.get_current_timezone()
    for st in rijen:
        kanaal = kanalen.get(st.kanaal, st.kanaal)
        datum = _datum(st.datum)
        if st.huishouden_hash:
            tekst = huishouden % {"kanaal": kanaal, "datum": datum}
        else:
            n = st.aantal_anoniem
            if n not in anoniem:
                anoniem[n] = ngettext(
                    "%(n)s persoon anoniem, via %(kanaal)s, %(datum)s",
                    "%(n)s personen anoniem, via %(kanaal)s, %(datum)s",
                    n,
                )
            tekst = anoniem[n] % {"n": n, "kanaal": kanaal, "datum": datum}
        st.kanaal_label = kanaal
        st.tekst = tekst + updates if st.email_toestemming else tekst
        if st.ingetrokken_at:
            st.ingetrokken_tekst = ingetrokken % {"datum": _datum(st.ingetrokken_at.astimezone(tz))}
        else:
            st.intrekken_url = f"{url}{st.pk}/intrekken/"
            st.intrekken_label = f"{intrekken}: {soort[bool(st.huishouden_hash)]}, {kanaal}, {datum}"


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
        .prefetch_related(Prefetch("buurten", queryset=Buurt.objects.defer("geometrie")))
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
                queryset=Signaal.objects.select_related("thema", "buurt")
                .defer("buurt__geometrie")
                .order_by("-created_at"),
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
        .defer(*ZONDER_GEOMETRIE)
        .order_by("status_gewijzigd_at", "created_at")
    )
