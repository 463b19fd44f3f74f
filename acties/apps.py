from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActiesConfig(AppConfig):
    name = "acties"
    verbose_name = _("Acties")

    def ready(self) -> None:
        from acties.emails import register_emails

        register_emails()
