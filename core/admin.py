"""The team-scoped admin base: superusers as usual, team managers only for their own teams.

core knows no teams: a subclass names the access rule through three hooks, `sees_all(request)`,
`managed_team_ids(request)` (the teams the staff member manages: they open the admin, and may
change there what the flags allow) and `visible_team_ids(request)` (the teams whose rows they see;
the managed ones unless the subclass says otherwise). `buurten.admin.access.AccessRuleAdmin` binds
them to buurten's access rule; every model admin of the apps builds on that.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib import admin


class TeamScopedAdmin(admin.ModelAdmin):
    """Superusers as usual; team managers by the subclass's access rule, per object through `team_id_of`."""

    coordinator_can_view = True
    coordinator_can_change = False
    coordinator_can_add = False
    coordinator_can_delete = False

    # --- the access rule, named by the subclass -------------------------------------------------

    def sees_all(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def managed_team_ids(self, request) -> Collection[int]:
        return ()

    def visible_team_ids(self, request) -> Any:
        """Ids of the teams whose rows the person sees: a collection or a lazy queryset of ids."""
        return self.managed_team_ids(request)

    # --- built on it -----------------------------------------------------------------------------

    def is_team_manager(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and self.managed_team_ids(request))

    def team_id_of(self, obj) -> int | None:
        """The team an object belongs to; None lets the queryset decide (objects outside one team)."""
        return getattr(obj, "team_id", None)

    def scope_for_coordinator(self, request, qs):
        return qs.filter(team_id__in=self.visible_team_ids(request))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.sees_all(request):
            return qs
        if not self.is_team_manager(request):
            return qs.none()
        return self.scope_for_coordinator(request, qs)

    def _in_scope(self, request, obj) -> bool:
        if obj is None:
            return True
        team_id = self.team_id_of(obj)
        if team_id is None:
            return self.get_queryset(request).filter(pk=obj.pk).exists()
        return team_id in self.managed_team_ids(request)

    def _coordinator_may(self, request, obj, flag: bool) -> bool:
        return flag and self.is_team_manager(request) and self._in_scope(request, obj)

    def has_module_permission(self, request):
        return self.sees_all(request) or (self.coordinator_can_view and self.is_team_manager(request))

    def has_view_permission(self, request, obj=None):
        if self.sees_all(request):
            return True
        return self._coordinator_may(request, obj, self.coordinator_can_view)

    def has_change_permission(self, request, obj=None):
        if self.sees_all(request):
            return True
        return self._coordinator_may(request, obj, self.coordinator_can_change)

    def has_add_permission(self, request, *args):
        if self.sees_all(request):
            return True
        return self.coordinator_can_add and self.is_team_manager(request)

    def has_delete_permission(self, request, obj=None):
        if self.sees_all(request):
            return True
        return self._coordinator_may(request, obj, self.coordinator_can_delete)
