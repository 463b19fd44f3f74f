"""Demo acties: the demo teams' signals with draagvlak become VBT-acties in every status, with
milestones, updates, residents who pick them up and internal notes.

Runs after `demo.signalen.load` (the signals, counted and triaged). Everything goes through the
acties services with the demo actor, so the pages show what the app does. Idempotent: an actie
is found by team and title; a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from acties.models import Actie, ActieStatus, GeholpenReactie, GeholpenVraag
from acties.services import (
    actie_create_from_signalen,
    actie_status_change,
    bewoners_add,
    mijlpaal_add,
    mijlpaal_afvinken,
    notitie_add,
    voortgangsupdate_post,
)
from acties.services.geholpen import _token, geholpen_beantwoorden, geholpen_vragen_versturen
from buurten.models import Lidmaatschap, Partner, Rol, Team
from core.actors import DEMO
from signalen.models import Kanaal, Signaal
from signalen.services import steun_register

# Per team: title, public description, the signals it takes up, trekker, other partners, the
# status moves (status, public reason), milestones (title, weight, done), updates (days ago,
# text), residents (count, first name, e-mail), notes (text, only for partner or None).
ACTIES: dict[str, list[dict[str, Any]]] = {
    "malberg": [
        {
            "titel": "Nieuwe speelplek aan de Malbergsingel",
            "omschrijving": "Samen met kinderen en ouders ontwerpen en plaatsen we nieuwe speeltoestellen.",
            "signalen": ["Speeltuin is verouderd"],
            "trekker": "Gemeente Maastricht",
            "partners": ["Woonpunt", "Trajekt"],
            "moves": [(ActieStatus.IN_UITVOERING, "")],
            "mijlpalen": [
                ("Ontwerpavond met kinderen en ouders", 1, True),
                ("Toestellen besteld", 2, True),
                ("Speelplek geplaatst en geopend", 3, False),
            ],
            "updates": [
                (
                    12,
                    "Op de ontwerpavond kozen 23 kinderen de toestellen: klimrek, schommels en zandbak.",
                ),
                (3, "De toestellen zijn besteld; plaatsing staat gepland voor over zes weken."),
            ],
            "bewoners": [(1, "Sanne", "sanne@example.org"), (2, "", "")],
            "notities": [
                ("Budget komt uit het wijkbudget 2026; offerte ligt bij inkoop.", None),
                ("Wijkagent let extra op de plek na plaatsing (vandalisme in 2024).", "Politie Limburg"),
            ],
        },
        {
            "titel": "Containerplaats bij de flats schoon",
            "omschrijving": "Vaker legen, een hekwerk tegen meeuwen en bewoners die de plek adopteren.",
            "signalen": ["Zwerfvuil rond de containers bij de flats"],
            "trekker": "Woonpunt",
            "partners": ["Gemeente Maastricht"],
            "moves": [(ActieStatus.IN_UITVOERING, ""), (ActieStatus.AFGEROND, "")],
            "mijlpalen": [("Extra lediging na het weekend", 1, True), ("Hekwerk geplaatst", 1, True)],
            "updates": [
                (20, "Vanaf deze week worden de containers ook op maandag geleegd."),
                (6, "Het hekwerk staat; meeuwen kunnen de zakken niet meer bereiken."),
            ],
            "bewoners": [(3, "", "")],
            "notities": [],
        },
        {
            "titel": "Poepbakken en handhaving bij het grasveld",
            "omschrijving": "Poepbakken plaatsen en controle door handhaving.",
            "signalen": ["Hondenpoep op het grasveld bij de speeltuin"],
            "trekker": "Gemeente Maastricht",
            "partners": [],
            "moves": [],
            "mijlpalen": [],
            "updates": [],
            "bewoners": [],
            "notities": [("Nog afstemmen met handhaving over de inzet.", None)],
        },
    ],
    "wittevrouwenveld-nazareth": [
        {
            "titel": "Koffieochtend voor nieuwe en oude buren",
            "omschrijving": "Elke eerste zaterdag van de maand koffie in het buurthuis.",
            "signalen": ["Buren kennen elkaar niet meer"],
            "trekker": "Trajekt",
            "partners": ["Servatius"],
            "moves": [
                (ActieStatus.IN_UITVOERING, ""),
                (ActieStatus.AFGEROND, ""),
                (ActieStatus.HEROPEND, _("Na de zomer kwam er niemand meer; we zoeken een nieuwe vorm.")),
            ],
            "mijlpalen": [],
            "updates": [(30, "De eerste koffieochtend trok 35 buren, ook veel nieuwe bewoners.")],
            "bewoners": [(1, "Youssef", "youssef@example.org")],
            "notities": [],
        },
        {
            "titel": "Fietswrakken weg uit de stalling",
            "omschrijving": "Wrakken labelen, na vier weken verwijderen.",
            "signalen": ["Fietswrakken in de stalling van de flat"],
            "trekker": "Servatius",
            "partners": ["Gemeente Maastricht"],
            "moves": [
                (
                    ActieStatus.GESTOPT,
                    _("De stalling wordt dit jaar gesloopt; de nieuwe stalling krijgt een beheerder."),
                )
            ],
            "mijlpalen": [],
            "updates": [],
            "bewoners": [],
            "notities": [],
        },
    ],
}


def _maak(team: Team, spec: dict[str, Any], vandaag: dt.date) -> Actie | None:
    # The signals follow their actie through signalen's status rules, which take no system actor:
    # the team's coördinator makes the actie and moves it, as demo.signalen triages with them.
    seat = Lidmaatschap.objects.filter(team=team, rol=Rol.COORDINATOR).order_by("pk").first()
    if seat is None:
        return None
    coordinator = seat.user
    signalen = list(Signaal.objects.filter(team=team, titel__in=spec["signalen"]).order_by("pk"))
    if len(signalen) != len(spec["signalen"]):
        return None
    partners = {p.naam: p for p in Partner.objects.filter(gemeente=team.gemeente)}
    actie = actie_create_from_signalen(
        signalen=signalen,
        titel=spec["titel"],
        omschrijving=spec["omschrijving"],
        trekker=partners[spec["trekker"]],
        partners=[partners[naam] for naam in spec["partners"]],
        start=vandaag - dt.timedelta(days=40),
        eind=vandaag + dt.timedelta(days=60),
        door=coordinator,
    )
    for titel, gewicht, gedaan in spec["mijlpalen"]:
        mijlpaal = mijlpaal_add(actie=actie, titel=titel, gewicht=gewicht, door=DEMO)
        if gedaan:
            mijlpaal_afvinken(mijlpaal=mijlpaal, gedaan=True, door=DEMO)
    for aantal, voornaam, email in spec["bewoners"]:
        bewoners_add(
            actie=actie, aantal=aantal, voornaam=voornaam, email=email, toestemming=bool(voornaam), door=DEMO
        )
    for tekst, partner in spec["notities"]:
        notitie_add(actie=actie, tekst=tekst, alleen_partner=partners.get(partner), door=DEMO)
    if ActieStatus.AFGEROND in [naar for naar, _reden in spec["moves"]]:
        _geholpen_steun(signalen[0], vandaag, door=coordinator)
    for naar, reden in spec["moves"]:
        terug = None
        if naar == ActieStatus.GESTOPT:
            terug = {s.pk: "afgewezen" for s in signalen}
        actie_status_change(actie=actie, naar=naar, reden=reden, signalen_terug=terug, door=coordinator)
        if naar == ActieStatus.IN_UITVOERING:
            for dagen, tekst in spec["updates"]:
                voortgangsupdate_post(
                    actie=actie, tekst=tekst, datum=vandaag - dt.timedelta(days=dagen), door=DEMO
                )
    return actie


# "Heeft het geholpen?" for the done demo acties: supporters who gave their address with consent
# (postcode, huisnummer, e-mail) and what they answered.
GEHOLPEN = [
    ("6216 AA", "3", "ja", "De speelplek wordt goed gebruikt."),
    ("6216 AA", "5", "ja", ""),
    ("6216 AA", "7", "deels", "Overdag beter, 's avonds nog steeds onrustig."),
    ("6216 AA", "9", "nee", "Er ligt weer afval naast de containers."),
]


def _geholpen_steun(signaal: Signaal, vandaag: dt.date, *, door) -> None:
    """Supporters with consent for e-mail, before the actie that takes up their signal is done."""
    for i, (postcode, _huisnummer, _antwoord, _opmerking) in enumerate(GEHOLPEN):
        steun_register(
            signaal=signaal,
            door=door,
            kanaal=Kanaal.HUISBEZOEK,
            datum=vandaag,
            postcode=postcode,
            huisnummer=str(100 + 10 * signaal.pk + i),
            email=f"bewoner{i + 1}.signaal{signaal.pk}@example.org",
            email_toestemming=True,
        )


def _geholpen(team: Team) -> int:
    """Ask the supporters of the team's done acties "heeft het geholpen?" as the daily job would
    after the team's weeks, and answer through the links they got. Once per actie."""
    klaar = Actie.objects.filter(team=team, status=ActieStatus.AFGEROND, geholpen_gevraagd_at__isnull=True)
    if not klaar.exists():
        return 0
    later = timezone.now() + dt.timedelta(weeks=team.geholpen_weken, days=1)
    geholpen_vragen_versturen(door=DEMO, now=later)
    vragen = GeholpenVraag.objects.filter(actie__team=team, beantwoord_at__isnull=True).order_by("pk")
    for vraag, (_p, _h, antwoord, opmerking) in zip(vragen, GEHOLPEN * len(vragen), strict=False):
        geholpen_beantwoorden(token=_token(vraag), antwoord=antwoord, opmerking=opmerking, door=DEMO)
    return GeholpenReactie.objects.filter(team=team).count()


def load(*, stdout, style) -> None:
    """Demo acties for the demo teams, made from their signals with draagvlak."""
    vandaag = timezone.localdate()
    nieuw = 0
    for slug, specs in ACTIES.items():
        team = Team.objects.filter(slug=slug).first()
        if team is None:
            continue
        for spec in specs:
            if Actie.objects.filter(team=team, titel=spec["titel"]).exists():
                continue
            if _maak(team, spec, vandaag) is not None:
                nieuw += 1
        _geholpen(team)
    totaal = Actie.objects.filter(team__slug__in=list(ACTIES)).count()
    stdout.write(
        style.SUCCESS(
            _("Acties: %(totaal)d demo-acties (%(nieuw)d nieuw aangemaakt)")
            % {"totaal": totaal, "nieuw": nieuw}
        )
    )
