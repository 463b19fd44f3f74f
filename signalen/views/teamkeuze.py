"""Which team a new walk or signal is for: `?team=`, the person's only team, or a page to choose."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from buurten.models import Team
from buurten.selectors import (
    team_get_for_user,
    team_list_for_user,
)


def team_from_request(request: HttpRequest) -> Team | None:
    """The team a new walk or signal is for: ?team=, or the person's only team; None means "ask"."""
    team_id = request.GET.get("team")
    if team_id:
        try:
            return team_get_for_user(user=request.user, team_id=int(team_id))
        except ValueError:
            raise Http404(_("Dit team bestaat niet of je bent er geen lid van.")) from None
    teams = list(team_list_for_user(user=request.user)[:2])
    if not teams:
        raise PermissionDenied(_("Je bent nog geen lid van een team."))
    return teams[0] if len(teams) == 1 else None


def team_kiezen(request: HttpRequest, *, titel: str) -> HttpResponse:
    return render(
        request,
        "signalen/team_kiezen.html",
        {"titel": titel, "teams": team_list_for_user(user=request.user), "pad": request.path},
    )
