"""GeoJSON that knows no domain: FeatureCollections for the maps and the WGS84 coordinate range."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

COORDINATEN_BUITEN_BEREIK = _(
    "De coördinaten liggen buiten de wereld: breedtegraad -90 tot 90, lengtegraad -180 tot 180."
)


def coordinates_in_range(*, lon: Any, lat: Any) -> bool:
    """A WGS84 position: two finite numbers, longitude -180..180 and latitude -90..90."""
    if not all(isinstance(c, int | float) and not isinstance(c, bool) for c in (lon, lat)):
        return False
    return math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90


def point(*, lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def feature_collection(features: Iterable[tuple[dict[str, Any] | None, dict[str, Any]]]) -> dict[str, Any]:
    """A FeatureCollection of (geometry, properties) pairs; a pair without a geometry is left out."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": geometry, "properties": properties}
            for geometry, properties in features
            if geometry
        ],
    }
