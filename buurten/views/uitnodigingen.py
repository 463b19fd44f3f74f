"""Pages for inviting people into a team and for accepting an invitation."""

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from buurten.forms.uitnodigingen import LidToevoegenForm, UitnodigingAccepterenForm, UitnodigingForm
from buurten.mfa import coordinator_mfa_required
from buurten.selectors.teams import team_get_for_coordinator
from buurten.selectors.uitnodigingen import uitnodiging_list_open_for_team
from buurten.services.uitnodigingen import (
    UitnodigingOnbruikbaar,
    lidmaatschap_add_existing,
    toegevoegd_mail_sleutel,
    uitnodiging_accept,
    uitnodiging_create,
    uitnodiging_get_usable,
    uitnodiging_mail_sleutel,
)
from notificaties.selectors import bericht_is_sent

# An unknown link is "not found"; a used or expired one is "gone".
STATUS_ONBRUIKBAAR = {"onbekend": 404, "gebruikt": 410, "verlopen": 410}


@coordinator_mfa_required
@require_http_methods(["GET", "POST"])
def uitnodigen(request: HttpRequest, team_id: int) -> HttpResponse:
    # 404 for a team the person is not in, 403 for a teamlid of this team.
    team = team_get_for_coordinator(user=request.user, team_id=team_id)
    form = UitnodigingForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            uitnodiging = uitnodiging_create(
                team=team,
                partner=form.cleaned_data["partner"],
                rol=form.cleaned_data["rol"],
                email=form.cleaned_data["email"],
                door=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if bericht_is_sent(sleutel=uitnodiging_mail_sleutel(uitnodiging)):
                messages.success(
                    request, _("De uitnodiging is verstuurd naar %(email)s.") % {"email": uitnodiging.email}
                )
            else:  # the mail server refused or is away (or a worker has it): the outbox retries
                messages.success(
                    request,
                    _(
                        "De uitnodiging voor %(email)s is opgeslagen; de e-mail wordt zo snel mogelijk "
                        "verstuurd."
                    )
                    % {"email": uitnodiging.email},
                )
            return redirect("buurten:uitnodigen", team_id=team.pk)
    status = 400 if request.method == "POST" else 200
    context = {"team": team, "form": form, "open_uitnodigingen": uitnodiging_list_open_for_team(team=team)}
    return render(request, "buurten/uitnodigen.html", context, status=status)


@coordinator_mfa_required
@require_http_methods(["GET", "POST"])
def lid_toevoegen(request: HttpRequest, team_id: int) -> HttpResponse:
    # 404 for a team the person is not in, 403 for a teamlid of this team.
    team = team_get_for_coordinator(user=request.user, team_id=team_id)
    form = LidToevoegenForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            lid = lidmaatschap_add_existing(
                team=team,
                door=request.user,
                email=form.cleaned_data["email"],
                partner=form.cleaned_data["partner"],
                rol=form.cleaned_data["rol"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            melding = _("%(persoon)s is toegevoegd aan het team namens %(partner)s.") % {
                "persoon": lid.user,
                "partner": lid.partner.naam,
            }
            if not bericht_is_sent(sleutel=toegevoegd_mail_sleutel(lid)):
                melding += " " + _("De e-mail daarover wordt zo snel mogelijk verstuurd.")
            messages.success(request, melding)
            return redirect("buurten:team_leden", team_id=team.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "buurten/lid_toevoegen.html", {"team": team, "form": form}, status=status)


def _onbruikbaar(request: HttpRequest, error: ValidationError, status: int) -> HttpResponse:
    context = {"reden": error.messages[0]}
    return render(request, "buurten/uitnodiging_onbruikbaar.html", context, status=status)


@never_cache  # shows the invited e-mail address to a visitor who is not logged in
@require_http_methods(["GET", "POST"])
def uitnodiging_accepteren(request: HttpRequest, token: str) -> HttpResponse:
    try:
        uitnodiging = uitnodiging_get_usable(token=token)
    except UitnodigingOnbruikbaar as error:
        return _onbruikbaar(request, error, STATUS_ONBRUIKBAAR.get(error.code, 400))
    if request.user.is_authenticated:
        reden = _(
            "Je bent al ingelogd als %(email)s. Log eerst uit en open de link dan opnieuw om de "
            "uitnodiging te accepteren."
        ) % {"email": request.user.email}
        return render(request, "buurten/uitnodiging_onbruikbaar.html", {"reden": reden}, status=400)

    form = UitnodigingAccepterenForm(request.POST or None, email=uitnodiging.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = uitnodiging_accept(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except UitnodigingOnbruikbaar as error:
            return _onbruikbaar(request, error, STATUS_ONBRUIKBAAR.get(error.code, 400))
        except ValidationError as error:
            return _onbruikbaar(request, error, 400)
        # The person typed this password a moment ago: record it as a fresh (re)authentication,
        # so an invited coordinator can set up two-factor authentication without a second prompt.
        record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
        messages.success(request, _("Welkom bij %(team)s!") % {"team": uitnodiging.team})
        team_url = reverse("buurten:team_detail", kwargs={"team_id": uitnodiging.team_id})
        return perform_login(request, user, redirect_url=team_url)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "buurten/uitnodiging_accepteren.html",
        {"uitnodiging": uitnodiging, "form": form},
        status=status,
    )
