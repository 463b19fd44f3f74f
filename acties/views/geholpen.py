"""Public pages behind signed links in residents' mail: the "heeft het geholpen?" answer and the
one-click unsubscribe of a resident who picks up an actie."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from signalen.services.afmelden import AfmeldLinkOngeldig
from signalen.services.intrekken import LinkOngeldig

from ..forms_geholpen import GeholpenForm
from ..models import GeholpenAntwoord
from ..services.afmelden import bewoner_afmelden, bewoner_afmelden_check
from ..services.geholpen import geholpen_beantwoorden, geholpen_vraag_check


def _ongeldig(request: HttpRequest, fout: LinkOngeldig | AfmeldLinkOngeldig) -> HttpResponse:
    return render(request, "acties/link_ongeldig.html", {"reden": fout.bericht}, status=fout.status)


@require_http_methods(["GET", "POST"])
def geholpen(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the answer chosen in the mail (?antwoord=) preselected with a confirm button (mail
    scanners open links); POST stores the answer."""
    try:
        vraag = geholpen_vraag_check(token=token)
    except LinkOngeldig as fout:
        return _ongeldig(request, fout)
    if request.method == "POST":
        form = GeholpenForm(request.POST)
        if form.is_valid():
            try:
                geholpen_beantwoorden(token=token, **form.cleaned_data)
            except LinkOngeldig as fout:
                return _ongeldig(request, fout)
            except ValidationError as fout:
                add_service_errors(form, fout)
            else:
                return render(request, "acties/geholpen_bedankt.html")
        status = 400
    else:
        antwoord = request.GET.get("antwoord")
        form = GeholpenForm(initial={"antwoord": antwoord if antwoord in GeholpenAntwoord.values else None})
        status = 200
    over = vraag.actie or vraag.signaal
    onderwerp = "" if vraag.signaal_id and vraag.signaal.vertrouwelijk else over.titel
    return render(request, "acties/geholpen.html", {"form": form, "onderwerp": onderwerp}, status=status)


# The signed token is the credential, and RFC 8058 one-click POSTs come from mail clients
# without a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def bewoner_afmelden_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button, POST unsubscribes (also one-click)."""
    try:
        if request.method == "POST":
            bewoner_afmelden(token=token)
            return render(request, "acties/bewoner_afmelden_klaar.html")
        bewoner_afmelden_check(token=token)
    except AfmeldLinkOngeldig as fout:
        return _ongeldig(request, fout)
    return render(request, "acties/bewoner_afmelden_bevestigen.html")
