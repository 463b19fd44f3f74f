"""The coördinator dashboard of one team: everything it shows, in a fixed number of queries.

`dashboard_for_team(team=…)` runs eight queries whatever the team's data: the triage queue, the
signals per status, the overdue forwards, the acties without residents (stalled first), the acties
per status, the lead times, and the "heeft het geholpen?" answers per actie and per buurt. Lists
are capped (`LIJST_MAX`) and carry their full count (a window count in the same query).

Lead times are medians over the last 12 months, per buurt, per thema and for the whole team, of
three steps of a signal, each from its first status change into the step's status:
signal created → *draagvlak bereikt*, *draagvlak bereikt* → *getrieerd*, *getrieerd* →
*afgerond*. A step counts when it ended inside the 12 months. On PostgreSQL the medians are
`percentile_cont(0.5)` in one SQL statement (GROUPING SETS); elsewhere (SQLite) the same per-signal
rows come in one query and the medians are taken in Python (`statistics.median`, which
interpolates like `percentile_cont`).

The lead times and the answers (`Trends`, three of the eight queries) change slowly; the page keeps
them rendered in the cache under `trends_version_keys` (acties.views.dashboard).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Min, Q, QuerySet, Sum, Value, When, Window
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Team
from core.cache import cache_version_bump, team_signalen_key
from signalen.models import Doorzetting, Signaal, Status, StatusWijziging, Thema

from .models import Actie, ActieStatus, GeholpenAntwoord, GeholpenReactie

LIJST_MAX = 25
GEHOLPEN_ACTIES_MAX = 20
STIL_NA_DAGEN = 30
DOORLOOP_MAANDEN = 12
WACHT_STATUSSEN = (Status.DRAAGVLAK_BEREIKT, Status.NIEUW)
OPEN_ACTIE_STATUSSEN = (ActieStatus.GEPLAND, ActieStatus.IN_UITVOERING, ActieStatus.HEROPEND)

# The three steps: (key, status that starts it or None for "created", status that ends it).
STAPPEN = (
    ("draagvlak", None, Status.DRAAGVLAK_BEREIKT),
    ("triage", Status.DRAAGVLAK_BEREIKT, Status.GETRIEERD),
    ("afgerond", Status.GETRIEERD, Status.AFGEROND),
)
STAP_LABELS = {
    "draagvlak": _("Tot draagvlak"),
    "triage": _("Draagvlak tot triage"),
    "afgerond": _("Triage tot afgerond"),
}
_MOMENT = {
    Status.DRAAGVLAK_BEREIKT: "t_draagvlak",
    Status.GETRIEERD: "t_triage",
    Status.AFGEROND: "t_afgerond",
}


@dataclass
class Doorlooptijd:
    """Median days of each step for one group (a buurt, a thema, or the whole team)."""

    naam: str
    mediaan: dict[str, float | None] = field(default_factory=dict)  # step key → days
    aantal: dict[str, int] = field(default_factory=dict)  # step key → how many signals

    @property
    def cellen(self) -> list[tuple[str, str]]:
        """(step label, "12,5 d (4)": median days and how many signals) per step, for tables."""
        uit = []
        for stap, _b, _e in STAPPEN:
            mediaan = self.mediaan.get(stap)
            tekst = "–"
            if mediaan is not None:
                dagen = _("%(dagen)s d") % {"dagen": formats.number_format(round(mediaan, 1), 1)}
                tekst = f"{dagen} ({self.aantal.get(stap, 0)})"
            uit.append((str(STAP_LABELS[stap]), tekst))
        return uit


@dataclass
class GeholpenTelling:
    naam: str
    ja: int = 0
    deels: int = 0
    nee: int = 0

    @property
    def totaal(self) -> int:
        return self.ja + self.deels + self.nee


@dataclass
class Trends:
    """The slowly changing part: lead-time medians and "heeft het geholpen?" answers."""

    doorlooptijd_team: Doorlooptijd
    doorlooptijd_per_buurt: list[Doorlooptijd]
    doorlooptijd_per_thema: list[Doorlooptijd]
    geholpen_per_actie: list[tuple[int, GeholpenTelling]]  # (actie id, answers)
    geholpen_per_buurt: list[GeholpenTelling]


@dataclass
class Dashboard:
    team: Team
    vandaag: dt.date
    wacht_op_triage: list[Signaal]
    wacht_op_triage_aantal: int
    signalen_per_status: list[tuple[str, str, int]]  # (status, label, count), workflow order
    doorzettingen_te_laat: list[Doorzetting]
    doorzettingen_te_laat_aantal: int
    acties_zonder_bewoners: list[Actie]  # stalled first (attribute `stil`)
    acties_zonder_bewoners_aantal: int
    acties_stil_aantal: int
    acties_per_status: list[tuple[str, str, int]]
    trends: Trends | None  # None when the caller has them cached (see `trends_version_keys`)


def _window_count(qs: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` rows and the full count, from one query (a window count on each row)."""
    rows = list(qs.annotate(_totaal=Window(Count("pk")))[:limit])
    return rows, (rows[0]._totaal if rows else 0)


def triage_queue(*, team: Team, vandaag: dt.date) -> tuple[list[Signaal], int]:
    """Signals waiting for triage: draagvlak bereikt first, then nieuw; oldest first within each."""
    qs = (
        Signaal.objects.filter(team=team, status__in=WACHT_STATUSSEN)
        .select_related("thema", "buurt")
        .order_by(
            Case(When(status=Status.DRAAGVLAK_BEREIKT, then=Value(0)), default=Value(1)), "created_at", "id"
        )
    )
    signalen, totaal = _window_count(qs, LIJST_MAX)
    for signaal in signalen:
        signaal.leeftijd_dagen = (vandaag - timezone.localdate(signaal.created_at)).days
    return signalen, totaal


def _per_status(qs: QuerySet, choices) -> list[tuple[str, str, int]]:
    # count(*), not count(id): PostgreSQL then counts from the (team, status) index alone.
    counts = dict(qs.values_list("status").annotate(n=Count("*")).order_by())
    return [(waarde, str(label), counts.get(waarde, 0)) for waarde, label in choices]


def doorzettingen_te_laat(*, team: Team, vandaag: dt.date) -> tuple[list[Doorzetting], int]:
    """Open forwards whose follow-up date has passed, longest overdue first."""
    qs = (
        Doorzetting.objects.filter(signaal__team=team, opvolgen_op__lt=vandaag, gesloten_at__isnull=True)
        .select_related("signaal", "partner")
        .order_by("opvolgen_op", "id")
    )
    return _window_count(qs, LIJST_MAX)


def acties_zonder_bewoners(*, team: Team, nu: dt.datetime) -> tuple[list[Actie], int, int]:
    """Open acties without resident trekkers, stalled ones (in uitvoering ≥ 30 days) first."""
    grens = nu - dt.timedelta(days=STIL_NA_DAGEN)
    stil = Q(status=ActieStatus.IN_UITVOERING, in_uitvoering_at__lte=grens)
    qs = (
        Actie.objects.filter(team=team, status__in=OPEN_ACTIE_STATUSSEN, bewoners_aantal=0)
        .select_related("buurt", "trekker")
        .annotate(
            stil_int=Case(When(stil, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .annotate(stil_aantal=Window(Sum("stil_int")))
        .order_by("-stil_int", F("in_uitvoering_at").asc(nulls_last=True), "created_at", "id")
    )
    acties, totaal = _window_count(qs, LIJST_MAX)
    for actie in acties:
        actie.stil = bool(actie.stil_int)
    return acties, totaal, (acties[0].stil_aantal if acties else 0)


def _signaal_momenten(*, team: Team, sinds: dt.datetime) -> QuerySet:
    """Per signal of the team with a step ending since `sinds`: buurt, thema, created and the first
    moment it reached each step's end status."""
    moment = {
        naam: Min("statuswijzigingen__created_at", filter=Q(statuswijzigingen__naar=status))
        for status, naam in _MOMENT.items()
    }
    return (
        # A step that ended since `sinds` moved the signal then, so its last move (status_gewijzigd_at,
        # set with every history row by signalen.services.status) is that recent too: only those
        # signals are joined with their history.
        Signaal.objects.filter(
            team=team, status_gewijzigd_at__gte=sinds, statuswijzigingen__naar__in=list(_MOMENT)
        )
        .annotate(**moment)
        .filter(Q(t_draagvlak__gte=sinds) | Q(t_triage__gte=sinds) | Q(t_afgerond__gte=sinds))
        .values_list("buurt_id", "buurt__naam", "thema_id", "thema__naam", "created_at", *_MOMENT.values())
        .order_by()
    )


def _stap_dagen(begin, eind, sinds) -> float | None:
    if begin is None or eind is None or eind < sinds or eind < begin:
        return None
    return (eind - begin).total_seconds() / 86400


def _doorlooptijden_python(qs: QuerySet, sinds: dt.datetime) -> dict[tuple, Doorlooptijd]:
    groepen: dict[tuple, dict[str, list[float]]] = {}
    namen: dict[tuple, str] = {}
    for buurt_id, buurt, thema_id, thema, created, t_draagvlak, t_triage, t_afgerond in qs:
        momenten = {None: created, Status.DRAAGVLAK_BEREIKT: t_draagvlak, Status.GETRIEERD: t_triage}
        eindes = {
            Status.DRAAGVLAK_BEREIKT: t_draagvlak,
            Status.GETRIEERD: t_triage,
            Status.AFGEROND: t_afgerond,
        }
        for sleutel, naam in ((("buurt", buurt_id), buurt), (("thema", thema_id), thema), (("team",), "")):
            namen[sleutel] = naam
            stappen = groepen.setdefault(sleutel, {stap: [] for stap, _b, _e in STAPPEN})
            for stap, begin, eind in STAPPEN:
                dagen = _stap_dagen(momenten[begin], eindes[eind], sinds)
                if dagen is not None:
                    stappen[stap].append(dagen)
    return {
        sleutel: Doorlooptijd(
            naam=namen[sleutel],
            mediaan={stap: (statistics.median(w) if w else None) for stap, w in stappen.items()},
            aantal={stap: len(w) for stap, w in stappen.items()},
        )
        for sleutel, stappen in groepen.items()
        if any(stappen.values())  # a group with no step inside the 12 months is left out
    }


def _doorlooptijden_postgres(*, team: Team, sinds: dt.datetime) -> dict[tuple, Doorlooptijd]:
    """The same figures as `_doorlooptijden_python`, as `percentile_cont` in one statement.

    Written out rather than built on `_signaal_momenten`: with the team's recently moved signals in a
    CTE, PostgreSQL looks their history up through the index on signaal_id (a nested loop over a
    few thousand signals) instead of hashing the whole history table, about 4× faster at 100,000
    signals.
    """
    kolommen = []
    for _stap, begin, eind in STAPPEN:
        b = "s.created_at" if begin is None else f"m.{_MOMENT[begin]}"
        e = f"m.{_MOMENT[eind]}"
        geldig = f"{e} >= %(sinds)s AND {b} IS NOT NULL AND {e} >= {b}"
        kolommen.append(
            f"percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM {e} - {b}) / 86400) "
            f"FILTER (WHERE {geldig}), count(*) FILTER (WHERE {geldig})"
        )
    momenten = ", ".join(
        f"min(w.created_at) FILTER (WHERE w.naar = '{status}') AS {naam}" for status, naam in _MOMENT.items()
    )
    eind_statussen = ", ".join(f"'{status}'" for status in _MOMENT)
    tabel = {m: m._meta.db_table for m in (Signaal, StatusWijziging, Buurt, Thema)}
    # Table names come from the models, statuses from the Status enum; values are parameters.
    statement = f"""
        WITH s AS (
            SELECT id, buurt_id, thema_id, created_at FROM {tabel[Signaal]}
            WHERE team_id = %(team)s AND status_gewijzigd_at >= %(sinds)s
        ), m AS (
            SELECT w.signaal_id, {momenten} FROM {tabel[StatusWijziging]} AS w
            WHERE w.signaal_id IN (SELECT id FROM s) AND w.naar IN ({eind_statussen})
            GROUP BY w.signaal_id
        )
        SELECT GROUPING(s.buurt_id, b.naam), GROUPING(s.thema_id, t.naam), s.buurt_id, b.naam,
            s.thema_id, t.naam, {", ".join(kolommen)}
        FROM s JOIN m ON m.signaal_id = s.id
            JOIN {tabel[Buurt]} AS b ON b.id = s.buurt_id JOIN {tabel[Thema]} AS t ON t.id = s.thema_id
        GROUP BY GROUPING SETS ((s.buurt_id, b.naam), (s.thema_id, t.naam), ())
    """  # noqa: S608 # nosec B608 # names from the models and the Status enum, values are parameters
    uit: dict[tuple, Doorlooptijd] = {}
    with connection.cursor() as cur:
        cur.execute(statement, {"team": team.pk, "sinds": sinds})
        for g_buurt, g_thema, buurt_id, buurt, thema_id, thema, *cijfers in cur.fetchall():
            if not g_buurt:
                sleutel, naam = ("buurt", buurt_id), buurt
            elif not g_thema:
                sleutel, naam = ("thema", thema_id), thema
            else:
                sleutel, naam = ("team",), ""
            if not any(cijfers[1::2]):
                continue  # a buurt or thema with no step inside the 12 months, as in Python
            uit[sleutel] = Doorlooptijd(
                naam=naam,
                mediaan={stap: cijfers[2 * i] for i, (stap, _b, _e) in enumerate(STAPPEN)},
                aantal={stap: cijfers[2 * i + 1] for i, (stap, _b, _e) in enumerate(STAPPEN)},
            )
    return uit


def doorlooptijden(*, team: Team, nu: dt.datetime, in_python: bool | None = None):
    """(whole team, per buurt, per thema) median days per step over the last 12 months; one query."""
    sinds = nu - dt.timedelta(days=365 * DOORLOOP_MAANDEN // 12)
    if in_python is None:
        in_python = connection.vendor != "postgresql"
    if in_python:
        groepen = _doorlooptijden_python(_signaal_momenten(team=team, sinds=sinds), sinds)
    else:
        groepen = _doorlooptijden_postgres(team=team, sinds=sinds)
    leeg = Doorlooptijd(
        naam="", mediaan={s: None for s, _b, _e in STAPPEN}, aantal={s: 0 for s, _b, _e in STAPPEN}
    )
    team_rij = groepen.pop(("team",), leeg)
    per = {"buurt": [], "thema": []}
    for sleutel, rij in groepen.items():
        per[sleutel[0]].append(rij)
    for rijen in per.values():
        rijen.sort(key=lambda r: r.naam)
    return team_rij, per["buurt"], per["thema"]


def _geholpen_aantallen() -> dict:
    return {antwoord: Count("pk", filter=Q(antwoord=antwoord)) for antwoord in GeholpenAntwoord.values}


def geholpen(*, team: Team) -> tuple[list[tuple[int, GeholpenTelling]], list[GeholpenTelling]]:
    """Answers to "heeft het geholpen?" per actie (the most answered first) and per buurt."""
    reacties = GeholpenReactie.objects.filter(team=team)
    per_actie = (
        reacties.filter(actie__isnull=False)
        .values("actie_id", "actie__titel")
        .annotate(**_geholpen_aantallen(), totaal=Count("pk"))
        .order_by("-totaal", "actie_id")[:GEHOLPEN_ACTIES_MAX]
    )
    per_buurt = reacties.values("buurt__naam").annotate(**_geholpen_aantallen()).order_by("buurt__naam")
    acties = [
        (r["actie_id"], GeholpenTelling(naam=r["actie__titel"], ja=r["ja"], deels=r["deels"], nee=r["nee"]))
        for r in per_actie
    ]
    buurten = [
        GeholpenTelling(naam=r["buurt__naam"], ja=r["ja"], deels=r["deels"], nee=r["nee"]) for r in per_buurt
    ]
    return acties, buurten


def trends_for_team(*, team: Team, nu: dt.datetime | None = None) -> Trends:
    """Lead times and "heeft het geholpen?" answers of one team, in three queries."""
    team_rij, per_buurt, per_thema = doorlooptijden(team=team, nu=nu or timezone.now())
    per_actie, per_buurt_geholpen = geholpen(team=team)
    return Trends(
        doorlooptijd_team=team_rij,
        doorlooptijd_per_buurt=per_buurt,
        doorlooptijd_per_thema=per_thema,
        geholpen_per_actie=per_actie,
        geholpen_per_buurt=per_buurt_geholpen,
    )


# The trends change only when a signal of the team moves (its lead times) or when an answer,
# an actie's title, a buurt's or thema's name changes; a page may keep them under these
# versions. signalen.services.status bumps the first (core.cache.team_signalen_changed); acties'
# services bump the second (`dashboard_trends_changed`). The rest (a name, the 12-month window
# moving on) waits for the cache's timeout.
def trends_version_keys(team_id: int) -> list[str]:
    return [team_signalen_key(team_id), f"vbt:versie:dashboard-trends:{team_id}"]


def dashboard_trends_changed(*team_ids: int | None) -> None:
    """Answers or acties of these teams changed: their cached dashboard trends are stale."""
    cache_version_bump(*(trends_version_keys(t)[1] for t in team_ids if t))


def dashboard_for_team(*, team: Team, nu: dt.datetime | None = None, trends: bool = True) -> Dashboard:
    """Everything the coördinator dashboard shows for one team, in eight queries (five without
    the trends, for a caller that has them cached)."""
    nu = nu or timezone.now()
    vandaag = timezone.localdate(nu)
    triage, triage_aantal = triage_queue(team=team, vandaag=vandaag)
    doorzet, doorzet_aantal = doorzettingen_te_laat(team=team, vandaag=vandaag)
    acties, acties_aantal, stil_aantal = acties_zonder_bewoners(team=team, nu=nu)
    return Dashboard(
        team=team,
        vandaag=vandaag,
        wacht_op_triage=triage,
        wacht_op_triage_aantal=triage_aantal,
        signalen_per_status=_per_status(Signaal.objects.filter(team=team), Status.choices),
        doorzettingen_te_laat=doorzet,
        doorzettingen_te_laat_aantal=doorzet_aantal,
        acties_zonder_bewoners=acties,
        acties_zonder_bewoners_aantal=acties_aantal,
        acties_stil_aantal=stil_aantal,
        acties_per_status=_per_status(Actie.objects.filter(team=team), ActieStatus.choices),
        trends=trends_for_team(team=team, nu=nu) if trends else None,
    )
