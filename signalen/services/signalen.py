"""Logging signals and street walks, and the default themas of a gemeente."""

import datetime as dt
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point, shape

from audit.services import audit_record
from buurten.models import Buurt, Gemeente, Lidmaatschap, Partner, Subgebied, Team
from buurten.selectors import buurt_for_point
from buurten.services.teams import partner_buiten_gemeente
from core.actors import BEWONER, is_system, require_actor
from core.cache import buurten_changed, team_signalen_changed
from core.geojson import COORDINATEN_BUITEN_BEREIK, coordinates_in_range

from ..models import Kanaal, Signaal, Status, StatusWijziging, Thema, Wijkronde
from ..selectors import user_is_member

DEFAULT_THEMAS = [
    "zwerfvuil",
    "verlichting",
    "groen",
    "verkeer en parkeren",
    "overlast jeugd",
    "woonoverlast",
    "drugs en ondermijning",
    "speelvoorzieningen",
    "contact en samenhang",
    "onderhoud woningen",
]
# Shown on public pages only at buurt level, never as a point (the gemeente may mark more).
GEVOELIGE_THEMAS = frozenset({"woonoverlast", "drugs en ondermijning"})

TITEL_LEEG = _("Geef het signaal een korte titel.")
PUNT_BUITEN_TEAM = _(
    "Deze plek ligt niet in een buurt van het team. Kies een punt binnen de buurten van het team."
)


@transaction.atomic
def thema_seed_defaults(*, gemeente: Gemeente, door) -> list[Thema]:
    """Make sure the gemeente has the default themas (idempotent; existing ones are kept)."""
    require_actor(door)
    themas, nieuw = [], []
    for naam in DEFAULT_THEMAS:
        thema, created = Thema.objects.get_or_create(
            gemeente=gemeente, naam=naam, defaults={"gevoelig": naam in GEVOELIGE_THEMAS}
        )
        themas.append(thema)
        if created:
            nieuw.append(thema.pk)
    if nieuw:
        audit_record(door=door, actie="thema.seed", object=gemeente, details={"thema_ids": nieuw})
    return themas


def _contains(geometrie: dict | None, point: Point) -> bool:
    if not geometrie:
        return False
    try:
        return shape(geometrie).covers(point)
    except (ValueError, TypeError, AttributeError, KeyError):
        return False


def team_buurt_for_point(*, team: Team, lat: float, lon: float) -> Buurt | None:
    """The buurt of `team` that contains the point, or None when it lies outside the team's area.

    The process-wide index (`buurten.selectors.buurt_for_point`) answers first; when it names
    another buurt (a point on a shared border, where it picks one side) the team's own
    polygons decide.
    """
    team_buurten = {b.pk: b for b in team.buurten.all()}
    found = buurt_for_point(lat=lat, lon=lon)
    if found is not None and found.pk in team_buurten:
        return team_buurten[found.pk]
    point = Point(lon, lat)
    for buurt in team_buurten.values():
        bbox = buurt.bbox
        if bbox and not (bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]):
            continue
        if _contains(buurt.geometrie, point):
            return buurt
    return None


def team_subgebied_for_point(*, team: Team, buurt: Buurt, lat: float, lon: float) -> Subgebied | None:
    """The smallest subgebied of the team in `buurt` whose polygon contains the point."""
    point = Point(lon, lat)
    found = []
    for sub in Subgebied.objects.filter(team=team, buurt=buurt).exclude(geometrie=None):
        if _contains(sub.geometrie, point):
            found.append((shape(sub.geometrie).area, sub.pk, sub))
    return min(found)[2] if found else None


def _coordinate(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@transaction.atomic
def signaal_log(
    *,
    team: Team,
    door,
    titel: str,
    omschrijving: str = "",
    thema: Thema,
    kanaal: str,
    lat: float,
    lon: float,
    buurt: Buurt | None = None,
    subgebied: Subgebied | None = None,
    over_persoon: bool = False,
    vertrouwelijk: bool = False,
    wijkronde: Wijkronde | None = None,
) -> Signaal:
    """A team member logs a signal at a point inside the team's buurten; it starts as *nieuw*.

    The buurt follows from the point unless one of the team's buurten is given; the
    subgebied likewise (from its polygon, if any). A signal about a person is always
    confidential. ValidationError carries a Dutch message per field; nothing is written then.
    A resident's confirmed wish (publiek) is logged by `core.actors.BEWONER`, kanaal online only.
    """
    require_actor(door)
    online_bewoner = door == BEWONER and kanaal == Kanaal.ONLINE
    if not online_bewoner and not user_is_member(user=door, team=team):
        raise PermissionDenied(_("Alleen leden van het team kunnen signalen vastleggen."))
    errors: dict[str, list] = {}
    titel = (titel or "").strip()
    if not titel:
        errors["titel"] = [TITEL_LEEG]
    elif len(titel) > Signaal._meta.get_field("titel").max_length:
        errors["titel"] = [_("Houd de titel kort: hoogstens 120 tekens.")]
    if thema is None:
        errors["thema"] = [_("Kies een thema.")]
    elif thema.gemeente_id != team.gemeente_id:
        errors["thema"] = [_("Dit thema hoort niet bij de gemeente van het team.")]
    elif not thema.actief:
        errors["thema"] = [_("Dit thema wordt niet meer gebruikt; kies een ander thema.")]
    if kanaal not in Kanaal.values:
        errors["kanaal"] = [_("Kies hoe het signaal gehoord is.")]
    if wijkronde is not None and wijkronde.team_id != team.pk:
        errors["wijkronde"] = [_("Deze wijkronde is van een ander team.")]

    lat_f, lon_f = _coordinate(lat), _coordinate(lon)
    if lat_f is None or lon_f is None:
        errors["locatie"] = [_("Zet een punt op de kaart.")]
    elif not coordinates_in_range(lon=lon_f, lat=lat_f):
        errors["locatie"] = [COORDINATEN_BUITEN_BEREIK]
    else:
        punt_buurt = team_buurt_for_point(team=team, lat=lat_f, lon=lon_f)
        if punt_buurt is None:
            errors["locatie"] = [PUNT_BUITEN_TEAM]
        elif buurt is None:
            buurt = punt_buurt
        if buurt is not None and not team.buurten.filter(pk=buurt.pk).exists():
            errors["buurt"] = [_("Deze buurt hoort niet bij het team.")]
        elif buurt is not None and "locatie" not in errors:
            if subgebied is not None and (subgebied.team_id != team.pk or subgebied.buurt_id != buurt.pk):
                errors["subgebied"] = [_("Dit subgebied hoort niet bij deze buurt van het team.")]
            elif subgebied is None:
                subgebied = team_subgebied_for_point(team=team, buurt=buurt, lat=lat_f, lon=lon_f)
    if errors:
        raise ValidationError(errors)

    signaal = Signaal.objects.create(
        team=team,
        wijkronde=wijkronde,
        titel=titel,
        omschrijving=(omschrijving or "").strip(),
        thema=thema,
        kanaal=kanaal,
        lat=lat_f,
        lon=lon_f,
        buurt=buurt,
        subgebied=subgebied,
        over_persoon=over_persoon,
        # A signal about a person is never anything but confidential.
        vertrouwelijk=bool(vertrouwelijk or over_persoon),
        status=Status.NIEUW,
        status_gewijzigd_at=timezone.now(),
        created_by=None if is_system(door) else door,
    )
    StatusWijziging.objects.create(
        signaal=signaal,
        van="",
        naar=Status.NIEUW,
        door=None if is_system(door) else door,
        reden=str(_("Signaal vastgelegd.")),
    )
    team_signalen_changed(team.pk)
    audit_record(
        door=door,
        actie="signaal.log",
        object=signaal,
        team_id=team.pk,
        details={
            "thema_id": thema.pk,
            "buurt_id": buurt.pk,
            "kanaal": kanaal,
            "vertrouwelijk": signaal.vertrouwelijk,
            "wijkronde_id": wijkronde.pk if wijkronde else None,
        },
    )
    buurten_changed(buurt.pk)
    return signaal


def _valid_route(route) -> bool:
    if route is None:
        return True
    if not isinstance(route, dict) or route.get("type") not in ("LineString", "MultiLineString"):
        return False
    try:
        geom = shape(route)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return False
    return not geom.is_empty


@transaction.atomic
def wijkronde_create(
    *,
    team: Team,
    door,
    datum: dt.date,
    buurten: list[Buurt],
    lopers: list | None = None,
    meegelopen_partners: list[Partner] | None = None,
    notities: str = "",
    route: dict | None = None,
) -> Wijkronde:
    """A team member records a street walk in the team's buurten, walked by team members
    and (by organisation only) people of the gemeente's partners."""
    require_actor(door)
    if not user_is_member(user=door, team=team):
        raise PermissionDenied(_("Alleen leden van het team kunnen een wijkronde vastleggen."))
    lopers = list(lopers or [])
    partners = list(meegelopen_partners or [])
    buurten = list(buurten or [])
    errors: dict[str, list] = {}
    if datum is None:
        errors["datum"] = [_("Vul de datum van de wijkronde in.")]
    elif datum > timezone.localdate():
        errors["datum"] = [_("Een wijkronde kan niet in de toekomst liggen.")]
    team_buurt_ids = set(team.buurten.values_list("pk", flat=True))
    if not buurten:
        errors["buurten"] = [_("Kies minstens één buurt van het team.")]
    elif any(b.pk not in team_buurt_ids for b in buurten):
        errors["buurten"] = [_("Kies alleen buurten van het team.")]
    member_ids = set(Lidmaatschap.objects.filter(team=team).values_list("user_id", flat=True))
    if any(u.pk not in member_ids for u in lopers):
        errors["lopers"] = [_("Alleen leden van het team kunnen als loper worden gekozen.")]
    fouten = [fout for p in partners if (fout := partner_buiten_gemeente(team=team, partner=p))]
    if fouten:
        errors["meegelopen_partners"] = fouten[:1]
    if not _valid_route(route):
        errors["route"] = [_("De route is geen geldige lijn op de kaart.")]
    if errors:
        raise ValidationError(errors)
    wijkronde = Wijkronde.objects.create(
        team=team, datum=datum, notities=(notities or "").strip(), route=route, created_by=door
    )
    wijkronde.buurten.set(buurten)
    wijkronde.lopers.set(lopers)
    wijkronde.meegelopen_partners.set(partners)
    audit_record(
        door=door,
        actie="wijkronde.create",
        object=wijkronde,
        team_id=team.pk,
        details={"buurt_ids": sorted(b.pk for b in buurten), "partner_ids": sorted(p.pk for p in partners)},
    )
    return wijkronde
