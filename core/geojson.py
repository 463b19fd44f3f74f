"""GeoJSON that knows no domain: FeatureCollections for the maps and the WGS84 coordinate range."""

from __future__ import annotations

import json
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


# --- reading GeoJSON text from a person -------------------------------------------------------
# json.loads recurses once per nested array, so "[[[[…]]]]" a few thousand deep raises
# RecursionError (a 500); a huge string or millions of points cost seconds and memory. The raw
# text is therefore scanned without parsing (length, then nesting) and the vertices counted
# without recursion, before anything else looks at it. A MultiPolygon inside a Feature nests six
# deep; the limits leave room for that and nothing like an attack.
MAX_GEOJSON_TEKENS = 1_000_000
MAX_GEOJSON_DIEPTE = 8
MAX_GEOJSON_PUNTEN = 20_000

GEOJSON_TE_GROOT = _("Deze vorm is te groot: hoogstens %(max)s tekens GeoJSON.")
GEOJSON_TE_DIEP = _("Deze GeoJSON is te diep genest; teken de vorm opnieuw op de kaart.")
GEOJSON_TE_VEEL_PUNTEN = _("Deze vorm heeft te veel punten: hoogstens %(max)s.")
GEOJSON_ONLEESBAAR = _("Dit is geen geldige GeoJSON.")


class GeoJSONTeGroot(ValueError):
    """GeoJSON text or data over one of the limits; `message` and `params` say which, in Dutch."""

    def __init__(self, message: Any, *, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(code)
        self.message = message
        self.code = code
        self.params = params or {}


def nesting_depth(text: str) -> int:
    """The deepest nesting of `[`/`{` in JSON text, brackets inside strings not counted; no parsing."""
    diepte = hoogste = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            diepte += 1
            hoogste = max(hoogste, diepte)
        elif char in "]}":
            diepte -= 1
    return hoogste


def geojson_check_limits(value: Any) -> None:
    """Refuse parsed GeoJSON nested deeper or holding more numbers than the limits, without recursion.

    Every number counts as half a vertex; a position is two numbers.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    getallen = 0
    while stack:
        item, diepte = stack.pop()
        if isinstance(item, dict | list | tuple):
            if diepte > MAX_GEOJSON_DIEPTE:
                raise GeoJSONTeGroot(GEOJSON_TE_DIEP, code="te_diep")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, diepte + 1) for child in children)
        elif isinstance(item, int | float) and not isinstance(item, bool):
            getallen += 1
            if getallen > 2 * MAX_GEOJSON_PUNTEN:
                raise GeoJSONTeGroot(
                    GEOJSON_TE_VEEL_PUNTEN, code="te_veel_punten", params={"max": MAX_GEOJSON_PUNTEN}
                )


def geojson_loads(text: str | bytes) -> Any:
    """Parse GeoJSON text from a person: GeoJSONTeGroot over a limit, ValueError if unreadable."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if len(text) > MAX_GEOJSON_TEKENS:
        raise GeoJSONTeGroot(GEOJSON_TE_GROOT, code="te_groot", params={"max": MAX_GEOJSON_TEKENS})
    if nesting_depth(text) > MAX_GEOJSON_DIEPTE:
        raise GeoJSONTeGroot(GEOJSON_TE_DIEP, code="te_diep")
    value = json.loads(text)
    geojson_check_limits(value)
    return value


# --- outlines for a map in the browser -------------------------------------------------------
# A CBS outline can hold thousands of points; a context layer under a phone's map needs a few
# hundred. Simplified to about 2 m (0.00002°) and rounded to 6 decimals (0.1 m), it stays true to
# the eye and costs a fraction of the bytes. Only for display: rules use the stored geometry.
DISPLAY_TOLERANCE = 0.00002


def _round(coordinates: Any, digits: int) -> Any:
    if isinstance(coordinates, float | int):
        return round(float(coordinates), digits)
    return [_round(c, digits) for c in coordinates]


def geometry_for_display(geometry: dict[str, Any] | None, *, digits: int = 6) -> dict[str, Any] | None:
    """`geometry` simplified (topology kept) and rounded for drawing; unchanged when it cannot be read."""
    if not geometry:
        return geometry
    from shapely.geometry import mapping, shape

    try:
        simple = mapping(shape(geometry).simplify(DISPLAY_TOLERANCE, preserve_topology=True))
    except (ValueError, TypeError, AttributeError, KeyError):
        return geometry
    return {"type": simple["type"], "coordinates": _round(simple["coordinates"], digits)}
