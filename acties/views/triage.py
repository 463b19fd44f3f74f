"""The triage page for coördinatoren outside the admin (the admin's table does not fit a phone):
the queue as cards; select signals of one team and make a new actie of them, link them to an
existing actie, reject them with a reason residents read, or forward them as a primary task.

Thin views: the selection is checked against the access rule (another team's signal is a 404,
a teamlid gets a 403), the forms collect input, the services decide.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from buurten.mfa import coordinator_mfa_required
from buurten.selectors import coordinates_any_team, coordinator_team_ids_for_user
from core.forms import add_service_errors
from signalen.models import Signaal, Status, TriageUitkomst
from signalen.selectors import signaal_list_for_user
from signalen.selectors.signalen import not_found_audit
from signalen.services import signaal_status_change, signaal_triage

from ..forms import AfwijzenForm, DoorzettenForm, KoppelForm, NieuweActieForm
from ..selectors import triage_queue_for_user
from ..services import actie_create_from_signalen, actie_signalen_koppelen

# More than a coördinator can look at on one page; the oldest with draagvlak come first.
MAX_OP_PAGINA = 200

STAPPEN = {
    "nieuw": (NieuweActieForm, gettext_lazy("Nieuwe VBT-actie")),
    "koppel": (KoppelForm, gettext_lazy("Koppel aan bestaande actie")),
    "afwijzen": (AfwijzenForm, gettext_lazy("Afwijzen")),
    "doorzetten": (DoorzettenForm, gettext_lazy("Primaire taak: doorzetten")),
}


def _require_coordinator(request: HttpRequest) -> None:
    if not coordinates_any_team(user=request.user):
        raise PermissionDenied(_("Alleen coördinatoren trieren signalen."))


@coordinator_mfa_required
@require_GET
def triage(request: HttpRequest) -> HttpResponse:
    """The queue of the coördinator's teams: draagvlak bereikt first, then nieuw; grouped by team."""
    _require_coordinator(request)
    signalen = list(triage_queue_for_user(user=request.user)[: MAX_OP_PAGINA + 1])
    afgekapt = len(signalen) > MAX_OP_PAGINA
    teams: dict[int, dict] = {}
    for s in signalen[:MAX_OP_PAGINA]:
        teams.setdefault(s.team_id, {"team": s.team, "signalen": []})["signalen"].append(s)
    return render(
        request,
        "acties/triage.html",
        {"teams": list(teams.values()), "afgekapt": afgekapt, "max_op_pagina": MAX_OP_PAGINA},
    )


def _selectie(request: HttpRequest, data) -> list[Signaal]:
    """The chosen signals: a 404 (audited) for one the person may not see or does not coordinate."""
    ids = []
    for value in data.getlist("signaal")[:MAX_OP_PAGINA]:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise Http404(_("Dit signaal bestaat niet of hoort niet bij jouw team.")) from None
    if any(not (0 < pk < 2**63) for pk in ids):
        raise Http404(_("Dit signaal bestaat niet of hoort niet bij jouw team."))
    gekozen = list(
        signaal_list_for_user(user=request.user)
        .filter(pk__in=ids, team_id__in=coordinator_team_ids_for_user(user=request.user))
        .order_by("pk")
    )
    gevonden = {s.pk for s in gekozen}
    for pk in ids:
        if pk not in gevonden:
            not_found_audit(user=request.user, label="signalen.signaal", ref=pk, model=Signaal)
            raise Http404(_("Dit signaal bestaat niet of hoort niet bij jouw team."))
    return gekozen


def _form(stap: str, signalen: list[Signaal], data=None):
    form_class, _titel = STAPPEN[stap]
    if form_class is NieuweActieForm:
        return NieuweActieForm(
            data, gemeente_ids={s.team.gemeente_id for s in signalen}, initial={"titel": signalen[0].titel}
        )
    if form_class is DoorzettenForm:
        return DoorzettenForm(data, gemeente_ids={s.team.gemeente_id for s in signalen})
    if form_class is KoppelForm:
        return KoppelForm(data, team_ids={s.team_id for s in signalen})
    return form_class(data)


def _uitvoeren(stap: str, signalen: list[Signaal], data: dict, door) -> str:
    """Call the service(s) of one step, all or nothing; returns the success message."""
    if stap == "nieuw":
        actie = actie_create_from_signalen(
            signalen=signalen,
            titel=data["titel"],
            omschrijving=data["omschrijving"],
            trekker=data["trekker"],
            partners=list(data["partners"]),
            start=data["start"],
            eind=data["eind"],
            door=door,
        )
        return _("VBT-actie ‘%(titel)s’ gemaakt.") % {"titel": actie.titel}
    if stap == "koppel":
        actie = actie_signalen_koppelen(actie=data["actie"], signalen=signalen, door=door)
        return _("Signalen gekoppeld aan ‘%(titel)s’.") % {"titel": actie.titel}
    with transaction.atomic():
        for signaal in signalen:
            if stap == "afwijzen":
                signaal_status_change(signaal=signaal, naar=Status.AFGEWEZEN, door=door, reden=data["reden"])
            else:
                signaal_triage(
                    signaal=signaal,
                    uitkomst=TriageUitkomst.PRIMAIRE_TAAK,
                    partner=data["partner"],
                    reden=data["reden"],
                    opvolgen_werkdagen=data["opvolgen_werkdagen"],
                    door=door,
                )
    if stap == "afwijzen":
        return ngettext("%(aantal)s signaal afgewezen.", "%(aantal)s signalen afgewezen.", len(signalen)) % {
            "aantal": len(signalen)
        }
    return ngettext(
        "%(aantal)s signaal doorgezet naar %(partner)s.",
        "%(aantal)s signalen doorgezet naar %(partner)s.",
        len(signalen),
    ) % {
        "aantal": len(signalen),
        "partner": data["partner"].naam,
    }


@coordinator_mfa_required
@require_http_methods(["GET", "POST"])
def triage_stap(request: HttpRequest, stap: str) -> HttpResponse:
    """One action on the chosen signals: GET shows its form, POST calls the service."""
    _require_coordinator(request)
    if stap not in STAPPEN:
        raise Http404(_("Deze stap bestaat niet."))
    data = request.POST if request.method == "POST" else request.GET
    signalen = _selectie(request, data)
    if not signalen:
        messages.error(request, _("Kies eerst een of meer signalen."))
        return redirect("acties:triage")
    if len({s.team_id for s in signalen}) > 1:
        messages.error(request, _("Kies signalen van één team tegelijk."))
        return redirect("acties:triage")
    form = _form(stap, signalen, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            melding = _uitvoeren(stap, signalen, form.cleaned_data, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, melding)
            return redirect("acties:triage")
    return render(
        request,
        "acties/triage_stap.html",
        {"stap": stap, "titel": STAPPEN[stap][1], "form": form, "signalen": signalen},
        status=400 if form.errors else 200,
    )
