"""Bench rows for the team's acties pages on `seed_scale` data (PostgreSQL): 10,000 acties in 20 teams.

Same database and seeding as `bench.dashboard` (`vbt_bench_schaal`, seeded once and reused). Each
row times one page through Django's test client (middleware, session, access checks, queries,
template) for a coördinator of the team with the most acties, and in the same run and process a
trivial view: the login page for an anonymous visitor (issue #11's trivial view), and the 404 page.
The figure is the ratio the issue asks for, login p50 / page p50, target ≥ 0.3× (in-process
latency ratios; issue #11's rows on gunicorn compare throughput, which on one request at a time
is the same ratio). Skipped with one line when PostgreSQL is unreachable.

- `lijst`: `/acties/?team=…`, the first page of the team's acties (newest first, 25 a page).
- `actie`: `/acties/<id>/` of the team's actie with the longest timeline (history, updates,
  milestones, linked signals).
"""

import statistics

from django.conf import settings

from .dashboard import RUNS, SCHAAL, _n, _p, _seed, _times, _use_database

TARGET_RATIO = 0.3


def _setup():
    """(team, coördinator, number of acties in the team, in all teams), or the reason to skip."""
    reden = _use_database()
    if reden:
        return None, reden
    _seed()
    from allauth.mfa.models import Authenticator
    from django.db.models import Count

    from acties.models import Actie
    from buurten.models import Lidmaatschap, Rol, Team

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False  # as in production: no query log kept in memory
    team = Team.objects.filter(slug__startswith="schaal-").annotate(n=Count("acties")).order_by("-n").first()
    coordinator = (
        Lidmaatschap.objects.filter(team=team, rol=Rol.COORDINATOR).select_related("user").first().user
    )
    Authenticator.objects.get_or_create(
        user=coordinator, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    return (team, coordinator, Actie.objects.filter(team=team).count(), Actie.objects.count()), None


def _row(naam: str, pad) -> dict:
    opzet, reden = _setup()
    if reden:
        return {
            "name": naam,
            "backend": "PostgreSQL",
            "figure": f"overgeslagen: {reden}",
            "target": f"≥ {TARGET_RATIO}× inlogpagina",
            "ok": None,
        }
    from django.test import Client

    team, coordinator, acties, totaal = opzet
    client = Client()
    client.force_login(coordinator)
    url, wat = pad(team)
    page = _times(client, url)
    basis = _times(Client(), "/bench-niet-bestaand/")
    login = _times(Client(), "/accounts/login/")
    p50, p95 = statistics.median(page), _p(page, 95)
    b50, l50 = statistics.median(basis), statistics.median(login)
    ratio = l50 / p50
    return {
        "name": naam,
        "backend": "PostgreSQL",
        "figure": (
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms over {RUNS} keer ({team.naam}: {_n(acties)} acties, "
            f"{_n(totaal)} in alle teams{wat}); inlogpagina p50 {l50:.1f} ms in dezelfde run: {ratio:.2f}×; "
            f"404-pagina p50 {b50:.1f} ms: {b50 / p50:.2f}×. schaal {SCHAAL:g}"
        ),
        "target": f"≥ {TARGET_RATIO}× inlogpagina",
        "ok": ratio >= TARGET_RATIO,
    }


def lijst() -> dict:
    return _row(
        "actielijst, team met de meeste acties (seed_scale)", lambda team: (f"/acties/?team={team.pk}", "")
    )


def actie() -> dict:
    def pad(team):
        from django.db.models import Count

        from acties.models import Actie

        a = (
            Actie.objects.filter(team=team)
            .annotate(
                n=Count("updates", distinct=True)
                + Count("mijlpalen", distinct=True)
                + Count("statuswijzigingen", distinct=True)
                + Count("koppelingen", distinct=True)
            )
            .order_by("-n", "pk")
            .first()
        )
        return f"/acties/{a.pk}/", f"; de actie met de langste tijdlijn: {a.n} regels"

    return _row("actiepagina, langste tijdlijn (seed_scale)", pad)
