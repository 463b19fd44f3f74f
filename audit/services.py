"""Writing the audit log: `audit_record`, called by every service inside its own transaction.

Batch services (the tally, the retention purge) build rows with `audit_row` and write them in one
statement with `audit_record_many`. A refused access (404/403 by the access rule) is
`audit_refused`.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from core.actors import SystemActor, require_actor

from .context import current_origin
from .models import AuditRegel, Resultaat

# Higher apps tell the audit log how to name an actor's partner in a team (buurten registers it
# in its AppConfig.ready) and which teams' rows a person may read in the admin (buurten's admin
# registers it), so that this app imports nothing above it.
_partner_resolver: Callable[[Any, int | None], str] | None = None
_team_scope: Callable[[Any], Any] | None = None


def register_partner_resolver(resolver: Callable[[Any, int | None], str]) -> None:
    """`resolver(user, team_id)` names the partner(s) the person sits in that team for."""
    global _partner_resolver
    _partner_resolver = resolver


def register_team_scope(scope: Callable[[Any], Any]) -> None:
    """`scope(request)` gives the ids of the teams whose audit rows the (non-superuser) person of
    an admin request may read, as a set (it may cache them on the request)."""
    global _team_scope
    _team_scope = scope


def team_scope_for(request) -> set[int]:
    """Ids of the teams whose audit rows the admin request's person may read; none without a scope."""
    if _team_scope is None:
        return set()
    return set(_team_scope(request))


def _object_ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk or "")
    if isinstance(obj, tuple):  # ("signalen.signaal", 12): an object that no longer exists
        label, pk = obj
        return str(label), str(pk)
    raise TypeError(f"audit_record: onbekend object {obj!r}")


def _actor(door, team_id: int | None) -> tuple[Any, str, str]:
    """(user or None, label, partner) of an actor."""
    if isinstance(door, SystemActor):
        return None, str(door), ""
    if not getattr(door, "is_authenticated", False):
        # An anonymous visitor (a refused page, an invitation link): no account to name.
        return None, "anoniem", ""
    partner = _partner_resolver(door, team_id) if _partner_resolver and team_id else ""
    return door, door.email, partner


def audit_row(
    *,
    door,
    actie: str,
    object=None,  # noqa: A002 - the BIO word
    resultaat: str = Resultaat.GELUKT,
    details: dict | None = None,
    team_id: int | None = None,
) -> AuditRegel:
    """An unsaved audit row, as `audit_record` would write it (for `audit_record_many`)."""
    require_actor(door)
    object_type, object_id = _object_ref(object)
    origin = current_origin()
    user, label, partner = _actor(door, team_id)
    return AuditRegel(
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
    row = audit_row(
        door=door, actie=actie, object=object, resultaat=resultaat, details=details, team_id=team_id
    )
    row.save(force_insert=True)
    return row


def audit_record_many(rows: Iterable[AuditRegel]) -> list[AuditRegel]:
    """Append rows built by `audit_row` in one INSERT (batched only where SQLite needs it)."""
    rows = list(rows)
    if not rows:
        return rows
    return AuditRegel.objects.bulk_create(rows)


def audit_refused(
    *,
    door,
    object,  # noqa: A002 - the BIO word
    status: int = 404,
    team_id: int | None = None,
) -> AuditRegel | None:
    """Record that `door` was refused access to `object` (`status` 404 or 403 of the access rule).

    Written at once (autocommit on a page), so it stays when the request ends in an error page.
    An anonymous visitor is not recorded: the login page, not the access rule, answers them.
    """
    if door is None or not getattr(door, "is_authenticated", False):
        return None
    return audit_record(
        door=door,
        actie="toegang.geweigerd",
        object=object,
        resultaat=Resultaat.GEWEIGERD,
        details={"status": status},
        team_id=team_id,
    )
