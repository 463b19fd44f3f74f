"""The audit log in the admin: read-only for everyone, every row for superusers, the rows of
their own teams for coördinatoren (the scope buurten registers with
`audit.services.register_team_scope`), nothing for anyone else. Nothing can be added,
changed or deleted here, not even by a superuser."""

from django.contrib import admin

from .models import AuditRegel
from .services import team_scope_for


def _sees_all(user) -> bool:
    return bool(user.is_active and user.is_superuser)


@admin.register(AuditRegel)
class AuditRegelAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "door_label",
        "door_partner",
        "actie",
        "resultaat",
        "object_type",
        "object_id",
        "team_id",
        "herkomst",
        "ip",
    ]
    list_filter = ["actie", "resultaat", "herkomst", "created_at"]
    search_fields = ["door_label", "=object_id"]
    date_hierarchy = "created_at"
    list_select_related = False
    show_full_result_count = False
    actions = None
    fields = [
        "created_at",
        "door_label",
        "door_partner",
        "team_id",
        "herkomst",
        "ip",
        "actie",
        "object_type",
        "object_id",
        "resultaat",
        "details",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if _sees_all(request.user):
            return qs
        if not (request.user.is_active and request.user.is_staff):
            return qs.none()
        return qs.filter(team_id__in=self._team_ids(request))

    def _team_ids(self, request) -> set[int]:
        return team_scope_for(request)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        if _sees_all(user):
            return True
        if not (user.is_active and user.is_staff and self._team_ids(request)):
            return False
        return obj is None or obj.team_id in self._team_ids(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
