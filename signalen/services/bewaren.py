"""Retention (AVG): a closed signal is kept for its team's bewaartermijn, then removed whole."""

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _g

from audit.models import Resultaat
from audit.services import audit_record, audit_record_many, audit_row
from buurten.models import Team
from core.actors import require_actor
from core.cache import buurten_changed, team_signalen_changed

from ..models import Foto, Signaal
from ..workflow import CLOSED_STATUSES

logger = logging.getLogger(__name__)


@dataclass
class PurgeResult:
    """What one run of the purge did."""

    verwijderd: int = 0  # signals removed
    # Teams whose term could not be applied, with the reason: {team_id: "ValueError: …"}.
    # Their signals are kept (and tried again next run); the other teams are purged.
    mislukt: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        text = _g("Bewaartermijn: %(aantal)s afgesloten signalen verwijderd.") % {"aantal": self.verwijderd}
        if self.mislukt:
            text += " " + _g("Mislukt voor %(teams)s teams (%(ids)s); zie het auditlog en de serverlog.") % {
                "teams": len(self.mislukt),
                "ids": ", ".join(map(str, sorted(self.mislukt))),
            }
        return text


def signalen_verlopen(*, now: dt.datetime, mislukt: dict[int, str] | None = None) -> "list[int]":
    """Ids of afgerond or afgewezen signals whose last status change is older than their
    team's bewaartermijn (one query per distinct term, not per team).

    A term whose cutoff cannot be computed is skipped for its teams, which are added to
    `mislukt` with the reason; the other terms' signals are still found."""
    ids: list[int] = []
    for maanden in Team.objects.order_by().values_list("bewaartermijn_maanden", flat=True).distinct():
        try:
            cutoff = now - relativedelta(months=maanden)
        except (ArithmeticError, ValueError) as exc:  # e.g. "year -474 is out of range"
            reden = f"{type(exc).__name__}: {exc}"[:200]
            teams = list(Team.objects.filter(bewaartermijn_maanden=maanden).values_list("pk", flat=True))
            logger.error("Bewaartermijn van teams %s niet toe te passen: %s", teams, reden, exc_info=exc)
            if mislukt is not None:
                mislukt.update(dict.fromkeys(teams, reden))
            continue
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
def signalen_purge_expired(*, door, now: dt.datetime | None = None) -> PurgeResult:
    """Delete every closed signal past its team's bewaartermijn with all it holds: support
    (household hashes, e-mail addresses), history and photos, their files after commit.
    A team whose term cannot be applied is skipped, logged and audited (resultaat mislukt);
    the other teams are purged. One audit row per purged signal says what was deleted and why (no
    personal data). Running it again removes nothing more."""
    require_actor(door)
    result = PurgeResult()
    now = now or timezone.now()
    ids = signalen_verlopen(now=now, mislukt=result.mislukt)
    for team_id, reden in sorted(result.mislukt.items()):
        audit_record(
            door=door,
            actie="bewaartermijn",
            object=("buurten.team", team_id),
            resultaat=Resultaat.MISLUKT,
            details={"fout": reden},
            team_id=team_id,
        )
    if not ids:
        return result
    fotos = list(Foto.objects.filter(signaal_id__in=ids).values_list("signaal_id", "bestand"))
    bestanden = [naam for _signaal_id, naam in fotos]
    fotos_per_signaal = Counter(signaal_id for signaal_id, _naam in fotos)
    rows = list(
        Signaal.objects.filter(pk__in=ids).order_by("pk").values(*BEWAARD, "team__bewaartermijn_maanden")
    )
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
    buurten_changed(*{row["buurt_id"] for row in rows})
    team_signalen_changed(*{row["team_id"] for row in rows})

    def delete_files() -> None:
        for naam in bestanden:
            try:
                default_storage.delete(naam)
            except OSError:
                # The rows are gone; a file that cannot be removed now is logged for the operator.
                logger.exception("Foto %s van een verlopen signaal kon niet worden verwijderd", naam)

    transaction.on_commit(delete_files)
    result.verwijderd = len(ids)
    logger.info("Bewaartermijn: %s afgesloten signalen verwijderd", len(ids))
    return result
