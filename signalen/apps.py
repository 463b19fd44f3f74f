from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalenConfig(AppConfig):
    name = "signalen"
    verbose_name = _("Signalen")

    def ready(self) -> None:
        from signalen.emails import register_emails

        register_emails()
