"""Accounts: created and changed by a superuser, switched off but never deleted.

A person's account is never deleted: status history, support and the audit log keep pointing at
it. Switching it off (`user_deactivate`) ends every session at once. `is_staff` is never set by
hand: `buurten.services.teams.user_sync_staff` derives it from the person's roles.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from buurten.models import Lidmaatschap, Rol, Team, User
from buurten.selectors.teams import sees_all
from buurten.services.teams import user_sync_staff
from buurten.services.uitnodigingen import account_for_email
from core.actors import RETENTION, require_actor
from core.email import email_normalise

LAATSTE_COORDINATOR = gettext_lazy("De laatste coördinator van een team kan niet worden uitgeschakeld.")


def _require_superuser(door) -> None:
    require_actor(door)
    if not sees_all(user=door):
        raise PermissionDenied(_("Alleen een beheerder mag accounts beheren."))


def user_email_clean(*, email: str, exclude_pk: int | None = None) -> str:
    """An account's address, without writing: present, lower case, not already someone's login."""
    email = email_normalise(email)
    if not email:
        raise ValidationError({"email": _("Vul een e-mailadres in.")})
    bestaand = account_for_email(email)
    if bestaand is not None and bestaand.pk != exclude_pk:
        raise ValidationError({"email": _("Er is al een account met dit e-mailadres.")})
    return email


def user_sessions_delete(*, user: User) -> int:
    """End every session in which `user` is logged in; returns how many were ended."""
    ids = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ids).delete()
    return len(ids)


@transaction.atomic
def user_create(*, door, email: str, password: str) -> User:
    """A superuser creates an account (e-mail address as login, a password that passes the validators)."""
    _require_superuser(door)
    email = user_email_clean(email=email)
    try:
        validate_password(password, user=User(email=email))
    except ValidationError as exc:
        raise ValidationError({"password2": exc.messages}) from exc
    user = User.objects.create_user(email=email, password=password)
    audit_record(door=door, actie="user.create", object=user)
    return user


@transaction.atomic
def user_update(*, user: User, door, email: str, first_name: str, last_name: str, is_superuser: bool) -> User:
    """A superuser changes a person's address, name or superuser flag; `is_staff` follows the roles."""
    _require_superuser(door)
    locked = User.objects.select_for_update().get(pk=user.pk)
    email = user_email_clean(email=email, exclude_pk=locked.pk)
    if locked.pk == door.pk and not is_superuser:
        raise ValidationError({"is_superuser": _("Je kunt je eigen beheerrechten niet intrekken.")})
    nieuw = {
        "email": email,
        "first_name": (first_name or "").strip(),
        "last_name": (last_name or "").strip(),
        "is_superuser": bool(is_superuser),
    }
    gewijzigd = [veld for veld, waarde in nieuw.items() if getattr(locked, veld) != waarde]
    if not gewijzigd:
        return locked
    for veld in gewijzigd:
        setattr(locked, veld, nieuw[veld])
    locked.save(update_fields=gewijzigd)
    user_sync_staff(user=locked)
    audit_record(door=door, actie="user.update", object=locked, details={"velden": gewijzigd})
    return locked


@transaction.atomic
def user_set_password(*, user: User, door, password: str | None) -> User:
    """A superuser sets a person's password (checked by the validators), or with None switches
    password login off; the person's other sessions end through Django's session hash."""
    _require_superuser(door)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if password is None:
        locked.set_unusable_password()
    else:
        validate_password(password, user=locked)
        locked.set_password(password)
    locked.save(update_fields=["password"])
    audit_record(
        door=door, actie="user.set_password", object=locked, details={"bruikbaar": password is not None}
    )
    user.password = locked.password
    return locked


@transaction.atomic
def user_deactivate(*, user: User, door) -> User:
    """Switch an account off and end its sessions; never one's own, never a team's last coördinator.

    A superuser does this, or the retention job (`core.actors.RETENTION`) for an account unused
    for a year (`buurten.services.bewaren.accounts_inactief_uitschakelen`)."""
    if door is not RETENTION:
        _require_superuser(door)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.pk == door.pk:
        raise ValidationError(_("Je kunt je eigen account niet uitschakelen."))
    if not locked.is_active:
        raise ValidationError(_("Dit account is al uitgeschakeld."))
    team_ids = sorted(
        set(Lidmaatschap.objects.filter(user=locked, rol=Rol.COORDINATOR).values_list("team_id", flat=True))
    )
    # Lock the teams (in id order, as lidmaatschap_update_rol does one) so no role change races this check.
    list(Team.objects.select_for_update().filter(pk__in=team_ids).order_by("pk"))
    andere = set(
        Lidmaatschap.objects.filter(team_id__in=team_ids, rol=Rol.COORDINATOR, user__is_active=True)
        .exclude(user=locked)
        .values_list("team_id", flat=True)
    )
    if set(team_ids) - andere:
        raise ValidationError(LAATSTE_COORDINATOR)
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    sessies = user_sessions_delete(user=locked)
    audit_record(door=door, actie="user.deactivate", object=locked, details={"sessies": sessies})
    user.is_active = False
    return locked


@transaction.atomic
def user_activate(*, user: User, door) -> User:
    """Switch an account back on; `is_staff` follows the person's roles again.

    No session from before comes back to life: any left over (an account switched off around
    `user_deactivate`, by a raw update or the shell) is deleted, so the person logs in anew.
    """
    _require_superuser(door)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:
        raise ValidationError(_("Dit account is al ingeschakeld."))
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    user_sync_staff(user=locked)
    sessies = user_sessions_delete(user=locked)
    audit_record(door=door, actie="user.activate", object=locked, details={"sessies": sessies})
    user.is_active = True
    return locked
