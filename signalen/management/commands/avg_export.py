"""`manage.py avg_export EMAIL [--html]`: everything held about an e-mail address (AVG inzage)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.actors import COMMAND
from signalen.services.avg import avg_export


class Command(BaseCommand):
    help = "Exporteer alles wat over een e-mailadres is vastgelegd, als JSON (of HTML met --html)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--html", action="store_true", help="Leesbare HTML in plaats van JSON.")

    def handle(self, *args, email: str, html: bool, **options):
        try:
            export = avg_export(email=email, door=COMMAND)
        except ValidationError as fout:
            raise CommandError("; ".join(fout.messages)) from fout
        if html:
            self.stdout.write(export["html"])
        else:
            self.stdout.write(json.dumps(export["json"], ensure_ascii=False, indent=2))
