"""Reads that the audit log records (BIO 8.15.01): opening a confidential signal and exporting
signals to CSV. Nothing else changes; the row is the point."""

from typing import Any

from django.db import transaction

from audit.services import audit_record
from buurten.selectors import team_list_for_user
from core.actors import require_actor

from ..models import Signaal


def signaal_vertrouwelijk_gelezen(*, signaal: Signaal, door: Any) -> None:
    """Record that `door` opened a confidential signal's detail page (nothing for an open one)."""
    require_actor(door)
    if not signaal.vertrouwelijk:
        return  # no transaction either: an open signal's page is read-only
    with transaction.atomic():
        audit_record(
            door=door,
            actie="signaal.vertrouwelijk_gelezen",
            object=signaal,
            team_id=signaal.team_id,
            details={"over_persoon": signaal.over_persoon},
        )


@transaction.atomic
def signalen_export_record(*, door: Any, filters: Any, aantal: int) -> None:
    """Record a CSV export: its filters (ids, statuses, dates) and how many rows it holds.

    The row belongs to the person's team when they have exactly one, so its coördinatoren see it.
    """
    require_actor(door)
    teams = list(team_list_for_user(user=door).values_list("pk", flat=True)[:2])
    audit_record(
        door=door,
        actie="signalen.export",
        team_id=teams[0] if len(teams) == 1 else None,
        details={
            "filter": {
                "buurt_id": filters.buurt.pk if filters.buurt else None,
                "thema_id": filters.thema.pk if filters.thema else None,
                "status": filters.status,
                "kanaal": filters.kanaal,
                "van": filters.van.isoformat() if filters.van else None,
                "tot": filters.tot.isoformat() if filters.tot else None,
            },
            "rijen": aantal,
            "formaat": "csv",
        },
    )
