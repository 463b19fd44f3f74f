"""The home page and the team pages: the team, its goal, members and subgebieden."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from core.geojson import feature_collection

from ..forms.teams import LidRolForm, SubgebiedForm, TeamDoelForm
from ..mfa import coordinator_mfa_required
from ..models import Rol
from ..selectors.teams import (
    leden_per_partner,
    lidmaatschap_get_for_coordinator,
    partner_list_for_team,
    rol_in_team,
    subgebied_get_for_team,
    team_detail_for_user,
    team_get_for_coordinator,
    team_kaart_geojson,
    team_list_for_user,
)
from ..services.teams import (
    lidmaatschap_delete,
    lidmaatschap_update_rol,
    subgebied_create,
    subgebied_delete,
    subgebied_update,
    team_doel_update,
)
from ..widgets import kaart_config


def home(request: HttpRequest) -> HttpResponse:
    """The public intro; a member goes straight to their team, or chooses one of their teams."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    teams = list(team_list_for_user(user=request.user))
    if len(teams) == 1:
        return redirect("buurten:team_detail", team_id=teams[0].pk)
    return render(request, "home.html", {"teams": teams})


@login_required
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_detail_for_user(user=request.user, team_id=team_id)
    return render(
        request,
        "buurten/team_detail.html",
        {
            "team": team,
            "is_coordinator": rol_in_team(user=request.user, team=team) == Rol.COORDINATOR,
            "leden_per_partner": leden_per_partner(team=team),
            "kaart_geojson": team_kaart_geojson(team=team),
            "kaart_config": kaart_config(),
        },
    )


def _status(form) -> int:
    """A form sent back with errors is a 400: the request was refused and nothing was written."""
    return 400 if form.is_bound and form.errors else 200


def _apply(form, service, **kwargs) -> bool:
    """Call a service; its ValidationError becomes the form's errors (nothing was written)."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@coordinator_mfa_required
@require_http_methods(["GET", "POST"])
def team_doel(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_get_for_coordinator(user=request.user, team_id=team_id)
    partners = partner_list_for_team(team=team)
    inzet = {i.partner_id: i for i in team.inzet.all()}
    initial = {"doel": team.doel, "doel_start": team.doel_start, "doel_evaluatie": team.doel_evaluatie}
    for p in partners:
        if p.pk in inzet:
            initial[f"toezegging_{p.pk}"] = inzet[p.pk].toezegging
            initial[f"gevraagd_{p.pk}"] = inzet[p.pk].gevraagd
    form = TeamDoelForm(request.POST or None, initial=initial, partners=partners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(
            form,
            team_doel_update,
            team=team,
            door=request.user,
            doel=data["doel"],
            doel_start=data["doel_start"],
            doel_evaluatie=data["doel_evaluatie"],
            inzet=form.inzet(),
        ):
            messages.success(request, _("Het gezamenlijk doel is opgeslagen."))
            return redirect("buurten:team_detail", team_id=team.pk)
    return render(request, "buurten/team_doel_form.html", {"team": team, "form": form}, status=_status(form))


@coordinator_mfa_required
def team_leden(request: HttpRequest, team_id: int) -> HttpResponse:
    team_get_for_coordinator(user=request.user, team_id=team_id)
    team = team_detail_for_user(user=request.user, team_id=team_id)
    leden = [
        (lid, LidRolForm(initial={"rol": lid.rol}, prefix=f"lid{lid.pk}"))
        for lid in team.lidmaatschappen.all()
    ]
    return render(request, "buurten/team_leden.html", {"team": team, "leden": leden})


@coordinator_mfa_required
@require_http_methods(["POST"])
def lid_rol(request: HttpRequest, team_id: int, lid_id: int) -> HttpResponse:
    team = team_get_for_coordinator(user=request.user, team_id=team_id)
    lid = lidmaatschap_get_for_coordinator(user=request.user, team=team, lidmaatschap_id=lid_id)
    form = LidRolForm(request.POST, prefix=f"lid{lid.pk}")
    if form.is_valid() and _apply(
        form, lidmaatschap_update_rol, lidmaatschap=lid, door=request.user, rol=form.cleaned_data["rol"]
    ):
        messages.success(request, _("De rol van %(persoon)s is aangepast.") % {"persoon": lid.user})
    else:
        for fout in form.errors.get("rol", []) + form.non_field_errors():
            messages.error(request, fout)
    return redirect("buurten:team_leden", team_id=team.pk)


@coordinator_mfa_required
@require_http_methods(["GET", "POST"])
def lid_verwijderen(request: HttpRequest, team_id: int, lid_id: int) -> HttpResponse:
    team = team_get_for_coordinator(user=request.user, team_id=team_id)
    lid = lidmaatschap_get_for_coordinator(user=request.user, team=team, lidmaatschap_id=lid_id)
    fout = None
    if request.method == "POST":
        try:
            lidmaatschap_delete(lidmaatschap=lid, door=request.user)
        except ValidationError as exc:
            fout = " ".join(exc.messages)
        else:
            messages.success(request, _("%(persoon)s is uit het team verwijderd.") % {"persoon": lid.user})
            if lid.user_id == request.user.pk:  # left the team themselves: its pages may be closed now
                return redirect("/")
            return redirect("buurten:team_leden", team_id=team.pk)
    return render(
        request,
        "buurten/lid_verwijderen.html",
        {"team": team, "lid": lid, "fout": fout},
        status=400 if fout else 200,
    )


@coordinator_mfa_required
def subgebied_list(request: HttpRequest, team_id: int) -> HttpResponse:
    team_get_for_coordinator(user=request.user, team_id=team_id)
    team = team_detail_for_user(user=request.user, team_id=team_id)
    return render(
        request,
        "buurten/subgebied_list.html",
        {"team": team, "kaart_geojson": team_kaart_geojson(team=team), "kaart_config": kaart_config()},
    )


def _buurten_geojson(team) -> dict:
    return feature_collection((b.geometrie, {"naam": b.naam}) for b in team.buurten.all())


@coordinator_mfa_required
@require_http_methods(["GET", "POST"])
def subgebied_form(request: HttpRequest, team_id: int, subgebied_id: int | None = None) -> HttpResponse:
    team = team_get_for_coordinator(user=request.user, team_id=team_id)
    sub = (
        subgebied_get_for_team(user=request.user, team=team, subgebied_id=subgebied_id)
        if subgebied_id
        else None
    )
    initial = {"naam": sub.naam, "buurt": sub.buurt_id, "geometrie": sub.geometrie} if sub else {}
    form = SubgebiedForm(
        request.POST or None, initial=initial, team=team, context_geojson=_buurten_geojson(team)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "door": request.user,
            "buurt": data["buurt"],
            "naam": data["naam"],
            "geometrie": data["geometrie"],
        }
        ok = (
            _apply(form, subgebied_update, subgebied=sub, **fields)
            if sub
            else _apply(form, subgebied_create, team=team, **fields)
        )
        if ok:
            messages.success(request, _("Subgebied %(naam)s is opgeslagen.") % {"naam": data["naam"]})
            return redirect("buurten:subgebied_list", team_id=team.pk)
    return render(
        request,
        "buurten/subgebied_form.html",
        {"team": team, "form": form, "subgebied": sub},
        status=_status(form),
    )


@coordinator_mfa_required
@require_http_methods(["GET", "POST"])
def subgebied_verwijderen(request: HttpRequest, team_id: int, subgebied_id: int) -> HttpResponse:
    team = team_get_for_coordinator(user=request.user, team_id=team_id)
    sub = subgebied_get_for_team(user=request.user, team=team, subgebied_id=subgebied_id)
    if request.method == "POST":
        subgebied_delete(subgebied=sub, door=request.user)
        messages.success(request, _("Subgebied %(naam)s is verwijderd.") % {"naam": sub.naam})
        return redirect("buurten:subgebied_list", team_id=team.pk)
    return render(request, "buurten/subgebied_verwijderen.html", {"team": team, "subgebied": sub})
