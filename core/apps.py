from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Technical helpers that know no domain; this app has no models."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # The admin (first in INSTALLED_APPS) has imported every app's admin module by now.
        from django.contrib import admin

        from core.admin import guard_admin_site

        guard_admin_site(admin.site)
