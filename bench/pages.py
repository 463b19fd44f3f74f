"""Bench rows for the team's signal pages at volume, served as in production.

The rows run against a database of their own, `vbt_bench_pages` (on DATABASE_URL's PostgreSQL
server, else postgres://postgres@127.0.0.1:5432; BENCH_PAGES_DATABASE_URL overrides), created,
migrated and filled once: team A with 10,000 signals over five years (one with 500 supports),
team B with 100,000 signals (for the CSV memory row), three buurten with 2,000-point outlines.
Each row starts gunicorn (production settings, `gunicorn.conf.py`, 2 sync workers, database
connections kept (`?conn_max_age=60`, as the README advises), static files collected and served
by WhiteNoise, the cache in Redis when REDIS_URL is set) on a free loopback
port, logs a teamlid of team A in through a session cookie, and measures:

- throughput: 2 client threads ask the same URL for `SECONDS` seconds, after a warm-up; the
  figure is requests per second and the p50/p99 latency;
- the ratio: a page's throughput divided by the login page's (a trivial view on the same stack,
  measured in the same run, as in issue #11).

Targets (issue #11): list ≥ 0.4× and p99 < 250 ms, map page ≥ 0.3× (its points come from the
map data endpoint, measured on its own), detail with 500 supports ≥ 0.4×, CSV of 10,000 rows
< 1.5 s, the CSV's memory flat between 10,000 and 100,000 rows (tracemalloc peak, in-process),
the phone logging page's first load < 80 KB as sent (gzip), without map tiles.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import environ
import psycopg
from django.conf import settings
from django.db import connection, connections

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/vbt_bench_pages"
SIGNALEN_A = 10_000
SIGNALEN_B = 100_000
STEUN_DETAIL = 500
SECONDS = float(os.environ.get("BENCH_PAGES_SECONDS", "6"))
CLIENTS = 2
WORKERS = 2
MARK = "bench-pages"
SECRET_KEY = secrets.token_urlsafe(50)
LOGGING_PAGE_KB = 80


def _n(getal: int) -> str:
    return f"{getal:,}".replace(",", ".")


def _bench_url() -> str:
    url = os.environ.get("BENCH_PAGES_DATABASE_URL")
    if url:
        return url
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith(("postgres://", "postgresql://")):
        return current.rsplit("/", 1)[0] + "/vbt_bench_pages"
    return DEFAULT_URL


def _use_bench_database() -> str:
    """Point Django's default connection at the pages' bench database (created if missing)."""
    url = _bench_url()
    config = environ.Env.db_url_config(url)
    admin = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connections.close_all()
    settings.DATABASES["default"] = connections.configure_settings({"default": config})["default"]
    with contextlib.suppress(AttributeError):
        del connections["default"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    settings.SECRET_KEY = SECRET_KEY
    return url


def _outline(lon: float, lat: float, points: int = 2000) -> dict:
    """A closed ring of `points` points around (lon, lat): a buurt's outline as heavy as a real one."""
    import math

    ring = [
        [lon + 0.01 * math.cos(2 * math.pi * i / points), lat + 0.006 * math.sin(2 * math.pi * i / points)]
        for i in range(points)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _generate() -> dict:
    """The two teams and their signals, in SQL; reused when already there. Returns ids."""
    from buurten.models import Buurt, Gemeente, Lidmaatschap, Partner, Rol, Team, User, Wijk
    from signalen.models import Signaal, Thema

    gemeente, _ = Gemeente.objects.get_or_create(code="GM9998", defaults={"naam": "Paginastad"})
    wijk, _ = Wijk.objects.get_or_create(
        code="WK999800", defaults={"naam": "Paginawijk", "gemeente": gemeente}
    )
    buurten = []
    for i in range(3):
        lon, lat = 5.69 + 0.02 * i, 50.85
        buurt, _ = Buurt.objects.get_or_create(
            code=f"BU9998000{i}",
            defaults={
                "naam": f"Paginabuurt {i}",
                "wijk": wijk,
                "geometrie": _outline(lon, lat),
                "min_lon": lon - 0.01,
                "max_lon": lon + 0.01,
                "min_lat": lat - 0.006,
                "max_lat": lat + 0.006,
            },
        )
        buurten.append(buurt)
    themas = [Thema.objects.get_or_create(gemeente=gemeente, naam=f"thema {i}")[0] for i in range(10)]
    partner, _ = Partner.objects.get_or_create(
        gemeente=gemeente, naam="Paginagemeente", defaults={"type": "gemeente"}
    )
    ids = {"themas": [t.pk for t in themas], "buurten": [b.pk for b in buurten]}
    for naam, aantal in (("a", SIGNALEN_A), ("b", SIGNALEN_B)):
        team, _ = Team.objects.get_or_create(
            slug=f"pages-{naam}", defaults={"naam": f"Pagina {naam}", "gemeente": gemeente}
        )
        team.buurten.add(*buurten)
        user, created = User.objects.get_or_create(email=f"teamlid-{naam}@bench.example")
        if created:
            user.set_password(secrets.token_urlsafe(16))
            user.save()
        Lidmaatschap.objects.get_or_create(
            user=user, team=team, partner=partner, defaults={"rol": Rol.TEAMLID}
        )
        ids[f"team_{naam}"], ids[f"user_{naam}"] = team.pk, user.pk
        if Signaal.objects.filter(team=team, titel__startswith=MARK).count() == aantal:
            continue
        Signaal.objects.filter(team=team).delete()
        with connection.cursor() as cur:
            cur.execute("SELECT setseed(0.11)")
            cur.execute(
                """
                INSERT INTO signalen_signaal (team_id, titel, omschrijving, thema_id, kanaal, lat, lon,
                    buurt_id, over_persoon, vertrouwelijk, status, triage_uitkomst, steun_huishoudens,
                    steun_anoniem, steun_totaal, steun_herberekenen, created_at, updated_at)
                SELECT %(team)s, %(mark)s || ' ' || g, 'Wat er gezegd is, een paar zinnen lang.',
                    (%(themas)s::bigint[])[1 + g %% 10],
                    (ARRAY['straatgesprek','huisbezoek','vragenlijst','buurtbijeenkomst'])[1 + g %% 4],
                    50.844 + random() * 0.012, 5.68 + random() * 0.06,
                    (%(buurten)s::bigint[])[1 + g %% 3], false, g %% 17 = 0,
                    (%(statussen)s::text[])[1 + g %% 5],
                    '', g %% 9, g %% 4, g %% 9 + (g %% 4) * 0.5, false,
                    now() - (random() * interval '1826 days'), now()
                FROM generate_series(1, %(n)s) AS g
                """,
                {
                    "team": team.pk,
                    "mark": MARK,
                    "themas": ids["themas"],
                    "buurten": ids["buurten"],
                    "statussen": ["nieuw", "draagvlak_gezocht", "draagvlak_bereikt", "in_actie", "afgerond"],
                    "n": aantal,
                },
            )
    detail = Signaal.objects.filter(team_id=ids["team_a"]).order_by("-created_at").first()
    ids["detail"] = detail.pk
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM signalen_steunbetuiging WHERE signaal_id = %s", [detail.pk])
        if cur.fetchone()[0] < STEUN_DETAIL:
            cur.execute(
                """
                INSERT INTO signalen_steunbetuiging (signaal_id, kanaal, datum, huishouden_hash,
                    aantal_anoniem, email, email_toestemming, created_at)
                SELECT %(s)s, (ARRAY['straatgesprek','huisbezoek','vragenlijst'])[1 + g %% 3],
                    current_date - (g %% 300), md5('pages' || g), 0, '', false, now()
                FROM generate_series(1, %(n)s) AS g
                """,
                {"s": detail.pk, "n": STEUN_DETAIL},
            )
    connection.close()
    with psycopg.connect(**_psycopg_params(), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE signalen_signaal")
        conn.execute("VACUUM ANALYZE signalen_steunbetuiging")
    return ids


def _psycopg_params() -> dict:
    s = settings.DATABASES["default"]
    return {
        "dbname": s["NAME"],
        "host": s.get("HOST") or None,
        "port": s.get("PORT") or None,
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
    }


def _session_cookie(user_id: int) -> str:
    """A logged-in session for the user, stored in the bench database (same SECRET_KEY as the server)."""
    from django.test import Client

    from buurten.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with the production settings on a loopback port, for the duration of a `with`."""

    def __init__(self, database_url: str) -> None:
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vbt.settings.production",
            "SECRET_KEY": SECRET_KEY,
            "STEUN_HASH_KEY": secrets.token_urlsafe(32),
            # Connections kept between requests, as the README's DATABASE_URL advises for a real
            # site: without it every logged-in page opened a PostgreSQL connection (a new server
            # process), which the login page (no query) never pays.
            "DATABASE_URL": database_url
            if "conn_max_age" in database_url
            else database_url + ("&" if "?" in database_url else "?") + "conn_max_age=60",
            "SECURE_SSL_REDIRECT": "false",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
        self.proc: subprocess.Popen | None = None
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        self.log = (ROOT / "var" / "bench" / "gunicorn-pages.log").open("a")  # noqa: SIM115 closed in __exit__

    def __enter__(self) -> Server:
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self.proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "vbt.wsgi",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            # A file, not a pipe that nobody reads: a full pipe would stop the server.
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/health/")[0] in (200, 503):
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn startte niet binnen 60 s")

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.log.close()

    def get(self, path: str, cookie: str = "", gzip_ok: bool = False) -> tuple[int, bytes, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if cookie:
            headers["Cookie"] = cookie
        if gzip_ok:
            headers["Accept-Encoding"] = "gzip"
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, body, {k.lower(): v for k, v in response.getheaders()}


def _throughput(server: Server, path: str, cookie: str) -> dict:
    """CLIENTS threads asking `path` for SECONDS seconds: requests/s, p50 and p99 in ms, errors."""
    for _ in range(3):
        server.get(path, cookie)
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def client() -> None:
        while time.monotonic() < stop:
            start = time.perf_counter()
            status = server.get(path, cookie, gzip_ok=True)[0]
            took = time.perf_counter() - start
            with lock:
                times.append(took)
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begin
    times.sort()
    return {
        "rps": len(times) / elapsed,
        "p50": statistics.median(times) * 1000,
        "p99": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
        "errors": errors[0],
        "n": len(times),
    }


def _setup() -> tuple[str, dict]:
    url = _use_bench_database()
    return url, _generate()


def _ratio_row(name: str, path_for, target_ratio: float, p99_ms: float | None = None) -> dict:
    url, ids = _setup()
    cookie = _session_cookie(ids["user_a"])
    with Server(url) as server:
        path = path_for(ids)
        status = server.get(path, cookie)[0]
        if status != 200:
            return {"name": name, "figure": f"HTTP {status} op {path}", "target": "", "ok": False}
        base = _throughput(server, "/accounts/login/", "")
        page = _throughput(server, path, cookie)
    ratio = page["rps"] / base["rps"]
    ok = ratio >= target_ratio and page["errors"] == 0 and (p99_ms is None or page["p99"] < p99_ms)
    target = f"≥ {target_ratio}× the login page" + (f", p99 < {p99_ms:.0f} ms" if p99_ms else "")
    return {
        "name": name,
        "backend": "PostgreSQL, gunicorn 2 workers",
        "figure": (
            f"{ratio:.2f}× ({page['rps']:.0f} vs {base['rps']:.0f} req/s; p50 {page['p50']:.0f} ms, "
            f"p99 {page['p99']:.0f} ms; {page['errors']} errors)"
        ),
        "target": target,
        "ok": ok,
    }


def signal_list() -> dict:
    return _ratio_row("signal list, 10.000 signals", lambda ids: "/signalen/", 0.4, 250)


def signal_list_later_page() -> dict:
    """A page deep in the list: the keyset link of page 1's 'older' button, followed 20 times."""

    def path(ids):
        from buurten.models import User
        from signalen.selectors.pages import signaal_keyset_page, signaal_list_filtered

        user = User.objects.get(pk=ids["user_a"])
        cursor = None
        for _ in range(20):
            cursor = signaal_keyset_page(qs=signaal_list_filtered(user=user), na=cursor).volgende
        return f"/signalen/?na={cursor}"

    return _ratio_row("signal list, page 21", path, 0.4, 250)


def signal_map() -> dict:
    return _ratio_row("signal map page, 10.000 signals", lambda ids: "/signalen/kaart/", 0.3)


def signal_map_data() -> dict:
    return _ratio_row("signal map data (cached GeoJSON)", lambda ids: "/signalen/kaart/punten.json", 0.3)


def signal_detail() -> dict:
    return _ratio_row(
        f"signal detail, {STEUN_DETAIL} supports", lambda ids: f"/signalen/{ids['detail']}/", 0.4
    )


def csv_export() -> dict:
    """The whole CSV of team A (10,000 rows) through gunicorn: the median of 5 downloads."""
    url, ids = _setup()
    cookie = _session_cookie(ids["user_a"])
    with Server(url) as server:
        server.get("/signalen/export.csv", cookie)
        times, lines = [], 0
        for _ in range(5):
            start = time.perf_counter()
            status, body, _h = server.get("/signalen/export.csv", cookie)
            times.append(time.perf_counter() - start)
            lines = body.count(b"\r\n") - 1
    took = statistics.median(times)
    return {
        "name": "CSV export, 10.000 rows",
        "backend": "PostgreSQL, gunicorn 2 workers",
        "figure": f"{took:.2f} s for {_n(lines)} rows (HTTP {status})",
        "target": "< 1.5 s",
        "ok": status == 200 and lines == SIGNALEN_A and took < 1.5,
    }


def _csv_peak(user_id: int) -> tuple[int, int]:
    """Rows and tracemalloc peak (bytes) of streaming the user's whole export in this process."""
    from django.test import RequestFactory

    from buurten.models import User
    from signalen.views.lijst import signaal_csv

    request = RequestFactory().get("/signalen/export.csv")
    request.user = User.objects.get(pk=user_id)
    request.session = {}
    request._messages = None
    tracemalloc.start()
    tracemalloc.reset_peak()
    response = signaal_csv(request)
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\r\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return lines - 1, peak


def csv_memory() -> dict:
    """The export's memory does not grow with its rows: tracemalloc peak for 10,000 vs 100,000."""
    _setup()
    from buurten.models import User

    ids = _generate()
    User.objects.filter(pk=ids["user_a"])  # warm the imports outside the measurement
    _csv_peak(ids["user_a"])
    rows_a, peak_a = _csv_peak(ids["user_a"])
    rows_b, peak_b = _csv_peak(ids["user_b"])
    ratio = peak_b / peak_a
    return {
        "name": "CSV export memory, 10.000 vs 100.000 rows",
        "backend": "PostgreSQL, in-process",
        "figure": (
            f"peak {peak_a / 2**20:.1f} MB for {_n(rows_a)} rows, "
            f"{peak_b / 2**20:.1f} MB for {_n(rows_b)} rows ({ratio:.2f}×)"
        ),
        "target": "100.000 rows ≤ 1.5× the peak of 10.000",
        "ok": rows_a == SIGNALEN_A and rows_b == SIGNALEN_B and ratio <= 1.5,
    }


ASSET = re.compile(rb'<(?:script[^>]+src|link[^>]+href)="(/static/[^"]+)"')


def logging_page_weight() -> dict:
    """The phone logging page's first load as sent with gzip: HTML + the CSS and JS it loads."""
    url, ids = _setup()
    cookie = _session_cookie(ids["user_a"])
    with Server(url) as server:
        status, html, headers = server.get("/signalen/nieuw/", cookie, gzip_ok=True)
        raw_html = gzip.decompress(html) if headers.get("content-encoding") == "gzip" else html
        parts = {"html": len(html)}
        for path in sorted(set(ASSET.findall(raw_html))):
            _s, body, _h = server.get(path.decode(), gzip_ok=True)
            parts[path.decode().rsplit("/", 1)[-1]] = len(body)
    total = sum(parts.values())
    return {
        "name": "phone logging page, first load",
        "backend": "PostgreSQL, gunicorn, WhiteNoise",
        "figure": (
            f"{total / 1024:.0f} KB as sent, gzip (HTML {parts['html'] / 1024:.0f} KB, "
            f"{len(parts) - 1} files)"
        ),
        "target": f"< {LOGGING_PAGE_KB} KB without map tiles",
        "ok": status == 200 and total < LOGGING_PAGE_KB * 1024,
    }
