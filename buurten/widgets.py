"""A map form widget that stores GeoJSON in the form, drawn with the Leaflet files of django-leaflet.

We use only django-leaflet's static files: `leaflet.forms` needs GDAL, which this project does not
have. The value travels as a GeoJSON string; `GeoJSONField` turns it into a dict.

Point mode (`KaartWidget(mode="point")`): tap or click to place a marker, a "Gebruik mijn locatie"
button, and visible latitude/longitude inputs kept in sync with the marker, so a keyboard or
screen-reader user can enter a place without the map. Polygon mode: draw or edit one polygon with
Leaflet.draw; line mode likewise one line (a walked route). Their GeoJSON is also editable as
text for the same reason.

An optional context layer (a GeoJSON FeatureCollection, for example the outlines of the team's
buurten) is drawn under the value and sets the initial view.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.geojson import (
    COORDINATEN_BUITEN_BEREIK,
    GeoJSONTeGroot,
    coordinates_in_range,
    geojson_check_limits,
    geojson_loads,
)

Mode = Literal["point", "polygon", "line"]
GeomType = Literal["Point", "Polygon", "LineString"]
MODE_FOR_GEOM: dict[str, Mode] = {"Point": "point", "Polygon": "polygon", "LineString": "line"}


def _default_view() -> tuple[float, float, int]:
    config = getattr(settings, "LEAFLET_CONFIG", {})
    lat, lon = config.get("DEFAULT_CENTER", (52.1, 5.3))
    return float(lat), float(lon), int(config.get("DEFAULT_ZOOM", 13))


def _tiles() -> tuple[str, dict[str, Any]]:
    tiles = getattr(settings, "LEAFLET_CONFIG", {}).get("TILES") or []
    if tiles:
        _name, url, options = tiles[0]
        return url, dict(options)
    return "https://tile.openstreetmap.org/{z}/{x}/{y}.png", {"attribution": "&copy; OpenStreetMap"}


def kaart_config() -> dict[str, Any]:
    """What kaart.js needs to draw a map: tiles and the default view (shared with display maps)."""
    lat, lon, zoom = _default_view()
    url, options = _tiles()
    config = getattr(settings, "LEAFLET_CONFIG", {})
    return {
        "tiles": url,
        "tileOptions": options,
        "center": [lat, lon],
        "zoom": zoom,
        "minZoom": config.get("MIN_ZOOM"),
        "maxZoom": config.get("MAX_ZOOM"),
        "attributionPrefix": config.get("ATTRIBUTION_PREFIX"),
        "tekst": {
            "gekozen": _("Plek gekozen: breedtegraad %(lat)s, lengtegraad %(lon)s."),
            "zoeken": _("Je locatie wordt bepaald…"),
            "geenLocatie": _("Je locatie is niet te bepalen. Tik op de kaart of vul de coördinaten in."),
            "tekenVlak": _("Teken een vlak"),
            "bewerken": _("Bewerken"),
            "wissen": _("Wissen"),
            "vlakGetekend": _("Vlak getekend."),
            "vlakGewist": _("Vlak gewist."),
            "bekijk": _("Bekijk"),
            "annuleren": _("Annuleren"),
            "klaar": _("Klaar"),
            "laatsteWissen": _("Laatste punt wissen"),
            "opslaan": _("Opslaan"),
            "allesWissen": _("Alles wissen"),
            "tekenStart": _("Klik om het eerste hoekpunt te zetten."),
            "tekenVerder": _("Klik om het volgende hoekpunt te zetten."),
            "tekenEinde": _("Klik op het eerste hoekpunt om het vlak te sluiten."),
            "bewerkUitleg": _("Versleep de hoekpunten om het vlak te wijzigen."),
            "wisUitleg": _("Klik op het vlak om het te wissen."),
            "tekenLijn": _("Teken de route"),
            "lijnStart": _("Klik om het begin van de route te zetten."),
            "lijnVerder": _("Klik om de route verder te tekenen."),
            "lijnEinde": _("Klik op het laatste punt of op Klaar om de route af te sluiten."),
            "lijnGetekend": _("Route getekend."),
            "lijnGewist": _("Route gewist."),
            "kruist": _("De randen van het vlak mogen elkaar niet kruisen."),
            # Leaflet's own controls (English by default): set by kaart.js on every map.
            "inzoomen": _("Inzoomen"),
            "uitzoomen": _("Uitzoomen"),
            "markering": _("Gekozen plek"),
        },
    }


class KaartWidget(forms.Widget):
    """A Leaflet map that edits a GeoJSON Point, Polygon or LineString, with an accessible fallback."""

    template_name = "widgets/kaart.html"
    use_fieldset = True

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        mode: Mode = "point",
        context_geojson: dict[str, Any] | None = None,
    ) -> None:
        if mode not in ("point", "polygon", "line"):
            raise ValueError(f"KaartWidget mode must be 'point', 'polygon' or 'line', not {mode!r}")
        super().__init__(attrs)
        self.mode = mode
        self.context_geojson = context_geojson

    @property
    def media(self) -> forms.Media:
        css = ["leaflet/leaflet.css"]
        js = ["leaflet/leaflet.js"]
        if self.mode in ("polygon", "line"):
            css.append("leaflet/draw/leaflet.draw.css")
            js.append("leaflet/draw/leaflet.draw.js")
        js.append("js/kaart.js")
        return forms.Media(css={"all": css}, js=js)

    def format_value(self, value: Any) -> str:
        if value in (None, "", {}):
            return ""
        if isinstance(value, dict):
            return json.dumps(value)
        return str(value)

    @staticmethod
    def _point(value: str) -> tuple[str, str]:
        """Latitude and longitude text of a GeoJSON Point string, or empty strings."""
        try:
            geo = geojson_loads(value) if value else None
        except ValueError:  # GeoJSONTeGroot included: the form shows why
            return "", ""
        if isinstance(geo, dict) and geo.get("type") == "Point":
            coords = geo.get("coordinates") or []
            if len(coords) == 2:
                return str(coords[1]), str(coords[0])
        return "", ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"]["id"] = base_id
        lat, lon = self._point(widget["value"]) if self.mode == "point" else ("", "")
        widget.update(
            {
                "mode": self.mode,
                "id": base_id,
                "map_id": f"{base_id}_kaart",
                "lat_name": f"{name}_lat",
                "lon_name": f"{name}_lon",
                "lat_id": f"{base_id}_lat",
                "lon_id": f"{base_id}_lon",
                "lat": lat,
                "lon": lon,
                "config_id": f"{base_id}_config",
                "config": kaart_config(),
                "context_id": f"{base_id}_context",
                "context_geojson": self.context_geojson,
                "teksten": self._teksten(),
            }
        )
        return context

    def _teksten(self) -> dict[str, Any]:
        if self.mode == "line":
            return {
                "uitleg": _(
                    "Teken de route met de lijn-knop op de kaart: klik punt voor punt en sluit af met "
                    "‘Klaar’. Bewerken kan met de potlood-knop."
                ),
                "kaart": _("Kaart om een route te tekenen"),
                "samenvatting": _("De route als GeoJSON-tekst bewerken"),
                "label": _("GeoJSON van de route"),
            }
        return {
            "uitleg": _(
                "Teken het vlak met de vijfhoek-knop op de kaart; klik op het eerste punt om het af te "
                "sluiten. Bewerken kan met de potlood-knop."
            ),
            "kaart": _("Kaart om een vlak te tekenen"),
            "samenvatting": _("Het vlak als GeoJSON-tekst bewerken"),
            "label": _("GeoJSON van het vlak"),
        }

    def value_from_datadict(self, data, files, name: str) -> str | None:
        if self.mode == "point":
            lat = (data.get(f"{name}_lat") or "").strip().replace(",", ".")
            lon = (data.get(f"{name}_lon") or "").strip().replace(",", ".")
            # The visible inputs win: the script keeps them in sync with the marker, and without
            # the script they are the only way a place gets in.
            if lat or lon:
                try:
                    point = {"type": "Point", "coordinates": [float(lon), float(lat)]}
                except ValueError:
                    return json.dumps({"type": "Point", "coordinates": [lon, lat]})
                return json.dumps(point)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and f"{name}_lat" not in data and f"{name}_lon" not in data

    def id_for_label(self, id_: str) -> str:
        # The widget renders its own fieldset; the legend names the whole group.
        return ""


def _valid_position(position: Any) -> bool:
    if not isinstance(position, list | tuple) or len(position) < 2:
        return False
    return coordinates_in_range(lon=position[0], lat=position[1])


class GeoJSONField(forms.Field):
    """A GeoJSON geometry of one type, from a KaartWidget; cleans to a dict."""

    default_error_messages = {
        "invalid": _("Deze plek is niet te lezen. Kies een plek op de kaart of vul de coördinaten in."),
        "type": _("Teken hier een %(verwacht)s."),
        "range": COORDINATEN_BUITEN_BEREIK,
        "ring": _("Een vlak heeft minstens drie hoekpunten nodig."),
        "lijn": _("Een route heeft minstens twee punten nodig."),
    }

    def __init__(
        self,
        *,
        geom_type: GeomType = "Point",
        context_geojson: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.geom_type = geom_type
        mode = MODE_FOR_GEOM[geom_type]
        kwargs.setdefault("widget", KaartWidget(mode=mode, context_geojson=context_geojson))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dict[str, Any] | None:
        if value in self.empty_values:
            return None
        try:
            if isinstance(value, dict):
                geojson_check_limits(value)
                geo = value
            else:
                geo = geojson_loads(value)
        except GeoJSONTeGroot as error:
            raise ValidationError(error.message, code=error.code, params=error.params) from None
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if isinstance(geo, dict) and geo.get("type") == "Feature":
            geo = geo.get("geometry")
        if not isinstance(geo, dict) or "type" not in geo:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        allowed = {
            "Point": {"Point"},
            "Polygon": {"Polygon", "MultiPolygon"},
            "LineString": {"LineString", "MultiLineString"},
        }[self.geom_type]
        if geo["type"] not in allowed:
            verwacht = {"Point": _("plek"), "Polygon": _("vlak"), "LineString": _("route")}[self.geom_type]
            raise ValidationError(self.error_messages["type"], code="type", params={"verwacht": verwacht})
        coords = geo.get("coordinates")
        if geo["type"] == "Point":
            if not isinstance(coords, list) or len(coords) != 2:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if not _valid_position(coords):
                raise ValidationError(self.error_messages["range"], code="range")
            return {"type": "Point", "coordinates": [float(coords[0]), float(coords[1])]}
        if geo["type"] in ("LineString", "MultiLineString"):
            lines = [coords] if geo["type"] == "LineString" else coords
            if not isinstance(lines, list) or not lines:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            for line in lines:
                if not isinstance(line, list) or not all(_valid_position(p) for p in line):
                    raise ValidationError(self.error_messages["range"], code="range")
                if len(line) < 2:
                    raise ValidationError(self.error_messages["lijn"], code="lijn")
            return {"type": geo["type"], "coordinates": coords}
        polygons = [coords] if geo["type"] == "Polygon" else coords
        if not isinstance(polygons, list) or not polygons:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        for polygon in polygons:
            if not isinstance(polygon, list) or not polygon:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            for ring in polygon:
                if not isinstance(ring, list) or not all(_valid_position(p) for p in ring):
                    raise ValidationError(self.error_messages["range"], code="range")
                if len(ring) < 4:
                    raise ValidationError(self.error_messages["ring"], code="ring")
        return {"type": geo["type"], "coordinates": coords}
