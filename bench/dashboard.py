"""Bench row for the coördinator dashboard on `seed_scale` data (PostgreSQL): 100,000 signals,
1,000,000 supports and 10,000 acties in 20 teams.

The row runs in a database of its own, `vbt_bench_schaal` (on DATABASE_URL's server when it is
PostgreSQL, else postgres://postgres@127.0.0.1:5432; BENCH_SCHAAL_DATABASE_URL overrides), created
and migrated when missing; `seed_scale` fills it once (2–3 minutes) and later runs reuse it.
Without a reachable PostgreSQL the row is skipped with one line saying so.

It times the whole page (`/coordinator/?team=…`, through Django's test client: middleware,
session, access checks, the eight queries, the template with its SVG charts) for the busiest team,
and, in the same run and process, a trivial view (the 404 page for an anonymous visitor) as the
baseline, and the login page (the trivial view issue #11's ratios use). Target: p50 < 300 ms.
"""

import os
import statistics
import time

import environ
import psycopg
from django.conf import settings
from django.db import connections

RUNS = 30
WARMUP = 3
TARGET_P50_MS = 300
SCHAAL = float(os.environ.get("BENCH_SCHAAL", "1"))


def _url() -> str:
    url = os.environ.get("BENCH_SCHAAL_DATABASE_URL")
    if url:
        return url
    current = os.environ.get("DATABASE_URL", "")
    base = (
        current
        if current.startswith(("postgres://", "postgresql://"))
        else "postgres://postgres@127.0.0.1:5432/x"
    )
    return base.rsplit("/", 1)[0] + "/vbt_bench_schaal"


def _use_database() -> str | None:
    """Point Django at the bench database (created if missing); the reason when that cannot be done."""
    config = environ.Env.db_url_config(_url())
    admin = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=3, **admin) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
    except psycopg.Error as exc:
        return f"PostgreSQL niet bereikbaar ({type(exc).__name__})"
    connections.close_all()
    settings.DATABASES["default"] = connections.configure_settings({"default": config})["default"]
    try:
        del connections["default"]
    except AttributeError:
        pass
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return None


def _seed() -> float | None:
    """seed_scale once; the seconds it took, or None when the data was already there."""
    from io import StringIO

    from django.core.management import call_command

    from buurten.models import Gemeente
    from demo import schaal

    if Gemeente.objects.filter(
        code=schaal.GEMEENTE_CODE, naam__startswith=schaal.marker(seed=42, schaal=SCHAAL)
    ).exists():
        return None
    start = time.perf_counter()
    call_command("seed_scale", seed=42, schaal=SCHAAL, force=True, stdout=StringIO())
    with psycopg.connect(**_params(), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


def _params() -> dict:
    s = settings.DATABASES["default"]
    return {
        "dbname": s["NAME"],
        "host": s.get("HOST") or None,
        "port": s.get("PORT") or None,
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
    }


def _times(client, url: str, **extra) -> list[float]:
    for _i in range(WARMUP):
        client.get(url, **extra)
    uit = []
    for _i in range(RUNS):
        start = time.perf_counter()
        response = client.get(url, **extra)
        uit.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 404), response.status_code  # noqa: S101 - a bench check
    return uit


def _n(getal: int) -> str:
    return f"{getal:,}".replace(",", ".")


def _p(waarden: list[float], q: float) -> float:
    return statistics.quantiles(waarden, n=100, method="inclusive")[int(q) - 1]


def dashboard() -> dict:
    naam = "coördinatordashboard, drukste team (seed_scale: 100.000 signalen, 10.000 acties)"
    reden = _use_database()
    if reden:
        return {
            "name": naam,
            "backend": "PostgreSQL",
            "figure": f"overgeslagen: {reden}",
            "target": f"p50 < {TARGET_P50_MS} ms",
            "ok": None,
        }
    seeded = _seed()
    from allauth.mfa.models import Authenticator
    from django.db.models import Count
    from django.test import Client

    from buurten.models import Lidmaatschap, Rol, Team
    from signalen.models import Signaal

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False  # as in production: no query log kept in memory
    totaal = Signaal.objects.count()
    team = (
        Team.objects.filter(slug__startswith="schaal-").annotate(n=Count("signalen")).order_by("-n").first()
    )
    signalen = Signaal.objects.filter(team=team).count()
    from acties.models import Actie

    acties = Actie.objects.filter(team=team).count()
    coordinator = (
        Lidmaatschap.objects.filter(team=team, rol=Rol.COORDINATOR).select_related("user").first().user
    )
    Authenticator.objects.get_or_create(
        user=coordinator, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    client = Client()
    client.force_login(coordinator)
    page = _times(client, f"/coordinator/?team={team.pk}")
    basis = _times(Client(), "/bench-niet-bestaand/")
    login = _times(Client(), "/accounts/login/")
    p50, p95 = statistics.median(page), _p(page, 95)
    b50, l50 = statistics.median(basis), statistics.median(login)
    seed_text = f"seed_scale eerst in {seeded:.0f} s; " if seeded else ""
    return {
        "name": naam,
        "backend": "PostgreSQL",
        "figure": (
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms over {RUNS} keer ({team.naam}: {_n(signalen)} signalen, "
            f"{_n(acties)} acties, {_n(totaal)} signalen in alle teams); triviale pagina (404) p50 "
            f"{b50:.1f} ms in dezelfde run: {b50 / p50:.3f}×; inlogpagina (de triviale pagina van issue #11) "
            f"p50 {l50:.1f} ms: {l50 / p50:.2f}×. {seed_text}schaal {SCHAAL:g}"
        ),
        "target": f"p50 < {TARGET_P50_MS} ms",
        "ok": p50 < TARGET_P50_MS,
    }
