"""Street walks (wijkrondes): the list, starting one, and one walk with its route and signals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buurten.widgets import kaart_config
from core.forms import add_service_errors
from core.geojson import feature_collection

from ..forms import (
    WijkrondeForm,
)
from ..selectors import pages
from ..selectors.pages import PER_PAGINA
from ..services.signalen import wijkronde_create
from .teamkeuze import team_from_request, team_kiezen


@login_required
@require_GET
def wijkronde_list(request: HttpRequest) -> HttpResponse:
    wijkrondes = Paginator(pages.wijkronde_list_for_user(user=request.user), PER_PAGINA)
    pagina = wijkrondes.get_page(request.GET.get("pagina"))
    return render(request, "signalen/wijkronde_list.html", {"pagina": pagina})


@login_required
@require_http_methods(["GET", "POST"])
def wijkronde_nieuw(request: HttpRequest) -> HttpResponse:
    team = team_from_request(request)
    if team is None:
        return team_kiezen(request, titel=_("Nieuwe wijkronde"))
    leden = pages.team_members(team=team)
    form = WijkrondeForm(
        request.POST or None,
        team=team,
        leden=leden,
        door=request.user,
        context_geojson=pages.buurten_geojson(buurten=team.buurten.defer("geometrie")),
    )
    if request.method == "POST" and form.is_valid():
        try:
            wijkronde = wijkronde_create(team=team, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De wijkronde is gestart. Leg nu de signalen vast."))
            return redirect("signalen:wijkronde", pk=wijkronde.pk)
    return render(request, "signalen/wijkronde_form.html", {"form": form, "team": team})


@login_required
@require_GET
def wijkronde_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wijkronde = pages.wijkronde_get_for_user(user=request.user, pk=pk)
    kaart = None
    if wijkronde.route:
        kaart = feature_collection([(wijkronde.route, {})])
    return render(
        request,
        "signalen/wijkronde_detail.html",
        {"wijkronde": wijkronde, "route_geojson": kaart, "kaart_config": kaart_config()},
    )
