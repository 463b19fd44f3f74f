"""Retention (AVG): a closed signal is kept for its team's bewaartermijn, then removed whole."""

import datetime as dt
import logging
from collections import Counter

from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record_many, audit_row
from buurten.models import Team
from core.actors import require_actor

from ..models import Foto, Signaal
from ..workflow import CLOSED_STATUSES

logger = logging.getLogger(__name__)


def signalen_verlopen(*, now: dt.datetime) -> "list[int]":
    """Ids of afgerond or afgewezen signals whose last status change is older than their
    team's bewaartermijn (one query per distinct term, not per team)."""
    ids: list[int] = []
    for maanden in Team.objects.order_by().values_list("bewaartermijn_maanden", flat=True).distinct():
        cutoff = now - relativedelta(months=maanden)
        ids += Signaal.objects.filter(
            Q(status_gewijzigd_at__lte=cutoff) | Q(status_gewijzigd_at__isnull=True, updated_at__lte=cutoff),
            team__bewaartermijn_maanden=maanden,
            status__in=CLOSED_STATUSES,
        ).values_list("pk", flat=True)
    return ids


REDEN = "bewaartermijn verstreken"
# What the audit log keeps of a purged signal: ids, statuses and dates, never its text,
# place, people or support.
BEWAARD = [
    "pk",
    "team_id",
    "thema_id",
    "buurt_id",
    "status",
    "created_at",
    "status_gewijzigd_at",
    "vertrouwelijk",
]


@transaction.atomic
def signalen_purge_expired(*, door, now: dt.datetime | None = None) -> int:
    """Delete every closed signal past its team's bewaartermijn with all it holds: support
    (household hashes, e-mail addresses), history and photos, their files after commit; one
    audit row per signal says what was deleted and why (no personal data).
    Returns how many signals were removed; running it again removes nothing more."""
    require_actor(door)
    now = now or timezone.now()
    ids = signalen_verlopen(now=now)
    if not ids:
        return 0
    fotos = list(Foto.objects.filter(signaal_id__in=ids).values_list("signaal_id", "bestand"))
    bestanden = [naam for _signaal_id, naam in fotos]
    fotos_per_signaal = Counter(signaal_id for signaal_id, _naam in fotos)
    rows = Signaal.objects.filter(pk__in=ids).order_by("pk").values(*BEWAARD, "team__bewaartermijn_maanden")
    audit_record_many(
        audit_row(
            door=door,
            actie="signaal.purge",
            object=("signalen.signaal", row["pk"]),
            team_id=row["team_id"],
            details={
                "reden": REDEN,
                "bewaartermijn_maanden": row["team__bewaartermijn_maanden"],
                "thema_id": row["thema_id"],
                "buurt_id": row["buurt_id"],
                "status": row["status"],
                "vertrouwelijk": row["vertrouwelijk"],
                "aangemaakt": row["created_at"].isoformat(),
                "status_gewijzigd": row["status_gewijzigd_at"].isoformat()
                if row["status_gewijzigd_at"]
                else None,
                "fotos": fotos_per_signaal[row["pk"]],
            },
        )
        for row in rows
    )
    Signaal.objects.filter(pk__in=ids).delete()

    def delete_files() -> None:
        for naam in bestanden:
            try:
                default_storage.delete(naam)
            except OSError:
                # The rows are gone; a file that cannot be removed now is logged for the operator.
                logger.exception("Foto %s van een verlopen signaal kon niet worden verwijderd", naam)

    transaction.on_commit(delete_files)
    logger.info("Bewaartermijn: %s afgesloten signalen verwijderd", len(ids))
    return len(ids)
