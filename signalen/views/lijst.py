"""The signal list with its filters, the map of the filtered signals, and the same list as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from buurten.mfa import redirect_to_mfa_setup
from buurten.selectors import (
    coordinates_any_team,
    second_factor_pending,
)
from buurten.widgets import kaart_config
from core.csv import csv_response

from ..forms import (
    SignaalFilterForm,
)
from ..selectors import pages
from ..services.inzage import signalen_export_record

PER_PAGINA = 50


MAX_OP_KAART = 1000
# The export is written whole before it is sent (core/csv.py); this many rows take a few seconds,
# well inside the web worker's timeout. Above it the person narrows the filter.
MAX_CSV_RIJEN = 50_000


def _filter_form(request: HttpRequest) -> SignaalFilterForm:
    from buurten.selectors import buurt_list_for_user

    return SignaalFilterForm(
        request.GET or None,
        buurten=buurt_list_for_user(user=request.user).order_by("naam"),
        themas=pages.thema_list_for_user(user=request.user),
    )


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("pagina", None)
    return params.urlencode()


@login_required
@require_GET
def signaal_list(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    signalen = pages.signaal_list_filtered(user=request.user, filters=form.filters())
    pagina = Paginator(signalen, PER_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request,
        "signalen/signaal_list.html",
        {
            "form": form,
            "pagina": pagina,
            "querystring": _querystring(request),
            "is_coordinator": coordinates_any_team(user=request.user),
        },
    )


@login_required
@require_GET
def signaal_kaart(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    signalen = list(
        pages.signaal_list_filtered(user=request.user, filters=form.filters())[: MAX_OP_KAART + 1]
    )
    afgekapt = len(signalen) > MAX_OP_KAART
    signalen = signalen[:MAX_OP_KAART]
    return render(
        request,
        "signalen/signaal_kaart.html",
        {
            "form": form,
            "signalen": signalen,
            "afgekapt": afgekapt,
            "max_op_kaart": MAX_OP_KAART,
            "punten": pages.signalen_geojson(signalen=signalen),
            "kaart_config": kaart_config(),
            "querystring": _querystring(request),
        },
    )


CSV_KOLOMMEN = [
    "id",
    "titel",
    "thema",
    "kanaal",
    "status",
    "buurt",
    "subgebied",
    "lat",
    "lon",
    "vertrouwelijk",
    "steun_huishoudens",
    "steun_anoniem",
    "steun_totaal",
    "aangemaakt",
]


def _csv_rijen(signalen: Any) -> Iterator[list[Any]]:
    for s in signalen.iterator(chunk_size=2000):
        yield [
            s.pk,
            s.titel,
            s.thema.naam,
            s.get_kanaal_display(),
            s.get_status_display(),
            s.buurt.naam,
            s.subgebied.naam if s.subgebied else "",
            s.lat,
            s.lon,
            s.vertrouwelijk,
            s.steun_huishoudens,
            s.steun_anoniem,
            s.steun_totaal,
            timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
        ]


@login_required
@require_GET
def signaal_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV for Dutch Excel: `;`-separated, decimal comma, UTF-8 with BOM.

    Only what the team needs to work with: no household hashes, no e-mail addresses and no
    names of the people who logged a signal (AVG data minimisation). Above MAX_CSV_RIJEN rows
    the list page says to narrow the filter.
    A coordinator or superuser without TOTP gets no export: they are sent to set it up first.
    """
    if second_factor_pending(user=request.user):
        return redirect_to_mfa_setup(
            request,
            _(
                "De export van signalen kan pas als je tweestapsverificatie hebt ingesteld, omdat je "
                "coördinator of beheerder bent. Stel eerst een authenticator-app in; daarna kun je "
                "exporteren."
            ),
        )
    form = _filter_form(request)
    filters = form.filters()
    signalen = pages.signaal_list_filtered(user=request.user, filters=filters)
    aantal = signalen.count()
    if aantal > MAX_CSV_RIJEN:
        messages.error(
            request,
            _(
                "Deze selectie heeft %(aantal)s signalen; een export kan er hoogstens %(max)s bevatten. "
                "Verfijn het filter (bijvoorbeeld op buurt, thema, status of periode) en exporteer opnieuw."
            )
            % {"aantal": aantal, "max": MAX_CSV_RIJEN},
        )
        querystring = _querystring(request)
        return redirect(reverse("signalen:lijst") + (f"?{querystring}" if querystring else ""))
    signalen_export_record(door=request.user, filters=filters, aantal=aantal)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(filename=f"signalen-{stamp}.csv", header=CSV_KOLOMMEN, rows=_csv_rijen(signalen))
