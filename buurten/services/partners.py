"""Partner organisations of a gemeente, created and changed by a superuser (the admin)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from buurten.models import Gemeente, Partner, PartnerType
from buurten.selectors.teams import sees_all
from core.actors import require_actor
from core.email import email_normalise


def _require_superuser(door) -> None:
    require_actor(door)
    if not sees_all(user=door):
        raise PermissionDenied(_("Alleen een beheerder mag partners beheren."))


def partner_clean(
    *,
    gemeente: Gemeente | None,
    naam: str,
    type: str,
    contact_email: str,
    partner: Partner | None = None,  # noqa: A002
) -> dict[str, Any]:
    """A partner's rules, without writing: a name unique in its gemeente, a known kind, and a
    gemeente that no longer moves once the partner has seats, commitments or invitations."""
    errors: dict[str, str] = {}
    naam = (naam or "").strip()
    if not naam:
        errors["naam"] = _("Geef de partner een naam.")
    if type not in PartnerType.values:
        errors["type"] = _("Kies het soort partner.")
    if gemeente is None:
        errors["gemeente"] = _("Kies de gemeente van de partner.")
    else:
        if partner is not None and partner.pk and partner.gemeente_id != gemeente.pk:
            in_gebruik = (
                partner.lidmaatschappen.exists() or partner.inzet.exists() or partner.uitnodigingen.exists()
            )
            if in_gebruik:
                errors["gemeente"] = _(
                    "De gemeente van een partner ligt vast zodra die in een team zit of is uitgenodigd."
                )
        dubbel = Partner.objects.filter(gemeente=gemeente, naam__iexact=naam)
        if partner is not None and partner.pk:
            dubbel = dubbel.exclude(pk=partner.pk)
        if naam and dubbel.exists():
            errors["naam"] = _("Deze gemeente heeft al een partner met deze naam.")
    if errors:
        raise ValidationError(errors)
    return {
        "gemeente": gemeente,
        "naam": naam,
        "type": type,
        "contact_email": email_normalise(contact_email),
    }


@transaction.atomic
def partner_create(*, door, gemeente: Gemeente, naam: str, type: str, contact_email: str = "") -> Partner:  # noqa: A002
    """A superuser adds a partner organisation to a gemeente."""
    _require_superuser(door)
    waarden = partner_clean(gemeente=gemeente, naam=naam, type=type, contact_email=contact_email)
    partner = Partner.objects.create(**waarden)
    audit_record(door=door, actie="partner.create", object=partner, details={"gemeente_id": gemeente.pk})
    return partner


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    door,
    gemeente: Gemeente,
    naam: str,
    type: str,  # noqa: A002
    contact_email: str = "",
) -> Partner:
    """A superuser renames a partner or changes its kind or address; the gemeente is fixed once used."""
    _require_superuser(door)
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    waarden = partner_clean(
        gemeente=gemeente, naam=naam, type=type, contact_email=contact_email, partner=locked
    )
    gewijzigd = [veld for veld, waarde in waarden.items() if getattr(locked, veld) != waarde]
    if not gewijzigd:
        return locked
    for veld in gewijzigd:
        setattr(locked, veld, waarden[veld])
    locked.save(update_fields=gewijzigd)
    audit_record(door=door, actie="partner.update", object=locked, details={"velden": gewijzigd})
    return locked
