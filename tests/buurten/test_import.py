"""The CBS importer: `gebieden_import` and `manage.py import_buurten`, on real and dirty files."""

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import shape

from buurten.models import Buurt, Gemeente, Wijk
from buurten.services.importeren import ImportFout, gebieden_import
from core.actors import COMMAND

ROOT = Path(__file__).resolve().parent.parent.parent
CBS = ROOT / "buurten" / "data" / "cbs"
BUURTEN_2014 = CBS / "maastricht-buurten-2014.geojson"
WIJKEN_2014 = CBS / "maastricht-wijken-2014.geojson"
DATA = ROOT / "tests" / "data" / "cbs"
WIJKEN_NL_2014 = DATA / "nl-wijken-2014.geojson"

pytestmark = pytest.mark.django_db


def run(path) -> str:
    out = StringIO()
    call_command("import_buurten", str(path), stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return Gemeente.objects.count(), Wijk.objects.count(), Buurt.objects.count()


def write(tmp_path, data, name="bestand.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- the bundled Maastricht files -----------------------------------------------------------


def test_bundled_buurten_give_44_buurten_in_7_wijken():
    output = run(BUURTEN_2014)

    assert counts() == (1, 7, 44)
    assert "Klaar: 44 nieuw, 0 bijgewerkt, 1 hersteld, 0 overgeslagen (44 buurten)." in output
    malberg = Buurt.objects.select_related("wijk__gemeente").get(code="BU09350207")
    assert malberg.naam == "Malberg"
    assert malberg.wijk.code == "WK093502"
    assert malberg.wijk.gemeente.code == "GM0935"
    feature = next(
        f
        for f in json.loads(BUURTEN_2014.read_text())["features"]
        if f["properties"]["statcode"] == "BU09350207"
    )
    assert malberg.geometrie == feature["geometry"]  # a valid polygon is stored as given
    assert malberg.bbox == pytest.approx(shape(feature["geometry"]).bounds)


def test_invalid_polygon_in_bundled_file_is_repaired_and_reported_by_code():
    result = gebieden_import(door=COMMAND, bron=BUURTEN_2014)

    assert [m.code for m in result.hersteld] == ["BU09350002"]
    assert "zelfdoorsnijding" in result.hersteld[0].reden
    assert result.overgeslagen == []
    # The ring collapsed to a line: the buurt stays, without a boundary, never as an invalid one.
    kommelkwartier = Buurt.objects.get(code="BU09350002")
    assert kommelkwartier.naam == "Kommelkwartier"
    assert kommelkwartier.geometrie is None
    assert kommelkwartier.bbox is None
    for geometrie in Buurt.objects.exclude(geometrie=None).values_list("geometrie", flat=True):
        assert shape(geometrie).is_valid


def test_command_prints_the_repair_by_code_and_one_summary_line():
    output = run(BUURTEN_2014)

    lines = output.strip().splitlines()
    assert lines[0].startswith("Hersteld BU09350002 (Kommelkwartier): ongeldig vlak (zelfdoorsnijding bij ")
    assert lines[-1].startswith("Klaar: ")
    assert len(lines) == 2


# --- implied parents and placeholders ---------------------------------------------------------


def test_implied_parents_get_placeholders_that_the_wijken_file_fills_in():
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)
    assert Wijk.objects.get(code="WK093506").naam == "Wijk WK093506"
    assert Gemeente.objects.get(code="GM0935").naam == "Gemeente GM0935"

    result = gebieden_import(door=COMMAND, bron=WIJKEN_2014)

    assert result.bijgewerkt["wijk"] == 7
    assert result.ingevuld["wijk"] == 7
    assert "Voorlopige naam vervangen door de echte: 7 wijken." in result.samenvatting()
    wijk = Wijk.objects.get(code="WK093506")
    assert wijk.naam == "Wijk 06 Buitenwijk Zuidoost"
    assert wijk.geometrie is not None and wijk.min_lon is not None
    assert counts() == (1, 7, 44)

    # Importing the buurten again never puts the placeholder back.
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)
    assert Wijk.objects.get(code="WK093506").naam == "Wijk 06 Buitenwijk Zuidoost"


def test_wijken_first_then_buurten_keeps_the_real_names():
    gebieden_import(door=COMMAND, bron=WIJKEN_2014)
    result = gebieden_import(door=COMMAND, bron=BUURTEN_2014)

    assert result.voorlopig == {"gemeente": 0, "wijk": 0, "buurt": 0}
    assert set(Wijk.objects.values_list("naam", flat=True)) == {
        f["properties"]["statnaam"] for f in json.loads(WIJKEN_2014.read_text())["features"]
    }


def test_pdok_names_of_parents_fill_a_placeholder_but_never_replace_a_real_name(tmp_path):
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)  # GM0935 is now "Gemeente GM0935"
    Wijk.objects.filter(code="WK093506").update(naam="Heer en omgeving")
    pdok = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "buurtcode": "BU09350699",
                    "buurtnaam": "Nieuwbouw",
                    "wijkcode": "WK093506",
                    "wijknaam": "Buitenwijk Zuidoost",
                    "gemeentecode": "0935",
                    "gemeentenaam": "Maastricht",
                },
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[5.74, 50.80], [5.75, 50.80], [5.75, 50.81], [5.74, 50.80]]],
                },
            }
        ],
    }

    result = gebieden_import(door=COMMAND, bron=write(tmp_path, pdok))

    assert result.ingevuld["gemeente"] == 1
    assert Gemeente.objects.get(code="GM0935").naam == "Maastricht"
    assert Wijk.objects.get(code="WK093506").naam == "Heer en omgeving"
    assert Buurt.objects.get(code="BU09350699").wijk.code == "WK093506"


# --- both spellings, RD New, MultiPolygon -------------------------------------------------------


def test_pdok_spelling_in_rd_new_lands_at_the_right_lon_lat():
    result = gebieden_import(door=COMMAND, bron=DATA / "pdok-buurten-rd.geojson")

    assert result.aangemaakt["buurt"] == 2
    assert result.overgeslagen == [] and result.hersteld == []
    # PDOK writes the gemeentecode as "0935" or "GM0935": both are the same gemeente.
    assert list(Gemeente.objects.values_list("code", "naam")) == [("GM0935", "Maastricht")]
    assert list(Wijk.objects.values_list("code", "naam")) == [("WK093598", "Proefwijk")]

    rd = pyproj.Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    noord = Buurt.objects.get(code="BU09359801")
    assert noord.naam == "Proefbuurt Noord"
    lons, lats = rd.transform([175800, 176200, 176200, 175800], [317800, 317800, 318200, 318200])
    assert noord.bbox == pytest.approx((min(lons), min(lats), max(lons), max(lats)), abs=1e-6)
    corners = noord.geometrie["coordinates"][0]
    assert corners[0] == pytest.approx([lons[0], lats[0]], abs=1e-6)
    # RD (176000, 318000) is in Maastricht, and inside this buurt.
    lon, lat = rd.transform(176000, 318000)
    assert 5.68 < lon < 5.71 and 50.84 < lat < 50.86
    assert shape(noord.geometrie).contains(shapely.Point(lon, lat))


def test_multipolygon_keeps_all_its_parts():
    gebieden_import(door=COMMAND, bron=DATA / "pdok-buurten-rd.geojson")

    eilanden = Buurt.objects.get(code="BU09359802")
    assert eilanden.geometrie["type"] == "MultiPolygon"
    assert len(eilanden.geometrie["coordinates"]) == 2
    assert shape(eilanden.geometrie).is_valid


def test_statcode_spelling_decides_the_kind_by_prefix(tmp_path):
    square = {"type": "Polygon", "coordinates": [[[5.6, 50.8], [5.7, 50.8], [5.7, 50.9], [5.6, 50.8]]]}
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"statcode": code, "statnaam": naam}, "geometry": square}
            for code, naam in [
                ("BU09350101", "Een buurt"),
                ("WK093501", "Een wijk"),
                ("GM0935", "Maastricht"),
            ]
        ],
    }

    result = gebieden_import(door=COMMAND, bron=write(tmp_path, data))

    assert result.aangemaakt == {"gemeente": 1, "wijk": 1, "buurt": 1}
    assert result.voorlopig == {"gemeente": 0, "wijk": 0, "buurt": 0}
    assert Buurt.objects.get().wijk.naam == "Een wijk"
    assert Wijk.objects.get().gemeente.naam == "Maastricht"


def test_file_without_crs_in_rd_coordinates_is_read_as_rd(tmp_path):
    data = json.loads((DATA / "pdok-buurten-rd.geojson").read_text())
    del data["crs"]

    result = gebieden_import(door=COMMAND, bron=write(tmp_path, data))

    assert any("RD New" in opmerking for opmerking in result.opmerkingen)
    assert 5.6 < Buurt.objects.get(code="BU09359801").min_lon < 5.8


def test_unknown_crs_is_one_error_and_nothing_written(tmp_path):
    data = json.loads((DATA / "pdok-buurten-rd.geojson").read_text())
    data["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::999999"

    with pytest.raises(CommandError, match="onbekend coördinatenstelsel"):
        run(write(tmp_path, data))
    assert counts() == (0, 0, 0)


# --- dirty features -------------------------------------------------------------------------


def test_dirty_features_are_repaired_or_skipped_with_their_reason():
    result = gebieden_import(door=COMMAND, bron=DATA / "vuil.geojson")

    skipped = {m.code: m.reden for m in result.overgeslagen}
    assert skipped == {
        "feature 2": "geen CBS-code (statcode, buurtcode, wijkcode of gemeentecode)",
        "BU09359902": "geometrie is een Point, geen Polygon of MultiPolygon",
        "BU09359903": "buitenring heeft minder dan 4 punten",
        "BU09359904": "geen geometrie",
        "XX12345678": (
            "onbekende code XX12345678 (verwacht GM + 4 cijfers, WK + 6 cijfers of BU + 8 cijfers)"
        ),
    }
    repaired = {m.code: m.reden for m in result.hersteld}
    assert repaired["BU09359901"] == "binnenring (gat) met minder dan 4 punten weggelaten"
    assert repaired["BU09359905"].startswith("ongeldig vlak (zelfdoorsnijding bij ")
    assert repaired["BU09359906"] == "buitenring met minder dan 4 punten weggelaten"
    assert set(Buurt.objects.values_list("code", flat=True)) == {"BU09359901", "BU09359905", "BU09359906"}

    kort_gat = Buurt.objects.get(code="BU09359901").geometrie
    assert kort_gat["type"] == "Polygon" and len(kort_gat["coordinates"]) == 1
    strik = shape(Buurt.objects.get(code="BU09359905").geometrie)
    assert strik.is_valid and strik.geom_type == "MultiPolygon" and strik.area > 0
    eiland = Buurt.objects.get(code="BU09359906").geometrie
    assert eiland["type"] == "MultiPolygon" and len(eiland["coordinates"]) == 1


def test_command_reports_each_skipped_feature_and_exits_zero():
    output = run(DATA / "vuil.geojson")

    assert (
        "Overgeslagen BU09359902 (Een punt): geometrie is een Point, geen Polygon of MultiPolygon." in output
    )
    assert "Overgeslagen feature 2 (Zonder code): geen CBS-code" in output
    assert "Hersteld BU09359905 (Strik): ongeldig vlak" in output
    assert (
        output.strip().splitlines()[-1]
        == "Klaar: 3 nieuw, 0 bijgewerkt, 3 hersteld, 5 overgeslagen (3 buurten). "
        "Hersteld: 1 buitenring van minder dan 4 punten weggelaten, 1 gat van minder dan 4 punten "
        "weggelaten, 1 ongeldig vlak (make_valid). "
        "Overgeslagen: 1 zonder CBS-code, 1 met onbekende code, 1 zonder geometrie, "
        "1 geen Polygon of MultiPolygon, 1 met een buitenring van minder dan 4 punten. "
        "Alleen uit de codes afgeleid, met een voorlopige naam: 1 gemeente en 1 wijk."
    )


def test_a_code_twice_in_one_file_counts_once(tmp_path):
    data = json.loads(BUURTEN_2014.read_text())
    data["features"].append(data["features"][0])

    result = gebieden_import(door=COMMAND, bron=write(tmp_path, data))

    assert Buurt.objects.count() == 44
    assert result.overgeslagen[-1].code == "BU09350604"
    assert "komt vaker voor" in result.overgeslagen[-1].reden


# --- real national data: every wijk of 2014 -------------------------------------------------------


def _is_clean(feature) -> bool:
    """Valid as given, every ring with four points or more: what must be stored untouched."""
    try:
        return shape(feature["geometry"]).is_valid
    except ValueError:  # shapely refuses a ring of fewer than four points
        return False


def test_the_national_wijken_file_keeps_every_good_wijk_and_reports_the_rest():
    features = json.loads(WIJKEN_NL_2014.read_text())["features"]
    clean = {f["properties"]["statcode"]: f["geometry"] for f in features if _is_clean(f)}

    output = run(WIJKEN_NL_2014)

    assert len(features) == 2738 and len(clean) == 2738 - 120 - 39
    stored = dict(Wijk.objects.values_list("code", "geometrie"))
    assert len(stored) == 2725
    assert all(stored[code] == geometrie for code, geometrie in clean.items())
    kept = [geometrie for geometrie in stored.values() if geometrie is not None]
    assert len(kept) == 2696 and len(kept) / len(features) >= 0.89
    assert all(shape(geometrie).is_valid for geometrie in kept)
    assert Gemeente.objects.count() == 403

    lines = output.strip().splitlines()
    # make_valid raises on Wieringen ("Overlay input is mixed-dimension"); buffer(0) repairs it.
    assert (
        "Hersteld WK191104 (Wijk 04 Wieringen): ongeldig vlak (te weinig punten in een deel bij "
        "5.166831 52.996044) hersteld met buffer(0), want make_valid faalde (GEOSException: "
        "IllegalArgumentException: Overlay input is mixed-dimension)."
    ) in lines
    assert "Overgeslagen WK016307 (Wijk 07 Haarle): buitenring heeft minder dan 4 punten." in lines
    reported = [line for line in lines if line.startswith(("Hersteld ", "Overgeslagen "))]
    assert len(reported) == 146 + 13 == len(lines) - 1
    assert lines[-1] == (
        "Klaar: 2725 nieuw, 0 bijgewerkt, 146 hersteld, 13 overgeslagen (2725 wijken). "
        "Hersteld: 12 buitenring van minder dan 4 punten weggelaten, 16 gat van minder dan 4 punten "
        "weggelaten, 93 ongeldig vlak (make_valid), 2 ongeldig vlak (buffer(0), na een fout in "
        "make_valid), 48 lijnen of punten uit het herstel weggelaten, 29 zonder oppervlakte, "
        "opgeslagen zonder grens. "
        "Overgeslagen: 13 met een buitenring van minder dan 4 punten. "
        "Alleen uit de codes afgeleid, met een voorlopige naam: 403 gemeenten."
    )


def _feature(code: str, naam: str, geometrie: dict) -> dict:
    return {"type": "Feature", "properties": {"statcode": code, "statnaam": naam}, "geometry": geometrie}


SQUARE = [[5.60, 50.80], [5.61, 50.80], [5.61, 50.81], [5.60, 50.81], [5.60, 50.80]]
# make_valid raises "Overlay input is mixed-dimension" on a MultiPolygon with a part that is one
# point; buffer(0) of this one (a hole that is the whole square) leaves nothing: it is skipped.
UNREPAIRABLE = {
    "type": "MultiPolygon",
    "coordinates": [[[[5.7, 50.9]] * 4], [SQUARE, SQUARE]],
}


def test_a_feature_whose_repair_raises_is_reported_and_the_rest_imported(tmp_path):
    wieringen = next(
        f
        for f in json.loads(WIJKEN_NL_2014.read_text())["features"]
        if f["properties"]["statcode"] == "WK191104"
    )
    data = {
        "type": "FeatureCollection",
        "features": [
            wieringen,
            _feature("WK093598", "Onherstelbaar", UNREPAIRABLE),
            _feature("WK093599", "Gewoon", {"type": "Polygon", "coordinates": [SQUARE]}),
        ],
    }
    with pytest.raises(shapely.errors.GEOSException, match="mixed-dimension"):
        shapely.make_valid(shape(UNREPAIRABLE))

    result = gebieden_import(door=COMMAND, bron=write(tmp_path, data))

    assert set(Wijk.objects.values_list("code", flat=True)) == {"WK191104", "WK093599"}
    assert shape(Wijk.objects.get(code="WK191104").geometrie).is_valid
    assert [(m.code, m.naam) for m in result.overgeslagen] == [("WK093598", "Onherstelbaar")]
    assert result.overgeslagen[0].reden == (
        "ongeldig vlak (te weinig punten in een deel bij 5.7 50.9) niet te herstellen: make_valid faalde "
        "(GEOSException: IllegalArgumentException: Overlay input is mixed-dimension) en buffer(0) liet "
        "geen geldig vlak over"
    )
    assert [m.code for m in result.hersteld] == ["WK191104"]
    assert "buffer(0)" in result.hersteld[0].reden
    assert result.samenvatting().startswith(
        "Klaar: 2 nieuw, 0 bijgewerkt, 1 hersteld, 1 overgeslagen (2 wijken). "
        "Hersteld: 1 ongeldig vlak (buffer(0), na een fout in make_valid). "
        "Overgeslagen: 1 niet te herstellen."
    )


# manage.py's own error handling closes the database connections afterwards: a committing test.
@pytest.mark.django_db(transaction=True)
def test_a_file_of_only_unrepairable_features_is_one_error_line_exit_1_and_writes_nothing(tmp_path, capsys):
    from django.core.management import load_command_class

    gebieden_import(door=COMMAND, bron=WIJKEN_2014)
    before = counts()
    data = {
        "type": "FeatureCollection",
        "features": [
            _feature("WK093598", "Onherstelbaar", UNREPAIRABLE),
            _feature("WK093599", "Kapot", None),
        ],
    }
    path = write(tmp_path, data, "onbruikbaar.geojson")
    command = load_command_class("buurten", "import_buurten")

    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["manage.py", "import_buurten", str(path)])

    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        f"CommandError: {path} bevat geen bruikbaar gebied: alle 2 features overgeslagen, "
        "1 zonder geometrie, 1 niet te herstellen (bijvoorbeeld WK093599 (Kapot): geen geometrie)."
    ]
    assert counts() == before


def test_an_unexpected_error_while_reading_one_feature_skips_only_that_feature(tmp_path, monkeypatch):
    from buurten import cbs

    lees_vlak = cbs._vlak

    def kapot_bij_een(geometrie):
        if geometrie["coordinates"][0][0] == [5.7, 50.9]:
            raise MemoryError("kapot")  # anything a library may throw, not only Onbruikbaar
        return lees_vlak(geometrie)

    monkeypatch.setattr(cbs, "_vlak", kapot_bij_een)
    square = {"type": "Polygon", "coordinates": [SQUARE]}
    raar = {"type": "Polygon", "coordinates": [[[5.7, 50.9], [5.8, 50.9], [5.8, 51.0], [5.7, 50.9]]]}
    data = {
        "type": "FeatureCollection",
        "features": [_feature("WK093598", "Raar", raar), _feature("WK093599", "Gewoon", square)],
    }

    result = gebieden_import(door=COMMAND, bron=write(tmp_path, data))

    assert list(Wijk.objects.values_list("code", flat=True)) == ["WK093599"]
    assert [str(m) for m in result.overgeslagen] == [
        "WK093598 (Raar): onverwachte fout bij het lezen: MemoryError: kapot"
    ]
    assert "Overgeslagen: 1 onleesbaar." in result.samenvatting()


def test_an_error_while_reprojecting_one_feature_skips_only_that_feature(tmp_path, monkeypatch):
    data = json.loads((DATA / "pdok-buurten-rd.geojson").read_text())
    omrekenen = shapely.transform

    def kapot_bij_eilanden(geometrie, functie, **kwargs):
        # The multipolygon (BU09359802) makes GEOS fail; the vectorised call then fails as a whole.
        if any(isinstance(g, shapely.MultiPolygon) for g in np.atleast_1d(geometrie)):
            raise shapely.errors.GEOSException("IllegalArgumentException: kapot")
        return omrekenen(geometrie, functie, **kwargs)

    monkeypatch.setattr(shapely, "transform", kapot_bij_eilanden)

    result = gebieden_import(door=COMMAND, bron=write(tmp_path, data))

    assert list(Buurt.objects.values_list("code", flat=True)) == ["BU09359801"]
    assert 5.6 < Buurt.objects.get().min_lon < 5.8
    assert [(m.code, m.reden) for m in result.overgeslagen] == [
        ("BU09359802", "omrekenen naar WGS84 mislukt: GEOSException: IllegalArgumentException: kapot")
    ]
    assert "Overgeslagen: 1 niet om te rekenen naar WGS84." in result.samenvatting()


# --- re-running -----------------------------------------------------------------------------


def test_rerun_updates_in_place_and_never_duplicates(tmp_path):
    gebieden_import(door=COMMAND, bron=WIJKEN_2014)
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)
    ids = dict(Buurt.objects.values_list("code", "id"))
    before = counts()

    data = json.loads(BUURTEN_2014.read_text())
    for feature in data["features"]:
        feature["properties"]["statnaam"] += " (2024)"
    malberg = next(f for f in data["features"] if f["properties"]["statcode"] == "BU09350207")
    malberg["geometry"]["coordinates"] = [[[5.60, 50.80], [5.61, 50.80], [5.61, 50.81], [5.60, 50.80]]]

    result = gebieden_import(door=COMMAND, bron=write(tmp_path, data))

    assert counts() == before
    assert result.aangemaakt == {"gemeente": 0, "wijk": 0, "buurt": 0}
    assert result.bijgewerkt["buurt"] == 44
    assert dict(Buurt.objects.values_list("code", "id")) == ids
    assert Buurt.objects.get(code="BU09350207").naam == "Malberg (2024)"
    assert Buurt.objects.get(code="BU09350207").min_lon == pytest.approx(5.60)
    assert Wijk.objects.get(code="WK093502").naam == "Wijk 02 Buitenwijk West"
    assert "0 nieuw, 44 bijgewerkt" in result.samenvatting()
    # Updated rows keep the rule of the first import: the collapsed polygon has no geometry.
    assert list(Buurt.objects.filter(geometrie__isnull=True).values_list("code", flat=True)) == ["BU09350002"]
    assert shape(Buurt.objects.get(code="BU09350000").geometrie).is_valid


def test_a_feature_without_a_name_keeps_the_name_it_had(tmp_path):
    gebieden_import(door=COMMAND, bron=BUURTEN_2014)
    data = json.loads(BUURTEN_2014.read_text())
    for feature in data["features"]:
        del feature["properties"]["statnaam"]

    gebieden_import(door=COMMAND, bron=write(tmp_path, data))

    assert Buurt.objects.get(code="BU09350207").naam == "Malberg"


def test_a_new_feature_without_a_name_gets_a_placeholder(tmp_path):
    square = {"type": "Polygon", "coordinates": [[[5.6, 50.8], [5.7, 50.8], [5.7, 50.9], [5.6, 50.8]]]}
    data = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"buurtcode": "09350101"}, "geometry": square}],
    }

    gebieden_import(door=COMMAND, bron=write(tmp_path, data))

    assert Buurt.objects.get().naam == "Buurt BU09350101"


# --- files that are not usable at all ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("niet-json.geojson", r"niet-json\.geojson is geen GeoJSON: geen geldige JSON \(fout op regel 1"),
        (
            "los-feature.geojson",
            r"los-feature\.geojson is geen GeoJSON-FeatureCollection \(gevonden: Feature\)",
        ),
        (
            "geen-bruikbaar.geojson",
            r"geen-bruikbaar\.geojson bevat geen bruikbaar gebied: alle 2 features overgeslagen, "
            r"1 zonder CBS-code, 1 geen Polygon of MultiPolygon "
            r"\(bijvoorbeeld BU09359902 \(Een punt\): geometrie is een Point",
        ),
        ("bestaat-niet.geojson", r"Bestand niet gevonden: .*bestaat-niet\.geojson"),
    ],
)
def test_unusable_file_is_one_dutch_error_line_and_writes_nothing(name, message):
    gebieden_import(door=COMMAND, bron=WIJKEN_2014)
    before = counts()
    names = list(Wijk.objects.values_list("naam", flat=True))

    with pytest.raises(CommandError, match=message) as error:
        run(DATA / name)

    assert "\n" not in str(error.value)
    assert counts() == before
    assert list(Wijk.objects.values_list("naam", flat=True)) == names


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "geen geldige JSON"),
        (b"\xff\xfe\x00 binary", "geen UTF-8-tekstbestand"),
        (b"[1, 2, 3]", r"geen GeoJSON-FeatureCollection \(gevonden: list\)"),
        (b'{"type": "FeatureCollection", "features": []}', "bevat geen features"),
        (b'{"type": "FeatureCollection", "features": {}}', "zonder lijst 'features'"),
        (b'{"type": "FeatureCollection", "features": [1, "x"]}', "geen GeoJSON-Feature"),
    ],
)
def test_more_unusable_files(tmp_path, content, message):
    path = tmp_path / "kapot.geojson"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(path)
    assert counts() == (0, 0, 0)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is een map, geen GeoJSON-bestand"):
        run(tmp_path)


def test_the_service_raises_importfout_for_the_command_to_print():
    with pytest.raises(ImportFout):
        gebieden_import(door=COMMAND, bron=DATA / "geen-bruikbaar.geojson")


def test_import_accepts_a_parsed_collection():
    collection = json.loads(BUURTEN_2014.read_text())

    result = gebieden_import(door=COMMAND, bron=collection)

    assert result.aangemaakt["buurt"] == 44


def test_import_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    # One read per kind of area, then bulk writes: the count does not grow with the file.
    with django_assert_max_num_queries(12):
        gebieden_import(door=COMMAND, bron=BUURTEN_2014)
    with django_assert_max_num_queries(12):
        gebieden_import(door=COMMAND, bron=BUURTEN_2014)


# --- demo data ------------------------------------------------------------------------------


def test_load_places_is_idempotent_and_names_maastricht():
    from django.core.management.base import OutputWrapper
    from django.core.management.color import no_style

    from demo.gebieden import load_places

    out = StringIO()
    load_places(stdout=OutputWrapper(out), style=no_style())
    load_places(stdout=OutputWrapper(out), style=no_style())

    assert counts() == (1, 7, 44)
    gemeente = Gemeente.objects.get()
    assert (gemeente.code, gemeente.naam) == ("GM0935", "Maastricht")
    assert gemeente.geometrie is not None
    assert not Wijk.objects.filter(naam__startswith="Wijk WK").exists()
    assert out.getvalue().splitlines() == ["Buurten: 44 in 7 wijken (Maastricht)"] * 2


def test_command_help_is_readable():
    from django.core.management import load_command_class

    command = load_command_class("buurten", "import_buurten")
    text = command.create_parser("manage.py", "import_buurten").format_help()

    assert "Importeert CBS-gemeenten" in text
    assert "EPSG:28992" in text
