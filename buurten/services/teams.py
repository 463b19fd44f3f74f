"""Everything that changes a team, its shared goal, its members and its subgebieden.

Each service checks the access rule itself (`door` must coordinate the team; `door=None` is a
system action such as the demo data), so pages, the admin and commands cannot differ.
Errors are `ValidationError`s keyed by the form field that caused them, so a form can show them
next to that field; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import shapely
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from shapely.geometry import Polygon, shape

from buurten.models import Buurt, Lidmaatschap, Partner, PartnerInzet, Rol, Subgebied, Team, User
from buurten.selectors.teams import is_coordinator
from core.geojson import COORDINATEN_BUITEN_BEREIK, coordinates_in_range

# About 10 m at Maastricht's latitude: CBS borders are generalised, a street on the border
# must still fit, a polygon in the next buurt must not.
SUBGEBIED_TOLERANTIE_GRADEN = 0.0001


def _require_coordinator(*, door: User | None, team: Team) -> None:
    if door is not None and not is_coordinator(user=door, team=team):
        raise PermissionDenied(_("Alleen een coördinator van dit team mag dit doen."))


def _locked_team(team: Team) -> Team:
    return Team.objects.select_for_update().get(pk=team.pk)


# --- shared goal ------------------------------------------------------------------------------


def team_doel_clean(*, doel_start: dt.date | None, doel_evaluatie: dt.date | None) -> None:
    """The goal's rule, without writing: the evaluation is on or after the start."""
    if doel_start and doel_evaluatie and doel_evaluatie < doel_start:
        raise ValidationError({"doel_evaluatie": _("De evaluatiedatum moet op of na de startdatum liggen.")})


@transaction.atomic
def team_doel_update(
    *,
    team: Team,
    door: User | None,
    doel: str,
    doel_start: dt.date | None,
    doel_evaluatie: dt.date | None,
    inzet: dict[int, tuple[str, str]] | None = None,
) -> Team:
    """Set the shared goal (evaluation on or after the start) and, per partner id, (toezegging, gevraagd)."""
    _require_coordinator(door=door, team=team)
    team_doel_clean(doel_start=doel_start, doel_evaluatie=doel_evaluatie)
    team = _locked_team(team)
    team.doel = (doel or "").strip()
    team.doel_start = doel_start
    team.doel_evaluatie = doel_evaluatie
    team.save(update_fields=["doel", "doel_start", "doel_evaluatie"])
    for partner_id, (toezegging, gevraagd) in (inzet or {}).items():
        partner = Partner.objects.filter(pk=partner_id).first()
        if partner is None:
            raise ValidationError(_("Deze partner bestaat niet."))
        partnerinzet_update(team=team, door=None, partner=partner, toezegging=toezegging, gevraagd=gevraagd)
    return team


def partner_buiten_gemeente(*, team: Team, partner: Partner) -> str | None:
    """The rule "a partner belongs to the team's gemeente": its Dutch message when broken, else None.

    The one place of this rule: seats, invitations, commitments, walks and triage all ask here.
    """
    if partner.gemeente_id != team.gemeente_id:
        return _("Deze partner hoort niet bij de gemeente van dit team.")
    return None


def partnerinzet_clean(*, team: Team, partner: Partner) -> None:
    """A partner commits to a team of its own gemeente only."""
    if fout := partner_buiten_gemeente(team=team, partner=partner):
        raise ValidationError({"partner": fout})


@transaction.atomic
def partnerinzet_update(
    *, team: Team, door: User | None, partner: Partner, toezegging: str, gevraagd: str
) -> PartnerInzet | None:
    """Record what a partner of the team's gemeente commits to and what is asked of it.

    Both empty and no row yet: nothing is created (a partner is not added to a team by an
    empty form); an existing row is kept, so the partner stays on the team.
    """
    _require_coordinator(door=door, team=team)
    partnerinzet_clean(team=team, partner=partner)
    toezegging, gevraagd = (toezegging or "").strip(), (gevraagd or "").strip()
    row = PartnerInzet.objects.select_for_update().filter(team=team, partner=partner).first()
    if row is None:
        if not (toezegging or gevraagd):
            return None
        return PartnerInzet.objects.create(
            team=team, partner=partner, toezegging=toezegging, gevraagd=gevraagd
        )
    if (row.toezegging, row.gevraagd) != (toezegging, gevraagd):
        row.toezegging, row.gevraagd = toezegging, gevraagd
        row.save(update_fields=["toezegging", "gevraagd"])
    return row


# --- memberships -----------------------------------------------------------------------------


def user_sync_staff(*, user: User) -> User:
    """`is_staff` (admin login) follows the role: a superuser or a coordinator of some team.

    Call it after every change of a person's roles (invitation accepted, role changed, removed).
    """
    staff = user.is_superuser or Lidmaatschap.objects.filter(user=user, rol=Rol.COORDINATOR).exists()
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    return user


def _dubbel_bericht(*, team: Team, user: User, partner: Partner) -> str:
    return _("%(persoon)s is al lid van %(team)s namens %(partner)s.") % {
        "persoon": user,
        "team": team,
        "partner": partner,
    }


def lidmaatschap_clean(
    *, team: Team, user: User, partner: Partner, rol: str, exclude_pk: int | None = None
) -> None:
    """A seat's rules, without writing: a valid role, a partner of the team's gemeente, no second seat."""
    if rol not in Rol.values:
        raise ValidationError({"rol": _("Kies een geldige rol.")})
    if fout := partner_buiten_gemeente(team=team, partner=partner):
        raise ValidationError({"partner": fout})
    dubbel = Lidmaatschap.objects.filter(user=user, team=team, partner=partner)
    if exclude_pk:
        dubbel = dubbel.exclude(pk=exclude_pk)
    if dubbel.exists():
        raise ValidationError(_dubbel_bericht(team=team, user=user, partner=partner))


@transaction.atomic
def lidmaatschap_create(
    *, team: Team, door: User | None, user: User, partner: Partner, rol: str = Rol.TEAMLID
) -> Lidmaatschap:
    """Give a person a seat in the team for a partner of its gemeente; one seat per person, partner, team."""
    _require_coordinator(door=door, team=team)
    lidmaatschap_clean(team=team, user=user, partner=partner, rol=rol)
    try:
        with transaction.atomic():
            lid = Lidmaatschap.objects.create(user=user, team=team, partner=partner, rol=rol)
    except IntegrityError as exc:  # a concurrent request won the race for the same seat
        raise ValidationError(_dubbel_bericht(team=team, user=user, partner=partner)) from exc
    user_sync_staff(user=user)
    return lid


def _laatste_coordinator(lid: Lidmaatschap) -> bool:
    andere = Lidmaatschap.objects.filter(team_id=lid.team_id, rol=Rol.COORDINATOR).exclude(pk=lid.pk)
    return lid.rol == Rol.COORDINATOR and not andere.exists()


def lidmaatschap_rol_clean(*, lidmaatschap: Lidmaatschap, rol: str) -> None:
    """A role change's rules, without writing: a valid role; the team keeps a coordinator."""
    if rol not in Rol.values:
        raise ValidationError({"rol": _("Kies een geldige rol.")})
    if rol != Rol.COORDINATOR and _laatste_coordinator(lidmaatschap):
        raise ValidationError(
            {"rol": _("Een team heeft minstens één coördinator nodig; benoem eerst een andere coördinator.")}
        )


def lidmaatschap_delete_clean(*, lidmaatschap: Lidmaatschap) -> None:
    """A removal's rule, without writing: never the team's last coordinator."""
    if _laatste_coordinator(lidmaatschap):
        raise ValidationError(
            _("Je kunt de laatste coördinator van het team niet verwijderen; benoem eerst een andere.")
        )


@transaction.atomic
def lidmaatschap_update_rol(*, lidmaatschap: Lidmaatschap, door: User | None, rol: str) -> Lidmaatschap:
    """Change a member's role; the team keeps at least one coordinator."""
    _require_coordinator(door=door, team=lidmaatschap.team)
    _locked_team(lidmaatschap.team)  # serialises role changes within one team
    lid = Lidmaatschap.objects.select_for_update().select_related("user", "team").get(pk=lidmaatschap.pk)
    lidmaatschap_rol_clean(lidmaatschap=lid, rol=rol)
    if lid.rol == rol:
        return lid
    lid.rol = rol
    lid.save(update_fields=["rol"])
    user_sync_staff(user=lid.user)
    return lid


@transaction.atomic
def lidmaatschap_delete(*, lidmaatschap: Lidmaatschap, door: User | None) -> None:
    """Remove a person's seat from the team; never the last coordinator."""
    _require_coordinator(door=door, team=lidmaatschap.team)
    _locked_team(lidmaatschap.team)
    lid = Lidmaatschap.objects.select_for_update().select_related("user").get(pk=lidmaatschap.pk)
    lidmaatschap_delete_clean(lidmaatschap=lid)
    user = lid.user
    lid.delete()
    user_sync_staff(user=user)


# --- subgebieden -----------------------------------------------------------------------------


def subgebied_geometrie_clean(*, geometrie: Any, buurt: Buurt) -> dict | None:
    """A GeoJSON Polygon (or a Feature holding one) that lies inside the buurt, as a plain dict."""
    if geometrie in (None, "", {}):
        return None
    if isinstance(geometrie, str):
        try:
            geometrie = json.loads(geometrie)
        except ValueError as exc:
            raise ValidationError({"geometrie": _("Dit is geen geldige GeoJSON.")}) from exc
    if isinstance(geometrie, dict) and geometrie.get("type") == "FeatureCollection":
        features = geometrie.get("features") or []
        if len(features) != 1:
            raise ValidationError({"geometrie": _("Teken precies één polygoon.")})
        geometrie = features[0]
    if isinstance(geometrie, dict) and geometrie.get("type") == "Feature":
        geometrie = geometrie.get("geometry")
    if not isinstance(geometrie, dict) or geometrie.get("type") != "Polygon":
        raise ValidationError({"geometrie": _("Het subgebied moet een GeoJSON-polygoon (Polygon) zijn.")})
    try:
        poly = shape(geometrie)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise ValidationError({"geometrie": _("De polygoon heeft te weinig of ongeldige punten.")}) from exc
    if not isinstance(poly, Polygon) or poly.is_empty:
        raise ValidationError({"geometrie": _("De polygoon heeft te weinig of ongeldige punten.")})
    min_lon, min_lat, max_lon, max_lat = poly.bounds
    if not (
        coordinates_in_range(lon=min_lon, lat=min_lat) and coordinates_in_range(lon=max_lon, lat=max_lat)
    ):
        raise ValidationError({"geometrie": COORDINATEN_BUITEN_BEREIK})
    if not poly.is_valid:
        if "Self-intersection" in shapely.is_valid_reason(poly):
            bericht = _("De polygoon is ongeldig: de rand snijdt zichzelf. Teken hem opnieuw.")
        else:
            bericht = _("De polygoon heeft te weinig of ongeldige punten.")
        raise ValidationError({"geometrie": bericht})
    if poly.area == 0:
        raise ValidationError({"geometrie": _("De polygoon heeft te weinig of ongeldige punten.")})
    if not buurt.geometrie:
        raise ValidationError(
            {
                "geometrie": _("Van buurt %(buurt)s is geen grens bekend; importeer eerst de CBS-buurten.")
                % {"buurt": buurt.naam}
            }
        )
    buurt_geom = shapely.make_valid(shape(buurt.geometrie))
    if not buurt_geom.buffer(SUBGEBIED_TOLERANTIE_GRADEN).contains(poly):
        raise ValidationError(
            {
                "geometrie": _(
                    "Het subgebied ligt buiten de buurt %(buurt)s. Teken het binnen de buurtgrens."
                )
                % {"buurt": buurt.naam}
            }
        )
    return json.loads(shapely.to_geojson(poly))


def subgebied_clean(*, team: Team, buurt: Buurt, naam: str, geometrie: Any, exclude_pk: int | None) -> tuple:
    """A subgebied's rules, without writing; returns the clean name and polygon."""
    naam = (naam or "").strip()
    errors: dict[str, str] = {}
    if not naam:
        errors["naam"] = _("Geef het subgebied een naam, bijvoorbeeld een straatnaam.")
    if not team.buurten.filter(pk=buurt.pk).exists():
        errors["buurt"] = _("Buurt %(buurt)s hoort niet bij dit team.") % {"buurt": buurt.naam}
    if errors:
        raise ValidationError(errors)
    dubbel = Subgebied.objects.filter(team=team, buurt=buurt, naam__iexact=naam)
    if exclude_pk:
        dubbel = dubbel.exclude(pk=exclude_pk)
    if dubbel.exists():
        raise ValidationError({"naam": _("Dit team heeft in deze buurt al een subgebied met deze naam.")})
    return naam, subgebied_geometrie_clean(geometrie=geometrie, buurt=buurt)


@transaction.atomic
def subgebied_create(
    *, team: Team, door: User | None, buurt: Buurt, naam: str, geometrie: Any = None
) -> Subgebied:
    """Add a subgebied in one of the team's buurten; a polygon must lie inside that buurt."""
    _require_coordinator(door=door, team=team)
    naam, geom = subgebied_clean(team=team, buurt=buurt, naam=naam, geometrie=geometrie, exclude_pk=None)
    return Subgebied.objects.create(team=team, buurt=buurt, naam=naam, geometrie=geom)


@transaction.atomic
def subgebied_update(
    *, subgebied: Subgebied, door: User | None, buurt: Buurt, naam: str, geometrie: Any = None
) -> Subgebied:
    """Change a subgebied's name, buurt or polygon under the same rules as creating it."""
    team = subgebied.team
    _require_coordinator(door=door, team=team)
    naam, geom = subgebied_clean(
        team=team, buurt=buurt, naam=naam, geometrie=geometrie, exclude_pk=subgebied.pk
    )
    sub = Subgebied.objects.select_for_update().get(pk=subgebied.pk)
    sub.buurt, sub.naam, sub.geometrie = buurt, naam, geom
    sub.save(update_fields=["buurt", "naam", "geometrie"])
    return sub


@transaction.atomic
def subgebied_delete(*, subgebied: Subgebied, door: User | None) -> None:
    """Remove a subgebied of the team."""
    _require_coordinator(door=door, team=subgebied.team)
    subgebied.delete()
