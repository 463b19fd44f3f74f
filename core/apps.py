from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Technical helpers that know no domain; this app has no models."""

    name = "core"
    verbose_name = "Core"
