"""Import CBS gemeenten, wijken and buurten from a GeoJSON FeatureCollection.

Reading the file and cleaning each feature is `buurten.cbs` (codes, kinds, coordinate systems,
ring and polygon repair). What gets written is decided here:
- A parent is implied by the code (`BU09350604` lies in `WK093506` in `GM0935`). A parent that
  is not in the database yet is created with the name the feature gives for it, or with a
  placeholder ("Wijk WK093506") that a later wijk or gemeente file fills in. A real name is
  never replaced by a placeholder, and a feature without a name keeps the name it had.
- A polygon that collapsed to a line during repair keeps its area, stored without a geometry,
  so the buurt still exists for teams (the bundled Maastricht file has one such buurt).
- No single feature can stop an import: whatever goes wrong while reading, reprojecting or
  repairing one feature (an exception from GEOS or pyproj included) skips or reduces that
  feature with its reason; the rest is imported. The summary line counts the reasons. A file
  that is not GeoJSON, or holds no usable feature, raises `ImportFout` before anything is
  written.
- Re-importing updates in place by CBS code, with bulk queries: a fixed number of queries per
  file, whatever its size.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audit_record
from buurten import cbs
from buurten.cbs import SOORTEN, ImportFout, Kandidaat, Melding, Onbruikbaar
from buurten.models import Buurt, Gemeente, Wijk
from buurten.selectors.gebieden import buurt_index_invalidate
from core.actors import require_actor
from core.cache import buurten_index_changed

__all__ = ["ImportFout", "ImportResult", "Melding", "gebieden_import", "voorlopige_naam"]

MODELLEN = {"gemeente": Gemeente, "wijk": Wijk, "buurt": Buurt}
BATCH = 500
GRENZEN = ("min_lon", "min_lat", "max_lon", "max_lat")


@dataclass
class ImportResult:
    aangemaakt: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOORTEN, 0))
    bijgewerkt: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOORTEN, 0))
    # Parents created from a code alone, with a placeholder name, and placeholders filled in.
    voorlopig: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOORTEN, 0))
    ingevuld: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOORTEN, 0))
    hersteld: list[Melding] = field(default_factory=list)
    overgeslagen: list[Melding] = field(default_factory=list)
    opmerkingen: list[str] = field(default_factory=list)

    @property
    def totaal_aangemaakt(self) -> int:
        return sum(self.aangemaakt.values())

    @property
    def totaal_bijgewerkt(self) -> int:
        return sum(self.bijgewerkt.values())

    def samenvatting(self) -> str:
        """One Dutch line: created, updated, repaired, skipped, and what was only implied."""
        tekst = _("Klaar: %(nieuw)d nieuw, %(bij)d bijgewerkt, %(her)d hersteld, %(over)d overgeslagen") % {
            "nieuw": self.totaal_aangemaakt,
            "bij": self.totaal_bijgewerkt,
            "her": len(self.hersteld),
            "over": len(self.overgeslagen),
        }
        per_soort = [
            _aantal(soort, self.aangemaakt[soort] + self.bijgewerkt[soort])
            for soort in SOORTEN
            if self.aangemaakt[soort] + self.bijgewerkt[soort]
        ]
        if per_soort:
            tekst += f" ({_opsomming(per_soort)})"
        tekst += "."
        for kop, meldingen in ((_("Hersteld"), self.hersteld), (_("Overgeslagen"), self.overgeslagen)):
            if meldingen:
                tekst += f" {kop}: {cbs.reden_telling(meldingen)}."
        voorlopig = [_aantal(soort, n) for soort, n in self.voorlopig.items() if n]
        if voorlopig:
            tekst += " " + _("Alleen uit de codes afgeleid, met een voorlopige naam: %(lijst)s.") % {
                "lijst": _opsomming(voorlopig)
            }
        ingevuld = [_aantal(soort, n) for soort, n in self.ingevuld.items() if n]
        if ingevuld:
            tekst += " " + _("Voorlopige naam vervangen door de echte: %(lijst)s.") % {
                "lijst": _opsomming(ingevuld)
            }
        return tekst


def _aantal(soort: str, n: int) -> str:
    woorden = {
        "gemeente": ngettext("%(n)d gemeente", "%(n)d gemeenten", n),
        "wijk": ngettext("%(n)d wijk", "%(n)d wijken", n),
        "buurt": ngettext("%(n)d buurt", "%(n)d buurten", n),
    }
    return woorden[soort] % {"n": n}


def _opsomming(delen: list[str]) -> str:
    if len(delen) == 1:
        return delen[0]
    return _("%(begin)s en %(eind)s") % {"begin": ", ".join(delen[:-1]), "eind": delen[-1]}


def voorlopige_naam(soort: str, code: str) -> str:
    """The placeholder name of an area known only by its code (stored data, so not translated)."""
    return f"{soort.capitalize()} {code}"


@transaction.atomic
def gebieden_import(*, bron: str | Path | Mapping[str, Any], door: Any) -> ImportResult:
    """Create or update gemeenten, wijken and buurten by CBS code; repair or skip bad features."""
    require_actor(door)
    naam = str(bron) if not isinstance(bron, Mapping) else _("de gegevens")
    collectie = bron if isinstance(bron, Mapping) else cbs.lees_bestand(Path(bron))
    features = cbs.features(collectie, naam)
    result = ImportResult()

    kandidaten: list[Kandidaat] = []
    gezien: set[str] = set()
    for positie, feature in enumerate(features, start=1):
        try:
            kandidaat = cbs.kandidaat(feature)
        except Onbruikbaar as fout:
            code, feature_naam = cbs.herkenbaar(feature, positie)
            result.overgeslagen.append(Melding(code, feature_naam, str(fout), (fout.soort,)))
            continue
        except Exception as fout:  # anything else one feature throws (GEOS, numpy) skips only it
            code, feature_naam = cbs.herkenbaar(feature, positie)
            reden = _("onverwachte fout bij het lezen: %(fout)s") % {"fout": cbs.onverwacht(fout)}
            result.overgeslagen.append(Melding(code, feature_naam, reden, (cbs.LEESFOUT,)))
            continue
        if kandidaat.code in gezien:
            reden = _("komt vaker voor in het bestand; de eerste telt")
            result.overgeslagen.append(kandidaat.melding(reden, (cbs.DUBBEL,)))
            continue
        gezien.add(kandidaat.code)
        kandidaten.append(kandidaat)

    kandidaten = cbs.naar_wgs84(
        kandidaten, collectie, naam, overgeslagen=result.overgeslagen, opmerkingen=result.opmerkingen
    )
    kandidaten = cbs.herstel(kandidaten, hersteld=result.hersteld, overgeslagen=result.overgeslagen)
    if not kandidaten:
        raise ImportFout(cbs.geen_bruikbaar(naam, len(features), result.overgeslagen))

    per_soort = {soort: [k for k in kandidaten if k.soort == soort] for soort in SOORTEN}
    ouder_ids: dict[str, int] = {}
    for soort in SOORTEN:
        afgeleid = _afgeleide_ouders(soort, per_soort)
        ouder_ids = _schrijf(soort, per_soort[soort], afgeleid, ouder_ids, result)

    if result.aangemaakt["buurt"] or result.bijgewerkt["buurt"] or result.ingevuld["buurt"]:
        buurt_index_invalidate()
        buurten_index_changed()  # buurt names are public addresses
    audit_record(
        door=door,
        actie="gebieden.import",
        details={
            "bestand": Path(bron).name if not isinstance(bron, Mapping) else "",
            "aangemaakt": result.aangemaakt,
            "bijgewerkt": result.bijgewerkt,
            "hersteld": len(result.hersteld),
            "overgeslagen": len(result.overgeslagen),
        },
    )
    return result


# --- writing ------------------------------------------------------------------------------


def _ouder_code(soort: str, code: str) -> str:
    return {"wijk": "GM" + code[2:6], "buurt": "WK" + code[2:8]}[soort]


def _afgeleide_ouders(soort: str, per_soort: dict[str, list[Kandidaat]]) -> dict[str, str | None]:
    """Codes of this kind implied by the children in the file, with a name if a child gives one."""
    afgeleid: dict[str, str | None] = {}
    if soort == "gemeente":
        for kind in per_soort["wijk"] + per_soort["buurt"]:
            code = "GM" + kind.code[2:6]
            afgeleid[code] = afgeleid.get(code) or kind.ouder_namen.get("gemeente")
    elif soort == "wijk":
        for kind in per_soort["buurt"]:
            code = "WK" + kind.code[2:8]
            afgeleid[code] = afgeleid.get(code) or kind.ouder_namen.get("wijk")
    return afgeleid


def _schrijf(
    soort: str,
    kandidaten: list[Kandidaat],
    afgeleid: dict[str, str | None],
    ouder_ids: dict[str, int],
    result: ImportResult,
) -> dict[str, int]:
    """Create and update this kind in bulk; returns code → id for the next kind down."""
    model = MODELLEN[soort]
    ouder_veld = {"gemeente": None, "wijk": "gemeente_id", "buurt": "wijk_id"}[soort]
    bestaand = {code: (pk, naam) for code, pk, naam in model.objects.values_list("code", "pk", "naam")}
    nu = timezone.now()
    nieuw, bijwerken, hernoemen = [], [], []

    def ouder(code: str) -> dict[str, int]:
        return {ouder_veld: ouder_ids[_ouder_code(soort, code)]} if ouder_veld else {}

    for kandidaat in kandidaten:
        grenzen = dict(zip(GRENZEN, kandidaat.grenzen or (None,) * 4, strict=True))
        velden = {"geometrie": kandidaat.uitvoer, **grenzen, **ouder(kandidaat.code)}
        if kandidaat.code in bestaand:
            pk, oude_naam = bestaand[kandidaat.code]
            naam = kandidaat.naam or oude_naam
            if kandidaat.naam and oude_naam == voorlopige_naam(soort, kandidaat.code):
                result.ingevuld[soort] += 1
            bijwerken.append(model(pk=pk, code=kandidaat.code, naam=naam, updated_at=nu, **velden))
            result.bijgewerkt[soort] += 1
        else:
            naam = kandidaat.naam or voorlopige_naam(soort, kandidaat.code)
            nieuw.append(model(code=kandidaat.code, naam=naam, **velden))
            result.aangemaakt[soort] += 1

    in_bestand = {k.code for k in kandidaten}
    for code, naam in afgeleid.items():
        if code in in_bestand:
            continue
        if code in bestaand:
            pk, oude_naam = bestaand[code]
            if naam and oude_naam == voorlopige_naam(soort, code):
                hernoemen.append(model(pk=pk, naam=naam, updated_at=nu))
                result.ingevuld[soort] += 1
        else:
            nieuw.append(model(code=code, naam=naam or voorlopige_naam(soort, code), **ouder(code)))
            if not naam:
                result.voorlopig[soort] += 1
            else:
                result.aangemaakt[soort] += 1

    model.objects.bulk_create(nieuw, batch_size=BATCH)
    velden = ["naam", "geometrie", "min_lon", "min_lat", "max_lon", "max_lat", "updated_at"]
    _bijwerken(model, bijwerken, velden)
    _bijwerken(model, hernoemen, ["naam", "updated_at"])

    ids = {code: pk for code, (pk, _naam) in bestaand.items()}
    if any(obj.pk is None for obj in nieuw):  # a backend that cannot return ids from a bulk insert
        return dict(model.objects.values_list("code", "pk"))
    ids.update((obj.code, obj.pk) for obj in nieuw)
    return ids


def _bijwerken(model, objecten: list, velden: list[str]) -> None:
    """UPDATE … WHERE id = … for each object, sent as one executemany.

    Django's bulk_update builds a CASE WHEN per field per row, which took 16-19 s for the
    12,000 buurten of a national re-import; executemany takes about a second on SQLite and
    PostgreSQL. Values go through each field's own get_db_prep_save, as the ORM does.
    """
    if not objecten:
        return
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    kolommen = [meta.get_field(naam) for naam in velden]
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; every value is a parameter.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 # nosec B608
        quote(meta.db_table),
        ", ".join(f"{quote(veld.column)} = %s" for veld in kolommen),
        quote(meta.pk.column),
    )
    rijen = [
        [veld.get_db_prep_save(getattr(obj, veld.attname), connection) for veld in kolommen] + [obj.pk]
        for obj in objecten
    ]
    with connection.cursor() as cursor:
        for begin in range(0, len(rijen), BATCH * 4):
            cursor.executemany(sql, rijen[begin : begin + BATCH * 4])
