"""Management commands are audited as coming from a command."""

from django.core.management.base import BaseCommand

from .context import Herkomst, audit_origin


class AuditedCommand(BaseCommand):
    """A BaseCommand whose whole run is audited with herkomst "command"."""

    def execute(self, *args, **options):
        with audit_origin(herkomst=Herkomst.COMMAND):
            return super().execute(*args, **options)
