from django.core.management.base import CommandError

from audit.commands import AuditedCommand
from core.actors import COMMAND
from signalen.services.tally import signalen_tally


class Command(AuditedCommand):
    help = "Telt de steun van alle signalen die dat nodig hebben één keer, nu, en past de drempel toe."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Aantal signalen per batch (standaard 1000)."
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("De batchgrootte moet minstens 1 zijn.")
        result = signalen_tally(door=COMMAND, batch_size=batch_size)
        self.stdout.write(self.style.SUCCESS(result.summary()))
