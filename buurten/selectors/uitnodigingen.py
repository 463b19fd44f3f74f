"""Reads of invitations for the coordinator's invite page."""

from django.db.models import QuerySet
from django.utils import timezone

from buurten.models import Team, Uitnodiging


def uitnodiging_list_open_for_team(*, team: Team) -> QuerySet[Uitnodiging]:
    """Invitations of `team` that can still be accepted, newest first."""
    return (
        Uitnodiging.objects.filter(team=team, geaccepteerd_at__isnull=True, verloopt_at__gt=timezone.now())
        .select_related("partner", "uitgenodigd_door")
        .order_by("-created_at")
    )
