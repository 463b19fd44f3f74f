"""The load run's command line: no server up is one clear line and exit 1; the locustfile imports."""

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_server_up_is_one_line_and_exit_1(tmp_path):
    poort = _vrije_poort()
    plan = tmp_path / "plan.json"
    plan.write_text("{}")
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.load", "--host", f"http://127.0.0.1:{poort}", "--plan", str(plan)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"belastingtest: geen server op http://127.0.0.1:{poort}")
    assert proc.stdout == ""


def test_only_loopback():
    from bench.load.__main__ import server_bereikbaar

    assert "alleen op loopback" in server_bereikbaar("http://example.org:8000")
    assert "http-adres" in server_bereikbaar("ftp://127.0.0.1")


def test_locustfile_imports_and_has_both_kinds_of_user(tmp_path, monkeypatch):
    monkeypatch.setenv("VBT_LOAD_PLAN", str(tmp_path / "plan.json"))
    (tmp_path / "plan.json").write_text('{"leeg": "/bench/leeg/"}')
    code = (
        "import bench.load.locustfile as l; "
        "print(l.Staff.weight, l.Publiek.weight, l.PLAN['leeg'], sorted(t.__name__ for t in l.Staff.tasks))"
    )
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert proc.stdout.split()[:3] == ["200", "1000", "/bench/leeg/"]
    for naam in ("lijst", "kaart", "detail", "loggen", "steun", "actie_update", "basis"):
        assert naam in proc.stdout
