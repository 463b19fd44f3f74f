"""Demo places: the real CBS 2014 wijken and buurten of Maastricht, bundled in buurten/data/cbs/."""

import json
from pathlib import Path

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import shape

import buurten
from buurten.models import Buurt, Wijk
from buurten.services.importeren import gebieden_import
from core.actors import DEMO

DATA = Path(buurten.__file__).resolve().parent / "data" / "cbs"
WIJKEN = DATA / "maastricht-wijken-2014.geojson"
BUURTEN = DATA / "maastricht-buurten-2014.geojson"
GEMEENTE_CODE = "GM0935"
GEMEENTE_NAAM = "Maastricht"


def load_places(*, stdout, style) -> None:
    """Import gemeente, wijken and buurten of Maastricht; a second run updates them in place."""
    wijken = json.loads(WIJKEN.read_text(encoding="utf-8"))
    buurten = json.loads(BUURTEN.read_text(encoding="utf-8"))
    # The bundle has no gemeente file: its outline is the union of its wijken, so the gemeente
    # gets its real name and a boundary instead of a placeholder.
    omtrek = shapely.union_all([shape(f["geometry"]) for f in wijken["features"]])
    gemeente = {
        "type": "Feature",
        "properties": {"statcode": GEMEENTE_CODE, "statnaam": GEMEENTE_NAAM},
        "geometry": json.loads(shapely.to_geojson(omtrek)),
    }
    gebieden_import(
        bron={"type": "FeatureCollection", "features": [gemeente, *wijken["features"], *buurten["features"]]},
        door=DEMO,
    )
    aantal_buurten = Buurt.objects.filter(wijk__gemeente__code=GEMEENTE_CODE).count()
    aantal_wijken = Wijk.objects.filter(gemeente__code=GEMEENTE_CODE).count()
    stdout.write(
        style.SUCCESS(
            _("Buurten: %(buurten)d in %(wijken)d wijken (%(gemeente)s)")
            % {"buurten": aantal_buurten, "wijken": aantal_wijken, "gemeente": GEMEENTE_NAAM}
        )
    )
