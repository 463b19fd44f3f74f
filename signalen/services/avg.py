"""AVG rights of a person named by an e-mail address (staff or resident): export and erase.

`avg_gegevens` collects everything held about the address (account, seats, invitations, support
with that address, mails in the outbox, signals and walks the account logged, its history moves,
a partner's contact address, the actions the audit log holds of it); `avg_export` returns it as
JSON-ready data and readable HTML with an audit row; `avg_erase` removes or anonymises it with an
audit row. Used by `manage.py avg_export` / `avg_erase` and the admin's export action.

The audit log itself is kept (append-only, BIO logging obligation): the export lists its rows of
the person, the erasure leaves them and says so in its own row.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditRegel
from audit.services import audit_record
from buurten.models import Lidmaatschap, Partner, Rol, Uitnodiging, User
from buurten.selectors import sees_all
from buurten.services.mensen import user_sessions_delete
from buurten.services.teams import user_sync_staff
from core.actors import is_system, require_actor
from core.email import email_normalise
from notificaties.models import Bericht

from ..models import Signaal, StatusWijziging, Steunbetuiging, Wijkronde


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _require_beheerder(door) -> None:
    """Only a superuser (the admin) or a command may read or erase what is held about anyone."""
    require_actor(door)
    if not is_system(door) and not sees_all(user=door):
        raise PermissionDenied(_("Alleen een beheerder mag gegevens van personen exporteren of wissen."))


def _email_clean(email: str) -> str:
    email = email_normalise(email or "")
    if "@" not in email:
        raise ValidationError(_("Geef een geldig e-mailadres op."))
    return email


def avg_gegevens(*, email: str) -> dict[str, Any]:
    """Everything held about `email`, as plain JSON values (read only)."""
    email = _email_clean(email)
    user = User.objects.filter(email__iexact=email).first()
    data: dict[str, Any] = {"email": email, "gemaakt_op": timezone.now().isoformat(), "account": None}
    if user is not None:
        data["account"] = {
            "id": user.pk,
            "email": user.email,
            "voornaam": user.first_name,
            "achternaam": user.last_name,
            "actief": user.is_active,
            "beheerder": user.is_superuser,
            "aangemaakt": _iso(user.date_joined),
            "laatst_ingelogd": _iso(user.last_login),
        }
        data["lidmaatschappen"] = [
            {
                "team": lid.team.naam,
                "partner": lid.partner.naam,
                "rol": lid.rol,
                "sinds": _iso(lid.created_at),
            }
            for lid in Lidmaatschap.objects.filter(user=user).select_related("team", "partner").order_by("pk")
        ]
        data["signalen_gelogd"] = [
            {
                "id": s.pk,
                "team": s.team.naam,
                "titel": s.titel,
                "status": s.status,
                "aangemaakt": _iso(s.created_at),
            }
            for s in Signaal.objects.filter(created_by=user).select_related("team").order_by("pk")
        ]
        data["wijkrondes"] = [
            {"id": w.pk, "team": w.team.naam, "datum": w.datum.isoformat(), "route": w.route is not None}
            for w in Wijkronde.objects.filter(lopers=user).select_related("team").order_by("pk")
        ]
        data["statuswijzigingen"] = [
            {
                "signaal_id": r.signaal_id,
                "van": r.van,
                "naar": r.naar,
                "reden": r.reden,
                "op": _iso(r.created_at),
            }
            for r in StatusWijziging.objects.filter(door=user).order_by("pk")
        ]
        data["auditlog"] = [
            {
                "actie": a.actie,
                "object": f"{a.object_type}:{a.object_id}",
                "resultaat": a.resultaat,
                "op": _iso(a.created_at),
            }
            for a in AuditRegel.objects.filter(door=user).order_by("pk")
        ]
    data["uitnodigingen"] = [
        {
            "team": u.team.naam,
            "rol": u.rol,
            "verstuurd": _iso(u.created_at),
            "geaccepteerd": _iso(u.geaccepteerd_at),
        }
        for u in Uitnodiging.objects.filter(email__iexact=email).select_related("team").order_by("pk")
    ]
    data["steunbetuigingen"] = [
        {
            "signaal_id": s.signaal_id,
            "signaal": s.signaal.titel,
            "datum": s.datum.isoformat(),
            "toestemming_email": s.email_toestemming,
            "ingetrokken": _iso(s.ingetrokken_at),
        }
        for s in Steunbetuiging.objects.filter(email__iexact=email).select_related("signaal").order_by("pk")
    ]
    data["berichten"] = [
        {
            "soort": b.soort,
            "status": b.status,
            "aangemaakt": _iso(b.created_at),
            "verzonden": _iso(b.verzonden_at),
        }
        for b in Bericht.objects.filter(ontvanger__iexact=email).order_by("pk")
    ]
    data["partnercontact"] = [
        p.naam for p in Partner.objects.filter(contact_email__iexact=email).order_by("pk")
    ]
    return data


def avg_export_html(data: dict[str, Any]) -> str:
    """The export as a readable page (standalone HTML)."""
    return render_to_string("signalen/avg_export.html", {"data": data})


@transaction.atomic
def avg_export(*, email: str, door) -> dict[str, Any]:
    """The export of `email` ({"json": data, "html": page}) with an audit row (no address in it)."""
    _require_beheerder(door)
    data = avg_gegevens(email=email)
    audit_record(
        door=door,
        actie="avg.export",
        object=("buurten.user", data["account"]["id"]) if data["account"] else None,
        details={"onderdelen": {k: len(v) for k, v in data.items() if isinstance(v, list)}},
    )
    return {"json": data, "html": avg_export_html(data)}


@transaction.atomic
def avg_erase(*, email: str, door) -> dict[str, int]:
    """Remove or anonymise what is held about `email`; returns counts per part.

    Support keeps counting (its household hash is not linked to the address) but loses the
    address; invitations and the outbox's mails to the address are deleted; a partner's contact
    address is emptied. An account is anonymised, never deleted (history and the audit log point
    at it): address, names, password, sessions, e-mail and MFA records and seats go, and it is
    switched off. Refused with a Dutch message, writing nothing, for a team's last coördinator."""
    _require_beheerder(door)
    email = _email_clean(email)
    result = {
        "steunbetuigingen": Steunbetuiging.objects.filter(email__iexact=email).update(
            email="", email_toestemming=False
        ),
        "uitnodigingen": Uitnodiging.objects.filter(email__iexact=email).delete()[0],
        "berichten": Bericht.objects.filter(ontvanger__iexact=email).delete()[0],
        "partnercontact": Partner.objects.filter(contact_email__iexact=email).update(contact_email=""),
        "account": 0,
    }
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    user_id = None
    if user is not None:
        user_id = user.pk
        coordinator_teams = set(
            Lidmaatschap.objects.filter(user=user, rol=Rol.COORDINATOR).values_list("team_id", flat=True)
        )
        andere = set(
            Lidmaatschap.objects.filter(
                team_id__in=coordinator_teams, rol=Rol.COORDINATOR, user__is_active=True
            )
            .exclude(user=user)
            .values_list("team_id", flat=True)
        )
        if coordinator_teams - andere:
            raise ValidationError(
                _("Dit account is de laatste coördinator van een team; wijs eerst een ander aan.")
            )
        user_sessions_delete(user=user)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Lidmaatschap.objects.filter(user=user).delete()
        user.email = f"verwijderd-{user.pk}@verwijderd.invalid"
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
        user_sync_staff(user=user)
        result["account"] = 1
    audit_record(
        door=door,
        actie="avg.erase",
        object=("buurten.user", user_id) if user_id else None,
        details={**result, "auditlog": "bewaard (wettelijke logplicht)"},
    )
    return result
