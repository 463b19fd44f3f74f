"""What the load run's simulated people do, written once as JSON for locust (bench/load/locustfile.py).

Staff users get sessions created directly in the session store for the seeded teamleden (no login
form, no TOTP, no backdoor in the app: the same rows `login()` would write). Every path comes from
the URL resolver, so a page that is not on this branch is left out of the plan (and named).
"""

from __future__ import annotations

import random
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify

from acties.models import Actie, ActieStatus
from buurten.models import Lidmaatschap, Rol, Team
from signalen.forms import SteunHuishoudenForm
from signalen.models import Signaal
from signalen.workflow import OPEN_STATUSES, TALLY_STATUSES

PER_TEAM_SIGNALEN = 300
PER_TEAM_ACTIES = 60


def _pad(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def sessie_voor(user) -> str:
    """A logged-in session for `user`, as django.contrib.auth.login() would store it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def maak_plan(*, staff: int, seed: int = 11) -> dict:
    rng = random.Random(seed)  # noqa: S311 - a reproducible test plan, not a secret
    seats = list(
        Lidmaatschap.objects.filter(rol=Rol.TEAMLID, user__is_active=True)
        .select_related("user", "team")
        .order_by("team_id", "user_id")
    )
    if not seats:
        raise RuntimeError("geen teamleden in de database: draai eerst manage.py seed_scale")
    ontbreekt = []
    kaart = _pad("signalen:kaart_punten") or _pad("signalen:kaart")
    if _pad("signalen:kaart_punten") is None:
        ontbreekt.append("signalen:kaart_punten (kaartpagina zelf gemeten)")
    partners: dict[int, set[int]] = {}
    for seat in seats:
        partners.setdefault(seat.team_id, set()).add(seat.partner_id)
    teams = {}
    for team in Team.objects.filter(pk__in={s.team_id for s in seats}).prefetch_related("buurten"):
        open_ids = list(
            Signaal.objects.filter(team=team, status__in=OPEN_STATUSES)
            .order_by("-steun_totaal", "pk")
            .values_list("pk", flat=True)[: PER_TEAM_SIGNALEN * 3]
        )
        rng.shuffle(open_ids)
        buurt = next(iter(team.buurten.all()), None)
        teams[team.pk] = {
            "lijst": _pad("signalen:lijst"),
            "kaart": kaart,
            "signalen": [_pad("signalen:detail", pk=pk) for pk in open_ids[:PER_TEAM_SIGNALEN]],
            "nieuw": f"{_pad('signalen:nieuw')}?team={team.pk}",
            "thema": Signaal.objects.filter(team=team).values_list("thema_id", flat=True).first(),
            "punt": [
                (buurt.min_lon + buurt.max_lon) / 2 if buurt else 5.0,
                (buurt.min_lat + buurt.max_lat) / 2 if buurt else 51.0,
            ],
            # Only a betrokken partner posts an update: open acties the teamleden's partner leads or joins.
            "acties": [
                _pad("acties:detail", pk=pk)
                for pk in Actie.objects.filter(team=team)
                .filter(Q(trekker_id__in=partners[team.pk]) | Q(partners__in=partners[team.pk]))
                .exclude(status__in=[ActieStatus.AFGEROND, ActieStatus.GESTOPT])
                .order_by("-pk")
                .values_list("pk", flat=True)
                .distinct()[:PER_TEAM_ACTIES]
            ]
            if _pad("acties:update", pk=1)
            else [],
        }
    if not _pad("acties:update", pk=1):
        ontbreekt.append("acties:update (actie-update)")
    staff_users = []
    for i in range(staff):
        seat = seats[i % len(seats)]
        staff_users.append({"sessie": sessie_voor(seat.user), "team": seat.team_id})

    publiek = {"buurten": [], "acties": [], "feeds": [], "steunen": []}
    if _pad("publiek:buurt", slug="x"):
        namen = Team.objects.filter(pk__in=teams).values_list("buurten__naam", "buurten__code")
        slugs = sorted({slugify(naam) or code.lower() for naam, code in namen if naam or code})
        publiek["buurten"] = [_pad("publiek:buurt", slug=s) for s in slugs]
        publiek["feeds"] = [_pad("publiek:feed", slug=s) for s in slugs]
        publiek["acties"] = [
            _pad("publiek:actie", actie_id=pk)
            for pk in Actie.objects.filter(team__in=teams).order_by("-pk").values_list("pk", flat=True)[:2000]
        ]
    else:
        ontbreekt.append("publiek:buurt, publiek:actie, publiek:feed (openbare pagina's)")
    if _pad("publiek:steunen", signaal_id=1):
        ids = list(
            Signaal.objects.filter(
                team__in=teams, status__in=TALLY_STATUSES, vertrouwelijk=False, over_persoon=False
            ).values_list("pk", flat=True)[:2000]
        )
        publiek["steunen"] = [_pad("publiek:steunen", signaal_id=pk) for pk in ids]
    else:
        ontbreekt.append("publiek:steunen (online steun)")
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        # The detail page holds two support forms, told apart by their prefix.
        "steun_prefix": f"{SteunHuishoudenForm.prefix}-" if SteunHuishoudenForm.prefix else "",
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "leeg": "/bench/leeg/",
        "health": _pad("health"),
        "teams": {str(k): v for k, v in teams.items()},
        "staff": staff_users,
        "publiek": publiek,
        "ontbreekt": ontbreekt,
    }
