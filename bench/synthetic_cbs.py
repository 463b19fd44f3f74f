"""A synthetic national CBS buurten file: same codes, shapes and dirt as the real one, made up.

About 12,000 buurten in about 3,000 wijken in 340 gemeenten over the Netherlands' bounding box,
as Voronoi cells (neighbours share their borders, as real buurten do), with vertices every
few hundred metres, and a sprinkling of what real files contain: self-intersecting rings,
holes with fewer than four points, and MultiPolygons. Deterministic: the same seed writes the
same file, so bench runs compare.
"""

import json
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
VERSIE = 1
BBOX = (3.36, 50.75, 7.23, 53.55)  # lon/lat of the Netherlands
AANTAL = {"gemeente": 340, "wijk": 3_000, "buurt": 12_000}
SEED = 20_141_231


def pad() -> Path:
    return ROOT / "var" / "bench" / f"cbs-buurten-nl-synthetisch-v{VERSIE}.geojson"


def bestand() -> Path:
    """The synthetic file, written on first use into var/bench/ (not committed)."""
    doel = pad()
    if not doel.exists():
        doel.parent.mkdir(parents=True, exist_ok=True)
        tijdelijk = doel.with_suffix(".tmp")
        tijdelijk.write_text(json.dumps(genereer()), encoding="utf-8")
        tijdelijk.replace(doel)
    return doel


def _dichtbij(zaden: np.ndarray, punten: np.ndarray) -> np.ndarray:
    """Index of the nearest seed for each point."""
    boom = shapely.STRtree(shapely.points(zaden))
    punt_pos, zaad_pos = boom.query_nearest(shapely.points(punten), all_matches=False)
    uit = np.empty(len(punten), dtype=np.int64)
    uit[punt_pos] = zaad_pos
    return uit


def genereer(seed: int = SEED) -> dict:
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = BBOX
    # Denser in a few "cities", as real buurten are smaller in towns than in the countryside.
    steden = rng.uniform((x0, y0), (x1, y1), size=(40, 2))
    n = AANTAL["buurt"]
    extra = n + 100  # a few spare seeds: rounding merges some
    stad = steden[rng.integers(0, len(steden), size=extra // 2)] + rng.normal(0, 0.06, size=(extra // 2, 2))
    land = rng.uniform((x0, y0), (x1, y1), size=(extra - extra // 2, 2))
    buurt_zaden = np.clip(np.vstack([stad, land]), (x0, y0), (x1, y1))
    buurt_zaden = np.unique(np.round(buurt_zaden, 6), axis=0)
    buurt_zaden = buurt_zaden[rng.permutation(len(buurt_zaden))[:n]]

    # Parents' seeds are children's seeds, so every gemeente has a wijk and every wijk a buurt.
    wijk_zaden = buurt_zaden[rng.choice(len(buurt_zaden), AANTAL["wijk"], replace=False)]
    gemeente_zaden = wijk_zaden[rng.choice(len(wijk_zaden), AANTAL["gemeente"], replace=False)]
    wijk_van_buurt = _dichtbij(wijk_zaden, buurt_zaden)
    gemeente_van_wijk = _dichtbij(gemeente_zaden, wijk_zaden)

    omtrek = shapely.box(*BBOX)
    cellen = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(buurt_zaden), extend_to=omtrek))
    # voronoi_polygons does not keep the input order: match each cell to its seed.
    cel_van_zaad = _cel_per_zaad(cellen, buurt_zaden)
    vlakken = shapely.segmentize(shapely.intersection(cellen[cel_van_zaad], omtrek), 0.004)

    # Codes: wijk and buurt numbers run per parent, as CBS numbers them.
    wijk_nummer = np.zeros(len(wijk_zaden), dtype=np.int64)
    teller: dict[int, int] = {}
    for w in np.argsort(gemeente_van_wijk, kind="stable"):
        g = int(gemeente_van_wijk[w])
        wijk_nummer[w] = teller.get(g, 0)
        teller[g] = wijk_nummer[w] + 1
    features = []
    buurt_teller: dict[int, int] = {}
    for b in np.argsort(wijk_van_buurt, kind="stable"):
        w = int(wijk_van_buurt[b])
        nummer = buurt_teller.get(w, 0)
        buurt_teller[w] = nummer + 1
        gm = int(gemeente_van_wijk[w]) + 1
        code = f"BU{gm:04d}{wijk_nummer[w] % 100:02d}{nummer % 100:02d}"
        geometrie = json.loads(shapely.to_geojson(shapely.set_precision(vlakken[b], 1e-7)))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "statcode": code,
                    "statnaam": f"Buurt {len(features) + 1}",
                    "rubriek": "buurt",
                },
                "geometry": _vuil(geometrie, len(features), rng),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _cel_per_zaad(cellen: np.ndarray, zaden: np.ndarray) -> np.ndarray:
    boom = shapely.STRtree(cellen)
    zaad_pos, cel_pos = boom.query(shapely.points(zaden), predicate="intersects")
    uit = np.empty(len(zaden), dtype=np.int64)
    uit[zaad_pos] = cel_pos
    return uit


def _vuil(geometrie: dict, i: int, rng: np.random.Generator) -> dict:
    """Add the dirt of real files to some features (about 1 in 150 of each kind)."""
    if geometrie["type"] != "Polygon":
        return geometrie
    ring = geometrie["coordinates"][0]
    if i % 150 == 7 and len(ring) > 5:
        # Swap two vertices: a self-intersecting (bow-tie) ring.
        ring[1], ring[2] = ring[2], ring[1]
    elif i % 150 == 37:
        # A hole that generalisation reduced to three points.
        cx, cy = np.mean(ring[:-1], axis=0)
        geometrie["coordinates"].append([[cx, cy], [cx + 1e-4, cy], [cx, cy]])
    elif i % 150 == 77:
        # A MultiPolygon: the buurt plus a small island of its own nearby.
        cx, cy = ring[0]
        eiland = [[cx, cy], [cx + 2e-4, cy], [cx + 2e-4, cy + 2e-4], [cx, cy + 2e-4], [cx, cy]]
        geometrie = {"type": "MultiPolygon", "coordinates": [geometrie["coordinates"], [eiland]]}
    return geometrie
