"""Retention (AVG): a closed signal is kept for its team's bewaartermijn, then removed whole."""

import datetime as dt
import logging

from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from buurten.models import Team

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


@transaction.atomic
def signalen_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete every closed signal past its team's bewaartermijn with all it holds: support
    (household hashes, e-mail addresses), history and photos, their files after commit.
    Returns how many signals were removed; running it again removes nothing more."""
    ids = signalen_verlopen(now=now or timezone.now())
    if not ids:
        return 0
    bestanden = list(Foto.objects.filter(signaal_id__in=ids).values_list("bestand", flat=True))
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
