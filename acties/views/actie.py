"""One actie: its page with the timeline, and the forms that post updates, milestones, progress,
residents, notes, a status change and the coördinator's edit. Each post calls one service; the
service decides who may (a PermissionDenied is the 403 page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurten.mfa import mfa_missing, redirect_to_mfa_setup
from buurten.models import Partner
from core.forms import add_service_errors
from signalen.services.fotos import CONTENT_TYPES

from .. import selectors_pages as pages
from ..forms_pages import (
    ActieForm,
    ActieStatusForm,
    AfvinkenForm,
    BewonersForm,
    MijlpaalForm,
    NotitieForm,
    UpdateForm,
    VoortgangForm,
)
from ..models import ActieStatus
from ..selectors import actie_steun
from ..services import (
    actie_status_change,
    actie_update,
    actie_voortgang_zetten,
    bewoners_add,
    mijlpaal_add,
    mijlpaal_afvinken,
    notitie_add,
    voortgangsupdate_post,
)
from ..workflow import next_statuses_for


def _notitie_partners(*, actie: Any, rol: pages.ActieRol) -> Any:
    if rol.coordinator:
        return Partner.objects.filter(gemeente_id=actie.team.gemeente_id).order_by("naam")
    return Partner.objects.filter(pk__in=rol.partner_ids).order_by("naam")


def _detail(request: HttpRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = pages.actie_page(user=request.user, pk=pk)
    actie, rol = context["actie"], context["rol"]
    context.update(
        {
            "steun": actie_steun(actie),
            "update_form": forms.get("update_form") or UpdateForm(),
            "mijlpaal_form": forms.get("mijlpaal_form") or MijlpaalForm(),
            "voortgang_form": forms.get("voortgang_form")
            or VoortgangForm(initial={"voortgang": actie.voortgang_handmatig}),
            "bewoners_form": forms.get("bewoners_form") or BewonersForm(),
            "notitie_form": forms.get("notitie_form")
            or NotitieForm(partners=_notitie_partners(actie=actie, rol=rol)),
            "heropenen_aanbieden": rol.coordinator
            and context["geholpen_overwegend_nee"]
            and ActieStatus.HEROPEND in context["status_keuzes"],
        }
    )
    return render(request, "acties/actie_detail.html", context, status=status)


def _terug(pk: int, anker: str) -> HttpResponse:
    return redirect(reverse("acties:detail", args=[pk]) + f"#{anker}")


def _eerst_tweestaps(request: HttpRequest) -> HttpResponse | None:
    # A coördinator's change needs the second factor, like every coördinator page.
    return redirect_to_mfa_setup(request) if mfa_missing(request.user) else None


@login_required
@require_GET
def actie_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@login_required
@require_POST
def update_plaatsen(request: HttpRequest, pk: int) -> HttpResponse:
    actie = pages.actie_get_for_user(user=request.user, pk=pk)
    if weg := _eerst_tweestaps(request):
        return weg
    form = UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            voortgangsupdate_post(actie=actie, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De update is geplaatst."))
            return _terug(pk, "tijdlijn")
    return _detail(request, pk, update_form=form)


@login_required
@require_POST
def mijlpaal_toevoegen(request: HttpRequest, pk: int) -> HttpResponse:
    actie = pages.actie_get_for_user(user=request.user, pk=pk)
    if weg := _eerst_tweestaps(request):
        return weg
    form = MijlpaalForm(request.POST)
    if form.is_valid():
        try:
            mijlpaal_add(actie=actie, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De mijlpaal is toegevoegd."))
            return _terug(pk, "mijlpalen")
    return _detail(request, pk, mijlpaal_form=form)


@login_required
@require_POST
def mijlpaal_afvinken_view(request: HttpRequest, pk: int, mijlpaal_pk: int) -> HttpResponse:
    actie = pages.actie_get_for_user(user=request.user, pk=pk)
    mijlpaal = pages.mijlpaal_get_for_actie(user=request.user, actie=actie, pk=mijlpaal_pk)
    if weg := _eerst_tweestaps(request):
        return weg
    form = AfvinkenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies of de mijlpaal gedaan is of niet."))
        return _terug(pk, "mijlpalen")
    try:
        mijlpaal_afvinken(mijlpaal=mijlpaal, actie=actie, door=request.user, **form.cleaned_data)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        if form.cleaned_data["gedaan"]:
            messages.success(request, _("‘%(titel)s’ is afgevinkt.") % {"titel": mijlpaal.titel})
        else:
            messages.success(request, _("‘%(titel)s’ staat weer open.") % {"titel": mijlpaal.titel})
    return _terug(pk, "mijlpalen")


@login_required
@require_POST
def voortgang_zetten(request: HttpRequest, pk: int) -> HttpResponse:
    actie = pages.actie_get_for_user(user=request.user, pk=pk)
    if weg := _eerst_tweestaps(request):
        return weg
    form = VoortgangForm(request.POST)
    if form.is_valid():
        try:
            actie_voortgang_zetten(actie=actie, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De voortgang is bijgewerkt."))
            return _terug(pk, "mijlpalen")
    return _detail(request, pk, voortgang_form=form)


@login_required
@require_POST
def bewoners_toevoegen(request: HttpRequest, pk: int) -> HttpResponse:
    actie = pages.actie_get_for_user(user=request.user, pk=pk)
    if weg := _eerst_tweestaps(request):
        return weg
    form = BewonersForm(request.POST)
    if form.is_valid():
        try:
            bewoners_add(actie=actie, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De bewoners die meedoen zijn vastgelegd."))
            return _terug(pk, "bewoners")
    return _detail(request, pk, bewoners_form=form)


@login_required
@require_POST
def notitie_toevoegen(request: HttpRequest, pk: int) -> HttpResponse:
    actie, rol = pages.actie_en_rol(user=request.user, pk=pk)
    if weg := _eerst_tweestaps(request):
        return weg
    form = NotitieForm(request.POST, partners=_notitie_partners(actie=actie, rol=rol))
    if form.is_valid():
        try:
            notitie_add(actie=actie, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De notitie is toegevoegd."))
            return _terug(pk, "notities")
    return _detail(request, pk, notitie_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def status_wijzigen(request: HttpRequest, pk: int) -> HttpResponse:
    """Its own page: stopping asks a decision for every open signal, which a phone needs room for."""
    actie, rol = pages.actie_en_rol(user=request.user, pk=pk)
    keuzes = next_statuses_for(actie.status, rol.actors)
    if weg := _eerst_tweestaps(request):
        return weg
    if not keuzes:
        raise PermissionDenied(_("Je kunt de status van deze actie niet wijzigen."))
    signalen = pages.open_signalen(actie=actie)
    form = ActieStatusForm(
        request.POST if request.method == "POST" else None, keuzes=keuzes, signalen=signalen
    )
    if request.method == "GET" and request.GET.get("naar") in keuzes:
        form.initial["naar"] = request.GET["naar"]
    if request.method == "POST" and form.is_valid():
        try:
            actie_status_change(
                actie=actie,
                naar=form.cleaned_data["naar"],
                reden=form.cleaned_data["reden"],
                signalen_terug=form.signalen_terug(),
                door=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            actie.refresh_from_db(fields=["status"])
            messages.success(
                request, _("De status is nu ‘%(status)s’.") % {"status": actie.get_status_display()}
            )
            return _terug(pk, "tijdlijn")
    return render(request, "acties/actie_status.html", {"actie": actie, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def actie_bewerken(request: HttpRequest, pk: int) -> HttpResponse:
    actie, rol = pages.actie_en_rol(user=request.user, pk=pk)
    if weg := _eerst_tweestaps(request):
        return weg
    if not rol.coordinator:
        raise PermissionDenied(_("Alleen een coördinator van het team van deze actie kan dit doen."))
    partners = pages.partner_list_for_team(team=actie.team)
    subgebieden = actie.team.subgebieden.order_by("naam")
    initial = {
        "titel": actie.titel,
        "omschrijving": actie.omschrijving,
        "trekker": actie.trekker_id,
        "partners": [p.pk for p in actie.partners.all()],
        "start": actie.start,
        "eind": actie.eind,
        "subgebied": actie.subgebied_id,
    }
    form = ActieForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        partners=partners,
        subgebieden=subgebieden,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actie_update(actie=actie, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De actie is bijgewerkt."))
            return redirect("acties:detail", pk)
    return render(request, "acties/actie_form.html", {"actie": actie, "form": form})


@login_required
@require_GET
def update_foto(request: HttpRequest, uuid: Any) -> FileResponse:
    """Stream an update's photo to a member of the actie's team; media files are never served publicly."""
    update = pages.update_foto_get_for_user(user=request.user, uuid=uuid)
    response = FileResponse(
        update.foto.open("rb"),
        content_type=CONTENT_TYPES.get(update.foto_formaat, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{update.foto_uuid}.{update.foto_formaat}"'
    return response
