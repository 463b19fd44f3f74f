"""The admin for staff and coordinators, limited by the same access rule as the pages.

How coordinators get in: a coordinator has `is_staff=True` (kept in step with their roles by
`buurten.services.teams.user_sync_staff`) but no model permissions at all. The ModelAdmins
below grant access by the access rule in `buurten.selectors.teams` instead of Django's
permission table: a coordinator sees and changes only their own teams' rows, views the partners
and places of their gemeente, and never the user list. A superuser sees and changes everything.
Two-factor authentication for the admin is enforced by `buurten.mfa.MFARequiredMiddleware`.

Every add, change and delete goes through a service (teams, commitments, partners, roles, the
last coordinator, subgebied polygons, accounts); the form runs the service's `*_clean` first, so
its Dutch message shows next to the field and nothing is written. Where no service deletes, the
admin's own delete is off. A coordinator's request for another team's row is refused and
audited (`audit.admin.RefusedAccessAuditMixin` for pages, `weigeren.RefusedActionAuditMixin` for
actions); team filters offer only their own teams (`filters.TeamFilter`).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.services import register_team_scope

from . import gebieden, mensen, teams
from .access import coord_team_ids

# The audit log's admin shows a coördinator the rows of the teams they coordinate (by the same
# per-request ids as every other ModelAdmin here); audit itself does not import buurten.
register_team_scope(coord_team_ids)

admin.site.site_header = _("VBT-beheer")
admin.site.site_title = _("VBT-beheer")
admin.site.index_title = _("Beheer van teams, partners en signalen")

__all__ = ["gebieden", "mensen", "teams"]
