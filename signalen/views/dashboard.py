"""The coördinator's dashboard: signals with draagvlak that wait for triage, overdue forwards."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from buurten.mfa import coordinator_mfa_required
from buurten.selectors import (
    coordinates_any_team,
)

from ..selectors import doorzettingen_te_laat, pages


@coordinator_mfa_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's queue: signals of their teams with draagvlak bereikt, waiting for triage."""
    if not coordinates_any_team(user=request.user):
        raise PermissionDenied(_("Alleen coördinatoren hebben een dashboard."))
    signalen = list(pages.signaal_list_wacht_op_triage(user=request.user)[:200])
    te_laat = list(doorzettingen_te_laat(user=request.user)[:200])
    return render(request, "signalen/dashboard.html", {"signalen": signalen, "te_laat": te_laat})
