"""Demo teams in Maastricht: partners, two Veilige Buurten Teams, their people and goals.

Runs after `demo.gebieden.load_places` (the CBS buurten of GM0935). Idempotent: a second run
finds everything by its natural key and creates nothing; demo passwords are set only when an
account is created, so a password changed while trying the demo stays changed.
"""

from __future__ import annotations

import datetime as dt

import shapely
from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape

from buurten.models import Buurt, Gemeente, Lidmaatschap, Partner, PartnerType, Rol, Subgebied, Team, User
from buurten.services.teams import (
    lidmaatschap_create,
    partnerinzet_update,
    subgebied_create,
    team_doel_update,
)
from core.actors import DEMO

BEHEERDER_EMAIL = "beheer@example.org"
DEMO_WACHTWOORD = "vbt-demo-2026"  # noqa: S105 - printed for the demo on purpose
GEMEENTE_CODE = "GM0935"

PARTNERS = [
    ("gemeente", "Gemeente Maastricht", PartnerType.GEMEENTE, "wijkzaken@gemeentemaastricht.example.org"),
    ("politie", "Politie Limburg", PartnerType.POLITIE, "wijkagenten-maastricht@politie.example.org"),
    ("woonpunt", "Woonpunt", PartnerType.WONINGCORPORATIE, "leefbaarheid@woonpunt.example.org"),
    ("servatius", "Servatius", PartnerType.WONINGCORPORATIE, "wijkbeheer@servatius.example.org"),
    ("trajekt", "Trajekt", PartnerType.WELZIJN, "opbouwwerk@trajekt.example.org"),
]

TEAMS = [
    {
        "slug": "malberg",
        "naam": "VBT Malberg",
        "buurten": ["BU09350207"],  # Malberg, wijk 02 Buitenwijk West
        "coordinator": ("Anouk", "Janssen"),
        "doel": (
            "Samen met de bewoners van Malberg zorgen we voor schone, verlichte en veilige straten, "
            "en voor plekken waar jong en oud elkaar ontmoeten."
        ),
        "inzet": {
            "gemeente": (
                "Sneller opruimen van zwerfvuil en herstel van straatverlichting.",
                "Een vast aanspreekpunt per straat.",
            ),
            "politie": (
                "Wijkagent loopt elke maand mee met de wijkronde.",
                "Signalen over overlast delen binnen een week.",
            ),
            "woonpunt": (
                "Aanpak van achterpaden en bergingen bij de flats.",
                "Huurders betrekken bij de schouw.",
            ),
            "servatius": (
                "Onderhoud van portieken en groen rond de eengezinswoningen.",
                "Meedoen aan de buurtschouw.",
            ),
            "trajekt": (
                "Opbouwwerker ondersteunt bewonersinitiatieven.",
                "Jongeren bereiken via het jongerenwerk.",
            ),
        },
        "subgebieden": [("Centrum Malberg", "BU09350207", True), ("Heel Malberg", "BU09350207", False)],
    },
    {
        "slug": "wittevrouwenveld-nazareth",
        "naam": "VBT Wittevrouwenveld/Nazareth",
        "buurten": ["BU09350402", "BU09350403"],  # Wittevrouwenveld, Nazareth; wijk 04 Buitenwijk Oost
        "coordinator": ("Mohamed", "El Amrani"),
        "doel": (
            "In Wittevrouwenveld en Nazareth werken we aan minder overlast, betere speelplekken en "
            "buren die elkaar weer kennen."
        ),
        "inzet": {
            "gemeente": ("Speelplekken opknappen met bewoners.", "Snelle terugkoppeling op meldingen."),
            "politie": (
                "Extra aandacht voor drugsoverlast en ondermijning.",
                "Anoniem kunnen melden via het team.",
            ),
            "woonpunt": (
                "Woonoverlast samen met de wijkagent aanpakken.",
                "Een vaste woonconsulent in het team.",
            ),
            "servatius": (
                "Verlichting van galerijen en entrees verbeteren.",
                "Meedenken over de buitenruimte.",
            ),
            "trajekt": (
                "Straathoekbijeenkomsten organiseren.",
                "Kwetsbare bewoners helpen hun stem te laten horen.",
            ),
        },
        "subgebieden": [
            ("Kern Wittevrouwenveld", "BU09350402", True),
            ("Heel Nazareth", "BU09350403", False),
        ],
    },
]

# One teamlid per partner per team (the coordinator sits for the gemeente as well).
TEAMLEDEN = {
    "malberg": [
        ("gemeente", "Sanne", "Hermans"),
        ("politie", "Tom", "Willems"),
        ("woonpunt", "Fatima", "Bouzid"),
        ("servatius", "Luuk", "Smeets"),
        ("trajekt", "Iris", "Vliegen"),
    ],
    "wittevrouwenveld-nazareth": [
        ("gemeente", "Bram", "Coenen"),
        ("politie", "Lotte", "Houben"),
        ("woonpunt", "Yusuf", "Kaya"),
        ("servatius", "Maud", "Lemmens"),
        ("trajekt", "Jeroen", "Ramakers"),
    ],
}


def _account(email: str, voornaam: str, achternaam: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_WACHTWOORD, first_name=voornaam, last_name=achternaam, **extra
        )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _seat(*, team: Team, user: User, partner: Partner, rol: str) -> None:
    if not Lidmaatschap.objects.filter(team=team, user=user, partner=partner).exists():
        lidmaatschap_create(team=team, door=DEMO, user=user, partner=partner, rol=rol)


def _kern(buurt: Buurt) -> dict | None:
    """A small polygon around the middle of the buurt: a demo street block, always inside it."""
    geom = shapely.make_valid(shape(buurt.geometrie))
    midden = geom.representative_point()
    blok = shapely.box(midden.x - 0.002, midden.y - 0.0015, midden.x + 0.002, midden.y + 0.0015)
    kern = blok.intersection(geom)
    if kern.geom_type == "MultiPolygon":
        kern = max(kern.geoms, key=lambda g: g.area)
    if kern.geom_type != "Polygon" or kern.is_empty:
        return None
    return shapely.geometry.mapping(shapely.set_precision(kern, 1e-6))


@transaction.atomic
def load_teams(*, stdout, style) -> None:
    """Partners, the teams Malberg and Wittevrouwenveld/Nazareth, their people, goals and subgebieden."""
    gemeente = Gemeente.objects.filter(code=GEMEENTE_CODE).first()
    if gemeente is None:
        stdout.write(
            style.ERROR(_("Demo-teams overgeslagen: gemeente %(code)s ontbreekt.") % {"code": GEMEENTE_CODE})
        )
        return
    partners: dict[str, Partner] = {}
    for key, naam, soort, email in PARTNERS:
        partners[key], _created = Partner.objects.update_or_create(
            gemeente=gemeente, naam=naam, defaults={"type": soort, "contact_email": email}
        )

    beheerder = User.objects.filter(email=BEHEERDER_EMAIL).first()
    if beheerder is None:
        beheerder = User.objects.create_superuser(
            BEHEERDER_EMAIL, DEMO_WACHTWOORD, first_name="Demo", last_name="Beheerder"
        )
    EmailAddress.objects.update_or_create(
        user=beheerder, email=beheerder.email, defaults={"verified": True, "primary": True}
    )

    for spec in TEAMS:
        buurten = list(Buurt.objects.filter(code__in=spec["buurten"]).order_by("code"))
        if len(buurten) != len(spec["buurten"]):
            stdout.write(
                style.ERROR(_("Demo-team %(team)s overgeslagen: buurten ontbreken.") % {"team": spec["naam"]})
            )
            continue
        team, created = Team.objects.get_or_create(
            slug=spec["slug"], defaults={"naam": spec["naam"], "gemeente": gemeente}
        )
        team.buurten.add(*buurten)
        if created or not team.doel:
            vandaag = dt.date(2026, 1, 1)
            team_doel_update(
                team=team,
                door=DEMO,
                doel=spec["doel"],
                doel_start=vandaag,
                doel_evaluatie=vandaag.replace(year=vandaag.year + 1),
            )
        for key, (toezegging, gevraagd) in spec["inzet"].items():
            if not team.inzet.filter(partner=partners[key]).exists():
                partnerinzet_update(
                    team=team, door=DEMO, partner=partners[key], toezegging=toezegging, gevraagd=gevraagd
                )

        voornaam, achternaam = spec["coordinator"]
        email = f"coordinator.{spec['slug']}@example.org"
        coordinator = _account(email, voornaam, achternaam)
        _seat(team=team, user=coordinator, partner=partners["gemeente"], rol=Rol.COORDINATOR)
        for key, voornaam, achternaam in TEAMLEDEN[spec["slug"]]:
            email = f"{key}.{spec['slug']}@example.org"
            user = _account(email, voornaam, achternaam)
            _seat(team=team, user=user, partner=partners[key], rol=Rol.TEAMLID)

        for naam, code, met_vlak in spec["subgebieden"]:
            buurt = next(b for b in buurten if b.code == code)
            if Subgebied.objects.filter(team=team, buurt=buurt, naam=naam).exists():
                continue
            subgebied_create(
                team=team, door=DEMO, buurt=buurt, naam=naam, geometrie=_kern(buurt) if met_vlak else None
            )

    stdout.write(
        style.SUCCESS(
            _("Teams: %(teams)d, partners: %(partners)d, lidmaatschappen: %(leden)d")
            % {
                "teams": Team.objects.filter(gemeente=gemeente).count(),
                "partners": Partner.objects.filter(gemeente=gemeente).count(),
                "leden": Lidmaatschap.objects.filter(team__gemeente=gemeente).count(),
            }
        )
    )


def print_logins(*, stdout, style) -> None:
    """Print the demo logins last, after every other step's output, so a person sees them."""
    beheerder = User.objects.filter(email=BEHEERDER_EMAIL).first()
    rows: list[tuple[str, str, bool]] = []
    if beheerder is not None:
        rows.append((beheerder.email, str(_("beheerder (alle teams)")), True))
    seats = (
        Lidmaatschap.objects.filter(team__slug__in=[spec["slug"] for spec in TEAMS])
        .select_related("user", "team", "partner")
        .order_by("team__naam", "rol", "user__email")  # coördinator before teamlid
    )
    for seat in seats:
        if seat.rol == Rol.COORDINATOR:
            rol = _("coördinator van %(team)s (%(partner)s)")
        else:
            rol = _("teamlid van %(team)s (%(partner)s)")
        tekst = rol % {"team": seat.team.naam, "partner": seat.partner.naam}
        rows.append((seat.user.email, tekst, seat.rol == Rol.COORDINATOR))
    if not rows:
        return
    breedte = max(len(email) for email, _rol, _mfa in rows)
    stdout.write("")
    stdout.write(
        style.MIGRATE_HEADING(_("Demo-logins (wachtwoord voor allemaal: %(pw)s)") % {"pw": DEMO_WACHTWOORD})
    )
    stdout.write(f"  {_('E-mailadres').ljust(breedte)}  {_('Rol')}")
    for email, rol, mfa in rows:
        stdout.write(f"  {email.ljust(breedte)}  {rol}{' *' if mfa else ''}")
    stdout.write(
        _(
            "  * Coördinatoren en de beheerder stellen bij hun eerste bezoek aan een coördinatorpagina "
            "of /admin/ tweestapsverificatie in: scan de QR-code met een authenticator-app "
            "(bijvoorbeeld FreeOTP, Aegis of Google Authenticator) en vul de code in."
        )
    )
