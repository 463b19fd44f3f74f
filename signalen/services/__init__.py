"""Everything that changes signals, street walks and support. Views, admin actions, commands
and tasks call these; none of them repeats a rule.

- `signalen.services.signalen`: signaal_log, wijkronde_create, thema_seed_defaults
- `signalen.services.instellingen`: team_instellingen_update (threshold, weight, window, retention)
- `signalen.services.steun`: steun_register, steun_register_anoniem, steun_withdraw,
  steun_herberekenen_team
- `signalen.services.huishouden`: huishouden_hash (postcode + huisnummer → keyed hash)
- `signalen.services.status`: signaal_status_change (the only status change), signaal_triage
- `signalen.services.doorzetten`: a forward's follow-up (doorzetting_beantwoorden, the partner's
  signed link, doorzettingen_herinneren)
- `signalen.services.tally`: signalen_tally (the support tally and the draagvlak threshold)
- `signalen.services.bewaren`: signalen_purge_expired (retention: closed signals past the team's term)
- `signalen.services.inzage`: signaal_vertrouwelijk_gelezen, signalen_export_record (audited reads)
- `signalen.services.themas`: thema_create, thema_update (a superuser's, in the admin)
- `signalen.services.verwijderen`: signaal_delete (a signal removed by hand, photo files included)

Every service takes `door` (a User, or a `core.actors.SystemActor` for the tally, the retention
job, commands and the demo) and writes its audit row (`audit.services.audit_record`) in its
transaction.

Bad input raises django.core.exceptions.ValidationError with a Dutch message per field
(`error_dict`; "__all__" for the whole form), so a form can `add_error(None, e)`; the wrong
person raises PermissionDenied. Nothing is written in either case.
"""

from .bewaren import PurgeResult, signalen_purge_expired
from .huishouden import huishouden_hash
from .instellingen import team_instellingen_clean, team_instellingen_update
from .inzage import signaal_vertrouwelijk_gelezen, signalen_export_record
from .signalen import DEFAULT_THEMAS, signaal_log, thema_seed_defaults, wijkronde_create
from .status import signaal_status_change, signaal_triage
from .steun import steun_herberekenen_team, steun_register, steun_register_anoniem, steun_withdraw
from .tally import TallyResult, signalen_tally
from .verwijderen import VerwijderReden, signaal_delete

__all__ = [
    "DEFAULT_THEMAS",
    "PurgeResult",
    "TallyResult",
    "VerwijderReden",
    "huishouden_hash",
    "signaal_delete",
    "signaal_log",
    "signaal_status_change",
    "signaal_triage",
    "signaal_vertrouwelijk_gelezen",
    "signalen_export_record",
    "signalen_purge_expired",
    "signalen_tally",
    "steun_herberekenen_team",
    "steun_register",
    "steun_register_anoniem",
    "steun_withdraw",
    "team_instellingen_clean",
    "team_instellingen_update",
    "thema_seed_defaults",
    "wijkronde_create",
]
