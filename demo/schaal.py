"""Scale data for `manage.py seed_scale`: one gemeente (Schaalstad) with 20 teams and, at full
scale, 100,000 signals over five years, 1,000,000 supports and 10,000 acties with their history.

Bulk seeding bypasses the services deliberately: rows are written straight into the tables
(PostgreSQL `COPY`, elsewhere `executemany`) with ids of their own, so that a million supports
take seconds instead of hours. It writes no audit rows for the seeded data (the command writes one
for the run) and sends no mail. What the services would keep consistent is computed here:

- each signal's tally fields (households, anonymous, total at the team's weight 0.5, over the
  team's 12-month window on the anchor day), and for a signal before triage the status the tally
  would give it;
- a status history (`StatusWijziging`) for every move: nieuw → draagvlak gezocht (first support) →
  draagvlak bereikt (the support that reached the threshold of 5) → getrieerd → in actie /
  afgerond or afgewezen; an untriaged signal without draagvlak for 12 months is closed (afgewezen)
  as the retention job does;
- acties from the integral signals (1–4 related signals of one buurt each), with their history,
  milestones, public updates, resident trekkers (about 60% have some) and, once done, answers to
  "heeft het geholpen?"; forwards (`Doorzetting`) for primary tasks, some overdue.

Skew: buurten are busy by a Zipf law (a few busy, most quiet); support per signal is Pareto.
Everything comes from `random.Random(seed)` and the anchor day, so the same seed, scale and day
give the same rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from acties.models import (
    Actie,
    ActieSignaal,
    ActieStatus,
    ActieStatusWijziging,
    BewonerTrekker,
    GeholpenReactie,
    Mijlpaal,
    Voortgangsupdate,
)
from buurten.models import Buurt, Gemeente, Lidmaatschap, Partner, PartnerType, Rol, Team, User, Wijk
from signalen.models import (
    Doorzetting,
    Foto,
    Signaal,
    Status,
    StatusWijziging,
    Steunbetuiging,
    Thema,
    TriageUitkomst,
)
from signalen.services.tally import steun_cutoff, steun_expiry

GEMEENTE_CODE = "GM9990"
GEMEENTE_NAAM = "Schaalstad"
TEAMS = 20
BUURTEN = 60
WIJKEN = 10
SIGNALEN = 100_000
STEUN = 1_000_000
ACTIES = 10_000
JAREN = 5
DREMPEL = 5
GEWICHT = Decimal("0.5")
HUISHOUDENS_PER_BUURT = 4000
ZIPF = 0.9  # the exponent of the buurten's busyness
VERSIE = 3  # of this generator: a data set made by another version is replaced
THEMAS = [
    "zwerfvuil",
    "overlast jeugd",
    "verkeersveiligheid",
    "straatverlichting",
    "hondenpoep",
    "groenonderhoud",
    "parkeren",
    "drugsoverlast",
    "speelplekken",
    "eenzaamheid",
    "geluidsoverlast",
    "woninginbraak",
]
STRATEN = ["Kerkstraat", "Molenweg", "Dorpsstraat", "Schoolstraat", "Parklaan", "Stationsweg", "Beukenlaan"]
KANALEN = ["straatgesprek", "huisbezoek", "vragenlijst", "buurtbijeenkomst", "via_partner", "online"]
PARTNERS = [
    ("Gemeente Schaalstad", PartnerType.GEMEENTE),
    ("Politie Schaalstad", PartnerType.POLITIE),
    ("Woonstad", PartnerType.WONINGCORPORATIE),
    ("Welzijn Schaalstad", PartnerType.WELZIJN),
    ("Buurtbeheer", PartnerType.OVERIG),
]
MIJLPALEN = ["Plan gemaakt", "Bewoners gesproken", "Uitvoering gestart", "Werk opgeleverd", "Evaluatie"]


def marker(*, seed: int, schaal: float) -> str:
    """The seeded gemeente's name: tells a later run which seed and scale it holds."""
    return f"{GEMEENTE_NAAM} (v{VERSIE}, seed {seed}, schaal {schaal:g})"


@dataclass
class Telling:
    """How many rows of each kind were written."""

    aantallen: dict[str, int] = field(default_factory=dict)

    def add(self, naam: str, n: int) -> None:
        self.aantallen[naam] = self.aantallen.get(naam, 0) + n


# --- writing -------------------------------------------------------------------------------


def _next_id(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def _insert(model, kolommen: list[str], rijen: list[tuple], telling: Telling) -> None:
    """Write rows (with their ids) in bulk: COPY on PostgreSQL, executemany elsewhere."""
    if not rijen:
        return
    velden = [model._meta.get_field(k) for k in kolommen]
    tabel = connection.ops.quote_name(model._meta.db_table)
    namen = ", ".join(connection.ops.quote_name(v.column) for v in velden)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Table and column names come from the models.
            with cur.cursor.copy(f"COPY {tabel} ({namen}) FROM STDIN") as copy:
                for rij in rijen:
                    copy.write_row(rij)
        else:
            klaar = [
                tuple(v.get_db_prep_save(w, connection) for v, w in zip(velden, rij, strict=True))
                for rij in rijen
            ]
            plekken = ", ".join(["%s"] * len(kolommen))
            for i in range(0, len(klaar), 5000):
                cur.executemany(f"INSERT INTO {tabel} ({namen}) VALUES ({plekken})", klaar[i : i + 5000])  # noqa: S608 # nosec B608 # names from the models
    telling.add(str(model._meta.verbose_name_plural), len(rijen))


def _reset_sequences(models) -> None:
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cur.execute(sql)


# --- removing ------------------------------------------------------------------------------


def wis(*, gemeente: Gemeente) -> None:
    """Remove a seeded gemeente and everything in it, the big tables with one DELETE each."""
    teams = Team.objects.filter(gemeente=gemeente)
    acties = Actie.objects.filter(team__in=teams)
    signalen = Signaal.objects.filter(team__in=teams)
    for qs in (
        GeholpenReactie.objects.filter(team__in=teams),
        BewonerTrekker.objects.filter(actie__in=acties),
        Voortgangsupdate.objects.filter(actie__in=acties),
        Mijlpaal.objects.filter(actie__in=acties),
        ActieStatusWijziging.objects.filter(actie__in=acties),
        ActieSignaal.objects.filter(actie__in=acties),
        Doorzetting.objects.filter(signaal__in=signalen),
        StatusWijziging.objects.filter(signaal__in=signalen),
        Steunbetuiging.objects.filter(signaal__in=signalen),
    ):
        qs._raw_delete(qs.db)
    # What is left is small: the ORM's delete takes the links (M2M, notes, questions) with it. The
    # signals are many: one DELETE, unless a table the seeder does not know still points at them.
    acties.delete()
    try:
        with transaction.atomic():
            Foto.objects.filter(signaal__in=signalen).delete()
            signalen._raw_delete(signalen.db)
    except IntegrityError:
        signalen.delete()
    User.objects.filter(lidmaatschappen__team__in=teams).delete()
    teams.delete()
    Thema.objects.filter(gemeente=gemeente).delete()
    Partner.objects.filter(gemeente=gemeente).delete()
    Buurt.objects.filter(wijk__gemeente=gemeente).delete()
    Wijk.objects.filter(gemeente=gemeente).delete()
    gemeente.delete()


# --- generating ----------------------------------------------------------------------------


def _vierkant(lon: float, lat: float, d: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
    }


@dataclass
class _Plaatsen:
    gemeente: Gemeente
    buurten: list[Buurt]
    teams: list[Team]
    team_van_buurt: dict[int, Team]
    themas: list[Thema]
    partners: list[Partner]
    users: list[User]


def _plaatsen(*, naam: str, telling: Telling) -> _Plaatsen:
    """Gemeente, wijken, buurten (a grid of squares), partners, themas, teams and their people."""
    d = 0.01
    gemeente = Gemeente.objects.create(code=GEMEENTE_CODE, naam=naam, geometrie=_vierkant(5.0, 51.0, d * 10))
    wijken = [
        Wijk.objects.create(code=f"WK9990{i:02d}", naam=f"Schaalwijk {i + 1}", gemeente=gemeente)
        for i in range(WIJKEN)
    ]
    buurten = []
    for i in range(BUURTEN):
        lon, lat = 5.0 + (i % 10) * d, 51.0 + (i // 10) * d
        buurten.append(
            Buurt(
                code=f"BU9990{i:04d}",
                naam=f"Schaalbuurt {i + 1}",
                wijk=wijken[i % WIJKEN],
                geometrie=_vierkant(lon, lat, d),
                min_lon=lon,
                min_lat=lat,
                max_lon=lon + d,
                max_lat=lat + d,
            )
        )
    buurten = Buurt.objects.bulk_create(buurten)
    partners = [
        Partner.objects.create(gemeente=gemeente, naam=n, type=t, contact_email=f"contact{i}@schaal.example")
        for i, (n, t) in enumerate(PARTNERS)
    ]
    themas = Thema.objects.bulk_create([Thema(gemeente=gemeente, naam=n) for n in THEMAS])
    teams, users = [], []
    team_van_buurt = {}
    wachtwoord = "!"  # unusable: the bench logs in with force_login
    for i in range(TEAMS):
        team = Team.objects.create(naam=f"VBT Schaal {i + 1}", slug=f"schaal-{i + 1}", gemeente=gemeente)
        eigen = buurten[i::TEAMS]
        team.buurten.set(eigen)
        for buurt in eigen:
            team_van_buurt[buurt.pk] = team
        for rol in (Rol.COORDINATOR, Rol.TEAMLID):
            user = User.objects.create(
                email=f"{rol}-{i + 1}@schaal.example", password=wachtwoord, is_staff=rol == Rol.COORDINATOR
            )
            Lidmaatschap.objects.create(user=user, team=team, partner=partners[0], rol=rol)
            users.append(user)
        teams.append(team)
    telling.add("teams", TEAMS)
    telling.add("buurten", BUURTEN)
    return _Plaatsen(gemeente, buurten, teams, team_van_buurt, themas, partners, users)


def _huishouden(seed: int, buurt_code: str, n: int) -> str:
    return hashlib.sha256(f"schaal:{seed}:{buurt_code}:{n}".encode()).hexdigest()


def _verdeel(totaal: int, gewichten: list[float]) -> list[int]:
    """`totaal` split by weight into integers that add up exactly (largest remainders first)."""
    som = sum(gewichten) or 1
    ruw = [totaal * g / som for g in gewichten]
    delen = [int(r) for r in ruw]
    rest = totaal - sum(delen)
    for i in sorted(range(len(ruw)), key=lambda i: (delen[i] - ruw[i], i))[:rest]:
        delen[i] += 1
    return delen


def seed(*, seed: int, schaal: float, anker: dt.date, naam: str) -> Telling:
    """Write the whole scale data set (call inside a transaction)."""
    rng = random.Random(seed)  # noqa: S311 # nosec B311 # reproducible test data, not a secret
    telling = Telling()
    plaatsen = _plaatsen(naam=naam, telling=telling)
    tz = timezone.get_current_timezone()
    nu = dt.datetime.combine(anker, dt.time(12, 0), tzinfo=tz)
    venster_start = steun_cutoff(today=anker, maanden=12)  # support on or before it has expired
    n_signalen = max(1, round(SIGNALEN * schaal))
    n_steun = round(STEUN * schaal)
    n_acties = round(ACTIES * schaal)

    # Signals: buurten busy by Zipf, created uniformly over five years.
    # Buurt i is the (i + 1)-th busiest; team t holds buurten t, t + 20 and t + 40 (`_plaatsen`), so
    # every team has one of the 20 busiest and two quieter ones: the busiest team has about 15%.
    buurt_gewicht = [1 / (rang + 1) ** ZIPF for rang in range(BUURTEN)]
    buurten = rng.choices(plaatsen.buurten, weights=buurt_gewicht, k=n_signalen)
    signaal_id = _next_id(Signaal)
    signalen = []
    for i, buurt in enumerate(buurten):
        created = nu - dt.timedelta(seconds=rng.randrange(JAREN * 365 * 86400))
        thema = rng.choice(plaatsen.themas)
        signalen.append(
            {
                "id": signaal_id + i,
                "buurt": buurt,
                "team": plaatsen.team_van_buurt[buurt.pk],
                "thema": thema,
                "kanaal": rng.choice(KANALEN),
                "created": created,
                "lat": buurt.min_lat + rng.random() * 0.01,
                "lon": buurt.min_lon + rng.random() * 0.01,
                "titel": f"{thema.naam.capitalize()} {rng.choice(STRATEN)} #{i + 1}",
            }
        )
    signalen.sort(key=lambda s: (s["created"], s["id"]))
    for i, s in enumerate(signalen):  # ids in the order of creation, as in real life
        s["id"] = signaal_id + i

    # Supports: Pareto per signal, households from the buurt's pool, dated after the signal.
    # Capped so that no signal needs more households than its buurt has (at most ~2,500 supports).
    # One in twenty signals gets no support at all (it stays nieuw until the retention closes it).
    aantallen = _verdeel(
        n_steun, [0 if rng.random() < 0.05 else min(rng.paretovariate(1.3), 500) for _s in signalen]
    )
    steun_id = _next_id(Steunbetuiging)
    steun_rijen = []
    for s, n in zip(signalen, aantallen, strict=True):
        n = min(n, HUISHOUDENS_PER_BUURT)
        huishoudens = rng.sample(range(HUISHOUDENS_PER_BUURT), n)
        dagen = sorted(rng.expovariate(1 / 45) for _h in range(n))
        bijdrage = []  # (date, household equivalents, counted now?)
        h = a = 0
        for nr, extra in zip(huishoudens, dagen, strict=True):
            datum = min(anker, s["created"].astimezone(tz).date() + dt.timedelta(days=int(extra)))
            anoniem = rng.random() < 0.05
            ingetrokken = rng.random() < 0.02
            email = not anoniem and not ingetrokken and rng.random() < 0.03
            aantal = rng.randint(1, 30) if anoniem else 0
            steun_rijen.append(
                (
                    steun_id + len(steun_rijen),
                    s["id"],
                    s["kanaal"] if rng.random() < 0.5 else rng.choice(KANALEN),
                    datum,
                    None if anoniem else _huishouden(seed, s["buurt"].code, nr),
                    aantal,
                    f"bewoner{s['id'] - signaal_id}.{nr}@schaal.example" if email else "",
                    email,
                    nu if ingetrokken else None,
                    dt.datetime.combine(datum, dt.time(10, 0), tzinfo=tz),
                )
            )
            if ingetrokken:
                continue
            bijdrage.append((datum, GEWICHT * aantal if anoniem else 1))
            if datum > venster_start:
                if anoniem:
                    a += aantal
                else:
                    h += 1
        s["huishoudens"], s["anoniem"], s["totaal"] = h, a, h + GEWICHT * a
        s["eerste_steun"] = bijdrage[0][0] if bijdrage else None
        opgeteld, s["draagvlak_op"] = Decimal(0), None
        for datum, waarde in bijdrage:
            opgeteld += waarde
            if opgeteld >= DREMPEL:
                s["draagvlak_op"] = datum
                break
        s["oudste_telt"] = min((d for d, _w in bijdrage if d > venster_start), default=None)

    # Lifecycles: draagvlak → triage → integraal (actie) or primaire taak (forward).
    for s in signalen:
        _levensloop(s, rng=rng, nu=nu, tz=tz)
    integraal = [s for s in signalen if s.get("uitkomst") == TriageUitkomst.INTEGRAAL]
    integraal.sort(key=lambda s: (s["team"].pk, s["buurt"].pk, s["getrieerd"]))
    acties = _acties(integraal, n_acties=n_acties, rng=rng, nu=nu, plaatsen=plaatsen)
    for s in integraal:
        if "actie" not in s:  # more integral signals than acties wanted: a primary task instead
            s["uitkomst"] = TriageUitkomst.PRIMAIRE_TAAK
            _doorzetten(s, rng=rng, nu=nu)

    _schrijf_signalen(signalen, plaatsen=plaatsen, nu=nu, tz=tz, telling=telling, rng=rng)
    _insert(
        Steunbetuiging,
        [
            "id",
            "signaal_id",
            "kanaal",
            "datum",
            "huishouden_hash",
            "aantal_anoniem",
            "email",
            "email_toestemming",
            "ingetrokken_at",
            "created_at",
        ],
        steun_rijen,
        telling,
    )
    _schrijf_acties(acties, plaatsen=plaatsen, rng=rng, nu=nu, anker=anker, telling=telling)
    _reset_sequences(
        [
            Signaal,
            Steunbetuiging,
            StatusWijziging,
            Doorzetting,
            Actie,
            ActieSignaal,
            ActieStatusWijziging,
            Mijlpaal,
            Voortgangsupdate,
            BewonerTrekker,
            GeholpenReactie,
        ]
    )
    return telling


def _dagen(rng: random.Random, gemiddeld: float) -> dt.timedelta:
    return dt.timedelta(seconds=int(rng.expovariate(1 / gemiddeld) * 86400) + 3600)


def _levensloop(s: dict, *, rng: random.Random, nu: dt.datetime, tz) -> None:
    """The signal's moves as (van, naar, when); its final status."""
    moves = [("", Status.NIEUW, s["created"])]
    s["moves"] = moves

    def op(datum: dt.date) -> dt.datetime:
        return max(
            s["created"] + dt.timedelta(minutes=1), dt.datetime.combine(datum, dt.time(3, 0), tzinfo=tz)
        )

    if s["eerste_steun"]:
        moves.append((Status.NIEUW, Status.DRAAGVLAK_GEZOCHT, op(s["eerste_steun"])))
    if s["draagvlak_op"] is None:
        gesloten = moves[-1][2] + dt.timedelta(days=365)
        if gesloten < nu:  # the retention job closes a signal idle for the team's term
            moves.append((moves[-1][1], Status.AFGEWEZEN, gesloten))
        return
    bereikt = op(s["draagvlak_op"])
    if not s["eerste_steun"]:
        moves.append((Status.NIEUW, Status.DRAAGVLAK_GEZOCHT, bereikt))
    moves.append((Status.DRAAGVLAK_GEZOCHT, Status.DRAAGVLAK_BEREIKT, bereikt))
    triage = bereikt + _dagen(rng, 21)
    if triage >= nu:
        return
    if rng.random() < 0.1:
        moves.append((Status.DRAAGVLAK_BEREIKT, Status.AFGEWEZEN, triage))
        return
    moves.append((Status.DRAAGVLAK_BEREIKT, Status.GETRIEERD, triage))
    s["getrieerd"] = triage
    s["uitkomst"] = TriageUitkomst.INTEGRAAL if rng.random() < 0.6 else TriageUitkomst.PRIMAIRE_TAAK
    if s["uitkomst"] == TriageUitkomst.PRIMAIRE_TAAK:
        _doorzetten(s, rng=rng, nu=nu)


def _doorzetten(s: dict, *, rng: random.Random, nu: dt.datetime) -> None:
    klaar = s["getrieerd"] + _dagen(rng, 30)
    s["doorzetting"] = {
        "opvolgen_op": (s["getrieerd"] + dt.timedelta(days=14)).date(),
        "klaar": klaar if klaar < nu else None,
    }
    if klaar < nu:
        s["moves"].append((Status.GETRIEERD, Status.AFGEROND, klaar))


def _acties(integraal: list[dict], *, n_acties: int, rng, nu, plaatsen) -> list[dict]:
    """Group integral signals (same team and buurt, in triage order) into acties of 1–4."""
    acties = []
    groepen = defaultdict(list)
    for s in integraal:
        groepen[(s["team"].pk, s["buurt"].pk)].append(s)
    rij = []
    for lijst in groepen.values():
        i = 0
        while i < len(lijst):
            k = rng.choice((1, 1, 1, 2, 2, 3, 4))
            rij.append(lijst[i : i + k])
            i += k
    # As many acties as wanted, spread over the years (the other signals become primary tasks).
    gekozen = sorted(rng.sample(range(len(rij)), min(n_acties, len(rij))))
    for groep in sorted((rij[i] for i in gekozen), key=lambda g: max(s["getrieerd"] for s in g)):
        getrieerd = max(s["getrieerd"] for s in groep)
        aangemaakt = getrieerd + min(dt.timedelta(hours=2), (nu - getrieerd) / 2)  # before `nu`
        actie = {
            "signalen": groep,
            "aangemaakt": aangemaakt,
            "moves": [("", ActieStatus.GEPLAND, aangemaakt)],
        }
        start = aangemaakt + _dagen(rng, 14)
        if start < nu:
            actie["moves"].append((ActieStatus.GEPLAND, ActieStatus.IN_UITVOERING, start))
            actie["in_uitvoering_at"] = start
            if rng.random() < 0.05:
                gestopt = start + _dagen(rng, 30)
                actie["moves"].append((ActieStatus.IN_UITVOERING, ActieStatus.GESTOPT, gestopt))
                actie["gestopt_at"] = gestopt
            else:
                klaar = start + _dagen(rng, 60)
                if klaar < nu:
                    actie["moves"].append((ActieStatus.IN_UITVOERING, ActieStatus.AFGEROND, klaar))
                    actie["afgerond_at"] = klaar
        actie["moves"] = [m for m in actie["moves"] if m[2] < nu]
        for s in groep:
            s["actie"] = actie
            if "in_uitvoering_at" in actie:
                s["moves"].append((Status.GETRIEERD, Status.IN_ACTIE, actie["in_uitvoering_at"]))
            if "afgerond_at" in actie:
                s["moves"].append((Status.IN_ACTIE, Status.AFGEROND, actie["afgerond_at"]))
            if actie.get("gestopt_at") and actie["gestopt_at"] < nu:  # the coördinator declines its signals
                s["moves"].append((Status.IN_ACTIE, Status.AFGEWEZEN, actie["gestopt_at"]))
        acties.append(actie)
    return acties


def _schrijf_signalen(signalen, *, plaatsen, nu, tz, telling, rng) -> None:
    rijen, historie, doorzet = [], [], []
    hist_id, doorzet_id = _next_id(StatusWijziging), _next_id(Doorzetting)
    coordinatoren = {
        lid.team_id: lid.user_id
        for lid in Lidmaatschap.objects.filter(team__in=plaatsen.teams, rol=Rol.COORDINATOR)
    }
    for s in signalen:
        status = s["moves"][-1][1]
        if status == Status.DRAAGVLAK_BEREIKT and s["totaal"] < DREMPEL:
            # The tally would have moved it back: support expired before triage.
            s["moves"].append(
                (
                    Status.DRAAGVLAK_BEREIKT,
                    Status.DRAAGVLAK_GEZOCHT,
                    max(s["moves"][-1][2], nu - dt.timedelta(days=1)),
                )
            )
            status = Status.DRAAGVLAK_GEZOCHT
        verloopt = None
        if s["oudste_telt"]:
            verloopt = steun_expiry(datum=s["oudste_telt"], maanden=12)
        uitkomst = s.get("uitkomst", "")
        partner = rng.choice(plaatsen.partners[1:]) if uitkomst == TriageUitkomst.PRIMAIRE_TAAK else None
        laatste = s["moves"][-1][2]
        rijen.append(
            (
                s["id"],
                s["team"].pk,
                s["titel"],
                "",
                s["thema"].pk,
                s["kanaal"],
                s["lat"],
                s["lon"],
                s["buurt"].pk,
                False,
                False,
                status,
                laatste,
                uitkomst,
                partner.pk if partner else None,
                s["huishoudens"],
                s["anoniem"],
                s["totaal"],
                nu,
                False,
                verloopt,
                laatste if status == Status.DRAAGVLAK_BEREIKT else None,
                s["created"],
                laatste,
            )
        )
        for van, naar, wanneer in s["moves"]:
            door = (
                coordinatoren[s["team"].pk]
                if naar in (Status.GETRIEERD, Status.AFGEWEZEN) and van == Status.DRAAGVLAK_BEREIKT
                else None
            )
            historie.append((hist_id, s["id"], van, naar, door, "", wanneer))
            hist_id += 1
        if partner is not None and "doorzetting" in s:
            z = s["doorzetting"]
            klaar = z["klaar"]
            doorzet.append(
                (
                    doorzet_id,
                    s["id"],
                    partner.pk,
                    z["opvolgen_op"],
                    "afgehandeld" if klaar else "",
                    "",
                    klaar,
                    klaar,
                    klaar,
                    s["getrieerd"],
                )
            )
            doorzet_id += 1
    _insert(
        Signaal,
        [
            "id",
            "team_id",
            "titel",
            "omschrijving",
            "thema_id",
            "kanaal",
            "lat",
            "lon",
            "buurt_id",
            "over_persoon",
            "vertrouwelijk",
            "status",
            "status_gewijzigd_at",
            "triage_uitkomst",
            "doorgezet_naar_id",
            "steun_huishoudens",
            "steun_anoniem",
            "steun_totaal",
            "steun_berekend_at",
            "steun_herberekenen",
            "steun_verloopt_at",
            "draagvlak_gemeld_at",
            "created_at",
            "updated_at",
        ],
        rijen,
        telling,
    )
    _insert(
        StatusWijziging,
        ["id", "signaal_id", "van", "naar", "door_id", "reden", "created_at"],
        historie,
        telling,
    )
    _insert(
        Doorzetting,
        [
            "id",
            "signaal_id",
            "partner_id",
            "opvolgen_op",
            "antwoord",
            "notitie",
            "beantwoord_at",
            "afgehandeld_at",
            "gesloten_at",
            "created_at",
        ],
        doorzet,
        telling,
    )


def _schrijf_acties(acties, *, plaatsen, rng, nu, anker, telling) -> None:
    actie_id = _next_id(Actie)
    rijen, links, historie, mijlpalen, updates, bewoners, reacties = [], [], [], [], [], [], []
    ids = {
        m: _next_id(m)
        for m in (
            ActieSignaal,
            ActieStatusWijziging,
            Mijlpaal,
            Voortgangsupdate,
            BewonerTrekker,
            GeholpenReactie,
        )
    }

    def nieuw_id(model) -> int:
        ids[model] += 1
        return ids[model] - 1

    for i, a in enumerate(acties):
        pk = actie_id + i
        eerste = a["signalen"][0]
        team, buurt = eerste["team"], eerste["buurt"]
        status = a["moves"][-1][1]
        trekker = rng.choice(plaatsen.partners)
        aantal_bewoners = 0
        if rng.random() < 0.6:
            for _b in range(rng.randint(1, 2)):
                n = rng.randint(1, 5)
                aantal_bewoners += n
                bewoners.append(
                    (nieuw_id(BewonerTrekker), pk, n, "", "", False, a["aangemaakt"] + dt.timedelta(days=3))
                )
        rijen.append(
            (
                pk,
                team.pk,
                f"{eerste['thema'].naam.capitalize()} in {buurt.naam} #{i + 1}",
                "Samen met bewoners aangepakt.",
                buurt.pk,
                trekker.pk,
                a["aangemaakt"].date(),
                None,
                status,
                a["moves"][-1][2],
                a.get("in_uitvoering_at"),
                a.get("afgerond_at"),
                "Er is niemand gevonden om het uit te voeren." if status == ActieStatus.GESTOPT else "",
                0,
                aantal_bewoners,
                a["aangemaakt"],
                a["moves"][-1][2],
            )
        )
        for s in a["signalen"]:
            links.append((nieuw_id(ActieSignaal), pk, s["id"], a["aangemaakt"]))
        for van, naar, wanneer in a["moves"]:
            reden = "Gestopt: geen uitvoerder gevonden." if naar == ActieStatus.GESTOPT else ""
            historie.append((nieuw_id(ActieStatusWijziging), pk, van, naar, trekker.pk, reden, wanneer))
        klaar = status == ActieStatus.AFGEROND
        for volgorde, titel in enumerate(MIJLPALEN[: rng.randint(2, 5)]):
            gedaan = a["aangemaakt"] + dt.timedelta(days=7 * (volgorde + 1))
            gedaan = gedaan if (klaar or gedaan < nu and "in_uitvoering_at" in a) else None
            mijlpalen.append(
                (nieuw_id(Mijlpaal), pk, titel, 1 + volgorde % 3, gedaan, volgorde, a["aangemaakt"])
            )
        if "in_uitvoering_at" in a:
            for k in range(rng.randint(1, 4)):
                wanneer = a["in_uitvoering_at"] + dt.timedelta(days=10 * k)
                if wanneer < nu:
                    updates.append(
                        (
                            nieuw_id(Voortgangsupdate),
                            pk,
                            wanneer.date(),
                            f"Stand van zaken {k + 1}: het werk loopt.",
                            trekker.pk,
                            "",
                            uuid.UUID(int=rng.getrandbits(128)),
                            "",
                            0,
                            0,
                            wanneer,
                        )
                    )
        if klaar:
            gevraagd = a["afgerond_at"] + dt.timedelta(weeks=4)
            if gevraagd.date() < anker:
                for _r in range(min(6, int(rng.paretovariate(1.5)) - 1 + rng.randint(0, 2))):
                    antwoord = rng.choices(["ja", "deels", "nee"], weights=[6, 3, 2])[0]
                    reacties.append(
                        (nieuw_id(GeholpenReactie), pk, buurt.pk, team.pk, antwoord, "", gevraagd.date())
                    )
    _insert(
        Actie,
        [
            "id",
            "team_id",
            "titel",
            "omschrijving",
            "buurt_id",
            "trekker_id",
            "start",
            "eind",
            "status",
            "status_gewijzigd_at",
            "in_uitvoering_at",
            "afgerond_at",
            "publieke_reden",
            "voortgang_handmatig",
            "bewoners_aantal",
            "created_at",
            "updated_at",
        ],
        rijen,
        telling,
    )
    _insert(ActieSignaal, ["id", "actie_id", "signaal_id", "created_at"], links, telling)
    _insert(
        ActieStatusWijziging,
        ["id", "actie_id", "van", "naar", "partner_id", "reden", "created_at"],
        historie,
        telling,
    )
    _insert(
        Mijlpaal,
        ["id", "actie_id", "titel", "gewicht", "gedaan_at", "volgorde", "created_at"],
        mijlpalen,
        telling,
    )
    _insert(
        Voortgangsupdate,
        [
            "id",
            "actie_id",
            "datum",
            "tekst",
            "partner_id",
            "foto",
            "foto_uuid",
            "foto_formaat",
            "foto_breedte",
            "foto_hoogte",
            "created_at",
        ],
        updates,
        telling,
    )
    _insert(
        BewonerTrekker,
        ["id", "actie_id", "aantal", "voornaam", "email", "toestemming", "created_at"],
        bewoners,
        telling,
    )
    _insert(
        GeholpenReactie,
        ["id", "actie_id", "buurt_id", "team_id", "antwoord", "opmerking", "datum"],
        reacties,
        telling,
    )
