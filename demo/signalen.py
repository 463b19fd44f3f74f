"""Demo signalen: the default themas for Maastricht and a few signals with support per demo team,
two of them forwarded to a partner who answered through its link.

Runs after `demo.teams.load_teams`. Everything goes through the services (logging,
support, the tally, triage), so the demo shows what the app does. Idempotent: a signal is
found by team and title, a walk by team and notes; a second run creates nothing.
"""

import datetime as dt

import shapely
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from buurten.models import Gemeente, Lidmaatschap, Partner, Rol, Team
from core.actors import DEMO, PARTNER_LINK
from signalen.models import (
    DoorzetAntwoord,
    Doorzetting,
    Kanaal,
    Signaal,
    Status,
    Thema,
    TriageUitkomst,
    Wijkronde,
)
from signalen.services import (
    signaal_log,
    signaal_triage,
    signalen_tally,
    steun_register,
    steun_register_anoniem,
    thema_seed_defaults,
    wijkronde_create,
)
from signalen.services.doorzetten import doorzetting_beantwoorden

GEMEENTE_CODE = "GM0935"

# (titel, omschrijving, thema, kanaal, households, anonymous, vertrouwelijk, triage)
# triage: None, "integraal" or the name of the partner it is forwarded to.
SIGNALEN = {
    "malberg": {
        "postcode": "6218 AB",
        "signalen": [
            (
                "Zwerfvuil rond de containers bij de flats",
                "Vuilniszakken naast de containers, vooral na het weekend; meeuwen halen ze open.",
                "zwerfvuil",
                Kanaal.STRAATGESPREK,
                6,
                0,
                False,
                None,
            ),
            (
                "Donker voetpad naar de basisschool",
                "Ouders lopen 's winters liever om: twee lantaarns doen het niet en het pad is overwoekerd.",
                "verlichting",
                Kanaal.STRAATHOEKBIJEENKOMST,
                3,
                4,
                False,
                None,
            ),
            (
                "Hangjongeren bij het winkelcentrum 's avonds",
                "Geluidsoverlast en scooters op de stoep na tienen.",
                "overlast jeugd",
                Kanaal.HUISBEZOEK,
                2,
                0,
                False,
                None,
            ),
            (
                "Te hard rijden in de woonstraten",
                "Bewoners vragen om drempels of een 30-bord bij de speeltuin.",
                "verkeer en parkeren",
                Kanaal.VRAGENLIJST,
                0,
                0,
                False,
                None,
            ),
            (
                "Speeltuin is verouderd",
                "De toestellen zijn kapot of weggehaald; kinderen spelen op straat.",
                "speelvoorzieningen",
                Kanaal.BUURTBIJEENKOMST,
                7,
                10,
                False,
                "integraal",
            ),
            (
                "Hondenpoep op het grasveld bij de speeltuin",
                "Kinderen kunnen er niet meer spelen; bewoners vragen om poepbakken en handhaving.",
                "groen",
                Kanaal.STRAATGESPREK,
                6,
                0,
                False,
                None,
            ),
            (
                "Scooters op de stoep bij de school",
                "Scooters rijden 's ochtends over de stoep waar kinderen naar school lopen.",
                "verkeer en parkeren",
                Kanaal.STRAATGESPREK,
                5,
                0,
                False,
                "Politie Limburg",
            ),
            (
                "Vermoedelijke drugshandel in een portiek",
                "Een bewoner noemde een adres en tijden; alleen voor het team.",
                "drugs en ondermijning",
                Kanaal.HUISBEZOEK,
                1,
                0,
                True,
                None,
            ),
        ],
    },
    "wittevrouwenveld-nazareth": {
        "postcode": "6224 AB",
        "signalen": [
            (
                "Kapotte lantaarnpaal op het pleintje",
                "Al weken donker; bewoners voelen zich er 's avonds onveilig.",
                "verlichting",
                Kanaal.STRAATGESPREK,
                5,
                0,
                False,
                "Gemeente Maastricht",
            ),
            (
                "Buren kennen elkaar niet meer",
                "Nieuwe bewoners voelen zich niet welkom; vraag om een buurtfeest of koffieochtend.",
                "contact en samenhang",
                Kanaal.STRAATHOEKBIJEENKOMST,
                2,
                14,
                False,
                None,
            ),
            (
                "Vocht en schimmel in de portiekwoningen",
                "Meerdere huurders klagen over schimmel in de badkamer.",
                "onderhoud woningen",
                Kanaal.VIA_PARTNER,
                3,
                0,
                False,
                None,
            ),
            (
                "Fietswrakken in de stalling van de flat",
                "De stalling staat vol met wrakken; bewoners kunnen hun fiets nergens kwijt.",
                "zwerfvuil",
                Kanaal.HUISBEZOEK,
                5,
                2,
                False,
                None,
            ),
            (
                "Groen langs de singel verwilderd",
                "Struiken groeien over het fietspad.",
                "groen",
                Kanaal.BEWONERSINITIATIEF,
                0,
                0,
                False,
                None,
            ),
        ],
    },
}


# A forwarded signal's partner: the reason for forwarding, and the partner's answer.
DOORZETTEN = {
    "Gemeente Maastricht": (
        _("Onderhoud van de openbare verlichting is een taak van de gemeente."),
        DoorzetAntwoord.AFGEHANDELD,
    ),
    "Politie Limburg": (
        _("Verkeershandhaving bij de school is een taak van de politie."),
        DoorzetAntwoord.OPGEPAKT,
    ),
}


def _points_inside(team: Team) -> list[tuple[float, float]]:
    """Deterministic points inside the team's buurten (a grid over each buurt, kept if inside)."""
    points = []
    for buurt in team.buurten.order_by("code"):
        if not buurt.geometrie:
            continue
        geom = shape(buurt.geometrie)
        shapely.prepare(geom)
        min_lon, min_lat, max_lon, max_lat = geom.bounds
        for i in range(1, 8):
            for j in range(1, 8):
                lon = min_lon + (max_lon - min_lon) * j / 8
                lat = min_lat + (max_lat - min_lat) * i / 8
                if geom.contains(shapely.Point(lon, lat)):
                    points.append((round(lat, 6), round(lon, 6)))
    return points


def _people(team: Team):
    leden = list(Lidmaatschap.objects.filter(team=team).select_related("user").order_by("pk"))
    coordinator = next((lid.user for lid in leden if lid.rol == Rol.COORDINATOR), None)
    teamlid = next((lid.user for lid in leden if lid.rol == Rol.TEAMLID), coordinator)
    return coordinator, teamlid


def _load_team(team: Team, spec: dict, vandaag: dt.date) -> tuple[int, list[tuple[Signaal, object]]]:
    coordinator, teamlid = _people(team)
    points = _points_inside(team)
    if coordinator is None or not points:
        return 0, []
    themas = {t.naam: t for t in Thema.objects.filter(gemeente=team.gemeente)}
    notities = _("Demo-wijkronde: rondje langs de flats, het winkelcentrum en de speeltuin.")
    ronde = Wijkronde.objects.filter(team=team, notities=notities).first()
    if ronde is None:
        ronde = wijkronde_create(
            team=team,
            door=teamlid,
            datum=vandaag - dt.timedelta(days=21),
            buurten=list(team.buurten.all()),
            lopers=[u for u in {coordinator, teamlid} if u],
            meegelopen_partners=list(Partner.objects.filter(gemeente=team.gemeente, type="politie")[:1]),
            notities=notities,
        )
    created = 0
    to_triage = []
    for index, (titel, omschrijving, thema, kanaal, huishoudens, anoniem, geheim, triage) in enumerate(
        spec["signalen"]
    ):
        if Signaal.objects.filter(team=team, titel=titel).exists():
            continue
        lat, lon = points[(index * 7 + 3) % len(points)]
        signaal = signaal_log(
            team=team,
            door=teamlid,
            titel=titel,
            omschrijving=omschrijving,
            thema=themas[thema],
            kanaal=kanaal,
            lat=lat,
            lon=lon,
            vertrouwelijk=geheim,
            wijkronde=ronde,
        )
        created += 1
        for nummer in range(1, huishoudens + 1):
            steun_register(
                signaal=signaal,
                door=teamlid,
                kanaal=list(Kanaal)[nummer % len(Kanaal)],
                datum=vandaag - dt.timedelta(days=20 - nummer),
                postcode=spec["postcode"],
                huisnummer=str(nummer * 2 + index),
            )
        if anoniem:
            steun_register_anoniem(
                signaal=signaal,
                door=teamlid,
                kanaal=Kanaal.BUURTBIJEENKOMST,
                datum=vandaag - dt.timedelta(days=10),
                aantal=anoniem,
            )
        if triage:
            to_triage.append((signaal, triage, coordinator))
    return created, to_triage


def load(*, stdout, style) -> None:
    """Seed themas for every gemeente with a team and demo signals for the demo teams."""
    vandaag = timezone.localdate()
    for gemeente in Gemeente.objects.filter(Q(teams__isnull=False) | Q(code=GEMEENTE_CODE)).distinct():
        thema_seed_defaults(gemeente=gemeente, door=DEMO)
    created = 0
    to_triage = []
    for slug, spec in SIGNALEN.items():
        team = Team.objects.filter(slug=slug).first()
        if team is None:
            continue
        n, triage = _load_team(team, spec, vandaag)
        created += n
        to_triage += triage
    # Count now rather than waiting for the worker, so triage can follow.
    signalen_tally(door=DEMO)
    for signaal, triage, coordinator in to_triage:
        signaal.refresh_from_db()
        if signaal.status != Status.DRAAGVLAK_BEREIKT:
            continue
        if triage == "integraal":
            signaal_triage(signaal=signaal, uitkomst=TriageUitkomst.INTEGRAAL, door=coordinator)
        else:
            partner = Partner.objects.get(gemeente=signaal.team.gemeente, naam=triage)
            reden, antwoord = DOORZETTEN[triage]
            signaal_triage(
                signaal=signaal,
                uitkomst=TriageUitkomst.PRIMAIRE_TAAK,
                door=coordinator,
                partner=partner,
                reden=reden,
            )
            # The partner's answer through its signed link.
            doorzetting = Doorzetting.objects.filter(signaal=signaal, gesloten_at__isnull=True).first()
            if doorzetting is not None:
                doorzetting_beantwoorden(doorzetting=doorzetting, antwoord=antwoord, door=PARTNER_LINK)
    totaal = Signaal.objects.filter(team__slug__in=list(SIGNALEN)).count()
    stdout.write(
        style.SUCCESS(
            _("Signalen: %(totaal)d demosignalen (%(nieuw)d nieuw aangemaakt), thema's per gemeente")
            % {"totaal": totaal, "nieuw": created}
        )
    )
