"""Pages for team members: walks, logging a signal, support, the list, map, CSV and dashboard.

Views are thin: a form collects input, a service in `signalen.services` applies the rule,
the view redirects or renders. Reads go through `signalen.selectors` (the access rule) and
`signalen.selectors_pages`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurten.access_mfa import coordinator_mfa_required, mfa_missing, redirect_to_mfa_setup
from buurten.models import Team
from buurten.selectors import (
    coordinates_any_team,
    team_get_for_coordinator,
    team_get_for_user,
    team_list_for_user,
)
from buurten.widgets import kaart_config
from core.csv import csv_response
from core.forms import add_service_errors
from core.geojson import COORDINATEN_BUITEN_BEREIK, coordinates_in_range, feature_collection

from . import selectors_pages as pages
from .forms import (
    FotoForm,
    SignaalFilterForm,
    SignaalForm,
    StatusForm,
    SteunAnoniemForm,
    SteunHuishoudenForm,
    TeamInstellingenForm,
    WijkrondeForm,
)
from .models import Wijkronde
from .selectors import signaal_get_for_user, signaal_nearby
from .services.fotos import foto_add, foto_content_type
from .services.instellingen import team_instellingen_update
from .services.signalen import signaal_log, team_buurt_for_point, wijkronde_create
from .services.status import signaal_status_change
from .services.steun import steun_register, steun_register_anoniem, steun_withdraw
from .workflow import Actor, rule_for

PER_PAGINA = 50
MAX_OP_KAART = 1000
NABIJ_METERS = 150


def _team_from_request(request: HttpRequest) -> Team | None:
    """The team a new walk or signal is for: ?team=, or the person's only team; None means "ask"."""
    team_id = request.GET.get("team")
    if team_id:
        try:
            return team_get_for_user(user=request.user, team_id=int(team_id))
        except ValueError:
            raise Http404(_("Dit team bestaat niet of je bent er geen lid van.")) from None
    teams = list(team_list_for_user(user=request.user)[:2])
    if not teams:
        raise PermissionDenied(_("Je bent nog geen lid van een team."))
    return teams[0] if len(teams) == 1 else None


def _team_kiezen(request: HttpRequest, *, titel: str) -> HttpResponse:
    return render(
        request,
        "signalen/team_kiezen.html",
        {"titel": titel, "teams": team_list_for_user(user=request.user), "pad": request.path},
    )


# Wijkrondes ---------------------------------------------------------------------------------


@login_required
@require_GET
def wijkronde_list(request: HttpRequest) -> HttpResponse:
    wijkrondes = Paginator(pages.wijkronde_list_for_user(user=request.user), PER_PAGINA)
    pagina = wijkrondes.get_page(request.GET.get("pagina"))
    return render(request, "signalen/wijkronde_list.html", {"pagina": pagina})


@login_required
@require_http_methods(["GET", "POST"])
def wijkronde_nieuw(request: HttpRequest) -> HttpResponse:
    team = _team_from_request(request)
    if team is None:
        return _team_kiezen(request, titel=_("Nieuwe wijkronde"))
    leden = pages.team_members(team=team)
    form = WijkrondeForm(
        request.POST or None,
        team=team,
        leden=leden,
        door=request.user,
        context_geojson=pages.buurten_geojson(buurten=team.buurten.all()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            wijkronde = wijkronde_create(team=team, door=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De wijkronde is gestart. Leg nu de signalen vast."))
            return redirect("signalen:wijkronde", pk=wijkronde.pk)
    return render(request, "signalen/wijkronde_form.html", {"form": form, "team": team})


@login_required
@require_GET
def wijkronde_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wijkronde = pages.wijkronde_get_for_user(user=request.user, pk=pk)
    kaart = None
    if wijkronde.route:
        kaart = feature_collection([(wijkronde.route, {})])
    return render(
        request,
        "signalen/wijkronde_detail.html",
        {"wijkronde": wijkronde, "route_geojson": kaart, "kaart_config": kaart_config()},
    )


# Logging a signal ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def signaal_nieuw(request: HttpRequest) -> HttpResponse:
    """Log a signal; before saving, open signals of the same thema nearby are offered to support."""
    wijkronde: Wijkronde | None = None
    if request.GET.get("wijkronde"):
        wijkronde = pages.wijkronde_get_for_user(user=request.user, pk=request.GET["wijkronde"])
        team = wijkronde.team
    else:
        team = _team_from_request(request)
        if team is None:
            return _team_kiezen(request, titel=_("Nieuw signaal"))
    team = pages.team_for_logging(team=team)
    context_geojson = pages.buurten_geojson(buurten=team.buurten.all())
    form = SignaalForm(
        request.POST or None, request.FILES or None, team=team, context_geojson=context_geojson
    )
    nabij: list = []
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        if not form.cleaned_data["toch_nieuw"]:
            nabij = signaal_nearby(
                team=team, thema=kwargs["thema"], lat=kwargs["lat"], lon=kwargs["lon"], radius_m=NABIJ_METERS
            )
        if not nabij:
            try:
                # The signal and its photos are saved together, or not at all.
                with transaction.atomic():
                    signaal = signaal_log(team=team, door=request.user, wijkronde=wijkronde, **kwargs)
                    for foto in form.cleaned_data["fotos"]:
                        foto_add(signaal=signaal, foto=foto, door=request.user)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(
                    request, _("Het signaal ‘%(titel)s’ is opgeslagen.") % {"titel": signaal.titel}
                )
                if wijkronde is not None:
                    return redirect("signalen:wijkronde", pk=wijkronde.pk)
                return redirect("signalen:detail", pk=signaal.pk)
    # A browser never re-sends chosen files with a re-shown form: say so.
    fotos_opnieuw = bool(request.FILES)
    punt_buurt = None
    locatie = getattr(form, "cleaned_data", {}).get("locatie")
    if locatie:
        lon, lat = locatie["coordinates"]
        punt_buurt = team_buurt_for_point(team=team, lat=lat, lon=lon)
    return render(
        request,
        "signalen/signaal_form.html",
        {
            "form": form,
            "team": team,
            "wijkronde": wijkronde,
            "nabij": nabij,
            "fotos_opnieuw": fotos_opnieuw,
            "heeft_subgebieden": bool(team.subgebieden.all()),  # prefetched: no query
            "punt_buurt": punt_buurt,
            "plek_url": reverse("signalen:plek") + f"?team={team.pk}",
            "nabij_tekst": {
                "kop": _("Binnen 150 meter staan open signalen met hetzelfde thema. Steun er liever één:"),
                "knop": _("Steun dit signaal in plaats van een nieuw"),
                "buurt": _("Deze plek ligt in buurt %(buurt)s."),
                "buiten": _(
                    "Deze plek ligt buiten de buurten van het team. Kies een plek in een van de buurten."
                ),
            },
        },
    )


@login_required
@require_GET
def plek(request: HttpRequest) -> JsonResponse:
    """For the logging page's script: the team's buurt at a point and open signals of a thema nearby."""
    try:
        team = team_get_for_user(user=request.user, team_id=int(request.GET.get("team", "")))
    except ValueError:
        return JsonResponse({"fout": _("Kies een team.")}, status=400)
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return JsonResponse({"fout": _("Geef een breedtegraad en lengtegraad op.")}, status=400)
    if not coordinates_in_range(lon=lon, lat=lat):
        return JsonResponse({"fout": str(COORDINATEN_BUITEN_BEREIK)}, status=400)
    buurt = team_buurt_for_point(team=team, lat=lat, lon=lon)
    nabij = []
    thema_id = request.GET.get("thema", "")
    thema = (
        pages.thema_list_for_team(team=team).filter(pk=int(thema_id)).first() if thema_id.isdigit() else None
    )
    if buurt is not None and thema is not None:
        nabij = [
            {
                "id": s.pk,
                "titel": s.titel,
                "status": str(s.get_status_display()),
                "afstand_m": round(s.afstand_m),
                "url": reverse("signalen:detail", args=[s.pk]),
                "steun_url": reverse("signalen:detail", args=[s.pk]) + "#steun",
            }
            for s in signaal_nearby(team=team, thema=thema, lat=lat, lon=lon, radius_m=NABIJ_METERS)
        ]
    return JsonResponse(
        {
            "buurt": {"id": buurt.pk, "naam": buurt.naam} if buurt else None,
            "binnen_team": buurt is not None,
            "nabij": nabij,
        }
    )


# One signal: support, photos, history -------------------------------------------------------


def _detail(request: HttpRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = pages.signaal_page(user=request.user, pk=pk)
    keuzes = pages.status_keuzes_for_user(user=request.user, signaal=context["signaal"])
    context.update(
        {
            "status_form": forms.get("status_form") or (StatusForm(keuzes=keuzes) if keuzes else None),
            "huishouden_form": forms.get("huishouden_form") or SteunHuishoudenForm(),
            "anoniem_form": forms.get("anoniem_form") or SteunAnoniemForm(),
            "foto_form": forms.get("foto_form") or FotoForm(),
            "kaart_config": kaart_config(),
            "punt_geojson": pages.signalen_geojson(signalen=[context["signaal"]]),
        }
    )
    return render(request, "signalen/signaal_detail.html", context, status=status)


@login_required
@require_GET
def signaal_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
    keuzes = pages.status_keuzes_for_user(user=request.user, signaal=signaal)
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
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="{record.uuid}.{record.formaat}"'
    return response


# Lists: list, map, CSV, dashboard -----------------------------------------------------------


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
def signaal_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV for Dutch Excel: `;`-separated, decimal comma, UTF-8 with BOM.

    Only what the team needs to work with: no household hashes, no e-mail addresses and no
    names of the people who logged a signal (AVG data minimisation).
    """
    form = _filter_form(request)
    signalen = pages.signaal_list_filtered(user=request.user, filters=form.filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(filename=f"signalen-{stamp}.csv", header=CSV_KOLOMMEN, rows=_csv_rijen(signalen))


@coordinator_mfa_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's queue: signals of their teams with draagvlak bereikt, waiting for triage."""
    if not coordinates_any_team(user=request.user):
        raise PermissionDenied(_("Alleen coördinatoren hebben een dashboard."))
    signalen = list(pages.signaal_list_wacht_op_triage(user=request.user)[:200])
    return render(request, "signalen/dashboard.html", {"signalen": signalen})


@coordinator_mfa_required
@require_http_methods(["GET", "POST"])
def team_instellingen(request: HttpRequest, team_id: int) -> HttpResponse:
    """The team's draagvlak and retention settings (threshold, anonymous weight, window, term)."""
    team = team_get_for_coordinator(user=request.user, team_id=team_id)
    initial = {
        "drempel_huishoudens": team.drempel_huishoudens,
        "anoniem_gewicht": team.anoniem_gewicht,
        "steun_venster_maanden": team.steun_venster_maanden,
        "bewaartermijn_maanden": team.bewaartermijn_maanden,
    }
    form = TeamInstellingenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            team_instellingen_update(team=team, door=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De instellingen zijn opgeslagen."))
            return redirect("buurten:team_detail", team_id=team.pk)
    return render(
        request,
        "signalen/team_instellingen_form.html",
        {"team": team, "form": form},
        status=400 if form.errors else 200,
    )
