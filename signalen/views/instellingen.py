"""The team's draagvlak and retention settings: signalen rules stored on the team."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buurten.mfa import coordinator_mfa_required
from buurten.selectors import (
    team_get_for_coordinator,
)
from core.forms import add_service_errors

from ..forms import (
    TeamInstellingenForm,
)
from ..services.instellingen import team_instellingen_update


@coordinator_mfa_required
@require_http_methods(["GET", "POST"])
def team_instellingen(request: HttpRequest, team_id: int) -> HttpResponse:
    """The team's draagvlak and retention settings (threshold, anonymous weight, window, term)."""
    team = team_get_for_coordinator(user=request.user, team_id=team_id)
    initial = {
        "drempel_huishoudens": team.drempel_huishoudens,
        "anoniem_gewicht": team.anoniem_gewicht,
        "steun_venster_maanden": team.steun_venster_maanden,
        "bewaartermijn_maanden": team.bewaartermijn_maanden,
        "inactief_termijn_maanden": team.inactief_termijn_maanden,
        "route_bewaartermijn_maanden": team.route_bewaartermijn_maanden,
    }
    form = TeamInstellingenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            team_instellingen_update(team=team, door=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De instellingen zijn opgeslagen."))
            return redirect("buurten:team_detail", team_id=team.pk)
    return render(
        request,
        "signalen/team_instellingen_form.html",
        {"team": team, "form": form},
        status=400 if form.errors else 200,
    )
