"""Everything that changes a team, its shared goal, its members and its subgebieden.

Each service checks the access rule itself (`door` must coordinate the team; a
`core.actors.SystemActor` is a system job such as the demo data; a missing `door` raises), so
pages, the admin and commands cannot differ, and writes its audit row in its transaction.
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

from audit.services import audit_record
from buurten.models import (
    Buurt,
    Gemeente,
    Lidmaatschap,
    Partner,
    PartnerInzet,
    Rol,
    Subgebied,
    Team,
    Uitnodiging,
    User,
)
from buurten.selectors.teams import is_coordinator, sees_all, toegang_vergeten
from core.actors import is_system, require_actor
from core.cache import buurten_changed, buurten_index_changed
from core.geojson import (
    COORDINATEN_BUITEN_BEREIK,
    GeoJSONTeGroot,
    coordinates_in_range,
    geojson_check_limits,
    geojson_loads,
)

# About 10 m at Maastricht's latitude: CBS borders are generalised, a street on the border
# must still fit, a polygon in the next buurt must not.
SUBGEBIED_TOLERANTIE_GRADEN = 0.0001


def _require_coordinator(*, door: Any, team: Team) -> None:
    require_actor(door)
    if not is_system(door) and not is_coordinator(user=door, team=team):
        raise PermissionDenied(_("Alleen een coördinator van dit team mag dit doen."))


def _locked_team(team: Team) -> Team:
    return Team.objects.select_for_update().get(pk=team.pk)


# --- the team itself: name, gemeente, buurten ------------------------------------------------


def team_clean(
    *, naam: str, slug: str, gemeente: Gemeente | None, buurten: list[Buurt], team: Team | None = None
) -> dict[str, Any]:
    """A team's place, without writing: a name, a free short name, buurten of its own gemeente,
    and a gemeente that no longer moves once the team has seats or commitments."""
    errors: dict[str, str] = {}
    naam, slug = (naam or "").strip(), (slug or "").strip()
    if not naam:
        errors["naam"] = _("Geef het team een naam.")
    if not slug:
        errors["slug"] = _("Geef het team een korte naam.")
    elif Team.objects.filter(slug=slug).exclude(pk=getattr(team, "pk", None)).exists():
        errors["slug"] = _("Deze korte naam is al in gebruik door een ander team.")
    buurten = list(buurten or [])
    if gemeente is None:
        errors["gemeente"] = _("Kies de gemeente van het team.")
    elif team is not None and team.pk and team.gemeente_id != gemeente.pk:
        if team.lidmaatschappen.exists() or team.inzet.exists():
            errors["gemeente"] = _(
                "De gemeente van een team ligt vast zodra het leden of partnerinzet heeft: die horen "
                "bij partners van de gemeente. Maak zo nodig een nieuw team."
            )
    if not buurten:
        errors["buurten"] = _("Kies minstens één buurt.")
    elif gemeente is not None:
        vreemd = sorted(
            b.naam
            for b in Buurt.objects.filter(pk__in=[b.pk for b in buurten]).exclude(
                wijk__gemeente_id=gemeente.pk
            )
        )
        if vreemd:
            errors["buurten"] = _("Deze buurten liggen niet in gemeente %(gemeente)s: %(buurten)s.") % {
                "gemeente": gemeente.naam,
                "buurten": ", ".join(vreemd),
            }
    if team is not None and team.pk and "buurten" not in errors:
        weg = Subgebied.objects.filter(team=team).exclude(buurt__in=buurten).select_related("buurt")
        namen = sorted({sub.buurt.naam for sub in weg})
        if namen:
            errors["buurten"] = _("Het team heeft nog subgebieden in %(buurten)s; verwijder die eerst.") % {
                "buurten": ", ".join(namen)
            }
    if errors:
        raise ValidationError(errors)
    return {"naam": naam, "slug": slug, "gemeente": gemeente, "buurten": buurten}


def _require_superuser(door) -> None:
    require_actor(door)
    if not sees_all(user=door):
        raise PermissionDenied(_("Alleen een beheerder mag teams aanmaken of verplaatsen."))


@transaction.atomic
def team_create(*, door, naam: str, slug: str, gemeente: Gemeente, buurten: list[Buurt]) -> Team:
    """A superuser creates a team in buurten of one gemeente (settings start at their defaults)."""
    _require_superuser(door)
    waarden = team_clean(naam=naam, slug=slug, gemeente=gemeente, buurten=buurten)
    team = Team.objects.create(naam=waarden["naam"], slug=waarden["slug"], gemeente=gemeente)
    team.buurten.set(waarden["buurten"])
    audit_record(
        door=door,
        actie="team.create",
        object=team,
        team_id=team.pk,
        details={"gemeente_id": gemeente.pk, "buurt_ids": sorted(b.pk for b in waarden["buurten"])},
    )
    buurten_index_changed()  # its buurten get a public page
    return team


@transaction.atomic
def team_update(*, team: Team, door, naam: str, slug: str, gemeente: Gemeente, buurten: list[Buurt]) -> Team:
    """A superuser renames a team or changes its buurten; its gemeente is fixed once it has seats."""
    _require_superuser(door)
    locked = _locked_team(team)
    waarden = team_clean(naam=naam, slug=slug, gemeente=gemeente, buurten=buurten, team=locked)
    gewijzigd = [
        veld
        for veld, nieuw in (
            ("naam", waarden["naam"]),
            ("slug", waarden["slug"]),
            ("gemeente_id", gemeente.pk),
        )
        if getattr(locked, veld) != nieuw
    ]
    for veld in gewijzigd:
        setattr(locked, veld, waarden["gemeente"].pk if veld == "gemeente_id" else waarden[veld])
    if gewijzigd:
        locked.save(update_fields=gewijzigd)
    oud = set(locked.buurten.values_list("pk", flat=True))
    nieuw = {b.pk for b in waarden["buurten"]}
    if oud != nieuw:
        locked.buurten.set(waarden["buurten"])
        gewijzigd.append("buurten")
    if gewijzigd:
        audit_record(
            door=door,
            actie="team.update",
            object=locked,
            team_id=locked.pk,
            details={"velden": gewijzigd, "buurt_ids": sorted(nieuw)},
        )
        # Public addresses (slug, buurten with a page) and the team's name on their pages.
        buurten_index_changed()
        buurten_changed(*oud, *nieuw)
    return locked


# --- shared goal ------------------------------------------------------------------------------


def team_doel_clean(*, doel_start: dt.date | None, doel_evaluatie: dt.date | None) -> None:
    """The goal's rule, without writing: the evaluation is on or after the start."""
    if doel_start and doel_evaluatie and doel_evaluatie < doel_start:
        raise ValidationError({"doel_evaluatie": _("De evaluatiedatum moet op of na de startdatum liggen.")})


@transaction.atomic
def team_doel_update(
    *,
    team: Team,
    door: Any,
    doel: str,
    doel_start: dt.date | None,
    doel_evaluatie: dt.date | None,
    inzet: dict[int, tuple[str, str]] | None = None,
) -> Team:
    """Set the shared goal (evaluation on or after the start) and, per partner id, (toezegging, gevraagd)."""
    _require_coordinator(door=door, team=team)
    team_doel_clean(doel_start=doel_start, doel_evaluatie=doel_evaluatie)
    team = _locked_team(team)
    nieuw = {"doel": (doel or "").strip(), "doel_start": doel_start, "doel_evaluatie": doel_evaluatie}
    gewijzigd = sorted(veld for veld, waarde in nieuw.items() if getattr(team, veld) != waarde)
    for veld, waarde in nieuw.items():
        setattr(team, veld, waarde)
    team.save(update_fields=list(nieuw))
    audit_record(door=door, actie="team.doel", object=team, team_id=team.pk, details={"velden": gewijzigd})
    # The goal and the commitments are on the public buurt pages.
    buurten_changed(*team.buurten.values_list("id", flat=True))
    for partner_id, (toezegging, gevraagd) in (inzet or {}).items():
        partner = Partner.objects.filter(pk=partner_id).first()
        if partner is None:
            raise ValidationError(_("Deze partner bestaat niet."))
        partnerinzet_update(team=team, door=door, partner=partner, toezegging=toezegging, gevraagd=gevraagd)
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
    *, team: Team, door: Any, partner: Partner, toezegging: str, gevraagd: str
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
        row = PartnerInzet.objects.create(
            team=team, partner=partner, toezegging=toezegging, gevraagd=gevraagd
        )
        _audit_inzet(door=door, row=row, velden=["gevraagd", "toezegging"])
        return row
    if (row.toezegging, row.gevraagd) != (toezegging, gevraagd):
        velden = [v for v, w in (("gevraagd", gevraagd), ("toezegging", toezegging)) if getattr(row, v) != w]
        row.toezegging, row.gevraagd = toezegging, gevraagd
        row.save(update_fields=["toezegging", "gevraagd"])
        _audit_inzet(door=door, row=row, velden=velden)
    return row


def _audit_inzet(*, door: Any, row: PartnerInzet, velden: list[str]) -> None:
    # A commitment (toezegging) is on the public buurt pages; what is asked (gevraagd) is not.
    buurten_changed(*row.team.buurten.values_list("id", flat=True))
    audit_record(
        door=door,
        actie="partnerinzet.update",
        object=row,
        team_id=row.team_id,
        details={"partner_id": row.partner_id, "velden": velden},
    )


@transaction.atomic
def partnerinzet_delete(*, inzet: PartnerInzet, door) -> None:
    """Take a partner's commitment off the team's goal (its people keep their seats)."""
    require_actor(door)
    _require_coordinator(door=door, team=inzet.team)
    row = PartnerInzet.objects.select_for_update().filter(pk=inzet.pk).first()
    if row is None:
        return
    team_id, partner_id = row.team_id, row.partner_id
    row.delete()
    audit_record(
        door=door,
        actie="partnerinzet.delete",
        object=("buurten.partnerinzet", inzet.pk),
        team_id=team_id,
        details={"partner_id": partner_id},
    )


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
    *, team: Team, door: Any, user: User, partner: Partner, rol: str = Rol.TEAMLID
) -> Lidmaatschap:
    """Give a person a seat in the team for a partner of its gemeente; one seat per person, partner, team."""
    _require_coordinator(door=door, team=team)
    return _lidmaatschap_create(team=team, door=door, user=user, partner=partner, rol=rol)


@transaction.atomic
def lidmaatschap_create_from_uitnodiging(*, uitnodiging: Uitnodiging, user: User) -> Lidmaatschap:
    """The seat an accepted invitation gives: the invited person is the actor, the invitation
    (made by a coördinator, checked then) is the permission."""
    if uitnodiging.geaccepteerd_at is None:
        raise PermissionDenied(_("Deze uitnodiging is niet geaccepteerd."))
    return _lidmaatschap_create(
        team=uitnodiging.team, door=user, user=user, partner=uitnodiging.partner, rol=uitnodiging.rol
    )


def _lidmaatschap_create(*, team: Team, door: Any, user: User, partner: Partner, rol: str) -> Lidmaatschap:
    lidmaatschap_clean(team=team, user=user, partner=partner, rol=rol)
    try:
        with transaction.atomic():
            lid = Lidmaatschap.objects.create(user=user, team=team, partner=partner, rol=rol)
    except IntegrityError as exc:  # a concurrent request won the race for the same seat
        raise ValidationError(_dubbel_bericht(team=team, user=user, partner=partner)) from exc
    toegang_vergeten()
    user_sync_staff(user=user)
    _audit_lid(door=door, actie="lidmaatschap.create", lid=lid, details={"rol": lid.rol})
    return lid


def _audit_lid(*, door: Any, actie: str, lid: Lidmaatschap, details: dict, object: Any = None) -> None:  # noqa: A002
    audit_record(
        door=door,
        actie=actie,
        object=object or lid,
        team_id=lid.team_id,
        details={"user_id": lid.user_id, "partner_id": lid.partner_id, **details},
    )


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
def lidmaatschap_update_rol(*, lidmaatschap: Lidmaatschap, door: Any, rol: str) -> Lidmaatschap:
    """Change a member's role; the team keeps at least one coordinator."""
    _require_coordinator(door=door, team=lidmaatschap.team)
    _locked_team(lidmaatschap.team)  # serialises role changes within one team
    lid = Lidmaatschap.objects.select_for_update().select_related("user", "team").get(pk=lidmaatschap.pk)
    lidmaatschap_rol_clean(lidmaatschap=lid, rol=rol)
    if lid.rol == rol:
        return lid
    van = lid.rol
    lid.rol = rol
    lid.save(update_fields=["rol"])
    toegang_vergeten()
    user_sync_staff(user=lid.user)
    _audit_lid(door=door, actie="lidmaatschap.rol", lid=lid, details={"van": van, "naar": rol})
    return lid


@transaction.atomic
def lidmaatschap_delete(*, lidmaatschap: Lidmaatschap, door: Any) -> None:
    """Remove a person's seat from the team; never the last coordinator."""
    _require_coordinator(door=door, team=lidmaatschap.team)
    _locked_team(lidmaatschap.team)
    lid = Lidmaatschap.objects.select_for_update().select_related("user").get(pk=lidmaatschap.pk)
    lidmaatschap_delete_clean(lidmaatschap=lid)
    user = lid.user
    ref = ("buurten.lidmaatschap", lid.pk)
    lid.delete()
    toegang_vergeten()
    user_sync_staff(user=user)
    _audit_lid(door=door, actie="lidmaatschap.delete", lid=lid, details={"rol": lid.rol}, object=ref)


# --- subgebieden -----------------------------------------------------------------------------


def subgebied_geometrie_clean(*, geometrie: Any, buurt: Buurt) -> dict | None:
    """A GeoJSON Polygon (or a Feature holding one) that lies inside the buurt, as a plain dict."""
    if geometrie in (None, "", {}):
        return None
    try:
        if isinstance(geometrie, str):
            geometrie = geojson_loads(geometrie)
        else:
            geojson_check_limits(geometrie)
    except GeoJSONTeGroot as exc:
        fout = ValidationError(exc.message, code=exc.code, params=exc.params)
        raise ValidationError({"geometrie": fout}) from None
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
def subgebied_create(*, team: Team, door: Any, buurt: Buurt, naam: str, geometrie: Any = None) -> Subgebied:
    """Add a subgebied in one of the team's buurten; a polygon must lie inside that buurt."""
    _require_coordinator(door=door, team=team)
    naam, geom = subgebied_clean(team=team, buurt=buurt, naam=naam, geometrie=geometrie, exclude_pk=None)
    sub = Subgebied.objects.create(team=team, buurt=buurt, naam=naam, geometrie=geom)
    _audit_sub(door=door, actie="subgebied.create", sub=sub, velden=["buurt", "geometrie", "naam"])
    return sub


def _audit_sub(*, door: Any, actie: str, sub: Subgebied, velden: list[str], object: Any = None) -> None:  # noqa: A002
    audit_record(
        door=door,
        actie=actie,
        object=object or sub,
        team_id=sub.team_id,
        details={"buurt_id": sub.buurt_id, "velden": velden},
    )


@transaction.atomic
def subgebied_update(
    *, subgebied: Subgebied, door: Any, buurt: Buurt, naam: str, geometrie: Any = None
) -> Subgebied:
    """Change a subgebied's name, buurt or polygon under the same rules as creating it."""
    team = subgebied.team
    _require_coordinator(door=door, team=team)
    naam, geom = subgebied_clean(
        team=team, buurt=buurt, naam=naam, geometrie=geometrie, exclude_pk=subgebied.pk
    )
    sub = Subgebied.objects.select_for_update().get(pk=subgebied.pk)
    nieuw = {"buurt_id": buurt.pk, "naam": naam, "geometrie": geom}
    velden = sorted(
        veld.removesuffix("_id") for veld, waarde in nieuw.items() if getattr(sub, veld) != waarde
    )
    sub.buurt, sub.naam, sub.geometrie = buurt, naam, geom
    sub.save(update_fields=["buurt", "naam", "geometrie"])
    _audit_sub(door=door, actie="subgebied.update", sub=sub, velden=velden)
    return sub


@transaction.atomic
def subgebied_delete(*, subgebied: Subgebied, door: Any) -> None:
    """Remove a subgebied of the team."""
    _require_coordinator(door=door, team=subgebied.team)
    ref = ("buurten.subgebied", subgebied.pk)
    subgebied.delete()
    _audit_sub(door=door, actie="subgebied.delete", sub=subgebied, velden=[], object=ref)
