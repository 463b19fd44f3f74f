"""CBS places in the admin: read-only geometry, searchable by code and name."""

from __future__ import annotations

import shapely
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from buurten.models import Buurt, Gemeente, Team, Wijk

from .access import AccessRuleAdmin, coord_team_ids


class GebiedAdmin(AccessRuleAdmin):
    """CBS places: read-only geometry; coordinators view those of their own gemeenten."""

    gemeente_lookup = "id__in"  # how a place reaches its gemeente; set per place below
    search_fields = ["code", "naam"]
    list_display = ["naam", "code"]
    readonly_fields = ["geometrie_samenvatting", "bbox_tekst", "created_at", "updated_at"]
    exclude = ["geometrie", "min_lon", "min_lat", "max_lon", "max_lat"]

    def scope_for_coordinator(self, request, qs):
        gemeente_ids = Team.objects.filter(id__in=coord_team_ids(request)).values("gemeente_id")
        return qs.filter(**{self.gemeente_lookup: gemeente_ids})

    def team_id_of(self, obj):
        return None

    # Places come from `import_buurten` (buurten.services.importeren) only; the admin shows them.
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("geometrie"))
    def geometrie_samenvatting(self, obj) -> str:
        if not obj.geometrie:
            return gettext("geen")
        try:
            geom = shape(obj.geometrie)
        except (ValueError, TypeError, KeyError, AttributeError):
            return gettext("onleesbaar")
        return gettext("%(type)s met %(punten)d punten%(geldig)s") % {
            "type": geom.geom_type,
            "punten": shapely.get_num_coordinates(geom),
            "geldig": "" if geom.is_valid else gettext(" (ongeldig)"),
        }

    @admin.display(description=_("begrenzing (lengte/breedte)"))
    def bbox_tekst(self, obj) -> str:
        if obj.bbox is None:
            return "–"
        min_lon, min_lat, max_lon, max_lat = obj.bbox
        return f"{min_lon:.5f}, {min_lat:.5f} – {max_lon:.5f}, {max_lat:.5f}"


@admin.register(Gemeente)
class GemeenteAdmin(GebiedAdmin):
    gemeente_lookup = "id__in"


@admin.register(Wijk)
class WijkAdmin(GebiedAdmin):
    gemeente_lookup = "gemeente_id__in"
    list_display = ["naam", "code", "gemeente"]
    list_select_related = ["gemeente"]
    list_filter = [("gemeente", admin.RelatedOnlyFieldListFilter)]


@admin.register(Buurt)
class BuurtAdmin(GebiedAdmin):
    gemeente_lookup = "wijk__gemeente_id__in"
    list_display = ["naam", "code", "wijk"]
    list_select_related = ["wijk"]
    list_filter = [("wijk__gemeente", admin.RelatedOnlyFieldListFilter)]
    raw_id_fields = ["wijk"]
