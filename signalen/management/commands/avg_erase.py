"""`manage.py avg_erase EMAIL --bevestig`: remove or anonymise what is held about an address."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.actors import COMMAND
from signalen.services.avg import avg_erase, avg_gegevens


class Command(BaseCommand):
    help = "Verwijder of anonimiseer alles wat over een e-mailadres is vastgelegd (AVG)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--bevestig", action="store_true", help="Echt wissen; zonder dit alleen tonen wat er is."
        )

    def handle(self, *args, email: str, bevestig: bool, **options):
        try:
            if not bevestig:
                data = avg_gegevens(email=email)
                for sleutel, waarde in data.items():
                    if isinstance(waarde, list):
                        self.stdout.write(f"{sleutel}: {len(waarde)}")
                self.stdout.write(f"account: {'ja' if data['account'] else 'nee'}")
                self.stdout.write("Niets gewist: geef --bevestig mee om te wissen.")
                return
            result = avg_erase(email=email, door=COMMAND)
        except ValidationError as fout:
            raise CommandError("; ".join(fout.messages)) from fout
        for sleutel, aantal in result.items():
            self.stdout.write(f"{sleutel}: {aantal}")
        self.stdout.write("Gewist.")
