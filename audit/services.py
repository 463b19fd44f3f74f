"""Writing the audit log: `audit_record`, called by every service inside its own transaction."""

from collections.abc import Callable
from typing import Any

from django.db import models

from core.actors import SystemActor, require_actor

from .context import current_origin
from .models import AuditRegel, Resultaat

# Higher apps tell the audit log how to name an actor's partner in a team (buurten registers
# this in its AppConfig.ready), so that this app imports nothing above it.
_partner_resolver: Callable[[Any, int | None], str] | None = None


def register_partner_resolver(resolver: Callable[[Any, int | None], str]) -> None:
    global _partner_resolver
    _partner_resolver = resolver


def _object_ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk or "")
    if isinstance(obj, tuple):  # ("signalen.signaal", 12): an object that no longer exists
        label, pk = obj
        return str(label), str(pk)
    raise TypeError(f"audit_record: onbekend object {obj!r}")


def audit_record(
    *,
    door,
    actie: str,
    object=None,  # noqa: A002 - the BIO word
    resultaat: str = Resultaat.GELUKT,
    details: dict | None = None,
    team_id: int | None = None,
) -> AuditRegel:
    """Append one audit row: who (person or system job, with their partner in the team), what
    action on which object, the result, where from (page, admin, task, command; with IP) and when.

    Call it inside the service's transaction so the row commits or rolls back with the change.
    `details` must not hold personal data beyond ids (no names, addresses or free text of residents).
    """
    require_actor(door)
    object_type, object_id = _object_ref(object)
    origin = current_origin()
    if isinstance(door, SystemActor):
        user, label, partner = None, str(door), ""
    else:
        user, label = door, door.email
        partner = _partner_resolver(door, team_id) if _partner_resolver and team_id else ""
    return AuditRegel.objects.create(
        door=user,
        door_label=label[:254],
        door_partner=(partner or "")[:200],
        team_id=team_id,
        herkomst=origin.herkomst,
        ip=origin.ip,
        actie=actie,
        object_type=object_type,
        object_id=object_id,
        resultaat=resultaat,
        details=details or {},
    )
