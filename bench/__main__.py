"""`make bench`: run every benchmark row in its own process, print a table, write BENCHMARKS.md.

Each row is a function in a bench module that returns a dict with: name, figure (what was
measured, as text), target (as text), ok (bool or None when there is no target), and
optionally backend. The runner adds the row's peak memory (max RSS of its own process), so
rows never share a process and one row's peak never inflates another's.
"""

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module:function, in the order they appear in the table.
ROWS = [
    "bench.buurten:import_national",
    "bench.buurten:import_wijken_2014",
    "bench.buurten:point_lookup",
    "bench.signalen:tally_full",
    "bench.signalen:tally_incremental",
    "bench.publiek:buurtpagina",
    "bench.dashboard:dashboard",
    "bench.acties:lijst",
    "bench.acties:actie",
    "bench.pages:signal_list",
    "bench.pages:signal_list_later_page",
    "bench.pages:signal_map",
    "bench.pages:signal_map_data",
    "bench.pages:signal_detail",
    "bench.pages:csv_export",
    "bench.pages:csv_memory",
    "bench.pages:logging_page_weight",
    "bench.load.run:belasting",
]


def run_row(spec: str) -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "vbt.settings.dev")
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.one", spec], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["?"]
        return {"name": spec, "figure": f"fout: {tail[0]}", "target": "", "ok": False, "peak_mb": None}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    lines = [
        "| benchmark | backend | measured | target | met | peak memory |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        met = {True: "yes", False: "NO", None: "–"}[r.get("ok")]
        peak = f"{r['peak_mb']:.0f} MB" if r.get("peak_mb") is not None else "–"
        lines.append(
            f"| {r['name']} | {r.get('backend', '')} | {r['figure']} | {r['target']} | {met} | {peak} |"
        )
    return "\n".join(lines)


def main() -> int:
    only = sys.argv[1:]
    specs = [s for s in ROWS if not only or any(o in s for o in only)]
    rows = []
    for spec in specs:
        print(f"… {spec}", file=sys.stderr, flush=True)
        rows.append(run_row(spec))
    text = table(rows)
    print(text)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    (ROOT / "BENCHMARKS.md").write_text(
        "# Benchmarks\n\n"
        f"Written by `make bench` on {stamp} ({machine}). Each row ran in its own process; "
        "peak memory is that process's maximum resident set size.\n\n"
        f"{text}\n"
    )
    return 0 if all(r.get("ok") is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
