"""Logging a signal: the form with the map, and the lookup of buurt and nearby signals at a point."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buurten.selectors import (
    team_get_for_user,
)
from core.forms import add_service_errors
from core.geojson import COORDINATEN_BUITEN_BEREIK, coordinates_in_range

from ..forms import (
    SignaalForm,
)
from ..models import Wijkronde
from ..selectors import pages, signaal_nearby
from ..services.fotos import foto_add
from ..services.signalen import signaal_log, team_buurt_for_point
from .teamkeuze import team_from_request, team_kiezen

NABIJ_METERS = 150


@login_required
@require_http_methods(["GET", "POST"])
def signaal_nieuw(request: HttpRequest) -> HttpResponse:
    """Log a signal; before saving, open signals of the same thema nearby are offered to support."""
    wijkronde: Wijkronde | None = None
    if request.GET.get("wijkronde"):
        wijkronde = pages.wijkronde_get_for_user(user=request.user, pk=request.GET["wijkronde"])
        team = wijkronde.team
    else:
        team = team_from_request(request)
        if team is None:
            return team_kiezen(request, titel=_("Nieuw signaal"))
    team = pages.team_for_logging(team=team)
    context_geojson = pages.buurten_geojson(buurten=team.buurten.all())
    form = SignaalForm(
        request.POST or None, request.FILES or None, team=team, context_geojson=context_geojson
    )
    nabij: list = []
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        if not form.cleaned_data["toch_nieuw"]:
            nabij = signaal_nearby(
                team=team, thema=kwargs["thema"], lat=kwargs["lat"], lon=kwargs["lon"], radius_m=NABIJ_METERS
            )
        if not nabij:
            try:
                # The signal and its photos are saved together, or not at all.
                with transaction.atomic():
                    signaal = signaal_log(team=team, door=request.user, wijkronde=wijkronde, **kwargs)
                    for foto in form.cleaned_data["fotos"]:
                        foto_add(signaal=signaal, foto=foto, door=request.user)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(
                    request, _("Het signaal ‘%(titel)s’ is opgeslagen.") % {"titel": signaal.titel}
                )
                if wijkronde is not None:
                    return redirect("signalen:wijkronde", pk=wijkronde.pk)
                return redirect("signalen:detail", pk=signaal.pk)
    # A browser never re-sends chosen files with a re-shown form: say so.
    fotos_opnieuw = bool(request.FILES)
    punt_buurt = None
    locatie = getattr(form, "cleaned_data", {}).get("locatie")
    if locatie:
        lon, lat = locatie["coordinates"]
        punt_buurt = team_buurt_for_point(team=team, lat=lat, lon=lon)
    return render(
        request,
        "signalen/signaal_form.html",
        {
            "form": form,
            "team": team,
            "wijkronde": wijkronde,
            "nabij": nabij,
            "fotos_opnieuw": fotos_opnieuw,
            "heeft_subgebieden": bool(team.subgebieden.all()),  # prefetched: no query
            "punt_buurt": punt_buurt,
            "plek_url": reverse("signalen:plek") + f"?team={team.pk}",
            "nabij_tekst": {
                "kop": _("Binnen 150 meter staan open signalen met hetzelfde thema. Steun er liever één:"),
                "knop": _("Steun dit signaal in plaats van een nieuw"),
                "buurt": _("Deze plek ligt in buurt %(buurt)s."),
                "buiten": _(
                    "Deze plek ligt buiten de buurten van het team. Kies een plek in een van de buurten."
                ),
            },
        },
    )


@login_required
@require_GET
def plek(request: HttpRequest) -> JsonResponse:
    """For the logging page's script: the team's buurt at a point and open signals of a thema nearby."""
    try:
        team = team_get_for_user(user=request.user, team_id=int(request.GET.get("team", "")))
    except ValueError:
        return JsonResponse({"fout": _("Kies een team.")}, status=400)
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return JsonResponse({"fout": _("Geef een breedtegraad en lengtegraad op.")}, status=400)
    if not coordinates_in_range(lon=lon, lat=lat):
        return JsonResponse({"fout": str(COORDINATEN_BUITEN_BEREIK)}, status=400)
    buurt = team_buurt_for_point(team=team, lat=lat, lon=lon)
    nabij = []
    thema_id = request.GET.get("thema", "")
    thema = (
        pages.thema_list_for_team(team=team).filter(pk=int(thema_id)).first() if thema_id.isdigit() else None
    )
    if buurt is not None and thema is not None:
        nabij = [
            {
                "id": s.pk,
                "titel": s.titel,
                "status": str(s.get_status_display()),
                "afstand_m": round(s.afstand_m),
                "url": reverse("signalen:detail", args=[s.pk]),
                "steun_url": reverse("signalen:detail", args=[s.pk]) + "#steun",
            }
            for s in signaal_nearby(team=team, thema=thema, lat=lat, lon=lon, radius_m=NABIJ_METERS)
        ]
    return JsonResponse(
        {
            "buurt": {"id": buurt.pk, "naam": buurt.naam} if buurt else None,
            "binnen_team": buurt is not None,
            "nabij": nabij,
        }
    )
