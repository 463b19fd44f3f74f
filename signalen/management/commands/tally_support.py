from django.core.management.base import CommandError

from audit.commands import AuditedCommand
from core.actors import COMMAND
from signalen.services.tally import BATCH_SIZE, signalen_tally


class Command(AuditedCommand):
    help = "Telt de steun van alle signalen die dat nodig hebben één keer, nu, en past de drempel toe."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Aantal signalen per batch (standaard 1000)."
        )

    def handle(self, *args, batch_size: int, **options):
        if BATCH_SIZE.geheel(batch_size) is None:
            raise CommandError(f"--batch-size: {BATCH_SIZE.melding()}")
        result = signalen_tally(door=COMMAND, batch_size=batch_size)
        if result.mislukt:
            self.stdout.write(self.style.WARNING(result.summary()))
        else:
            self.stdout.write(self.style.SUCCESS(result.summary()))
