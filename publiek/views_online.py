"""What a resident does online without an account: support a signal, bring in a wish, and the
accessibility statement. Thin views: the form, the rate limit, one service, a page."""

from __future__ import annotations

from allauth.core.ratelimit import consume
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors
from signalen.selectors.pages import buurten_geojson

from .forms import SteunenForm, WensForm
from .selectors_online import gebied_for_slug, themas_for_wens
from .services.links import LinkOngeldig
from .services.steunen import (
    online_steun_aanvragen,
    online_steun_bevestigen,
    online_steun_check,
    signalen_online_steunbaar,
)
from .services.wensen import online_wens_aanvragen, online_wens_bevestigen, online_wens_check


def _te_veel(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["form"].add_error(None, _("Te veel aanvragen. Probeer het over een uur opnieuw."))
    return render(request, template, context, status=429)


def _steunbaar(signaal_id: int):
    return get_object_or_404(
        signalen_online_steunbaar().select_related("thema", "buurt", "team"), pk=signaal_id
    )


@require_http_methods(["GET", "POST"])
def steunen(request: HttpRequest, signaal_id: int) -> HttpResponse:
    """Support a public signal that gathers support: the link to confirm comes by e-mail."""
    signaal = _steunbaar(signaal_id)
    form = SteunenForm(request.POST or None)
    context = {"form": form, "signaal": signaal}
    if request.method == "POST" and form.is_valid():
        if not consume(request, action="vbt_publiek_steunen", key=form.cleaned_data["email"].strip().lower()):
            return _te_veel(request, "publiek/steunen.html", context)
        try:
            online_steun_aanvragen(signaal=signaal, door=request.user, **form.cleaned_data)
        except ValidationError as fout:
            add_service_errors(form, fout)
        else:
            return render(request, "publiek/verstuurd.html", {"signaal": signaal})
    status = 400 if request.method == "POST" else 200
    return render(request, "publiek/steunen.html", context, status=status)


def _ongeldig(request: HttpRequest, fout: LinkOngeldig) -> HttpResponse:
    return render(request, "publiek/link_ongeldig.html", {"reden": fout.bericht}, status=fout.status)


@require_http_methods(["GET", "POST"])
def steunen_bevestigen(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners open links), POST counts the support."""
    try:
        if request.method == "POST":
            uitkomst = online_steun_bevestigen(token=token)
            if uitkomst.al_gesteund:
                return render(request, "publiek/al_gesteund.html", status=409)
            return redirect("publiek:steunen_bedankt", signaal_id=uitkomst.steun.signaal_id)
        steun = online_steun_check(token=token)
    except LinkOngeldig as fout:
        return _ongeldig(request, fout)
    return render(request, "publiek/bevestigen.html", {"titel": steun.signaal.titel, "soort": "steun"})


@require_GET
def steunen_bedankt(request: HttpRequest, signaal_id: int) -> HttpResponse:
    """After confirming: the signal with its current count (public data only)."""
    signaal = get_object_or_404(
        signalen_online_steunbaar()
        .model.objects.filter(vertrouwelijk=False, over_persoon=False)
        .select_related("team", "buurt"),
        pk=signaal_id,
    )
    return render(request, "publiek/steunen_bedankt.html", {"signaal": signaal})


def _gebied(slug: str):
    gebied = gebied_for_slug(slug=slug)
    if gebied is None:
        raise Http404(_("Deze buurt kennen we niet, of er werkt (nog) geen Veilige Buurten Team."))
    return gebied


@require_http_methods(["GET", "POST"])
def wens(request: HttpRequest, slug: str) -> HttpResponse:
    """A resident's own wish for the buurt; confirmed by e-mail it reaches the team's triage."""
    gebied = _gebied(slug)
    form = WensForm(
        request.POST or None,
        themas=themas_for_wens(team=gebied.team),
        context_geojson=buurten_geojson(buurten=gebied.buurten),
    )
    context = {"form": form, "gebied": gebied, "slug": slug}
    if request.method == "POST":
        if form.honeypot_filled:
            # Answer a bot as if it worked (it learns nothing); nothing is written or mailed.
            return render(request, "publiek/verstuurd.html", {"wens": True})
        if form.is_valid():
            if not consume(
                request, action="vbt_publiek_wens", key=form.cleaned_data["email"].strip().lower()
            ):
                return _te_veel(request, "publiek/wens.html", context)
            try:
                online_wens_aanvragen(
                    team=gebied.team, buurten=gebied.buurten, door=request.user, **form.service_kwargs()
                )
            except ValidationError as fout:
                add_service_errors(form, fout)
            else:
                return render(request, "publiek/verstuurd.html", {"wens": True})
        form.fresh_timestamp()
        return render(request, "publiek/wens.html", context, status=400)
    return render(request, "publiek/wens.html", context)


@require_http_methods(["GET", "POST"])
def wens_bevestigen(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm, POST logs the wish as a signal of the team."""
    try:
        if request.method == "POST":
            online_wens_bevestigen(token=token)
            return render(request, "publiek/wens_bedankt.html")
        pending = online_wens_check(token=token)
    except LinkOngeldig as fout:
        return _ongeldig(request, fout)
    return render(request, "publiek/bevestigen.html", {"titel": pending.titel, "soort": "wens"})


@require_GET
def toegankelijkheid(request: HttpRequest) -> HttpResponse:
    return render(request, "publiek/toegankelijkheid.html")
