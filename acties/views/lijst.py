"""The team's acties list, with its filters (status, buurt, thema of the signals, partner, zoekt bewoners)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from buurten.selectors import coordinates_any_team
from signalen.views.teamkeuze import team_from_request, team_kiezen

from .. import selectors_pages as pages
from ..forms_pages import ActieFilterForm
from ..services.voortgang import actie_voortgang

PER_PAGINA = 25


@login_required
@require_GET
def actie_list(request: HttpRequest) -> HttpResponse:
    team = team_from_request(request)
    if team is None:
        return team_kiezen(request, titel=_("Acties"))
    form = ActieFilterForm(
        request.GET or None,
        buurten=pages.buurt_list_for_team(team=team),
        themas=pages.thema_list_for_team(team=team),
        partners=pages.partner_list_for_team(team=team),
    )
    acties = pages.actie_list_filtered(team=team, filters=form.filters())
    pagina = Paginator(acties, PER_PAGINA).get_page(request.GET.get("pagina"))
    for actie in pagina:
        actie.voortgang = actie_voortgang(actie)
        actie.stalled = pages.is_stalled(actie)
        actie.zoekt_bewoners = pages.zoekt_bewoners(actie)
    params = request.GET.copy()
    params.pop("pagina", None)
    params["team"] = team.pk
    return render(
        request,
        "acties/actie_list.html",
        {
            "team": team,
            "form": form,
            "pagina": pagina,
            "querystring": params.urlencode(),
            "is_coordinator": coordinates_any_team(user=request.user),
        },
    )
