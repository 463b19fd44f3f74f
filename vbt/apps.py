from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule


class AdminConfig(SimpleAdminConfig):
    """The admin, autodiscovered for every app but django-leaflet.

    leaflet.admin imports GeoDjango, which needs the GDAL system library; VBT keeps
    geometry as GeoJSON and uses only django-leaflet's templates and static files.
    """

    def ready(self) -> None:
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name != "leaflet" and module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
