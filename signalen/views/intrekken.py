"""The public page where a household withdraws all its support, confirmed by a mailed link."""

from __future__ import annotations

from allauth.core.ratelimit import consume
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors

from ..forms import HuishoudenIntrekkenForm
from ..services.intrekken import (
    LinkOngeldig,
    huishouden_intrekking_aanvragen,
    huishouden_intrekking_check,
    huishouden_steun_intrekken,
)


@require_http_methods(["GET", "POST"])
def huishouden_intrekken(request: HttpRequest) -> HttpResponse:
    form = HuishoudenIntrekkenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not consume(request, action="vbt_steun_intrekken", key=form.cleaned_data["email"].lower()):
            form.add_error(None, _("Te veel aanvragen. Probeer het over een uur opnieuw."))
            return render(request, "signalen/huishouden_intrekken.html", {"form": form}, status=429)
        try:
            huishouden_intrekking_aanvragen(door=request.user, **form.cleaned_data)
        except ValidationError as fout:
            add_service_errors(form, fout)
        else:
            return render(request, "signalen/huishouden_intrekken_verstuurd.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "signalen/huishouden_intrekken.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def huishouden_intrekken_bevestigen(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links), POST withdraws."""
    try:
        if request.method == "POST":
            huishouden_steun_intrekken(token=token, door=request.user)
            return render(request, "signalen/huishouden_intrekken_klaar.html")
        huishouden_intrekking_check(token=token)
    except LinkOngeldig as fout:
        return render(
            request,
            "signalen/huishouden_intrekken_ongeldig.html",
            {"reden": fout.bericht},
            status=fout.status,
        )
    return render(request, "signalen/huishouden_intrekken_bevestigen.html")
