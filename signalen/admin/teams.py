"""The team admin of buurten, extended with the draagvlak and retention settings signalen owns.

The threshold, anonymous weight, support window and retention term are stored on `Team` but are
signalen rules: their fieldset, their check and their service (which recounts) live here. A team
added here gets its gemeente's default themas, which logging a signal needs.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from buurten.admin.teams import TeamAdmin, TeamAdminForm
from buurten.models import Team
from core.forms import add_service_errors

from ..forms import TeamInstellingenForm
from ..services.instellingen import team_instellingen_clean, team_instellingen_update
from ..services.signalen import thema_seed_defaults

INSTELLINGEN = [
    "drempel_huishoudens",
    "anoniem_gewicht",
    "steun_venster_maanden",
    "bewaartermijn_maanden",
    "inactief_termijn_maanden",
    "route_bewaartermijn_maanden",
]


class TeamMetInstellingenForm(TeamAdminForm, TeamInstellingenForm):
    # The settings fields are the team page's own (plain fields), so the service's message is the
    # one a person reads here too, not Django's generic minimum.

    class Meta(TeamAdminForm.Meta):
        fields = [*TeamAdminForm.Meta.fields, *INSTELLINGEN]

    def clean(self):
        data = super().clean()
        if any(veld not in data for veld in INSTELLINGEN):
            return data  # a field's own range message already says what is wrong
        try:
            team_instellingen_clean(**{veld: data[veld] for veld in INSTELLINGEN})
        except ValidationError as exc:
            add_service_errors(self, exc)
        return data


admin.site.unregister(Team)


@admin.register(Team)
class TeamMetInstellingenAdmin(TeamAdmin):
    form = TeamMetInstellingenForm
    list_display = ["naam", "gemeente", "drempel_huishoudens", "doel_evaluatie"]
    fieldsets = [*TeamAdmin.fieldsets, (_("Draagvlak en bewaren"), {"fields": INSTELLINGEN})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # team_create / team_update and the goal
        team_instellingen_update(
            team=obj, door=request.user, **{veld: form.cleaned_data[veld] for veld in INSTELLINGEN}
        )
        if not change:
            # A team in a gemeente imported since has no themas yet: logging a signal needs them.
            thema_seed_defaults(gemeente=obj.gemeente, door=request.user)
