"""`manage.py seed_scale`: scale data for benchmarks and load tests (demo/schaal.py).

Bulk seeding bypasses the services deliberately (no audit rows for the seeded data, no mail);
the run itself gets one audit row.
"""

import datetime as dt
import time

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from audit.commands import AuditedCommand
from audit.services import audit_record
from buurten.models import Gemeente, Team
from core.actors import COMMAND
from demo import schaal as seeding
from signalen.models import Signaal

SQLITE_SCHAAL = 0.05


class Command(AuditedCommand):
    help = (
        "Vult de database met schaaldata: één gemeente (Schaalstad) met 20 teams, 100.000 signalen over vijf "
        "jaar, 1.000.000 steunbetuigingen en 10.000 acties met historie, mijlpalen en updates. Dezelfde "
        "--seed, --schaal en dag geven dezelfde rijen; een tweede run met dezelfde opties doet niets. "
        "Weigert een database met andere gegevens, tenzij --force. Op SQLite draait het kleiner: "
        f"hoogstens schaal {SQLITE_SCHAAL:g} (5.000 signalen), met een waarschuwing. "
        "Schrijft rechtstreeks in de tabellen (geen services, geen auditregels per rij, geen mail); "
        "één auditregel voor de run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="Startwaarde van het toeval (standaard 42).")
        parser.add_argument(
            "--schaal",
            type=float,
            default=1.0,
            help="Deel van de volle omvang, groter dan 0 en hoogstens 1 (0,1 = 10.000 signalen).",
        )
        parser.add_argument(
            "--tot", type=dt.date.fromisoformat, default=None, help="Ankerdag JJJJ-MM-DD (standaard vandaag)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Ook als de database al andere gegevens heeft."
        )

    def handle(self, *args, seed: int, schaal: float, tot, force: bool, **options):
        if not 0 < schaal <= 1:
            raise CommandError("--schaal moet groter dan 0 en hoogstens 1 zijn.")
        if connection.vendor == "sqlite" and schaal > SQLITE_SCHAAL:
            self.stderr.write(
                self.style.WARNING(
                    f"Let op: SQLite draait kleiner, schaal {SQLITE_SCHAAL:g} in plaats van {schaal:g}. "
                    "Gebruik PostgreSQL (DATABASE_URL) voor de volle omvang."
                )
            )
            schaal = SQLITE_SCHAAL
        anker = tot or timezone.localdate()
        naam = f"{seeding.marker(seed=seed, schaal=schaal)}, {anker.isoformat()}"
        bestaand = Gemeente.objects.filter(code=seeding.GEMEENTE_CODE).first()
        # Without --tot a run on a later day keeps what is there: same seed and scale, same data set.
        if bestaand is not None and (
            bestaand.naam == naam or (tot is None and bestaand.naam.startswith(f"{naam.rsplit(', ', 1)[0]},"))
        ):
            self.stdout.write(f"Schaaldata met seed {seed} en schaal {schaal:g} staat er al; niets gedaan.")
            return
        anders_teams = Team.objects.exclude(gemeente__code=seeding.GEMEENTE_CODE).count()
        anders_signalen = Signaal.objects.exclude(team__gemeente__code=seeding.GEMEENTE_CODE).count()
        if (anders_teams or anders_signalen) and not force:
            raise CommandError(
                f"De database bevat al andere gegevens ({anders_teams} teams, {anders_signalen} signalen "
                f"buiten {seeding.GEMEENTE_NAAM}). seed_scale vult alleen een lege database; "
                "gebruik --force om toch te vullen."
            )
        start = time.monotonic()
        with transaction.atomic():
            if bestaand is not None:
                self.stdout.write(f"Eerdere schaaldata ({bestaand.naam}) wordt eerst verwijderd.")
                seeding.wis(gemeente=bestaand)
            telling = seeding.seed(seed=seed, schaal=schaal, anker=anker, naam=naam)
            audit_record(
                door=COMMAND,
                actie="seed_scale.gevuld",
                details={"seed": seed, "schaal": schaal, "anker": anker.isoformat(), **telling.aantallen},
            )
        duur = time.monotonic() - start
        regels = ", ".join(f"{n:,} {wat}".replace(",", ".") for wat, n in telling.aantallen.items())
        self.stdout.write(self.style.SUCCESS(f"Schaaldata geschreven in {duur:.1f} s: {regels}."))
