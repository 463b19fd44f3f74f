"""The one-click unsubscribe link in every mail to a supporter (`signalen.services.afmelden`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..services.afmelden import AfmeldLinkOngeldig, steun_afmelden, steun_afmelden_check


# The signed token is the credential, and RFC 8058 one-click POSTs come from mail clients
# without a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def afmelden(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (mail scanners open links), POST unsubscribes (also one-click)."""
    try:
        if request.method == "POST":
            steun_afmelden(token=token)
            return render(request, "signalen/afmelden_klaar.html")
        steun_afmelden_check(token=token)
    except AfmeldLinkOngeldig as fout:
        return render(request, "signalen/afmelden_ongeldig.html", {"reden": fout.bericht}, status=fout.status)
    return render(request, "signalen/afmelden_bevestigen.html")
