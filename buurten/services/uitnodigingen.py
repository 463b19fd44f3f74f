"""Invitations into a team: the only way a new person gets an account.

A coordinator (or staff) invites an e-mail address into their own team on behalf of one of
the gemeente's partners; the link in the mail works once, until it expires, and turns into
a user with a verified e-mail address, a membership and a session. A person who already has
an account (a wijkagent in two teams) is not invited but added by e-mail address: they get a
seat at once and a mail saying so.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from buurten.emails import TOEGEVOEGD_MAIL, UITNODIGING_MAIL
from buurten.models import Lidmaatschap, Partner, Rol, Team, Uitnodiging, User
from buurten.selectors.teams import is_coordinator
from buurten.services.teams import (
    lidmaatschap_create,
    lidmaatschap_create_from_uitnodiging,
    partner_buiten_gemeente,
)
from core.actors import require_actor
from core.email import email_normalise
from notificaties.services import notificatie_queue

GELDIGHEID = dt.timedelta(days=7)


class UitnodigingOnbruikbaar(ValidationError):
    """The invitation link cannot be used (any more); `code` says why: onbekend, verlopen, gebruikt."""


def may_invite(*, user: User, team: Team) -> bool:
    """Only a coordinator of the team, or a superuser, may invite people into it."""
    return is_coordinator(user=user, team=team)


def account_for_email(email: str) -> User | None:
    """The account that logs in with `email`, as its own address or as a second allauth address."""
    email = email_normalise(email)
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.select_related("user").filter(email__iexact=email).first()
        user = address.user if address else None
    return user


def account_exists(email: str) -> bool:
    return account_for_email(email) is not None


def _account_exists_error() -> ValidationError:
    return ValidationError(
        {
            "email": _(
                "Er bestaat al een account met dit e-mailadres. Een uitnodiging is alleen voor "
                "nieuwe mensen; voeg deze persoon toe met ‘Bestaand account toevoegen’."
            )
        },
        code="account_bestaat",
    )


@transaction.atomic
def uitnodiging_create(
    *,
    team: Team,
    partner: Partner,
    rol: str,
    email: str,
    door: User,
    base_url: str | None = None,
) -> Uitnodiging:
    """Invite a new person into `team` for `partner`; the mail with the link leaves after commit.

    Refused: an inviter who is not the team's coordinator (or staff), a partner of another
    gemeente, an unknown role, and an address that already has an account. An earlier open
    invitation of the same address into the same team stops working: only the newest link counts.
    """
    uitnodiging = _uitnodiging_create(team=team, partner=partner, rol=rol, email=email, door=door)
    notificatie_queue(
        ontvanger=uitnodiging.email,
        soort=UITNODIGING_MAIL,
        context={"uitnodiging_id": uitnodiging.pk, "base_url": base_url or ""},
        sleutel=uitnodiging_mail_sleutel(uitnodiging),
    )
    return uitnodiging


def uitnodiging_mail_sleutel(uitnodiging: Uitnodiging) -> str:
    """The outbox key of an invitation's mail (one per invitation and address)."""
    return f"uitnodiging:{uitnodiging.pk}:{uitnodiging.email}"


def _uitnodiging_create(*, team: Team, partner: Partner, rol: str, email: str, door: User) -> Uitnodiging:
    require_actor(door)
    if not may_invite(user=door, team=team):
        raise PermissionDenied(_("Alleen een coördinator van dit team kan mensen uitnodigen."))
    email = email_normalise(email)
    errors: dict[str, str] = {}
    if fout := partner_buiten_gemeente(team=team, partner=partner):
        errors["partner"] = fout
    if rol not in Rol.values:
        errors["rol"] = _("Kies de rol teamlid of coördinator.")
    if not email:
        errors["email"] = _("Vul een e-mailadres in.")
    if errors:
        raise ValidationError(errors)
    if account_exists(email):
        raise _account_exists_error()

    now = timezone.now()
    Uitnodiging.objects.filter(
        team=team, email__iexact=email, geaccepteerd_at__isnull=True, verloopt_at__gt=now
    ).update(verloopt_at=now)
    uitnodiging = Uitnodiging(
        team=team,
        partner=partner,
        rol=rol,
        email=email,
        token=secrets.token_urlsafe(32),
        uitgenodigd_door=door,
        verloopt_at=now + GELDIGHEID,
    )
    uitnodiging.full_clean()
    uitnodiging.save()
    audit_record(
        door=door,
        actie="uitnodiging.create",
        object=uitnodiging,
        team_id=team.pk,
        details={"partner_id": partner.pk, "rol": rol},
    )
    return uitnodiging


# What secrets.token_urlsafe makes. Anything else (a NUL byte, which PostgreSQL refuses in a query,
# or a thousand characters) is unknown without asking the database.
TOKEN_VORM = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _token_for_query(token: str) -> str:
    return token if token and TOKEN_VORM.fullmatch(token) else ""


def uitnodiging_get_usable(*, token: str) -> Uitnodiging:
    """The invitation behind a link, or UitnodigingOnbruikbaar saying why it no longer works."""
    uitnodiging = (
        Uitnodiging.objects.select_related("team", "partner", "uitgenodigd_door")
        .filter(token=_token_for_query(token))
        .first()
    )
    _check_usable(uitnodiging)
    return uitnodiging


def _check_usable(uitnodiging: Uitnodiging | None) -> None:
    if uitnodiging is None:
        raise UitnodigingOnbruikbaar(
            _("Deze uitnodigingslink is onbekend. Controleer of je de hele link uit de e-mail gebruikt."),
            code="onbekend",
        )
    if uitnodiging.geaccepteerd_at is not None:
        raise UitnodigingOnbruikbaar(
            _("Deze uitnodiging is al gebruikt. Log in met je e-mailadres en wachtwoord."),
            code="gebruikt",
        )
    if uitnodiging.verloopt_at <= timezone.now():
        raise UitnodigingOnbruikbaar(
            _("Deze uitnodiging is verlopen. Vraag de coördinator van het team om een nieuwe uitnodiging."),
            code="verlopen",
        )


@transaction.atomic
def uitnodiging_accept(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """Turn a usable invitation into a user with a verified e-mail address and a membership.

    The invitation row is locked, so the same link used twice at once still makes one account.
    """
    uitnodiging = Uitnodiging.objects.select_for_update().filter(token=_token_for_query(token)).first()
    _check_usable(uitnodiging)
    if account_exists(uitnodiging.email):
        raise _account_exists_error()

    try:
        user = User.objects.create_user(
            email=uitnodiging.email,
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
    except IntegrityError as exc:  # another invitation for this address was accepted at the same moment
        raise _account_exists_error() from exc
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    uitnodiging.geaccepteerd_at = timezone.now()
    uitnodiging.save(update_fields=["geaccepteerd_at"])
    # The new person acts: the invitation itself is the coordinator's permission, checked when made.
    audit_record(
        door=user,
        actie="uitnodiging.accept",
        object=uitnodiging,
        team_id=uitnodiging.team_id,
        details={"user_id": user.pk},
    )
    lidmaatschap_create_from_uitnodiging(uitnodiging=uitnodiging, user=user)
    return user


@transaction.atomic
def lidmaatschap_add_existing(
    *, team: Team, door: User, email: str, partner: Partner, rol: str, base_url: str | None = None
) -> Lidmaatschap:
    """Give a person who already has an (active) account a seat in the team, found by exact
    e-mail address only, and tell them by mail after commit; the seat's rules are
    `lidmaatschap_create`'s."""
    require_actor(door)
    if not may_invite(user=door, team=team):
        raise PermissionDenied(_("Alleen een coördinator van dit team kan mensen toevoegen."))
    email = email_normalise(email)
    if not email:
        raise ValidationError({"email": _("Vul een e-mailadres in.")})
    user = account_for_email(email)
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Er is geen account met dit e-mailadres. Nodig deze persoon uit met ‘Iemand uitnodigen’."
                )
            },
            code="geen_account",
        )
    if not user.is_active:
        raise ValidationError(
            {
                "email": _(
                    "Het account met dit e-mailadres is uitgeschakeld; vraag de beheerder het aan te zetten."
                )
            },
            code="uitgeschakeld",
        )
    lid = lidmaatschap_create(team=team, door=door, user=user, partner=partner, rol=rol)
    notificatie_queue(
        ontvanger=user.email,
        soort=TOEGEVOEGD_MAIL,
        context={"lidmaatschap_id": lid.pk, "door_id": door.pk, "base_url": base_url or ""},
        sleutel=toegevoegd_mail_sleutel(lid),
    )
    return lid


def toegevoegd_mail_sleutel(lid: Lidmaatschap) -> str:
    """The outbox key of the "you were added" mail (one per seat and address)."""
    return f"toegevoegd:{lid.pk}:{lid.user.email}"
