"""A forwarded signal's follow-up: the partner's answer page behind its signed link (no
account), and the coördinator recording that answer on the signal's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from buurten.mfa import mfa_missing, redirect_to_mfa_setup
from core.actors import PARTNER_LINK
from core.forms import add_service_errors

from ..forms import DoorzetAntwoordForm
from ..models import DoorzetAntwoord, Doorzetting
from ..selectors import signaal_get_for_user, user_is_coordinator
from ..services.doorzetten import (
    GESLOTEN,
    DoorzetLinkOngeldig,
    doorzetting_beantwoorden,
    doorzetting_from_token,
)
from .signaal import _detail


def _ongeldig(request: HttpRequest, bericht, status: int) -> HttpResponse:
    return render(request, "signalen/doorzetting_ongeldig.html", {"reden": bericht}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def doorzetting_antwoord(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the signal and the form (mail scanners open links); POST records the answer.
    The same answer sent again shows the thanks again; a closed forward refuses anything else."""
    try:
        doorzetting = doorzetting_from_token(token=token, open_only=request.method == "GET")
    except DoorzetLinkOngeldig as fout:
        return _ongeldig(request, fout.bericht, fout.status)
    form = DoorzetAntwoordForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            if doorzetting.gesloten_at is not None:
                return _ongeldig(request, GESLOTEN, 410)
        else:
            try:
                doorzetting_beantwoorden(doorzetting=doorzetting, door=PARTNER_LINK, **form.cleaned_data)
            except ValidationError as fout:
                if doorzetting.gesloten_at is not None:
                    return _ongeldig(request, GESLOTEN, 410)
                add_service_errors(form, fout)
            else:
                return render(request, "signalen/doorzetting_klaar.html", {"doorzetting": doorzetting})
    context = {"doorzetting": doorzetting, "signaal": doorzetting.signaal, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "signalen/doorzetting_antwoord.html", context, status=status)


@login_required
@require_POST
def doorzetting_vastleggen(request: HttpRequest, pk: int) -> HttpResponse:
    """A coördinator records the partner's answer (given by phone, say) on the signal's page."""
    signaal = signaal_get_for_user(user=request.user, pk=pk)
    if not user_is_coordinator(user=request.user, team=signaal.team_id):
        raise PermissionDenied(
            _("Alleen een coördinator van het team kan het antwoord van de partner vastleggen.")
        )
    if mfa_missing(request.user):
        return redirect_to_mfa_setup(request)
    doorzetting = (
        Doorzetting.objects.filter(signaal=signaal, gesloten_at__isnull=True).order_by("-pk").first()
    )
    if doorzetting is None:
        raise Http404(_("Dit signaal heeft geen open doorverwijzing."))
    form = DoorzetAntwoordForm(request.POST)
    if form.is_valid():
        try:
            doorzetting_beantwoorden(doorzetting=doorzetting, door=request.user, **form.cleaned_data)
        except ValidationError as fout:
            add_service_errors(form, fout)
        else:
            messages.success(
                request,
                _("Het antwoord van %(partner)s is vastgelegd: %(antwoord)s.")
                % {
                    "partner": doorzetting.partner.naam,
                    "antwoord": DoorzetAntwoord(form.cleaned_data["antwoord"]).label.lower(),
                },
            )
            return redirect(reverse("signalen:detail", args=[pk]) + "#doorzetting")
    return _detail(request, pk, status=400, antwoord_form=form)
