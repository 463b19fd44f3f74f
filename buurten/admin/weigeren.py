"""Refusing, and auditing, an admin action whose POST names another team's rows.

`audit.admin.RefusedAccessAuditMixin` (on every `AccessRuleAdmin`) audits opening another team's
change, delete or history page. An action is the other way in: the changelist's querysets hide
other teams' rows, so Django would silently drop such ids and act on the rest. Here any such id
stops the whole action (no half-done batch), says so, and leaves one audit row per refused row.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import FieldError, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from audit.services import audit_refused

NIET_VAN_JOU = _("Dit hoort bij een team dat je niet beheert; er is niets gewijzigd.")


class RefusedActionAuditMixin:
    """For a ModelAdmin whose `get_queryset` is scoped by the access rule; `team_id_field` (as on
    `audit.admin.RefusedAccessAuditMixin`) names how a row reaches its team."""

    team_id_field = "team_id"

    def _outside_scope(self, request, pks) -> list[tuple[object, int | None]]:
        """(pk, team id) of rows with these pks that exist but are not in the person's queryset."""
        clean = []
        pk_field = self.model._meta.pk
        for pk in pks:
            if "\x00" in pk:  # a bad selection: BadInputAdminMixin refuses it with its own message
                continue
            try:
                value = pk_field.to_python(pk)
                pk_field.run_validators(value)  # the database's integer range
            except ValidationError:
                continue
            clean.append(value)
        zichtbaar = set(self.get_queryset(request).filter(pk__in=clean).values_list("pk", flat=True))
        verborgen = [pk for pk in clean if pk not in zichtbaar]
        if not verborgen:
            return []
        rows = self.model._default_manager.filter(pk__in=verborgen)
        try:
            return list(rows.values_list("pk", self.team_id_field))
        except FieldError:  # a row outside any team (a partner of another gemeente)
            return [(pk, None) for pk in rows.values_list("pk", flat=True)]

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        refused = self._outside_scope(request, selected) if selected else []
        if refused:
            label = self.model._meta.label_lower
            for pk, team_id in refused:
                audit_refused(door=request.user, object=(label, pk), status=403, team_id=team_id)
            self.message_user(request, NIET_VAN_JOU, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)
