"""The public-page bench's data: one buurt with 10,000 signals and 1,000 acties (made once)."""

import random

from django.db import connection
from django.utils import timezone

from acties.models import Actie, ActieStatus, Mijlpaal, Voortgangsupdate
from buurten.models import Buurt, Gemeente, Partner, PartnerInzet, Team, Wijk
from signalen.models import Signaal, Status, StatusWijziging, Thema

from .publiek import ACTIES, SIGNALEN

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.68, 50.84], [5.70, 50.84], [5.70, 50.86], [5.68, 50.86], [5.68, 50.84]]],
}
STATUSES = list(Status)
ACTIE_STATUSES = list(ActieStatus)


def fill() -> None:
    if not Team.objects.filter(slug="bench-publiek").exists():
        _fill()
    # Bulk-inserted rows have no planner statistics until autovacuum gets to them (minutes later, or
    # never on a short run): without them PostgreSQL plans nested loops for "1 row" and the page
    # measures the planner's ignorance. A live database is analyzed by autovacuum.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _fill() -> None:
    now = timezone.now()
    g = Gemeente.objects.create(code="GM9999", naam="Benchgemeente")
    w = Wijk.objects.create(code="WK999901", naam="Benchwijk", gemeente=g)
    b = Buurt.objects.create(code="BU99990101", naam="Benchbuurt", wijk=w, geometrie=SQUARE)
    t = Team.objects.create(naam="VBT Benchbuurt", slug="bench-publiek", gemeente=g, doel="Een schone buurt.")
    t.buurten.add(b)
    partners = [Partner.objects.create(gemeente=g, naam=f"Partner {i}", type="gemeente") for i in range(4)]
    for p in partners:
        PartnerInzet.objects.create(team=t, partner=p, toezegging="Meedoen")
    themas = [Thema.objects.create(gemeente=g, naam=f"thema {i}", gevoelig=i == 0) for i in range(8)]
    rnd = random.Random(9)  # noqa: S311 - bench data, not security
    signalen = Signaal.objects.bulk_create(
        [
            Signaal(
                team=t,
                buurt=b,
                thema=rnd.choice(themas),
                titel=f"Signaal {i}",
                kanaal="straatgesprek",
                lat=50.84 + rnd.random() * 0.02,
                lon=5.68 + rnd.random() * 0.02,
                status=rnd.choice(STATUSES),
                vertrouwelijk=i % 13 == 0,
                steun_huishoudens=i % 6,
                steun_totaal=i % 6,
                triage_uitkomst="primaire_taak" if i % 9 == 0 else "",
                doorgezet_naar=partners[0] if i % 9 == 0 else None,
                status_gewijzigd_at=now,
            )
            for i in range(SIGNALEN)
        ],
        batch_size=2000,
    )
    StatusWijziging.objects.bulk_create(
        [StatusWijziging(signaal=s, van="nieuw", naar=s.status, reden="Reden") for s in signalen],
        batch_size=2000,
    )
    acties = Actie.objects.bulk_create(
        [
            Actie(
                team=t,
                buurt=b,
                titel=f"Actie {i}",
                trekker=partners[i % 4],
                status=ACTIE_STATUSES[i % len(ACTIE_STATUSES)],
                bewoners_aantal=i % 3,
                afgerond_at=now if ACTIE_STATUSES[i % len(ACTIE_STATUSES)] == ActieStatus.AFGEROND else None,
            )
            for i in range(ACTIES)
        ]
    )
    Mijlpaal.objects.bulk_create(
        [
            Mijlpaal(actie=a, titel=f"Stap {j}", gewicht=j + 1, gedaan_at=now if j == 0 else None)
            for a in acties
            for j in range(3)
        ]
    )
    Voortgangsupdate.objects.bulk_create(
        [
            Voortgangsupdate(actie=a, datum=timezone.localdate(), tekst="Gedaan.", partner=a.trekker)
            for a in acties
        ]
    )
