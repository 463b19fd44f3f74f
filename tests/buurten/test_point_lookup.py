"""buurt_for_point: the in-memory STRtree index over the imported buurten."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from shapely.geometry import shape

from buurten.models import Buurt
from buurten.selectors import buurt_for_point, buurt_ids_for_points
from buurten.selectors import gebieden as index_module
from buurten.services.importeren import gebieden_import
from core.actors import COMMAND
from tests.factories import BuurtFactory

ROOT = Path(__file__).resolve().parent.parent.parent
BUURTEN_2014 = ROOT / "buurten" / "data" / "cbs" / "maastricht-buurten-2014.geojson"
AMSTERDAM = {"lat": 52.3731, "lon": 4.8922}

pytestmark = pytest.mark.django_db


def features():
    return json.loads(BUURTEN_2014.read_text())["features"]


def inside(feature) -> dict:
    point = shape(feature["geometry"]).representative_point()
    return {"lat": point.y, "lon": point.x}


def square(x: float, y: float, size: float = 0.01) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*buurten: tuple[str, str, dict]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"statcode": code, "statnaam": naam}, "geometry": geometry}
            for code, naam, geometry in buurten
        ],
    }


def test_every_valid_maastricht_buurt_is_found_at_a_point_inside_it():
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)
    checked = 0
    for feature in features():
        if not shape(feature["geometry"]).is_valid:
            continue  # Kommelkwartier collapsed to a line: it has no area to hold a point
        buurt = buurt_for_point(**inside(feature))
        assert buurt is not None
        assert buurt.code == feature["properties"]["statcode"]
        assert buurt.naam == feature["properties"]["statnaam"]
        checked += 1
    assert checked == 43


def test_a_point_outside_every_buurt_is_none():
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)

    assert buurt_for_point(**AMSTERDAM) is None


def test_no_buurten_at_all_is_none():
    assert buurt_for_point(lat=50.85, lon=5.69) is None
    assert buurt_ids_for_points(lats=[50.85], lons=[5.69]) == [None]


def test_the_result_is_a_usable_buurt():
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)
    malberg = next(f for f in features() if f["properties"]["statcode"] == "BU09350207")

    buurt = buurt_for_point(**inside(malberg))

    assert buurt == Buurt.objects.get(code="BU09350207")
    assert buurt.wijk.code == "WK093502"
    assert buurt.geometrie == malberg["geometry"]  # deferred: loads on access


def test_lookup_after_warm_up_runs_no_query(django_assert_num_queries):
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)
    point = inside(features()[0])
    buurt_for_point(**point)

    with django_assert_num_queries(0):
        for _ in range(100):
            assert buurt_for_point(**point).code == "BU09350604"
        assert buurt_for_point(**AMSTERDAM) is None


def test_reimport_with_changed_geometry_rebuilds_the_index(tmp_path):
    gebieden_import(door=COMMAND, bron=collection(("BU09350101", "Verhuisd", square(5.60, 50.80))))
    old = {"lat": 50.805, "lon": 5.605}
    new = {"lat": 50.905, "lon": 5.705}
    assert buurt_for_point(**old).code == "BU09350101"
    assert buurt_for_point(**new) is None

    gebieden_import(door=COMMAND, bron=collection(("BU09350101", "Verhuisd", square(5.70, 50.90))))

    assert buurt_for_point(**old) is None
    assert buurt_for_point(**new).code == "BU09350101"


def test_import_tells_other_processes_after_commit(django_capture_on_commit_callbacks):
    before = cache.get(index_module.CACHE_KEY)

    with django_capture_on_commit_callbacks(execute=True):
        gebieden_import(door=COMMAND, bron=BUURTEN_2014)

    assert cache.get(index_module.CACHE_KEY) not in (None, before)


def test_another_process_import_is_seen_through_the_shared_version(monkeypatch):
    gebieden_import(door=COMMAND, bron=collection(("BU09350101", "Eerst", square(5.60, 50.80))))
    point = {"lat": 50.805, "lon": 5.605}
    assert buurt_for_point(**point).naam == "Eerst"

    # What another process's import leaves behind: changed rows (no signal here) and a new
    # shared version in the cache, but no change to this process's own counter.
    Buurt.objects.filter(code="BU09350101").update(naam="Later")
    cache.set(index_module.CACHE_KEY, "een-ander-proces")
    assert buurt_for_point(**point).naam == "Eerst"  # checked at most once per SHARED_CHECK_SECONDS

    monkeypatch.setattr(index_module, "SHARED_CHECK_SECONDS", 0)
    assert buurt_for_point(**point).naam == "Later"


def test_a_buurt_saved_or_deleted_one_by_one_updates_the_index():
    assert buurt_for_point(lat=50.85, lon=5.69) is None

    buurt = BuurtFactory()  # the factory's square around Maastricht-centrum

    assert buurt_for_point(lat=50.85, lon=5.69) == buurt
    buurt.delete()
    assert buurt_for_point(lat=50.85, lon=5.69) is None


def test_vectorised_lookup_agrees_with_single_lookups():
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)
    points = [inside(f) for f in features() if shape(f["geometry"]).is_valid] + [AMSTERDAM]

    ids = buurt_ids_for_points(lats=[p["lat"] for p in points], lons=[p["lon"] for p in points])

    expected = [getattr(buurt_for_point(**p), "pk", None) for p in points]
    assert ids == expected
    assert ids[-1] is None
    assert None not in ids[:-1]
