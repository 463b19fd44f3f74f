"""The team-scoped admin base: superusers as usual, team managers only for their own teams.

core knows no teams: a subclass names the access rule through three hooks, `sees_all(request)`,
`managed_team_ids(request)` (the teams the staff member manages: they open the admin, and may
change there what the flags allow) and `visible_team_ids(request)` (the teams whose rows they see;
the managed ones unless the subclass says otherwise). `buurten.admin.access.AccessRuleAdmin` binds
them to buurten's access rule; every model admin of the apps builds on that.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from core.forms import ModelMultipleChoiceField

# No admin page edits more rows at once than this: a formset builds one form per row the browser
# claims (`inzet-TOTAL_FORMS=2147483648`), and Django's own cap is 1000 beyond max_num.
FORMSET_MAX_FORMS = 100

ONGELDIGE_SELECTIE = _("De selectie is ongeldig: kies de regels opnieuw. Er is niets gewijzigd.")


class BadInputAdminMixin:
    """Every ModelAdmin of VBT builds on this: bad selections, formset counts and ids end in a message.

    Django filters `pk__in` with whatever `_selected_action` holds, so `abc` is a ValueError and
    10**20 an OverflowError (a 500); and a formset builds as many forms as `<prefix>-TOTAL_FORMS`
    says, up to `absolute_max`.
    """

    def response_action(self, request, queryset):
        pk_field = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                if "\x00" in value:  # PostgreSQL refuses it in any text
                    raise ValidationError("NUL")
                # The validators hold the database's integer range: 10**20 overflows the query.
                pk_field.run_validators(pk_field.to_python(value))
        except ValidationError:
            self.message_user(request, ONGELDIGE_SELECTIE, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Django's multiple choice sends an id beyond the integer range to the database, where
        # SQLite answers with an OverflowError (a 500; found by tests/fuzz): refuse it as invalid.
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield _capped(formset, inline.max_num), inline

    def get_changelist_formset(self, request, **kwargs):
        return _capped(super().get_changelist_formset(request, **kwargs), None)


class _CappedFormSet:
    """A formset told of more forms than `absolute_max` builds only the rows that exist (bounded too).

    Its full_clean() still refuses the request with Django's "at most N forms" error, so building
    the extra empty forms (and rendering them again on the error page) would only cost time.
    """

    def total_form_count(self) -> int:
        if self.is_bound:
            claimed = self.management_form.cleaned_data.get(TOTAL_FORM_COUNT, 0)
            if claimed > self.absolute_max:
                return min(self.initial_form_count(), self.absolute_max)
        return super().total_form_count()


def _capped(formset: Any, max_num: int | None) -> Any:
    absolute_max = min(formset.absolute_max, max(FORMSET_MAX_FORMS, max_num or 0))
    return type(formset.__name__, (_CappedFormSet, formset), {"absolute_max": absolute_max})


class TeamScopedAdmin(BadInputAdminMixin, admin.ModelAdmin):
    """Superusers as usual; team managers by the subclass's access rule, per object through `team_id_of`."""

    coordinator_can_view = True
    coordinator_can_change = False
    coordinator_can_add = False
    coordinator_can_delete = False

    # --- the access rule, named by the subclass -------------------------------------------------

    def sees_all(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def managed_team_ids(self, request) -> Collection[int]:
        return ()

    def visible_team_ids(self, request) -> Any:
        """Ids of the teams whose rows the person sees: a collection or a lazy queryset of ids."""
        return self.managed_team_ids(request)

    # --- built on it -----------------------------------------------------------------------------

    def is_team_manager(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and self.managed_team_ids(request))

    def team_id_of(self, obj) -> int | None:
        """The team an object belongs to; None lets the queryset decide (objects outside one team)."""
        return getattr(obj, "team_id", None)

    def scope_for_coordinator(self, request, qs):
        return qs.filter(team_id__in=self.visible_team_ids(request))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.sees_all(request):
            return qs
        if not self.is_team_manager(request):
            return qs.none()
        return self.scope_for_coordinator(request, qs)

    def _in_scope(self, request, obj) -> bool:
        if obj is None:
            return True
        team_id = self.team_id_of(obj)
        if team_id is None:
            return self.get_queryset(request).filter(pk=obj.pk).exists()
        return team_id in self.managed_team_ids(request)

    def _coordinator_may(self, request, obj, flag: bool) -> bool:
        return flag and self.is_team_manager(request) and self._in_scope(request, obj)

    def has_module_permission(self, request):
        return self.sees_all(request) or (self.coordinator_can_view and self.is_team_manager(request))

    def has_view_permission(self, request, obj=None):
        if self.sees_all(request):
            return True
        return self._coordinator_may(request, obj, self.coordinator_can_view)

    def has_change_permission(self, request, obj=None):
        if self.sees_all(request):
            return True
        return self._coordinator_may(request, obj, self.coordinator_can_change)

    def has_add_permission(self, request, *args):
        if self.sees_all(request):
            return True
        return self.coordinator_can_add and self.is_team_manager(request)

    def has_delete_permission(self, request, obj=None):
        if self.sees_all(request):
            return True
        return self._coordinator_may(request, obj, self.coordinator_can_delete)


def guard_admin_site(site: admin.AdminSite) -> None:
    """Put BadInputAdminMixin under every registered ModelAdmin that lacks it (Django's and allauth's)."""
    for model_admin in site._registry.values():
        cls = type(model_admin)
        if not isinstance(model_admin, BadInputAdminMixin):
            guarded = type(cls.__name__, (BadInputAdminMixin, cls), {"__module__": cls.__module__})
            model_admin.__class__ = guarded
