"""The access rule in the admin: superusers as usual, coordinators by `buurten.selectors.teams`."""

from __future__ import annotations

from django.contrib import admin

from buurten.selectors.teams import coordinator_team_ids_for_user, sees_all


def coord_team_ids(request) -> set[int]:
    """Ids of the teams the admin user coordinates, computed once per request."""
    if not hasattr(request, "_vbt_coord_team_ids"):
        rows = coordinator_team_ids_for_user(user=request.user)
        request._vbt_coord_team_ids = {next(iter(r.values())) for r in rows}
    return request._vbt_coord_team_ids


def is_admin_coordinator(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and coord_team_ids(request))


class AccessRuleAdmin(admin.ModelAdmin):
    """Superusers as usual; coordinators by the access rule, per object through `team_of`."""

    coordinator_can_view = True
    coordinator_can_change = False
    coordinator_can_add = False
    coordinator_can_delete = False

    def team_id_of(self, obj) -> int | None:
        """The team an object belongs to; None for objects outside any team."""
        return getattr(obj, "team_id", None)

    def scope_for_coordinator(self, request, qs):
        return qs.filter(team_id__in=coord_team_ids(request))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if sees_all(user=request.user):
            return qs
        if not is_admin_coordinator(request):
            return qs.none()
        return self.scope_for_coordinator(request, qs)

    def _in_scope(self, request, obj) -> bool:
        if obj is None:
            return True
        team_id = self.team_id_of(obj)
        if team_id is None:
            return self.get_queryset(request).filter(pk=obj.pk).exists()
        return team_id in coord_team_ids(request)

    def _coordinator_may(self, request, obj, flag: bool) -> bool:
        return flag and is_admin_coordinator(request) and self._in_scope(request, obj)

    def has_module_permission(self, request):
        return sees_all(user=request.user) or (self.coordinator_can_view and is_admin_coordinator(request))

    def has_view_permission(self, request, obj=None):
        if sees_all(user=request.user):
            return True
        return self._coordinator_may(request, obj, self.coordinator_can_view)

    def has_change_permission(self, request, obj=None):
        if sees_all(user=request.user):
            return True
        return self._coordinator_may(request, obj, self.coordinator_can_change)

    def has_add_permission(self, request, *args):
        if sees_all(user=request.user):
            return True
        return self.coordinator_can_add and is_admin_coordinator(request)

    def has_delete_permission(self, request, obj=None):
        if sees_all(user=request.user):
            return True
        return self._coordinator_may(request, obj, self.coordinator_can_delete)
