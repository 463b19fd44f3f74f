"""One signal: its page, support (household, anonymous, withdrawal), status changes and photos."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buurten.mfa import mfa_missing, redirect_to_mfa_setup
from buurten.widgets import kaart_config
from core.forms import add_service_errors, unbound_fields_html

from ..forms import (
    DoorzetAntwoordForm,
    FotoForm,
    StatusForm,
    SteunAnoniemForm,
    SteunHuishoudenForm,
)
from ..models import Status
from ..selectors import (
    doorzettingen_for_signaal,
    pages,
    signaal_get_for_user,
    signaal_waits_for_second_factor,
    user_is_coordinator,
)
from ..services.fotos import foto_add, foto_content_type
from ..services.inzage import signaal_vertrouwelijk_gelezen
from ..services.status import signaal_status_change
from ..services.steun import steun_register, steun_register_anoniem, steun_withdraw
from ..workflow import Actor, rule_for


def _steun_pagina(request: HttpRequest) -> int:
    """The page of supports asked for; anything that is no page number (or absurdly far) is page 1."""
    waarde = request.GET.get("steun", "")
    if not waarde.isdigit() or len(waarde) > 6:
        return 1
    return max(1, int(waarde))


def _detail(request: HttpRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = pages.signaal_page(user=request.user, pk=pk, steun_pagina=_steun_pagina(request))
    # Every showing of a confidential signal's page is on record (BIO), a re-shown form too.
    signaal_vertrouwelijk_gelezen(signaal=context["signaal"], door=request.user)
    keuzes = pages.status_keuzes_for_user(user=request.user, signaal=context["signaal"])
    # Only a signal that was ever triaged can have been forwarded (its history is loaded already).
    ooit_getrieerd = any(h.naar == Status.GETRIEERD for h in context["historie"])
    doorzettingen = doorzettingen_for_signaal(signaal=context["signaal"]) if ooit_getrieerd else []
    open_doorzetting = next((d for d in doorzettingen if d.gesloten_at is None), None)
    if open_doorzetting is not None and user_is_coordinator(
        user=request.user, team=context["signaal"].team_id
    ):
        context["antwoord_form"] = forms.get("antwoord_form") or DoorzetAntwoordForm()
    status_form = forms.get("status_form") or (StatusForm(keuzes=keuzes) if keuzes else None)
    huishouden_form = forms.get("huishouden_form") or SteunHuishoudenForm()
    anoniem_form = forms.get("anoniem_form") or SteunAnoniemForm()
    foto_form = forms.get("foto_form") or FotoForm()
    context.update(
        {
            "status_form": status_form,
            "status_velden": unbound_fields_html(status_form, key=tuple(keuzes)) if status_form else "",
            "huishouden_form": huishouden_form,
            "huishouden_velden": unbound_fields_html(huishouden_form, wrap={"email_toestemming": "vinkje"}),
            "anoniem_form": anoniem_form,
            "anoniem_velden": unbound_fields_html(anoniem_form),
            "foto_form": foto_form,
            "foto_velden": unbound_fields_html(foto_form),
            # One token for the page's forms, not a `{% csrf_token %}` per withdrawal button.
            "csrf_input": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
            ),
            "kaart_config": kaart_config(),
            "punt_geojson": pages.signalen_geojson(signalen=[context["signaal"]]),
            "doorzettingen": doorzettingen,
            "open_doorzetting": open_doorzetting,
            "vandaag": timezone.localdate(),
        }
    )
    return render(request, "signalen/signaal_detail.html", context, status=status)


@login_required
@require_GET
def signaal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if signaal_waits_for_second_factor(user=request.user, pk=pk):
        # Asked before the page's own read, which would log a refused access of one's own team.
        return redirect_to_mfa_setup(
            request,
            _(
                "Dit signaal is vertrouwelijk. Als coördinator of beheerder zie je vertrouwelijke "
                "signalen pas als je tweestapsverificatie hebt ingesteld. Stel eerst een "
                "authenticator-app in; daarna gaat de pagina open."
            ),
        )
    return _detail(request, pk)


@login_required
@require_POST
def steun_huishouden(request: HttpRequest, pk: int) -> HttpResponse:
    signaal = signaal_get_for_user(user=request.user, pk=pk)
    form = SteunHuishoudenForm(request.POST)
    if form.is_valid():
        try:
            steun_register(signaal=signaal, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De steun van het huishouden is vastgelegd."))
            return redirect(reverse("signalen:detail", args=[pk]) + "#steun")
    return _detail(request, pk, huishouden_form=form)


@login_required
@require_POST
def steun_anoniem(request: HttpRequest, pk: int) -> HttpResponse:
    signaal = signaal_get_for_user(user=request.user, pk=pk)
    form = SteunAnoniemForm(request.POST)
    if form.is_valid():
        try:
            steun_register_anoniem(signaal=signaal, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("De steun van %(aantal)s mensen is vastgelegd.") % {"aantal": form.cleaned_data["aantal"]},
            )
            return redirect(reverse("signalen:detail", args=[pk]) + "#steun")
    return _detail(request, pk, anoniem_form=form)


@login_required
@require_POST
def steun_intrekken(request: HttpRequest, pk: int, steun_pk: int) -> HttpResponse:
    signaal = signaal_get_for_user(user=request.user, pk=pk)
    steun = pages.steun_get_for_user(user=request.user, signaal=signaal, pk=steun_pk)
    try:
        steun_withdraw(steunbetuiging=steun, door=request.user)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De steun is ingetrokken."))
    return redirect(reverse("signalen:detail", args=[pk]) + "#steun")


@login_required
@require_POST
def status_wijzigen(request: HttpRequest, pk: int) -> HttpResponse:
    signaal = signaal_get_for_user(user=request.user, pk=pk)
    keuzes = pages.status_keuzes_for_user(user=request.user, signaal=signaal, shown=False)
    form = StatusForm(request.POST, keuzes=keuzes)
    if form.is_valid():
        rule = rule_for(signaal.status, form.cleaned_data["naar"])
        if rule is not None and Actor.TEAMLID not in rule.actors and mfa_missing(request.user):
            # A coordinator's decision needs the second factor, like every coordinator page.
            return redirect_to_mfa_setup(request)
        try:
            signaal_status_change(signaal=signaal, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("De status is nu ‘%(status)s’.") % {"status": signaal.get_status_display()}
            )
            return redirect(reverse("signalen:detail", args=[pk]) + "#historie")
    return _detail(request, pk, status_form=form)


@login_required
@require_POST
def foto_toevoegen(request: HttpRequest, pk: int) -> HttpResponse:
    signaal = signaal_get_for_user(user=request.user, pk=pk)
    form = FotoForm(request.POST, request.FILES)
    if form.is_valid():
        with transaction.atomic():
            for foto in form.cleaned_data["fotos"]:
                foto_add(signaal=signaal, foto=foto, door=request.user)
        messages.success(request, _("De foto's zijn toegevoegd."))
        return redirect(reverse("signalen:detail", args=[pk]) + "#fotos")
    return _detail(request, pk, foto_form=form)


@login_required
@require_GET
def foto(request: HttpRequest, uuid: Any) -> FileResponse:
    """Stream a photo to a member of the signal's team; media files are never served publicly."""
    record = pages.foto_get_for_user(user=request.user, uuid=uuid)
    response = FileResponse(record.bestand.open("rb"), content_type=foto_content_type(record))
    # A photo of a signal is team data: no browser or proxy keeps it (see core.middleware).
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{record.uuid}.{record.formaat}"'
    return response
