"""The audit log in the admin: read-only for everyone, every row for superusers, the rows of
their own teams for coördinatoren (the scope buurten registers with
`audit.services.register_team_scope`), nothing for anyone else. Nothing can be added,
changed or deleted here, not even by a superuser."""

from django.contrib import admin
from django.core.exceptions import FieldError, ValidationError

from .models import AuditRegel
from .services import audit_refused, team_scope_for


class RefusedAccessAuditMixin:
    """For a team-scoped ModelAdmin: opening an object that exists but lies outside the
    person's scope (another team's) is refused by the admin as "does not exist" (or 403 on a
    POST), and audited.

    `team_id_field` names the object's team (a lookup path such as "signaal__team_id"). The row
    is written once the admin's view returned or raised, outside the transaction it runs in, so
    a refusal that rolls that transaction back stays on record.
    """

    team_id_field = "team_id"

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and request.user.is_authenticated:
            try:
                found = self.model._default_manager.filter(pk=object_id)
                team_ids = list(found.values_list(self.team_id_field, flat=True)[:1])
            except (ValueError, TypeError, ValidationError, FieldError):
                team_ids = []
            if team_ids:  # it exists: the scope refused it
                request._audit_refused = {
                    "object": (self.model._meta.label_lower, str(object_id)[:40]),
                    "team_id": team_ids[0],
                }
        return obj

    def _audited(self, view, request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        finally:
            pending = request.__dict__.pop("_audit_refused", None)
            if pending:
                audit_refused(door=request.user, status=404, **pending)

    def changeform_view(self, request, *args, **kwargs):
        return self._audited(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._audited(super().delete_view, request, *args, **kwargs)

    def history_view(self, request, *args, **kwargs):
        return self._audited(super().history_view, request, *args, **kwargs)


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
