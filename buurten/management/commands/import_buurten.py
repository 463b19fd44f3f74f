from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from audit.commands import AuditedCommand
from buurten.services.importeren import ImportFout, gebieden_import
from core.actors import COMMAND


class Command(AuditedCommand):
    # argparse cannot format lazy translations, so the help text is plain Dutch.
    help = (
        "Importeert CBS-gemeenten, -wijken en -buurten uit een GeoJSON-bestand (CBS statcode of PDOK) "
        "of werkt ze bij op CBS-code."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", help="GeoJSON FeatureCollection in EPSG:4326 of EPSG:28992 (RD New)")

    def handle(self, *args, bestand: str, **options):
        try:
            result = gebieden_import(bron=bestand, door=COMMAND)
        except ImportFout as fout:
            raise CommandError(str(fout)) from None
        for opmerking in result.opmerkingen:
            self.stdout.write(opmerking)
        for melding in result.hersteld:
            self.stdout.write(self.style.WARNING(_("Hersteld %(melding)s.") % {"melding": melding}))
        for melding in result.overgeslagen:
            self.stdout.write(self.style.WARNING(_("Overgeslagen %(melding)s.") % {"melding": melding}))
        self.stdout.write(self.style.SUCCESS(result.samenvatting()))
