from importlib import import_module

from django.db import transaction

from audit.commands import AuditedCommand

# Each step is idempotent: a second `make run` finds everything in place and creates nothing.
STEPS = [
    "demo.gebieden:load_places",
    "demo.teams:load_teams",
    "demo.signalen:load",
    "demo.acties:load",
]


def _call(step: str, **kwargs) -> None:
    module_name, func_name = step.split(":")
    getattr(import_module(module_name), func_name)(**kwargs)


class Command(AuditedCommand):
    help = "Laadt de demodata (Maastricht: CBS-buurten, partners, teams, signalen, acties). Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            for step in STEPS:
                _call(step, stdout=self.stdout, style=self.style)
        # After the commit, so the e-mails the demo's steps send (printed on the console in
        # development) come before the logins, which a person needs last on the screen.
        _call("demo.teams:print_logins", stdout=self.stdout, style=self.style)
