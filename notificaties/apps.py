from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificatiesConfig(AppConfig):
    name = "notificaties"
    verbose_name = _("Uitgaande e-mail")
