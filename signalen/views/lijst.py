"""The signal list with its filters, the map of the filtered signals, and the same list as CSV."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from buurten.mfa import redirect_to_mfa_setup
from buurten.selectors import (
    coordinates_any_team,
    second_factor_pending,
)
from buurten.widgets import kaart_config
from core.csv import csv_streaming_response

from ..forms import (
    SignaalFilterForm,
)
from ..models import Kanaal, Status
from ..selectors import pages
from ..services.inzage import signalen_export_record


def _filter_form(request: HttpRequest) -> SignaalFilterForm:
    from buurten.selectors import buurt_list_for_user

    buurten = (
        buurt_list_for_user(user=request.user)
        .select_related(None)
        # Only what a choice shows: a buurt's outline can be megabytes of GeoJSON.
        .only("id", "naam", "code")
        .order_by("naam")
    )
    themas = pages.thema_list_for_user(user=request.user).only("id", "naam")
    # Bound only when a filter is asked for: a page link (`?na=`) alone leaves the form unbound,
    # so a later page shows the same cached form as the first.
    data = request.GET if any(naam in request.GET for naam in SignaalFilterForm.base_fields) else None
    return SignaalFilterForm(data, buurten=buurten, themas=themas)


def _filters_html(request: HttpRequest, form: SignaalFilterForm) -> str:
    """The filter form as HTML. The unbound form (most page views) is rendered once per language
    and set of choices and cached: a form's widgets render through a template per option."""
    if form.is_bound:
        return render_to_string("signalen/_filters.html", {"form": form}, request)
    choices = (
        get_language(),
        [(b.pk, b.naam) for b in form.fields["buurt"].queryset],
        [(t.pk, t.naam) for t in form.fields["thema"].queryset],
    )
    key = "vbt:signaalfilters:" + hashlib.sha256(repr(choices).encode()).hexdigest()[:32]
    html = cache.get(key)
    if html is None:
        html = render_to_string("signalen/_filters.html", {"form": form}, request)
        cache.set(key, html, timeout=24 * 3600)
    # Our own template's output, escaped there, stored as plain text.
    return mark_safe(html)  # noqa: S308 # nosec B308 B703


def _querystring(request: HttpRequest, *drop: str) -> str:
    params = request.GET.copy()
    for name in ("pagina", "na", "voor", *drop):
        params.pop(name, None)
    return params.urlencode()


def _keyset_page(request: HttpRequest, signalen) -> pages.KeysetPagina:
    na, voor = request.GET.get("na"), request.GET.get("voor")
    if (na and pages.cursor_parse(na) is None) or (voor and pages.cursor_parse(voor) is None):
        messages.info(request, _("Deze paginalink klopt niet (meer); je ziet de nieuwste signalen."))
        na = voor = None
    return pages.signaal_keyset_page(qs=signalen, na=na, voor=voor)


@login_required
@require_GET
def signaal_list(request: HttpRequest) -> HttpResponse:
    """The team's signals, newest first, 25 per page by position (no count of all rows)."""
    form = _filter_form(request)
    signalen = pages.signaal_list_filtered(user=request.user, filters=form.filters())
    pagina = _keyset_page(request, pages.signaal_list_kaartje_kolommen(signalen))
    return render(
        request,
        "signalen/signaal_list.html",
        {
            "form": form,
            "filters_html": _filters_html(request, form),
            "pagina": pagina,
            "kaartjes": pages.signaal_kaartjes(signalen=pagina.rijen),
            "querystring": _querystring(request),
            "is_coordinator": coordinates_any_team(user=request.user),
        },
    )


@login_required
@require_GET
def signaal_kaart(request: HttpRequest) -> HttpResponse:
    """The map page without its points: the script asks them from `signaal_kaart_punten` (cached),
    with the same filters; the list page is the text alternative."""
    form = _filter_form(request)
    form.filters()
    querystring = _querystring(request)
    return render(
        request,
        "signalen/signaal_kaart.html",
        {
            "form": form,
            "filters_html": _filters_html(request, form),
            "kaart_config": kaart_config(),
            "kaart_labels": {
                "status": {k: str(v) for k, v in Status.choices},
                "thema": {t.pk: t.naam for t in form.fields["thema"].queryset},
                "detail": reverse("signalen:detail", args=[0]),
                "bron": reverse("signalen:kaart_punten") + (f"?{querystring}" if querystring else ""),
                "geladen": _("%(n)s signalen op de kaart."),
                "fout": _("De signalen konden niet geladen worden. Bekijk ze als lijst."),
            },
            "querystring": querystring,
        },
    )


@login_required
@require_GET
def signaal_kaart_punten(request: HttpRequest) -> HttpResponse:
    """The map's points as compact GeoJSON (id, point, status, thema) of the person's teams only,
    cached per team until a signal of the team changes."""
    form = _filter_form(request)
    compressed = bool(re_accepts_gzip.search(request.headers.get("accept-encoding", "")))
    body = pages.kaartpunten_json(user=request.user, filters=form.filters(), compressed=compressed)
    response = HttpResponse(body, content_type="application/geo+json")
    patch_vary_headers(response, ("Accept-Encoding",))
    if compressed:
        # Compressed once per version and filter, not on every request (GZipMiddleware leaves
        # a response with a Content-Encoding alone).
        response["Content-Encoding"] = "gzip"
    return response


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
    # Labels once, not per row (get_FOO_display translates each time); plain tuples, no models.
    kanaal = {k: str(v) for k, v in Kanaal.choices}
    status = {k: str(v) for k, v in Status.choices}
    tz = timezone.get_current_timezone()
    rows = signalen.values_list(
        "pk",
        "titel",
        "thema__naam",
        "kanaal",
        "status",
        "buurt__naam",
        "subgebied__naam",
        "lat",
        "lon",
        "vertrouwelijk",
        "steun_huishoudens",
        "steun_anoniem",
        "steun_totaal",
        "created_at",
    )
    for row in rows.iterator(chunk_size=CSV_CHUNK):
        pk, titel, thema, k, st, buurt, subgebied, lat, lon, vertrouwelijk, huish, anon, totaal, at = row
        yield [
            pk,
            titel,
            thema,
            kanaal.get(k, k),
            status.get(st, st),
            buurt,
            subgebied or "",
            lat,
            lon,
            vertrouwelijk,
            huish,
            anon,
            totaal,
            at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        ]


# Rows fetched per round trip (a server-side cursor on PostgreSQL): memory stays flat at any size.
CSV_CHUNK = 2000


@login_required
@require_GET
def signaal_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV for Dutch Excel: `;`-separated, decimal comma, UTF-8 with BOM.

    Only what the team needs to work with: no household hashes, no e-mail addresses and no
    names of the people who logged a signal (AVG data minimisation). Streamed (core/csv.py), so
    any number of rows takes the same memory; the export's audit row (filter and row count) is
    written before the first byte.
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
    signalen_export_record(door=request.user, filters=filters, aantal=signalen.order_by().count())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_streaming_response(
        filename=f"signalen-{stamp}.csv", header=CSV_KOLOMMEN, rows=_csv_rijen(signalen)
    )
