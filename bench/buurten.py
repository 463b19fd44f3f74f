"""Bench rows for places: importing national CBS files, and point-to-buurt lookups.

- import_national: a synthetic national buurten file of 12,000 buurten (bench/synthetic_cbs.py),
  the size of the real one (about 11,700 buurten).
- import_wijken_2014: the real national wijken file of 2014 (tests/data/cbs/, 2,738 wijken,
  120 invalid, 39 with collapsed rings; `make_valid` itself raises on some of them). Target, as
  for the whole national buurt file: under 10 s and at least 89% of the features kept with a
  boundary.

Each row works in a throwaway database of its own (a temporary SQLite file, or a temporary
PostgreSQL database when DATABASE_URL points at PostgreSQL), so it never touches var/vbt.sqlite3
or anyone's test database.
"""

import contextlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from django.db import connections
from django.db.models import Max, Min

from bench import synthetic_cbs
from buurten import cbs
from core.actors import COMMAND

ROOT = Path(__file__).resolve().parent.parent
LOOKUPS = 200_000
IMPORT_TARGET_S = 10.0
KEPT_TARGET = 0.89
LOOKUP_TARGET = 20_000
WIJKEN_2014 = ROOT / "tests" / "data" / "cbs" / "nl-wijken-2014.geojson"


def _n(getal: int) -> str:
    """A whole number the Dutch way: 12.000."""
    return f"{getal:,}".replace(",", ".")


@contextlib.contextmanager
def throwaway_database():
    """Create, migrate and afterwards drop a database of the configured backend; yields its label."""
    connection = connections["default"]
    old_name = connection.settings_dict["NAME"]
    tmpdir = None
    if connection.vendor == "sqlite":
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        tmpdir = tempfile.mkdtemp(prefix="db-", dir=ROOT / "var" / "bench")
        connection.settings_dict["TEST"]["NAME"] = str(Path(tmpdir) / "bench.sqlite3")
        label = "SQLite (tijdelijk bestand)"
    else:
        connection.settings_dict["TEST"]["NAME"] = f"vbt_bench_{os.getpid()}"
        label = {"postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield label
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


def _import(bestand: Path, soort: str) -> tuple[str, float, object, int, int]:
    """Import `bestand` into a throwaway database: backend, seconds, result, features in the file,
    and areas of this kind stored with a boundary."""
    from buurten.services.importeren import MODELLEN, gebieden_import

    features = len(json.loads(bestand.read_bytes())["features"])
    with throwaway_database() as backend:
        start = time.perf_counter()
        result = gebieden_import(door=COMMAND, bron=bestand)
        seconds = time.perf_counter() - start
        met_grens = MODELLEN[soort].objects.exclude(geometrie=None).count()
    return backend, seconds, result, features, met_grens


def _import_target() -> str:
    return f"< {IMPORT_TARGET_S:.0f} s, ≥ {KEPT_TARGET:.0%} behouden (met grens)"


def import_national() -> dict:
    backend, seconds, result, features, met_grens = _import(synthetic_cbs.bestand(), "buurt")
    buurten = result.aangemaakt["buurt"]
    kept = met_grens / features
    return {
        "name": "import ~12.000 buurten (synthetisch landelijk bestand)",
        "backend": backend,
        "figure": (
            f"{_n(buurten)} buurten, {_n(result.voorlopig['wijk'])} wijken, "
            f"{_n(result.voorlopig['gemeente'])} gemeenten in {seconds:.1f} s; {_pct(kept)} met grens "
            f"({len(result.hersteld)} hersteld, {len(result.overgeslagen)} overgeslagen)"
        ),
        "target": _import_target(),
        "ok": seconds < IMPORT_TARGET_S and kept >= KEPT_TARGET and buurten >= 11_000,
    }


def import_wijken_2014() -> dict:
    backend, seconds, result, features, met_grens = _import(WIJKEN_2014, "wijk")
    wijken = result.aangemaakt["wijk"]
    kept = met_grens / features
    return {
        "name": f"import landelijk wijkenbestand 2014 (echte CBS-gegevens, {_n(features)} wijken)",
        "backend": backend,
        "figure": (
            f"{_n(wijken)} wijken in {seconds:.1f} s: {_n(met_grens)} met grens ({_pct(kept)}), "
            f"{_n(wijken - met_grens)} zonder grens, {_n(len(result.overgeslagen))} overgeslagen; "
            f"{_n(len(result.hersteld))} hersteld, waarvan "
            f"{_n(sum(cbs.BUFFER_NUL in m.soorten for m in result.hersteld))} met buffer(0) "
            "na een fout in make_valid"
        ),
        "target": _import_target(),
        "ok": seconds < IMPORT_TARGET_S and kept >= KEPT_TARGET,
    }


def _pct(deel: float) -> str:
    return f"{deel * 100:.1f}".replace(".", ",") + "%"


def point_lookup() -> dict:
    from buurten.models import Buurt
    from buurten.selectors.gebieden import buurt_for_point
    from buurten.services.importeren import gebieden_import

    bestand = synthetic_cbs.bestand()
    with throwaway_database() as backend:
        gebieden_import(door=COMMAND, bron=bestand)
        box = Buurt.objects.aggregate(Min("min_lon"), Min("min_lat"), Max("max_lon"), Max("max_lat"))
        rng = np.random.default_rng(7)
        lons = rng.uniform(box["min_lon__min"], box["max_lon__max"], LOOKUPS).tolist()
        lats = rng.uniform(box["min_lat__min"], box["max_lat__max"], LOOKUPS).tolist()

        start = time.perf_counter()
        buurt_for_point(lat=lats[0], lon=lons[0])  # builds the index
        build = time.perf_counter() - start

        start = time.perf_counter()
        found = sum(1 for lat, lon in zip(lats, lons, strict=True) if buurt_for_point(lat=lat, lon=lon))
        seconds = time.perf_counter() - start
    rate = LOOKUPS / seconds
    return {
        "name": "buurt_for_point (punt → buurt, STRtree)",
        "backend": backend,
        "figure": (
            f"{_n(round(rate))}/s ({_n(LOOKUPS)} punten, {found / LOOKUPS:.0%} in een buurt; "
            f"index opbouwen {build:.1f} s)"
        ),
        "target": f"≥ {_n(LOOKUP_TARGET)}/s",
        "ok": rate >= LOOKUP_TARGET,
    }
