"""The themas of a gemeente, kept by a superuser in the admin; a thema is switched off, never deleted."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from buurten.models import Gemeente
from buurten.selectors import sees_all
from core.actors import require_actor

from ..models import Thema


def _require_superuser(door) -> None:
    require_actor(door)
    if not sees_all(user=door):
        raise PermissionDenied(_("Alleen een beheerder mag thema's beheren."))


def thema_clean(*, gemeente: Gemeente | None, naam: str, thema: Thema | None = None) -> dict[str, Any]:
    """A thema's rules, without writing: a name unique in its gemeente; the gemeente is fixed once
    signals use the thema."""
    errors: dict[str, str] = {}
    naam = (naam or "").strip()
    if not naam:
        errors["naam"] = _("Geef het thema een naam.")
    if gemeente is None:
        errors["gemeente"] = _("Kies de gemeente van het thema.")
    else:
        bestaand = thema is not None and thema.pk
        if bestaand and thema.gemeente_id != gemeente.pk and thema.signalen.exists():
            errors["gemeente"] = _("Dit thema heeft al signalen; de gemeente ligt vast.")
        dubbel = Thema.objects.filter(gemeente=gemeente, naam__iexact=naam)
        if bestaand:
            dubbel = dubbel.exclude(pk=thema.pk)
        if naam and dubbel.exists():
            errors["naam"] = _("Deze gemeente heeft al een thema met deze naam.")
    if errors:
        raise ValidationError(errors)
    return {"gemeente": gemeente, "naam": naam}


@transaction.atomic
def thema_create(*, door, gemeente: Gemeente, naam: str, actief: bool = True) -> Thema:
    """A superuser adds a thema to a gemeente."""
    _require_superuser(door)
    waarden = thema_clean(gemeente=gemeente, naam=naam)
    thema = Thema.objects.create(**waarden, actief=bool(actief))
    audit_record(door=door, actie="thema.create", object=thema, details={"gemeente_id": gemeente.pk})
    return thema


@transaction.atomic
def thema_update(*, thema: Thema, door, gemeente: Gemeente, naam: str, actief: bool) -> Thema:
    """A superuser renames a thema or switches it off (signals keep it; new ones cannot choose it)."""
    _require_superuser(door)
    locked = Thema.objects.select_for_update().get(pk=thema.pk)
    waarden = {**thema_clean(gemeente=gemeente, naam=naam, thema=locked), "actief": bool(actief)}
    gewijzigd = [veld for veld, waarde in waarden.items() if getattr(locked, veld) != waarde]
    if not gewijzigd:
        return locked
    for veld in gewijzigd:
        setattr(locked, veld, waarden[veld])
    locked.save(update_fields=gewijzigd)
    audit_record(door=door, actie="thema.update", object=locked, details={"velden": gewijzigd})
    return locked
