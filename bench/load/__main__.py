"""`python -m bench.load --host http://127.0.0.1:8000 --plan plan.json`: locust headless against a
running VBT, bounded in users and time, stopping by itself.

Defaults are the issue's numbers (1,200 users for 180 s); VBT_LOAD_USERS and VBT_LOAD_SECONDS
shorten a development run. Without a server at --host it prints one line and exits 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
USERS = 1200
SECONDS = 180


def server_bereikbaar(host: str, pad: str = "/") -> str | None:
    """None when something answers HTTP at `host`, else why not (one line)."""
    parts = urlsplit(host)
    if parts.scheme != "http" or not parts.hostname:
        return f"--host moet een http-adres zijn, zoals http://127.0.0.1:8000 (niet {host!r})"
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return f"de belastingtest draait alleen op loopback (127.0.0.1), niet op {parts.hostname}"
    try:
        conn = HTTPConnection(parts.hostname, parts.port or 80, timeout=5)
        conn.request("GET", pad)
        conn.getresponse().read()
        conn.close()
    except OSError as exc:
        return f"geen server op {host} ({exc.strerror or exc}); start eerst gunicorn (of draai make bench)"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--host", required=True)
    parser.add_argument("--plan", required=True, help="JSON van bench.load.plan.maak_plan")
    parser.add_argument("--users", type=int, default=int(os.environ.get("VBT_LOAD_USERS", USERS)))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("VBT_LOAD_SECONDS", SECONDS)))
    parser.add_argument("--csv", default="var/load/locust", help="voorvoegsel van locusts CSV-bestanden")
    args = parser.parse_args(argv)
    if fout := server_bereikbaar(args.host, "/bench/leeg/"):
        print(f"belastingtest: {fout}", file=sys.stderr)
        return 1
    if not 1 <= args.users <= 5000 or not 1 <= args.seconds <= 3600:
        print("belastingtest: --users 1–5000 en --seconds 1–3600", file=sys.stderr)
        return 1
    Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "VBT_LOAD_PLAN": str(Path(args.plan).resolve())}
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--host",
        args.host,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(max(1, args.users // 30)),  # everyone is on within 30 s
        "--run-time",
        f"{args.seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        args.csv,
        "--only-summary",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
    ]
    return subprocess.run(cmd, env=env, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
