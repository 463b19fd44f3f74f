from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuurtenConfig(AppConfig):
    name = "buurten"
    verbose_name = _("Buurten en teams")

    def ready(self) -> None:
        from buurten.emails import register_emails

        register_emails()
