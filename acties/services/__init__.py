"""Everything that changes acties. Views, admin actions, commands and tasks call these; none of
them repeats a rule.

- `acties.services.acties`: actie_create_from_signalen, actie_signalen_koppelen, actie_update
- `acties.services.status`: actie_status_change (the only status change; the signals follow)
- `acties.services.voortgang`: mijlpaal_add, mijlpaal_afvinken, actie_voortgang,
  actie_voortgang_zetten, voortgangsupdate_post
- `acties.services.bewoners`: bewoners_add, bewoner_remove, notitie_add
- `acties.services._access`: who may do what (`actors_for_actie`, coördinator or betrokken)

Every service takes `door` and writes its audit row in its transaction. Bad input raises
ValidationError with a Dutch message per field; the wrong person PermissionDenied; nothing is
written in either case.
"""

from ._access import actors_for_actie, partner_for
from .acties import actie_create_from_signalen, actie_details_clean, actie_signalen_koppelen, actie_update
from .bewoners import bewoner_remove, bewoners_add, notitie_add
from .status import TERUG_AFGEWEZEN, TERUG_TRIAGE, actie_status_change
from .voortgang import (
    actie_voortgang,
    actie_voortgang_zetten,
    mijlpaal_add,
    mijlpaal_afvinken,
    voortgangsupdate_post,
)

__all__ = [
    "TERUG_AFGEWEZEN",
    "TERUG_TRIAGE",
    "actie_create_from_signalen",
    "actie_details_clean",
    "actie_signalen_koppelen",
    "actie_status_change",
    "actie_update",
    "actie_voortgang",
    "actie_voortgang_zetten",
    "actors_for_actie",
    "bewoner_remove",
    "bewoners_add",
    "mijlpaal_add",
    "mijlpaal_afvinken",
    "notitie_add",
    "partner_for",
    "voortgangsupdate_post",
]
