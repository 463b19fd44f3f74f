"""Reading CBS and PDOK GeoJSON: which area a feature is, and a clean polygon for it.

Pure functions, no database: `buurten.services.importeren` decides what gets written.
- The kind of a feature is decided by its code prefix (GM, WK, BU). Codes come from `statcode`
  (CBS) or from PDOK's `buurtcode`/`wijkcode`/`gemeentecode` (also the shapefile names
  `bu_code`/`wk_code`/`gm_code`); a bare number such as PDOK's "0935" gets its prefix.
- Coordinates are WGS84 (EPSG:4326) unless the file's `crs` member names another system
  (PDOK: EPSG:28992, RD New); those are reprojected with pyproj. A file without `crs` whose
  coordinates can only be RD New is read as RD New, with a remark.
- Rings with fewer than four points are dropped (an unusable outer ring drops its polygon);
  invalid polygons are repaired with `shapely.make_valid`, keeping only the polygonal parts.
  A polygon that collapses to a line leaves its area without a geometry (reported).
- A feature that cannot be used raises `Onbruikbaar` with its reason; a file that cannot be
  used raises `ImportFout`.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapely
from django.utils.translation import gettext as _

SOORTEN = ("gemeente", "wijk", "buurt")
PREFIX = {"gemeente": "GM", "wijk": "WK", "buurt": "BU"}
CIJFERS = {"gemeente": 4, "wijk": 6, "buurt": 8}
CODE_PATROON = {soort: re.compile(rf"^{PREFIX[soort]}\d{{{CIJFERS[soort]}}}$") for soort in SOORTEN}
SOORT_VAN_PREFIX = {prefix: soort for soort, prefix in PREFIX.items()}

# PDOK and CBS shapefile spellings, checked in this order (a buurt row also names its wijk).
CODE_SLEUTELS = {
    "buurt": ("buurtcode", "bu_code"),
    "wijk": ("wijkcode", "wk_code"),
    "gemeente": ("gemeentecode", "gm_code"),
}
NAAM_SLEUTELS = {
    "buurt": ("buurtnaam", "bu_naam"),
    "wijk": ("wijknaam", "wk_naam"),
    "gemeente": ("gemeentenaam", "gm_naam"),
}

# The Netherlands in RD New, with a margin; used only when a file has no `crs` member.
RD_BEREIK = (-10_000, 280_000, 310_000, 650_000)
NAAM_MAX = 200

GEOS_REDENEN = {
    "Self-intersection": "zelfdoorsnijding",
    "Ring Self-intersection": "ring snijdt zichzelf",
    "Too few points": "te weinig punten",
    "Hole lies outside shell": "gat ligt buiten de buitenrand",
    "Nested holes": "gat binnen een gat",
    "Interior is disconnected": "binnenkant valt in delen uiteen",
    "Nested shells": "vlak binnen een ander vlak",
    "Duplicate Rings": "dubbele ring",
    "Invalid Coordinate": "ongeldige coördinaat",
    "Ring is not closed": "ring is niet gesloten",
}


class ImportFout(Exception):
    """The file as a whole cannot be imported; the message is one Dutch line for a person."""


@dataclass(frozen=True)
class Melding:
    """A repaired or skipped feature: its code (or position in the file), name and reason."""

    code: str
    naam: str
    reden: str

    def __str__(self) -> str:
        return f"{self.code} ({self.naam}): {self.reden}" if self.naam else f"{self.code}: {self.reden}"


@dataclass
class Kandidaat:
    """A usable feature: kind, code, name, names it gives its parents, and its polygon."""

    soort: str
    code: str
    naam: str | None
    ouder_namen: dict[str, str]
    geometrie: dict
    vlak: Any  # shapely Polygon or MultiPolygon; None once it collapsed during repair
    gewijzigd: bool  # the stored GeoJSON must be written from `vlak`, not copied from the file
    opmerkingen: list[str]


class Onbruikbaar(Exception):
    """This feature cannot be used; the message is the reason, in Dutch."""


# --- reading the file ---------------------------------------------------------------------


def lees_bestand(pad: Path) -> Any:
    """The parsed JSON of the file; ImportFout with one Dutch line when it cannot be read."""
    try:
        data = pad.read_bytes()
    except FileNotFoundError:
        raise ImportFout(_("Bestand niet gevonden: %(pad)s") % {"pad": pad}) from None
    except IsADirectoryError:
        raise ImportFout(_("%(pad)s is een map, geen GeoJSON-bestand.") % {"pad": pad}) from None
    except OSError as fout:
        raise ImportFout(
            _("Kan %(pad)s niet lezen: %(reden)s.") % {"pad": pad, "reden": fout.strerror}
        ) from None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFout(
            _("%(pad)s is geen GeoJSON: het is geen UTF-8-tekstbestand.") % {"pad": pad}
        ) from None
    except json.JSONDecodeError as fout:
        raise ImportFout(
            _("%(pad)s is geen GeoJSON: geen geldige JSON (fout op regel %(regel)d, kolom %(kolom)d).")
            % {"pad": pad, "regel": fout.lineno, "kolom": fout.colno}
        ) from None


def features(collectie: Any, naam: str) -> list:
    if not isinstance(collectie, Mapping) or collectie.get("type") != "FeatureCollection":
        gevonden = collectie.get("type") if isinstance(collectie, Mapping) else type(collectie).__name__
        raise ImportFout(
            _("%(naam)s is geen GeoJSON-FeatureCollection (gevonden: %(type)s).")
            % {"naam": naam, "type": gevonden or _("geen type")}
        )
    features = collectie.get("features")
    if not isinstance(features, list):
        raise ImportFout(_("%(naam)s is een FeatureCollection zonder lijst 'features'.") % {"naam": naam})
    if not features:
        raise ImportFout(_("%(naam)s bevat geen features.") % {"naam": naam})
    return features


def geen_bruikbaar(naam: str, aantal: int, overgeslagen: list[Melding]) -> str:
    return _(
        "%(naam)s bevat geen bruikbaar gebied: alle %(n)d features overgeslagen (bijvoorbeeld %(eerste)s)."
    ) % {"naam": naam, "n": aantal, "eerste": overgeslagen[0]}


# --- one feature --------------------------------------------------------------------------


def _tekst(waarde: Any) -> str | None:
    if waarde is None or isinstance(waarde, bool):
        return None
    tekst = str(waarde).strip()
    return tekst or None


def _code(waarde: Any, soort: str | None) -> str | None:
    if isinstance(waarde, int) and not isinstance(waarde, bool) and soort:
        waarde = str(waarde)
    code = _tekst(waarde)
    if code is None:
        return None
    code = code.upper()
    if soort and code.isdigit():
        code = PREFIX[soort] + code.zfill(CIJFERS[soort])
    return code


def _eigenschappen(feature: Mapping) -> dict[str, Any]:
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        return {}
    return {str(k).lower(): v for k, v in props.items()}


def _eerste(props: Mapping[str, Any], sleutels: tuple[str, ...]) -> Any:
    for sleutel in sleutels:
        if props.get(sleutel) not in (None, ""):
            return props[sleutel]
    return None


def _herken(props: Mapping[str, Any]) -> tuple[str, str, str | None, dict[str, str]]:
    """Kind, code, name and the names it gives its parents; raises Onbruikbaar."""
    ouder_namen: dict[str, str] = {}
    statcode = _code(props.get("statcode"), None)
    if statcode:
        soort = SOORT_VAN_PREFIX.get(statcode[:2])
        code, naam = statcode, _tekst(props.get("statnaam"))
    else:
        soort = next((s for s in ("buurt", "wijk", "gemeente") if _eerste(props, CODE_SLEUTELS[s])), None)
        if soort is None:
            raise Onbruikbaar(_("geen CBS-code (statcode, buurtcode, wijkcode of gemeentecode)"))
        code = _code(_eerste(props, CODE_SLEUTELS[soort]), soort)
        naam = _tekst(_eerste(props, NAAM_SLEUTELS[soort]))
        for ouder in SOORTEN[: SOORTEN.index(soort)]:
            ouder_naam = _tekst(_eerste(props, NAAM_SLEUTELS[ouder]))
            if ouder_naam:
                ouder_namen[ouder] = ouder_naam[:NAAM_MAX]
    if soort is None or not CODE_PATROON[soort].match(code):
        raise Onbruikbaar(
            _("onbekende code %(code)s (verwacht GM + 4 cijfers, WK + 6 cijfers of BU + 8 cijfers)")
            % {"code": code}
        )
    return soort, code, naam[:NAAM_MAX] if naam else None, ouder_namen


def herkenbaar(feature: Any, positie: int) -> tuple[str, str]:
    """How a skipped feature is named in the report: its code if it has one, else its position."""
    props = _eigenschappen(feature) if isinstance(feature, Mapping) else {}
    code = _code(props.get("statcode"), None) or next(
        (
            _code(_eerste(props, CODE_SLEUTELS[s]), s)
            for s in ("buurt", "wijk", "gemeente")
            if _eerste(props, CODE_SLEUTELS[s])
        ),
        None,
    )
    naam = _tekst(props.get("statnaam")) or next(
        (
            _tekst(_eerste(props, NAAM_SLEUTELS[s]))
            for s in ("buurt", "wijk", "gemeente")
            if _eerste(props, NAAM_SLEUTELS[s])
        ),
        None,
    )
    return code or _("feature %(n)d") % {"n": positie}, naam or ""


def kandidaat(feature: Any) -> Kandidaat:
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise Onbruikbaar(_("geen GeoJSON-Feature"))
    soort, code, naam, ouder_namen = _herken(_eigenschappen(feature))
    geometrie = feature.get("geometry")
    vlak, gewijzigd, opmerkingen = _vlak(geometrie)
    return Kandidaat(soort, code, naam, ouder_namen, geometrie, vlak, gewijzigd, opmerkingen)


def _ring(posities: Any) -> tuple[np.ndarray | None, bool]:
    """The ring as an (n, 2) array, closed; None when it has fewer than four points."""
    try:
        ring = np.asarray(posities, dtype=float)
    except (TypeError, ValueError):
        raise Onbruikbaar(_("ongeldige coördinaten")) from None
    if ring.size == 0:
        return None, True
    if ring.ndim != 2 or ring.shape[1] < 2 or not np.isfinite(ring[:, :2]).all():
        raise Onbruikbaar(_("ongeldige coördinaten"))
    gewijzigd = ring.shape[1] != 2
    ring = ring[:, :2]
    if not (ring[0] == ring[-1]).all():
        ring = np.vstack([ring, ring[:1]])
        gewijzigd = True
    if len(ring) < 4:
        return None, True
    return ring, gewijzigd


def _vlak(geometrie: Any) -> tuple[Any, bool, list[str]]:
    """A shapely (Multi)Polygon from GeoJSON, dropping short rings; raises Onbruikbaar."""
    if not isinstance(geometrie, Mapping) or not geometrie.get("type"):
        raise Onbruikbaar(_("geen geometrie"))
    soort = geometrie.get("type")
    coordinaten = geometrie.get("coordinates")
    if soort == "Polygon":
        vlakken = [coordinaten]
    elif soort == "MultiPolygon":
        vlakken = coordinaten
    else:
        raise Onbruikbaar(
            _("geometrie is een %(type)s, geen Polygon of MultiPolygon") % {"type": str(soort)[:40]}
        )
    if not isinstance(vlakken, list) or not vlakken or not any(vlakken):
        raise Onbruikbaar(_("lege geometrie"))

    delen, opmerkingen, gewijzigd = [], [], False
    for ringen in vlakken:
        if not isinstance(ringen, list) or not ringen:
            gewijzigd = True
            continue
        buitenrand, anders = _ring(ringen[0])
        gewijzigd |= anders
        if buitenrand is None:
            opmerkingen.append(_("buitenring met minder dan 4 punten weggelaten"))
            continue
        gaten = []
        for posities in ringen[1:]:
            gat, anders = _ring(posities)
            gewijzigd |= anders
            if gat is None:
                opmerkingen.append(_("binnenring (gat) met minder dan 4 punten weggelaten"))
            else:
                gaten.append(gat)
        delen.append(shapely.Polygon(buitenrand, gaten))
    if not delen:
        raise Onbruikbaar(_("buitenring heeft minder dan 4 punten"))
    if soort == "Polygon":
        return delen[0], gewijzigd, opmerkingen
    return shapely.MultiPolygon(delen), gewijzigd, opmerkingen


# --- coordinates and repair, vectorised over the whole file ----------------------------------


def _crs_naam(collectie: Mapping) -> str | None:
    crs = collectie.get("crs")
    if not isinstance(crs, Mapping):
        return None
    props = crs.get("properties")
    naam = props.get("name") if isinstance(props, Mapping) else None
    return str(naam) if naam else None


def _is_wgs84(crs_naam: str) -> bool:
    tekst = crs_naam.upper()
    return tekst.endswith(("CRS84", "EPSG::4326", "EPSG:4326", "EPSG/0/4326"))


def naar_wgs84(
    kandidaten: list[Kandidaat],
    collectie: Any,
    naam: str,
    *,
    overgeslagen: list[Melding],
    opmerkingen: list[str],
) -> list[Kandidaat]:
    """The candidates in WGS84 lon/lat; those outside its range go to `overgeslagen`."""
    if not kandidaten:
        return kandidaten
    vlakken = np.array([k.vlak for k in kandidaten], dtype=object)
    crs_naam = _crs_naam(collectie) if isinstance(collectie, Mapping) else None
    if crs_naam and not _is_wgs84(crs_naam):
        try:
            bron_crs = pyproj.CRS.from_user_input(crs_naam)
        except pyproj.exceptions.CRSError:
            raise ImportFout(
                _("%(naam)s: onbekend coördinatenstelsel %(crs)s (verwacht EPSG:4326 of EPSG:28992).")
                % {"naam": naam, "crs": crs_naam[:80]}
            ) from None
    elif crs_naam is None and _lijkt_rd(vlakken):
        bron_crs = pyproj.CRS.from_epsg(28992)
        opmerkingen.append(
            _(
                "Het bestand noemt geen coördinatenstelsel; "
                "de coördinaten zijn gelezen als RD New (EPSG:28992)."
            )
        )
    else:
        bron_crs = None
    if bron_crs is not None:
        transformer = pyproj.Transformer.from_crs(bron_crs, "EPSG:4326", always_xy=True)

        def omrekenen(xy: np.ndarray) -> np.ndarray:
            lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
            # Seven decimals is about a centimetre: more is noise from the projection.
            return np.round(np.column_stack([lon, lat]), 7)

        vlakken = shapely.transform(vlakken, omrekenen)
        for kandidaat, vlak in zip(kandidaten, vlakken, strict=True):
            kandidaat.vlak = vlak
            kandidaat.gewijzigd = True

    grenzen = shapely.bounds(vlakken)
    binnen = (grenzen[:, 0] >= -180) & (grenzen[:, 2] <= 180) & (grenzen[:, 1] >= -90) & (grenzen[:, 3] <= 90)
    bruikbaar = []
    for kandidaat, ok in zip(kandidaten, binnen, strict=True):
        if ok:
            bruikbaar.append(kandidaat)
        else:
            overgeslagen.append(
                Melding(
                    kandidaat.code,
                    kandidaat.naam or "",
                    _("coördinaten liggen buiten het bereik van lengte- en breedtegraden"),
                )
            )
    return bruikbaar


def _lijkt_rd(vlakken: np.ndarray) -> bool:
    xmin, ymin, xmax, ymax = shapely.total_bounds(vlakken)
    buiten_graden = xmax > 180 or ymax > 90 or xmin < -180 or ymin < -90
    x0, y0, x1, y1 = RD_BEREIK
    return bool(buiten_graden and xmin >= x0 and xmax <= x1 and ymin >= y0 and ymax <= y1)


def _alleen_vlakken(geometrie: Any) -> Any:
    """The polygonal parts of a repaired geometry as (Multi)Polygon, or None when none are left."""
    delen = [
        deel
        for deel in shapely.get_parts(shapely.get_parts(geometrie))
        if isinstance(deel, shapely.Polygon) and not deel.is_empty
    ]
    if not delen:
        return None
    return delen[0] if len(delen) == 1 else shapely.MultiPolygon(delen)


def _geos_reden(reden: str) -> str:
    kern, _sep, plek = reden.partition("[")
    tekst = GEOS_REDENEN.get(kern.strip(), kern.strip())
    return f"{tekst} bij {plek.rstrip(']')}" if plek else tekst


def herstel(kandidaten: list[Kandidaat], *, hersteld: list[Melding]) -> list[Kandidaat]:
    """Repair invalid polygons in place; every changed candidate is reported in `hersteld`."""
    if not kandidaten:
        return kandidaten
    vlakken = np.array([k.vlak for k in kandidaten], dtype=object)
    geldig = shapely.is_valid(vlakken)
    for kandidaat, ok in zip(kandidaten, geldig, strict=True):
        redenen = list(kandidaat.opmerkingen)
        if not ok:
            reden = _geos_reden(shapely.is_valid_reason(kandidaat.vlak))
            kandidaat.vlak = _alleen_vlakken(shapely.make_valid(kandidaat.vlak))
            kandidaat.gewijzigd = True
            if kandidaat.vlak is None:
                redenen.append(
                    _(
                        "ongeldig vlak (%(reden)s) zonder oppervlakte; opgeslagen zonder grens "
                        "(een nieuwer bestand kan die later aanvullen)"
                    )
                    % {"reden": reden}
                )
            else:
                redenen.append(_("ongeldig vlak (%(reden)s) hersteld") % {"reden": reden})
        if redenen:
            hersteld.append(Melding(kandidaat.code, kandidaat.naam or "", "; ".join(redenen)))
    return kandidaten


def geojson(kandidaat: Kandidaat) -> dict | None:
    if kandidaat.vlak is None:
        return None
    if not kandidaat.gewijzigd:
        return {"type": kandidaat.geometrie["type"], "coordinates": kandidaat.geometrie["coordinates"]}
    return json.loads(shapely.to_geojson(kandidaat.vlak))
