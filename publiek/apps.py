from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PubliekConfig(AppConfig):
    name = "publiek"
    verbose_name = _("Openbare buurtpagina's")

    def ready(self) -> None:
        from publiek.emails import register_emails

        register_emails()
