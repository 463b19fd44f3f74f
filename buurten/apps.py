from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuurtenConfig(AppConfig):
    name = "buurten"
    verbose_name = _("Buurten en teams")

    def ready(self) -> None:
        from buurten.emails import register_emails

        register_emails()

        from audit.services import register_partner_resolver

        from .selectors.teams import partner_names_for_user_in_team

        # Audit rows name the actor's partner in the team.
        register_partner_resolver(
            lambda user, team_id: partner_names_for_user_in_team(user=user, team_id=team_id)
        )
