"""The access rule in the admin: superusers as usual, coordinators by `buurten.selectors.teams`."""

from __future__ import annotations

from audit.admin import RefusedAccessAuditMixin
from buurten.selectors.teams import coordinator_team_ids_for_user, sees_all
from core.admin import TeamScopedAdmin


def coord_team_ids(request) -> set[int]:
    """Ids of the teams the admin user coordinates, computed once per request."""
    if not hasattr(request, "_vbt_coord_team_ids"):
        rows = coordinator_team_ids_for_user(user=request.user)
        request._vbt_coord_team_ids = {next(iter(r.values())) for r in rows}
    return request._vbt_coord_team_ids


def is_admin_coordinator(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and coord_team_ids(request))


class AccessRuleAdmin(RefusedAccessAuditMixin, TeamScopedAdmin):
    """`core.admin.TeamScopedAdmin` bound to buurten's access rule: coordinators manage their teams;
    another team's object is "does not exist", and audited."""

    def sees_all(self, request) -> bool:
        return sees_all(user=request.user)

    def managed_team_ids(self, request) -> set[int]:
        return coord_team_ids(request)
