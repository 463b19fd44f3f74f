"""`make bench` row: the load run (issue #11 parts 3 and 4) on `seed_scale` data.

On this machine, loopback only: PostgreSQL (database `vbt_load`; BENCH_LOAD_DATABASE_URL
overrides), Redis (db 11; BENCH_LOAD_REDIS_URL overrides; the run empties that db first),
gunicorn with 4 sync workers (gunicorn.conf.py), two Celery workers (one process each) and locust
headless (`python -m bench.load`): 200 staff users and 1,000 public users for 180 s
(VBT_LOAD_USERS and VBT_LOAD_SECONDS shorten it, in the same 1:5 mix). Beside it
`bench.load.waker` watches the tally's marks and queues the full tally on both workers at once
every 15 s. Afterwards `bench.load.check` compares what the workers left with a serial recount.

Targets: staff p95 < 800 ms, public p95 < 300 ms, errors < 0.1%, no signal waits longer than one
beat interval (300 s) for its recount, and the correctness check finds nothing.
Skipped (no verdict) when PostgreSQL or Redis is not reachable.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

import environ
import psycopg

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "load"
NAME = "belastingtest: 200 teamleden en 1.000 bewoners, 3 minuten (gunicorn 4 workers, 2 Celery-workers)"
STAFF_P95 = 800
PUBLIEK_P95 = 300
FOUTEN = 0.001
BEAT = 300.0
WEB_WORKERS = 4
ROLLEN = {
    "web": "gunicorn",
    "telling": "Celery (2 workers)",
    "postgres": "PostgreSQL (verbindingen met de database van de run)",
    "locust": "locust",
    "machine": "hele machine, ook andermans processen",
}


def _db_url() -> str:
    return os.environ.get("BENCH_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vbt_load")


def _redis_url() -> str:
    return os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")


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


def _redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def _manage(env: dict, *args: str, timeout: float = 900) -> str:
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]}: {(proc.stderr or proc.stdout).strip().splitlines()[-1:]}")
    return proc.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(port: int, proc: subprocess.Popen) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError("gunicorn stopte bij het starten")
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/leeg/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn antwoordde niet binnen 60 s")


def _start(env: dict, port: int) -> list[subprocess.Popen]:
    log = open(VAR / "server.log", "w")  # noqa: SIM115 - closed with the processes
    web = subprocess.Popen(  # noqa: S603
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
            str(WEB_WORKERS),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "--timeout",
            "120",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    workers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "vbt",
                "worker",
                "-n",
                f"belasting{i}@%h",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for i in (1, 2)
    ]
    procs = [web, *workers]
    try:
        _wait_http(port, web)
    except Exception:
        _stop(procs)
        raise
    return procs


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()


def _pg_pids(url: str) -> list[int]:
    config = environ.Env.db_url_config(url)
    with psycopg.connect(
        dbname=config["NAME"],
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        connect_timeout=3,
    ) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [config["NAME"]],
        ).fetchall()
    return [r[0] for r in rows]


def cpu(procs: dict[str, list[int]]) -> dict[str, dict[int, float]]:
    """CPU seconds (user + system) per process of each role, children included (psutil)."""
    import psutil

    out: dict[str, dict[int, float]] = {}
    for rol, pids in procs.items():
        seen: dict[int, float] = {}
        for pid in pids:
            try:
                p = psutil.Process(pid)
                for q in [p, *(p.children(recursive=True) if rol != "postgres" else [])]:
                    t = q.cpu_times()
                    seen[q.pid] = t.user + t.system
            except psutil.Error:
                continue
        out[rol] = seen
    return out


def _bezig(t) -> float:
    # guest time is already inside user time on Linux, so it is not added again.
    return t.user + t.nice + t.system + t.irq + t.softirq + t.steal


def cpu_delta(voor: dict, na: dict) -> dict[str, float]:
    """CPU seconds each role used between two snapshots (a process born in between counts from 0)."""
    return {rol: sum(t - voor.get(rol, {}).get(pid, 0.0) for pid, t in na[rol].items()) for rol in na}


def stats(path: Path) -> dict[str, dict]:
    """locust's `<prefix>_stats.csv` as {name: {n, fouten, p50, p95, p99, rps}}."""
    rows = {}
    with path.open() as fh:
        for r in csv.DictReader(fh):
            rows[r["Name"]] = {
                "n": int(r["Request Count"]),
                "fouten": int(r["Failure Count"]),
                "p50": float(r["50%"] or 0),
                "p95": float(r["95%"] or 0),
                "p99": float(r["99%"] or 0),
                "rps": float(r["Requests/s"] or 0),
            }
    return rows


def oordeel(rijen: dict[str, dict], wacht: dict, problemen: list[str]) -> tuple[bool, str]:
    """The verdict and the figure's text from locust's rows, the watcher and the check."""
    basis = rijen.get("basis: triviale view", {"rps": 0, "p50": 0, "p95": 0, "p99": 0, "n": 0, "fouten": 0})
    totaal = rijen.get("Aggregated", {"n": 0, "fouten": 0, "rps": 0})
    delen, ok = [], True
    for naam, r in sorted(rijen.items()):
        if naam in ("Aggregated",) or naam.endswith("(formulier)"):
            continue
        grens = STAFF_P95 if naam.startswith("staff") else PUBLIEK_P95 if naam.startswith("publiek") else None
        if grens is not None and r["p95"] >= grens:
            ok = False
        ratio = f", {r['p50'] / basis['p50']:.1f}× de p50 van de triviale view" if basis["p50"] else ""
        delen.append(
            f"{naam}: {r['n']:,} verzoeken, {r['rps']:.1f}/s, p50/p95/p99 "
            f"{r['p50']:.0f}/{r['p95']:.0f}/{r['p99']:.0f} ms, {r['fouten']} fouten{ratio}"
        )
    foutfractie = totaal["fouten"] / totaal["n"] if totaal["n"] else 1.0
    ok = ok and foutfractie < FOUTEN and totaal["n"] > 0
    ok = ok and wacht.get("max_wacht_s", BEAT) < BEAT and not wacht.get("nog_gemarkeerd")
    ok = ok and not problemen
    from bench.load.check import samenvatting

    tekst = (
        f"totaal {totaal['n']:,} verzoeken, {totaal['rps']:.0f}/s, fouten {foutfractie:.3%}. "
        + "; ".join(delen)
        + f". Telling: {wacht.get('signalen', 0)} signalen gemarkeerd "
        f"(piek {wacht.get('piek_gemarkeerd', 0)} tegelijk), langste wacht op de hertelling "
        f"{wacht.get('max_wacht_s', 0):.0f} s, {wacht.get('nog_gemarkeerd', 0)} nog gemarkeerd na de afloop; "
        f"volledige telling {wacht.get('hamers', 0)}× tegelijk op beide workers. "
        f"Controle tegen seriële hertelling: {samenvatting(problemen)}"
    )
    return ok, tekst


def belasting() -> dict:
    target = (
        f"staff p95 < {STAFF_P95} ms, publiek p95 < {PUBLIEK_P95} ms, fouten < {FOUTEN:.1%}, geen signaal "
        f"wacht langer dan één beat-interval ({BEAT:.0f} s) op zijn telling, controle zonder verschillen"
    )
    url = _db_url()
    try:
        _ensure_database(url)
        _redis_flush(_redis_url())
    except Exception as exc:  # noqa: BLE001 - any unreachable service skips the row
        return {
            "name": NAME,
            "figure": f"overgeslagen: {type(exc).__name__}: {exc}"[:200],
            "target": target,
            "ok": None,
        }
    VAR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load.settings",
        # Connections live through the run, so the CPU of their PostgreSQL backends is all counted.
        DATABASE_URL=url + ("&" if "?" in url else "?") + "conn_max_age=900",
        REDIS_URL=_redis_url(),
        EMAIL_URL="memorymail://",  # the confirmation links stay out of the server log
        TRUSTED_PROXY_COUNT="1",
        PYTHONPATH=str(ROOT),
    )
    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_scale", "--seed", "42")
    users = int(os.environ.get("VBT_LOAD_USERS", 1200))
    seconds = int(os.environ.get("VBT_LOAD_SECONDS", 180))
    plan = VAR / "plan.json"
    _manage(
        env,
        "shell",
        "-c",
        "import json; from bench.load.plan import maak_plan; "
        f"open({str(plan)!r}, 'w').write(json.dumps(maak_plan(staff={max(1, users // 6)})))",
    )
    ontbreekt = json.loads(plan.read_text())["ontbreekt"]
    port = _free_port()
    procs = _start(env, port)
    try:
        sinds = _manage(
            env, "shell", "-c", "from django.utils import timezone; print(timezone.now().isoformat())"
        ).splitlines()[-1]
        waker = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                f"from bench.load.waker import run; run(seconds={seconds})",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )

        def rollen() -> dict[str, list[int]]:
            return {
                "web": [procs[0].pid],
                "telling": [p.pid for p in procs[1:]],
                "postgres": _pg_pids(url),
            }

        import psutil

        cpu_voor = cpu(rollen())
        machine_voor = psutil.cpu_times()
        kinderen_voor = resource.getrusage(resource.RUSAGE_CHILDREN)
        begin = time.monotonic()
        load = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "bench.load",
                "--host",
                f"http://127.0.0.1:{port}",
                "--plan",
                str(plan),
                "--users",
                str(users),
                "--seconds",
                str(seconds),
                "--csv",
                str(VAR / "locust"),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        duur = time.monotonic() - begin
        verbruik = cpu_delta(cpu_voor, cpu(rollen()))
        kinderen = resource.getrusage(resource.RUSAGE_CHILDREN)
        verbruik["locust"] = (kinderen.ru_utime + kinderen.ru_stime) - (
            kinderen_voor.ru_utime + kinderen_voor.ru_stime
        )
        m0, m1 = machine_voor, psutil.cpu_times()
        verbruik["machine"] = _bezig(m1) - _bezig(m0)
        out, _ = waker.communicate(timeout=600)
        wacht = json.loads(out.strip().splitlines()[-1])
        if load.returncode != 0:
            raise RuntimeError(f"locust: {(load.stderr or load.stdout).strip().splitlines()[-1:]}")
        problemen, telling = json.loads(
            _manage(
                env,
                "shell",
                "-c",
                "import json, datetime; from bench.load.check import controleer, telwacht; "
                f"sinds = datetime.datetime.fromisoformat({sinds.strip()!r}); "
                "print(json.dumps([controleer(sinds=sinds), telwacht(sinds=sinds)]))",
            )
            .strip()
            .splitlines()[-1]
        )
    finally:
        _stop(procs)
    rijen = stats(VAR / "locust_stats.csv")
    wacht["max_wacht_s"] = max(wacht.get("max_wacht_s", 0.0), telling["max_s"])
    ok, tekst = oordeel(rijen, wacht, problemen)
    tekst += (
        f". Steun tijdens de belasting op {telling['signalen']} signalen: wacht tot de hertelling "
        f"(steun_berekend_at na de laatste steun) mediaan {telling['p50_s']:.1f} s, "
        f"hoogstens {telling['max_s']:.1f} s"
    )
    n = rijen.get("Aggregated", {}).get("n") or 1
    tekst += f". CPU tijdens de belasting ({duur:.0f} s, 2 kernen = {2 * duur:.0f} CPU-s): " + ", ".join(
        f"{ROLLEN.get(rol, rol)} {t:.0f} CPU-s ({1000 * t / n:.1f} ms per verzoek)"
        for rol, t in verbruik.items()
    )
    (VAR / "uitkomst.json").write_text(
        json.dumps(
            {
                "rijen": rijen,
                "wacht": wacht,
                "telling": telling,
                "problemen": problemen,
                "cpu": verbruik,
                "duur": duur,
            }
        )
    )
    if ontbreekt:
        tekst += ". Niet op deze branch en dus niet gemeten: " + ", ".join(ontbreekt)
    return {
        "name": NAME,
        "backend": "PostgreSQL + Redis",
        "figure": f"{users:,} gebruikers, {duur:.0f} s: {tekst}",
        "target": target,
        "ok": ok and not ontbreekt,
    }
