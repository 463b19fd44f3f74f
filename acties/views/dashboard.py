"""The coördinator dashboard (`/coordinator/`): triage queue, overdue forwards, acties without
residents, acties per status, lead times and "heeft het geholpen?", with SVG charts and tables."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from buurten.mfa import coordinator_mfa_required
from buurten.models import Team
from buurten.selectors import team_get_for_coordinator, team_list_for_coordinator
from core.cache import cache_versions

from ..grafieken import Segment, grafiek
from ..selectors_dashboard import (
    STAP_LABELS,
    STAPPEN,
    Dashboard,
    Trends,
    dashboard_for_team,
    trends_for_team,
    trends_version_keys,
)

# The trends are rendered once per team and language and kept until a signal of the team moves, an
# answer or an actie changes (the version keys), or at most this long (names, the 12-month window).
TRENDS_TIMEOUT = 60 * 60


def _team(request: HttpRequest) -> Team | None:
    """?team= (404 for another team's, 403 for a teamlid), the only team coordinated, or None: ask."""
    team_id = request.GET.get("team")
    if team_id:
        try:
            return team_get_for_coordinator(user=request.user, team_id=int(team_id))
        except ValueError:
            raise Http404(_("Dit team bestaat niet of je bent er geen lid van.")) from None
    teams = list(team_list_for_coordinator(user=request.user)[:2])
    if not teams:
        raise PermissionDenied(_("Alleen coördinatoren hebben een dashboard."))
    return teams[0] if len(teams) == 1 else None


def _dagen(waarde: float) -> str:
    return _("%(dagen)s d") % {"dagen": f"{waarde:.1f}".replace(".", ",")}


def _rij_teksten(d: Dashboard) -> None:
    """Per-row texts built once in Python rather than by a blocktranslate per table row."""
    for s in d.wacht_op_triage:
        s.leeftijd_tekst = ngettext("%(n)s dag", "%(n)s dagen", s.leeftijd_dagen) % {"n": s.leeftijd_dagen}
    sinds, aangemaakt = _("in uitvoering sinds %(datum)s"), _("aangemaakt %(datum)s")
    for a in d.acties_zonder_bewoners:
        moment = a.in_uitvoering_at or a.created_at
        datum = timezone.localdate(moment)
        tekst = sinds if a.in_uitvoering_at else aangemaakt
        a.sinds_tekst = tekst % {"datum": f"{datum.day}-{datum.month}-{datum.year}"}


def _grafieken(d: Dashboard | None = None, t: Trends | None = None) -> dict:

    def status_grafiek(titel, rijen):
        return grafiek(
            titel=titel,
            rijen=[(label, [Segment(label, n, f"staaf-{waarde}")]) for waarde, label, n in rijen],
        )

    def doorloop(titel, rijen):
        return grafiek(
            titel=titel,
            rijen=[
                (
                    r.naam,
                    [
                        Segment(STAP_LABELS[stap], r.mediaan[stap] or 0, f"staaf-stap-{stap}")
                        for stap, _b, _e in STAPPEN
                    ],
                )
                for r in rijen
            ],
            opmaak=_dagen,
        )

    def geholpen_grafiek(titel, tellingen):
        return grafiek(
            titel=titel,
            rijen=[
                (
                    t.naam,
                    [
                        Segment(_("Ja"), t.ja, "staaf-ja"),
                        Segment(_("Deels"), t.deels, "staaf-deels"),
                        Segment(_("Nee"), t.nee, "staaf-nee"),
                    ],
                )
                for t in tellingen
            ],
        )

    if d is not None:
        return {
            "signalen": status_grafiek(_("Signalen per status"), d.signalen_per_status),
            "acties": status_grafiek(_("Acties per status"), d.acties_per_status),
        }
    return {
        "doorloop_buurt": doorloop(_("Doorlooptijd per buurt (mediaan in dagen)"), t.doorlooptijd_per_buurt),
        "doorloop_thema": doorloop(_("Doorlooptijd per thema (mediaan in dagen)"), t.doorlooptijd_per_thema),
        "geholpen_buurt": geholpen_grafiek(_("Heeft het geholpen? Per buurt"), t.geholpen_per_buurt),
        "geholpen_actie": geholpen_grafiek(
            _("Heeft het geholpen? Per actie"), [telling for _id, telling in t.geholpen_per_actie]
        ),
        "geholpen_acties": [telling for _id, telling in t.geholpen_per_actie],
        "stappen": [(stap, STAP_LABELS[stap]) for stap, _b, _e in STAPPEN],
    }


def _trends_html(team: Team) -> SafeString:
    """The lead-time and 'heeft het geholpen?' sections, from the cache when nothing changed."""
    versies = cache_versions(trends_version_keys(team.pk))
    sleutel = f"vbt:dashboard-trends:{team.pk}:{get_language()}:" + ":".join(
        str(versies[k]) for k in trends_version_keys(team.pk)
    )
    html = cache.get(sleutel)
    if html is None:
        t = trends_for_team(team=team)
        html = render_to_string("acties/_dashboard_trends.html", {"t": t, "g": _grafieken(t=t)})
        cache.set(sleutel, str(html), TRENDS_TIMEOUT)
    # Our own template's output, stored as plain text.
    return mark_safe(html)  # noqa: S308 # nosec B308 B703


@coordinator_mfa_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coördinator's overview of one team they coordinate (a chooser when they have several)."""
    team = _team(request)
    if team is None:
        return render(
            request,
            "signalen/team_kiezen.html",
            {
                "titel": _("Dashboard"),
                "teams": team_list_for_coordinator(user=request.user),
                "pad": request.path,
            },
        )
    d = dashboard_for_team(team=team, trends=False)
    _rij_teksten(d)
    return render(
        request,
        "acties/dashboard.html",
        {"d": d, "team": team, "g": _grafieken(d=d), "trends": _trends_html(team)},
    )
