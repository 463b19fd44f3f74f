"""Bench row for the public buurt page, on PostgreSQL: one buurt with 10,000 signals and 1,000 acties.

The data lives in a database of its own, `vbt_bench_publiek` (on DATABASE_URL's server when that is
PostgreSQL, else postgres://postgres@127.0.0.1:5432; BENCH_PUBLIEK_DATABASE_URL overrides), created,
migrated and filled once and reused. Two gunicorn servers (2 sync workers each, gunicorn.conf.py,
on loopback) serve the site plus a trivial view (`bench/publiek_urls.py`): one with the real cache
(Redis at BENCH_REDIS_URL or REDIS_URL, else in memory per worker), one with a dummy cache so every
page is rendered. A bounded load generator in this process (threads with http.client, `CONCURRENCY`
connections for `SECONDS` per target; locust and wrk are not installed) measures throughput and
p50/p99 of the trivial view and of the buurt page on each. Targets: the cached buurt page's
throughput ≥ 0.7× the trivial view's with p99 < 300 ms, the uncached ≥ 0.2×.
"""

import os
import socket
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

import environ
import psycopg

ROOT = Path(__file__).resolve().parent.parent
SIGNALEN = 10_000
ACTIES = 1_000
CONCURRENCY = 8
SECONDS = 6.0
SLUG = "benchbuurt"
CACHED_RATIO = 0.7
UNCACHED_RATIO = 0.2
P99_MS = 300


def _db_url() -> str:
    url = os.environ.get("BENCH_PUBLIEK_DATABASE_URL")
    if url:
        return url
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith(("postgres://", "postgresql://")):
        return current.rsplit("/", 1)[0] + "/vbt_bench_publiek"
    return "postgres://postgres@127.0.0.1:5432/vbt_bench_publiek"


def _ensure_database(url: str) -> None:
    config = environ.Env.db_url_config(url)
    with psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        connect_timeout=3,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def _manage(env: dict, *args: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "vbt.wsgi",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(200):
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/leeg/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(
        "gunicorn startte niet: " + (proc.stderr.read().decode()[-300:] if proc.stderr else "")
    )


def _load(port: int, path: str) -> dict:
    """`CONCURRENCY` threads, each one request at a time for `SECONDS`; throughput and percentiles."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def worker() -> None:
        mine, bad = [], 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn = HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "rps": len(latencies) / elapsed,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "n": len(latencies),
        "errors": errors[0],
    }


def buurtpagina() -> dict:
    name = (
        f"openbare buurtpagina ({SIGNALEN:,} signalen, {ACTIES:,} acties; gunicorn, "
        f"{CONCURRENCY} verbindingen)"
    )
    url = _db_url()
    try:
        _ensure_database(url)
    except psycopg.OperationalError as exc:
        return {
            "name": name,
            "figure": f"overgeslagen: geen PostgreSQL ({type(exc).__name__})",
            "target": "",
            "ok": None,
        }
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.publiek_settings",
        DATABASE_URL=url + ("&" if "?" in url else "?") + "conn_max_age=60",
        PYTHONPATH=str(ROOT),
    )
    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL")
    if redis_url:
        env["REDIS_URL"] = redis_url
    _manage(env, "migrate", "--noinput")
    _manage(env, "shell", "-c", "from bench.publiek_data import fill; fill()")
    page = f"/buurt/{SLUG}/"
    results = {}
    for label, extra in (("cached", {}), ("uncached", {"BENCH_UNCACHED": "1"})):
        port = _free_port()
        proc = _serve({**env, **extra}, port)
        try:
            _load(port, "/bench/leeg/")  # warm up: imports, connections, the page cache
            _load_once = HTTPConnection("127.0.0.1", port, timeout=30)
            _load_once.request("GET", page)
            status = _load_once.getresponse().status
            if status != 200:
                raise RuntimeError(f"{page} gaf {status}")
            results[label] = {"leeg": _load(port, "/bench/leeg/"), "pagina": _load(port, page)}
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    c, u = results["cached"], results["uncached"]
    ratio_c = c["pagina"]["rps"] / c["leeg"]["rps"]
    ratio_u = u["pagina"]["rps"] / u["leeg"]["rps"]
    ok = ratio_c >= CACHED_RATIO and c["pagina"]["p99"] < P99_MS and ratio_u >= UNCACHED_RATIO
    ok = ok and not any(r[k]["errors"] for r in results.values() for k in r)

    def fig(r: dict) -> str:
        return f"{r['rps']:.0f}/s, p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms"

    return {
        "name": name,
        "backend": "PostgreSQL" + (" + Redis" if redis_url else ""),
        "figure": (
            f"gecachet: pagina {fig(c['pagina'])}, triviale view {fig(c['leeg'])}: {ratio_c:.2f}×; "
            f"ongecachet: pagina {fig(u['pagina'])}, triviale view {fig(u['leeg'])}: {ratio_u:.2f}×"
        ),
        "target": f"gecachet ≥ {CACHED_RATIO}× en p99 < {P99_MS} ms; ongecachet ≥ {UNCACHED_RATIO}×",
        "ok": ok,
    }
