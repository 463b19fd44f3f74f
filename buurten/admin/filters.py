"""List filters that offer only what the person may see: `list_filter = [TeamFilter]`.

Django's own `list_filter = ["team"]` lists every team in the database, so a coördinator would
read the names of all other teams; these filters take their choices from the access rule.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _

from buurten.selectors.teams import team_list_for_user


class TeamFilter(admin.SimpleListFilter):
    """The person's own teams (all for a superuser); `team_path` is how a row reaches its team."""

    title = _("team")
    # Django's name for `list_filter = ["team"]`, so existing links (the dashboard's) keep working.
    parameter_name = "team__id__exact"
    team_path = "team"

    def lookups(self, request, model_admin):
        return [(team.pk, team.naam) for team in team_list_for_user(user=request.user).order_by("naam")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            team_id = int(self.value())
        except (TypeError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc
        return queryset.filter(**{f"{self.team_path}_id": team_id})


def team_filter(team_path: str) -> type[TeamFilter]:
    """A TeamFilter for rows that reach their team through `team_path` (e.g. "signaal__team")."""
    return type(f"TeamFilter_{team_path}", (TeamFilter,), {"team_path": team_path})
