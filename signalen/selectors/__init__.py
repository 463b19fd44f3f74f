"""Reads of signals, as in buurten: one module per subject, the shared names re-exported here.

- `signalen.selectors.signalen`: the access rule for signals (`signaal_list_for_user`) and the reads
  that pages, the admin, services and tasks share.
- `signalen.selectors.doorzettingen`: forwarded signals (`doorzettingen_te_laat`: the overdue ones).
- `signalen.selectors.pages`: reads that only the pages need (the filtered list, map GeoJSON, one
  signal with its support and history, walks, the dashboard).
"""

from .doorzettingen import doorzettingen_for_signaal, doorzettingen_te_laat
from .signalen import (
    EARTH_RADIUS_M,
    actors_for_user,
    coordinator_emails,
    coordinator_emails_by_team,
    distance_m,
    signaal_get_for_user,
    signaal_list_for_user,
    signaal_nearby,
    signaal_waits_for_second_factor,
    statuswijzigingen_for_signaal,
    steun_list_for_signaal,
    user_is_coordinator,
    user_is_member,
)

__all__ = [
    "EARTH_RADIUS_M",
    "actors_for_user",
    "coordinator_emails",
    "coordinator_emails_by_team",
    "distance_m",
    "doorzettingen_for_signaal",
    "doorzettingen_te_laat",
    "signaal_get_for_user",
    "signaal_waits_for_second_factor",
    "signaal_list_for_user",
    "signaal_nearby",
    "statuswijzigingen_for_signaal",
    "steun_list_for_signaal",
    "user_is_coordinator",
    "user_is_member",
]
