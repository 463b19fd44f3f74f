"""Retention (AVG) of what buurten holds: used and expired invitations, unused accounts, sessions.

Called daily by `signalen.tasks.retentie_daily` with `core.actors.RETENTION` and a `now` (tests
move time forward by passing one). Each job writes one audit row with ids and counts only.
"""

from __future__ import annotations

import datetime as dt
import logging

from dateutil.relativedelta import relativedelta
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from audit.models import Resultaat
from audit.services import audit_record
from buurten.emails import UITGESCHAKELD_MAIL
from buurten.models import Uitnodiging, User
from core.actors import require_actor
from notificaties.services import notificatie_queue

from .mensen import user_deactivate

logger = logging.getLogger(__name__)

UITNODIGING_BEWAARDAGEN = 30
INACTIEF_MAANDEN = 12


@transaction.atomic
def uitnodigingen_opruimen(*, door, now: dt.datetime) -> int:
    """Delete invitations accepted or expired more than 30 days ago; returns how many."""
    require_actor(door)
    grens = now - dt.timedelta(days=UITNODIGING_BEWAARDAGEN)
    qs = Uitnodiging.objects.filter(Q(geaccepteerd_at__lte=grens) | Q(verloopt_at__lte=grens))
    ids = sorted(qs.values_list("pk", flat=True))
    if ids:
        Uitnodiging.objects.filter(pk__in=ids).delete()
        audit_record(
            door=door,
            actie="uitnodiging.opruimen",
            details={"uitnodiging_ids": ids, "dagen": UITNODIGING_BEWAARDAGEN},
        )
    return len(ids)


def accounts_inactief(*, now: dt.datetime):
    """Active accounts not used for a year (never logged in: created a year ago). Superusers are
    left alone: switching off the last one would lock everyone out of the admin."""
    grens = now - relativedelta(months=INACTIEF_MAANDEN)
    return User.objects.filter(is_active=True, is_superuser=False).filter(
        Q(last_login__lte=grens) | Q(last_login__isnull=True, date_joined__lte=grens)
    )


def accounts_inactief_uitschakelen(*, door, now: dt.datetime) -> int:
    """Switch off every account unused for a year, each in its own transaction through
    `user_deactivate` (its audit row), with a notice through the outbox. A team's last
    coördinator stays on (the team would be left without one); that refusal is audited."""
    require_actor(door)
    aantal = 0
    for user in accounts_inactief(now=now).order_by("pk"):
        try:
            with transaction.atomic():
                user_deactivate(user=user, door=door)
                notificatie_queue(
                    ontvanger=user.email,
                    soort=UITGESCHAKELD_MAIL,
                    context={"user_id": user.pk, "maanden": INACTIEF_MAANDEN},
                    sleutel=f"account-inactief:{user.pk}:{now:%Y-%m-%d}",
                )
            aantal += 1
        except ValidationError as fout:
            audit_record(
                door=door,
                actie="user.deactivate",
                object=user,
                resultaat=Resultaat.GEWEIGERD,
                details={"reden": "; ".join(fout.messages)},
            )
    return aantal


@transaction.atomic
def sessies_opruimen(*, door, now: dt.datetime) -> int:
    """Delete expired sessions (what `manage.py clearsessions` does for the database backend)."""
    require_actor(door)
    aantal, _per_model = Session.objects.filter(expire_date__lt=now).delete()
    if aantal:
        audit_record(door=door, actie="sessie.opruimen", details={"aantal": aantal})
    return aantal
