"""Reading CBS and PDOK GeoJSON: which area a feature is, and a clean polygon for it.

Pure functions, no database: `buurten.services.importeren` decides what gets written.
- The kind of a feature is decided by its code prefix (GM, WK, BU). Codes come from `statcode`
  (CBS) or from PDOK's `buurtcode`/`wijkcode`/`gemeentecode` (also the shapefile names
  `bu_code`/`wk_code`/`gm_code`); a bare number such as PDOK's "0935" gets its prefix.
- Coordinates are WGS84 (EPSG:4326) unless the file's `crs` member names another system
  (PDOK: EPSG:28992, RD New); those are reprojected with pyproj. A file without `crs` whose
  coordinates can only be RD New is read as RD New, with a remark.
- Rings with fewer than four points are dropped (an unusable outer ring drops its polygon);
  invalid polygons are repaired with `shapely.make_valid`, keeping only the polygonal parts
  (real repairs return GEOMETRYCOLLECTIONs of polygons and lines). When `make_valid` itself
  raises (GEOS: "Overlay input is mixed-dimension", on real CBS files) `buffer(0)` is tried,
  and when that leaves nothing the feature is skipped. A polygon that collapses to a line
  leaves its area without a geometry (reported).
- One feature never stops a file: anything that goes wrong while reading, reprojecting or
  repairing it skips or reduces that feature, with a `Melding` (code, name, what happened, and
  the kind of reason, counted in the summary). A file that cannot be used raises `ImportFout`.
"""

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
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
    "Too few points in geometry component": "te weinig punten in een deel",
    "Too few distinct points in geometry component": "te weinig verschillende punten in een deel",
    "Repeated Point": "herhaald punt",
    "Hole lies outside shell": "gat ligt buiten de buitenrand",
    "Nested holes": "gat binnen een gat",
    "Interior is disconnected": "binnenkant valt in delen uiteen",
    "Nested shells": "vlak binnen een ander vlak",
    "Duplicate Rings": "dubbele ring",
    "Invalid Coordinate": "ongeldige coördinaat",
    "Ring is not closed": "ring is niet gesloten",
}


# The kinds of reason for skipping or repairing a feature, counted in the summary line.
# Skipped:
GEEN_FEATURE = "geen_feature"
GEEN_CODE = "geen_code"
ONBEKENDE_CODE = "onbekende_code"
DUBBEL = "dubbel"
GEEN_GEOMETRIE = "geen_geometrie"
GEEN_VLAK = "geen_vlak"
ONGELDIGE_COORDINATEN = "ongeldige_coordinaten"
TE_WEINIG_PUNTEN = "te_weinig_punten"
BUITEN_BEREIK = "buiten_bereik"
OMREKENEN_MISLUKT = "omrekenen_mislukt"
HERSTEL_MISLUKT = "herstel_mislukt"
LEESFOUT = "leesfout"
# Repaired or reduced:
KORTE_BUITENRING = "korte_buitenring"
KORT_GAT = "kort_gat"
ONGELDIG_VLAK = "ongeldig_vlak"
BUFFER_NUL = "buffer_nul"
DELEN_WEGGELATEN = "delen_weggelaten"
ZONDER_GRENS = "zonder_grens"


def reden_namen() -> dict[str, str]:
    """How each kind of reason reads after a count in the summary line ("3 zonder geometrie")."""
    return {
        GEEN_FEATURE: _("geen GeoJSON-Feature"),
        GEEN_CODE: _("zonder CBS-code"),
        ONBEKENDE_CODE: _("met onbekende code"),
        DUBBEL: _("dubbel in het bestand"),
        GEEN_GEOMETRIE: _("zonder geometrie"),
        GEEN_VLAK: _("geen Polygon of MultiPolygon"),
        ONGELDIGE_COORDINATEN: _("met ongeldige coördinaten"),
        TE_WEINIG_PUNTEN: _("met een buitenring van minder dan 4 punten"),
        BUITEN_BEREIK: _("buiten het bereik van lengte- en breedtegraden"),
        OMREKENEN_MISLUKT: _("niet om te rekenen naar WGS84"),
        HERSTEL_MISLUKT: _("niet te herstellen"),
        LEESFOUT: _("onleesbaar"),
        KORTE_BUITENRING: _("buitenring van minder dan 4 punten weggelaten"),
        KORT_GAT: _("gat van minder dan 4 punten weggelaten"),
        ONGELDIG_VLAK: _("ongeldig vlak (make_valid)"),
        BUFFER_NUL: _("ongeldig vlak (buffer(0), na een fout in make_valid)"),
        DELEN_WEGGELATEN: _("lijnen of punten uit het herstel weggelaten"),
        ZONDER_GRENS: _("zonder oppervlakte, opgeslagen zonder grens"),
    }


class ImportFout(Exception):
    """The file as a whole cannot be imported; the message is one Dutch line for a person."""


@dataclass(frozen=True)
class Melding:
    """A repaired or skipped feature: its code (or position in the file), name and reason, and
    the kinds of reason (`soorten`, keys of `reden_namen`) that the summary counts."""

    code: str
    naam: str
    reden: str
    soorten: tuple[str, ...] = ()

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
    opmerkingen: list[tuple[str, str]]  # (kind of reason, Dutch text) of what was changed
    uitvoer: dict | None = None  # the GeoJSON to store, set by `herstel`
    grenzen: tuple[float, float, float, float] | None = None  # lon/lat bounds, set by `herstel`

    def melding(self, reden: str, soorten: tuple[str, ...]) -> "Melding":
        return Melding(self.code, self.naam or "", reden, soorten)


class Onbruikbaar(Exception):
    """This feature cannot be used; the message is the reason, in Dutch, `soort` its kind."""

    def __init__(self, reden: str, soort: str) -> None:
        super().__init__(reden)
        self.soort = soort


def onverwacht(fout: BaseException) -> str:
    """What an unexpected exception says, for a report line (GEOS and pyproj speak English)."""
    tekst = " ".join(str(fout).split())[:200]
    return f"{type(fout).__name__}: {tekst}" if tekst else type(fout).__name__


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


def reden_telling(meldingen: list[Melding]) -> str:
    """How many features had each kind of reason, in a fixed order: "3 zonder geometrie, 1 …"."""
    tellers = Counter(soort for melding in meldingen for soort in melding.soorten)
    return ", ".join(f"{tellers[soort]} {naam}" for soort, naam in reden_namen().items() if tellers[soort])


def geen_bruikbaar(naam: str, aantal: int, overgeslagen: list[Melding]) -> str:
    return _(
        "%(naam)s bevat geen bruikbaar gebied: alle %(n)d features overgeslagen, %(redenen)s "
        "(bijvoorbeeld %(eerste)s)."
    ) % {"naam": naam, "n": aantal, "redenen": reden_telling(overgeslagen), "eerste": overgeslagen[0]}


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
            raise Onbruikbaar(_("geen CBS-code (statcode, buurtcode, wijkcode of gemeentecode)"), GEEN_CODE)
        code = _code(_eerste(props, CODE_SLEUTELS[soort]), soort)
        naam = _tekst(_eerste(props, NAAM_SLEUTELS[soort]))
        for ouder in SOORTEN[: SOORTEN.index(soort)]:
            ouder_naam = _tekst(_eerste(props, NAAM_SLEUTELS[ouder]))
            if ouder_naam:
                ouder_namen[ouder] = ouder_naam[:NAAM_MAX]
    if soort is None or not CODE_PATROON[soort].match(code):
        raise Onbruikbaar(
            _("onbekende code %(code)s (verwacht GM + 4 cijfers, WK + 6 cijfers of BU + 8 cijfers)")
            % {"code": code},
            ONBEKENDE_CODE,
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
    # A report line, not a data dump: a code or name of a thousand characters is cut short.
    return (code or "")[:40] or _("feature %(n)d") % {"n": positie}, (naam or "")[:NAAM_MAX]


def kandidaat(feature: Any) -> Kandidaat:
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise Onbruikbaar(_("geen GeoJSON-Feature"), GEEN_FEATURE)
    soort, code, naam, ouder_namen = _herken(_eigenschappen(feature))
    geometrie = feature.get("geometry")
    vlak, gewijzigd, opmerkingen = _vlak(geometrie)
    return Kandidaat(soort, code, naam, ouder_namen, geometrie, vlak, gewijzigd, opmerkingen)


def _ring(posities: Any) -> tuple[np.ndarray | None, bool]:
    """The ring as an (n, 2) array, closed; None when it has fewer than four points."""
    try:
        ring = np.asarray(posities, dtype=float)
    except (TypeError, ValueError):
        raise Onbruikbaar(_("ongeldige coördinaten"), ONGELDIGE_COORDINATEN) from None
    if ring.size == 0:
        return None, True
    if ring.ndim != 2 or ring.shape[1] < 2 or not np.isfinite(ring[:, :2]).all():
        raise Onbruikbaar(_("ongeldige coördinaten"), ONGELDIGE_COORDINATEN)
    gewijzigd = ring.shape[1] != 2
    ring = ring[:, :2]
    if not (ring[0] == ring[-1]).all():
        ring = np.vstack([ring, ring[:1]])
        gewijzigd = True
    if len(ring) < 4:
        return None, True
    return ring, gewijzigd


def _vlak(geometrie: Any) -> tuple[Any, bool, list[tuple[str, str]]]:
    """A shapely (Multi)Polygon from GeoJSON, dropping short rings; raises Onbruikbaar."""
    if not isinstance(geometrie, Mapping) or not geometrie.get("type"):
        raise Onbruikbaar(_("geen geometrie"), GEEN_GEOMETRIE)
    soort = geometrie.get("type")
    coordinaten = geometrie.get("coordinates")
    if soort == "Polygon":
        vlakken = [coordinaten]
    elif soort == "MultiPolygon":
        vlakken = coordinaten
    else:
        raise Onbruikbaar(
            _("geometrie is een %(type)s, geen Polygon of MultiPolygon") % {"type": str(soort)[:40]},
            GEEN_VLAK,
        )
    if not isinstance(vlakken, list) or not vlakken or not any(vlakken):
        raise Onbruikbaar(_("lege geometrie"), GEEN_GEOMETRIE)

    delen, opmerkingen, gewijzigd = [], [], False
    for ringen in vlakken:
        if not isinstance(ringen, list) or not ringen:
            gewijzigd = True
            continue
        buitenrand, anders = _ring(ringen[0])
        gewijzigd |= anders
        if buitenrand is None:
            opmerkingen.append((KORTE_BUITENRING, _("buitenring met minder dan 4 punten weggelaten")))
            continue
        gaten = []
        for posities in ringen[1:]:
            gat, anders = _ring(posities)
            gewijzigd |= anders
            if gat is None:
                opmerkingen.append((KORT_GAT, _("binnenring (gat) met minder dan 4 punten weggelaten")))
            else:
                gaten.append(gat)
        delen.append(shapely.Polygon(buitenrand, gaten))
    if not delen:
        raise Onbruikbaar(_("buitenring heeft minder dan 4 punten"), TE_WEINIG_PUNTEN)
    if soort == "Polygon":
        return delen[0], gewijzigd, opmerkingen
    return shapely.MultiPolygon(delen), gewijzigd, opmerkingen


# --- coordinates and repair, vectorised over the whole file ----------------------------------


def _per_vlak(functie: Callable[[np.ndarray], Any], kandidaten: list[Kandidaat]) -> list[tuple[Any, Any]]:
    """(result, None) of a vectorised shapely `functie` for each candidate's polygon, all at once.

    When one polygon makes the call raise, the polygons go one at a time, so that only that
    candidate fails: its entry is (None, the exception).
    """
    vlakken = np.array([k.vlak for k in kandidaten], dtype=object)
    try:
        return [(uitkomst, None) for uitkomst in functie(vlakken)]
    except Exception:  # noqa: S110 (each polygon on its own below finds the culprit)
        pass
    uit: list[tuple[Any, Any]] = []
    for vlak in vlakken:
        try:
            uit.append((functie(np.array([vlak], dtype=object))[0], None))
        except Exception as fout:
            uit.append((None, fout))
    return uit


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


def _met_grenzen(
    kandidaten: list[Kandidaat], overgeslagen: list[Melding], soort: str, reden: str
) -> tuple[list[Kandidaat], np.ndarray]:
    """The candidates whose bounds can be computed, with those bounds; the rest is skipped."""
    uitkomsten = _per_vlak(shapely.bounds, kandidaten)
    bruikbaar, grenzen = [], []
    for kandidaat, (grens, fout) in zip(kandidaten, uitkomsten, strict=True):
        if fout is None:
            bruikbaar.append(kandidaat)
            grenzen.append(grens)
        else:
            overgeslagen.append(kandidaat.melding(f"{reden}: {onverwacht(fout)}", (soort,)))
    return bruikbaar, np.array(grenzen, dtype=float).reshape(-1, 4)


def naar_wgs84(
    kandidaten: list[Kandidaat],
    collectie: Any,
    naam: str,
    *,
    overgeslagen: list[Melding],
    opmerkingen: list[str],
) -> list[Kandidaat]:
    """The candidates in WGS84 lon/lat; those that cannot get there go to `overgeslagen`."""
    if not kandidaten:
        return kandidaten
    kandidaten, grenzen = _met_grenzen(kandidaten, overgeslagen, LEESFOUT, _("onleesbare geometrie"))
    crs_naam = _crs_naam(collectie) if isinstance(collectie, Mapping) else None
    if crs_naam and not _is_wgs84(crs_naam):
        try:
            bron_crs = pyproj.CRS.from_user_input(crs_naam)
        except pyproj.exceptions.CRSError:
            raise ImportFout(
                _("%(naam)s: onbekend coördinatenstelsel %(crs)s (verwacht EPSG:4326 of EPSG:28992).")
                % {"naam": naam, "crs": crs_naam[:80]}
            ) from None
    elif crs_naam is None and _lijkt_rd(grenzen):
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

        omgerekend = []
        uitkomsten = _per_vlak(lambda vlakken: shapely.transform(vlakken, omrekenen), kandidaten)
        for kandidaat, (vlak, fout) in zip(kandidaten, uitkomsten, strict=True):
            if fout is not None:
                overgeslagen.append(
                    kandidaat.melding(
                        _("omrekenen naar WGS84 mislukt: %(fout)s") % {"fout": onverwacht(fout)},
                        (OMREKENEN_MISLUKT,),
                    )
                )
                continue
            kandidaat.vlak = vlak
            kandidaat.gewijzigd = True
            omgerekend.append(kandidaat)
        kandidaten, grenzen = _met_grenzen(
            omgerekend, overgeslagen, OMREKENEN_MISLUKT, _("omrekenen naar WGS84 mislukt")
        )

    eindig = np.isfinite(grenzen).all(axis=1)
    binnen = (grenzen[:, 0] >= -180) & (grenzen[:, 2] <= 180) & (grenzen[:, 1] >= -90) & (grenzen[:, 3] <= 90)
    bruikbaar = []
    for kandidaat, ok, getal in zip(kandidaten, binnen, eindig, strict=True):
        if ok:
            bruikbaar.append(kandidaat)
        elif bron_crs is not None and not getal:
            # pyproj answers inf for a point it cannot project.
            overgeslagen.append(
                kandidaat.melding(
                    _("omrekenen naar WGS84 gaf geen geldige coördinaten"), (OMREKENEN_MISLUKT,)
                )
            )
        else:
            overgeslagen.append(
                kandidaat.melding(
                    _("coördinaten liggen buiten het bereik van lengte- en breedtegraden"), (BUITEN_BEREIK,)
                )
            )
    return bruikbaar


def _lijkt_rd(grenzen: np.ndarray) -> bool:
    grenzen = grenzen[np.isfinite(grenzen).all(axis=1)]
    if not len(grenzen):
        return False
    xmin, ymin = grenzen[:, :2].min(axis=0)
    xmax, ymax = grenzen[:, 2:].max(axis=0)
    buiten_graden = xmax > 180 or ymax > 90 or xmin < -180 or ymin < -90
    x0, y0, x1, y1 = RD_BEREIK
    return bool(buiten_graden and xmin >= x0 and xmax <= x1 and ymin >= y0 and ymax <= y1)


def _alleen_vlakken(geometrie: Any) -> tuple[Any, bool]:
    """The polygonal parts of a repaired geometry as (Multi)Polygon (None when none are left),
    and whether lines or points were left out."""
    delen, weggelaten = [], False
    for deel in shapely.get_parts(shapely.get_parts(geometrie)):
        if deel.is_empty:
            continue
        if isinstance(deel, shapely.Polygon):
            delen.append(deel)
        else:
            weggelaten = True
    if not delen:
        return None, weggelaten
    return (delen[0] if len(delen) == 1 else shapely.MultiPolygon(delen)), weggelaten


def _geos_reden(vlak: Any) -> str:
    """Why GEOS finds the polygon invalid, in Dutch where we know the words."""
    try:
        reden = shapely.is_valid_reason(vlak)
    except Exception:
        return _("onbekende reden")
    kern, _sep, plek = (reden or "").partition("[")
    tekst = GEOS_REDENEN.get(kern.strip(), kern.strip())
    return f"{tekst} bij {plek.rstrip(']')}" if plek else tekst


def _herstel_vlak(kandidaat: Kandidaat) -> list[tuple[str, str]]:
    """Repair the candidate's invalid polygon in place; returns what was done, or raises
    Onbruikbaar when neither make_valid nor buffer(0) gives a polygon."""
    vlak = kandidaat.vlak
    reden = _geos_reden(vlak)
    kandidaat.gewijzigd = True
    try:
        vlakdeel, weggelaten = _alleen_vlakken(shapely.make_valid(vlak))
        if vlakdeel is not None and not vlakdeel.is_valid:
            raise ValueError("polygonal parts of make_valid are not valid together")
    except Exception as fout:  # GEOSException "Overlay input is mixed-dimension" on real CBS files
        mislukt = onverwacht(fout)
        try:
            vlakdeel, _weggelaten = _alleen_vlakken(vlak.buffer(0))
        except Exception as nog_een:
            raise Onbruikbaar(
                _(
                    "ongeldig vlak (%(reden)s) niet te herstellen: make_valid faalde (%(fout)s) "
                    "en buffer(0) ook (%(tweede)s)"
                )
                % {"reden": reden, "fout": mislukt, "tweede": onverwacht(nog_een)},
                HERSTEL_MISLUKT,
            ) from None
        if vlakdeel is None or not vlakdeel.is_valid:
            raise Onbruikbaar(
                _(
                    "ongeldig vlak (%(reden)s) niet te herstellen: make_valid faalde (%(fout)s) "
                    "en buffer(0) liet geen geldig vlak over"
                )
                % {"reden": reden, "fout": mislukt},
                HERSTEL_MISLUKT,
            ) from None
        kandidaat.vlak = vlakdeel
        return [
            (
                BUFFER_NUL,
                _("ongeldig vlak (%(reden)s) hersteld met buffer(0), want make_valid faalde (%(fout)s)")
                % {"reden": reden, "fout": mislukt},
            )
        ]
    kandidaat.vlak = vlakdeel
    if vlakdeel is None:
        return [
            (
                ZONDER_GRENS,
                _(
                    "ongeldig vlak (%(reden)s) zonder oppervlakte; opgeslagen zonder grens "
                    "(een nieuwer bestand kan die later aanvullen)"
                )
                % {"reden": reden},
            )
        ]
    gedaan = [(ONGELDIG_VLAK, _("ongeldig vlak (%(reden)s) hersteld") % {"reden": reden})]
    if weggelaten:
        gedaan.append((DELEN_WEGGELATEN, _("lijnen of punten uit het herstel weggelaten")))
    return gedaan


def herstel(
    kandidaten: list[Kandidaat], *, hersteld: list[Melding], overgeslagen: list[Melding]
) -> list[Kandidaat]:
    """Repair invalid polygons and prepare what is stored (GeoJSON, bounds) for each candidate.

    Every changed candidate is reported in `hersteld`; one that cannot be repaired, or that
    fails in any other way here, in `overgeslagen`: it never stops the others.
    """
    if not kandidaten:
        return kandidaten
    bruikbaar = []
    for kandidaat, (geldig, _fout) in zip(kandidaten, _per_vlak(shapely.is_valid, kandidaten), strict=True):
        opmerkingen = list(kandidaat.opmerkingen)
        try:
            if not geldig:  # also when GEOS could not even check it: repairing decides
                opmerkingen += _herstel_vlak(kandidaat)
            kandidaat.uitvoer = geojson(kandidaat)
            if kandidaat.vlak is not None:
                x0, y0, x1, y1 = (float(v) for v in shapely.bounds(kandidaat.vlak))
                kandidaat.grenzen = (x0, y0, x1, y1)
        except Onbruikbaar as fout:
            overgeslagen.append(kandidaat.melding(str(fout), (fout.soort,)))
            continue
        except Exception as fout:
            overgeslagen.append(
                kandidaat.melding(
                    _("onverwachte fout bij het herstellen: %(fout)s") % {"fout": onverwacht(fout)},
                    (HERSTEL_MISLUKT,),
                )
            )
            continue
        if opmerkingen:
            hersteld.append(
                kandidaat.melding(
                    "; ".join(tekst for _soort, tekst in opmerkingen),
                    tuple(dict.fromkeys(soort for soort, _tekst in opmerkingen)),
                )
            )
        bruikbaar.append(kandidaat)
    return bruikbaar


def geojson(kandidaat: Kandidaat) -> dict | None:
    if kandidaat.vlak is None:
        return None
    if not kandidaat.gewijzigd:
        return {"type": kandidaat.geometrie["type"], "coordinates": kandidaat.geometrie["coordinates"]}
    return json.loads(shapely.to_geojson(kandidaat.vlak))
