"""Reads of places, teams and access that pages, commands and tasks share.

One module per subdomain; the names pages use are re-exported here.
"""

from .gebieden import buurt_for_point, buurt_ids_for_points
from .teams import (
    buurt_list_for_user,
    coordinates_any_team,
    coordinator_team_ids_for_user,
    is_coordinator,
    is_member,
    lidmaatschap_for,
    lidmaatschap_list_for_user,
    partner_list_for_user,
    second_factor_pending,
    sees_all,
    subgebied_list_for_user,
    team_detail_for_user,
    team_get_for_coordinator,
    team_get_for_user,
    team_ids_for_user,
    team_list_for_coordinator,
    team_list_for_user,
)

__all__ = [
    "buurt_for_point",
    "buurt_ids_for_points",
    "buurt_list_for_user",
    "coordinates_any_team",
    "coordinator_team_ids_for_user",
    "is_coordinator",
    "is_member",
    "lidmaatschap_for",
    "lidmaatschap_list_for_user",
    "partner_list_for_user",
    "second_factor_pending",
    "sees_all",
    "subgebied_list_for_user",
    "team_detail_for_user",
    "team_get_for_coordinator",
    "team_get_for_user",
    "team_ids_for_user",
    "team_list_for_coordinator",
    "team_list_for_user",
]
