"""Partners, teams with their commitments, memberships and subgebieden in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Lidmaatschap, Partner, PartnerInzet, Subgebied, Team
from buurten.selectors.teams import sees_all
from buurten.services import partners as partner_services
from buurten.services import teams as team_services
from buurten.widgets import GeoJSONField
from core.forms import add_service_errors

from .access import AccessRuleAdmin, coord_team_ids
from .filters import TeamFilter
from .weigeren import RefusedActionAuditMixin


class PartnerAdminForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["gemeente", "naam", "type", "contact_email"]

    def clean(self):
        data = super().clean()
        try:
            partner_services.partner_clean(
                gemeente=data.get("gemeente"),
                naam=data.get("naam", ""),
                type=data.get("type", ""),
                contact_email=data.get("contact_email", ""),
                partner=self.instance if self.instance.pk else None,
            )
        except ValidationError as exc:
            add_service_errors(self, exc)
        return data

    def _get_validation_exclusions(self):
        # partner_clean checks the name's uniqueness in the gemeente with its own message.
        return super()._get_validation_exclusions() | {"gemeente", "naam"}


@admin.register(Partner)
class PartnerAdmin(RefusedActionAuditMixin, AccessRuleAdmin):
    """Partners are shared by the teams of a gemeente: coordinators view, superusers edit (via services)."""

    form = PartnerAdminForm
    list_display = ["naam", "type", "gemeente", "contact_email"]
    list_filter = ["type", ("gemeente", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["gemeente"]
    search_fields = ["naam", "contact_email"]

    def scope_for_coordinator(self, request, qs):
        gemeente_ids = Team.objects.filter(id__in=coord_team_ids(request)).values("gemeente_id")
        return qs.filter(gemeente_id__in=gemeente_ids)

    def team_id_of(self, obj):
        return None

    def has_delete_permission(self, request, obj=None):
        # Seats, commitments and forwarded signals point at a partner: it is never deleted here.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        waarden = {k: data[k] for k in ("gemeente", "naam", "type", "contact_email")}
        if change:
            partner_services.partner_update(partner=obj, door=request.user, **waarden)
        else:
            obj.pk = partner_services.partner_create(door=request.user, **waarden).pk


# --- teams --------------------------------------------------------------------------------------


class PartnerInzetForm(forms.ModelForm):
    class Meta:
        model = PartnerInzet
        fields = ["partner", "toezegging", "gevraagd"]

    def clean(self):
        data = super().clean()
        team = self.instance.team if self.instance.team_id else getattr(self, "parent_team", None)
        if team is not None and data.get("partner"):
            try:
                team_services.partnerinzet_clean(team=team, partner=data["partner"])
            except ValidationError as exc:
                add_service_errors(self, exc)
        return data


class PartnerInzetInline(admin.TabularInline):
    model = PartnerInzet
    form = PartnerInzetForm
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        partner_field = formset.form.base_fields["partner"]
        if obj is not None:
            partner_field.queryset = Partner.objects.filter(gemeente_id=obj.gemeente_id)
        formset.form.parent_team = obj
        return formset

    def has_view_permission(self, request, obj=None):
        # obj is the team; the inline's own queryset asks without one (and is limited to the team).
        if sees_all(user=request.user):
            return True
        return bool(coord_team_ids(request)) and (obj is None or obj.pk in coord_team_ids(request))

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)


class TeamAdminForm(forms.ModelForm):
    # signalen.admin extends this form and the admin below with the draagvlak and retention settings.

    class Meta:
        model = Team
        fields = [
            "naam",
            "slug",
            "gemeente",
            "buurten",
            "doel",
            "doel_start",
            "doel_evaluatie",
        ]

    def clean(self):
        data = super().clean()
        if "gemeente" in self.fields:  # a superuser's form: the team's place goes through team_clean
            try:
                team_services.team_clean(
                    naam=data.get("naam", ""),
                    slug=data.get("slug", ""),
                    gemeente=data.get("gemeente"),
                    buurten=list(data.get("buurten") or []),
                    team=self.instance if self.instance.pk else None,
                )
            except ValidationError as exc:
                add_service_errors(self, exc)
        try:
            team_services.team_doel_clean(
                doel_start=data.get("doel_start"), doel_evaluatie=data.get("doel_evaluatie")
            )
        except ValidationError as exc:
            add_service_errors(self, exc)
        return data

    def _get_validation_exclusions(self):
        # team_clean checks the short name's uniqueness with its own message.
        return super()._get_validation_exclusions() | {"slug"}


@admin.register(Team)
class TeamAdmin(RefusedActionAuditMixin, AccessRuleAdmin):
    team_id_field = "pk"
    form = TeamAdminForm
    coordinator_can_change = True
    list_display = ["naam", "gemeente", "doel_evaluatie"]
    list_select_related = ["gemeente"]
    search_fields = ["naam", "slug"]
    prepopulated_fields = {"slug": ["naam"]}
    filter_horizontal = ["buurten"]
    inlines = [PartnerInzetInline]
    fieldsets = [
        (None, {"fields": ["naam", "slug", "gemeente", "buurten"]}),
        (_("Gezamenlijk doel"), {"fields": ["doel", "doel_start", "doel_evaluatie"]}),
    ]

    def team_id_of(self, obj):
        return obj.pk

    def scope_for_coordinator(self, request, qs):
        return qs.filter(id__in=coord_team_ids(request))

    def get_readonly_fields(self, request, obj=None):
        if sees_all(user=request.user):
            return []
        # A coordinator manages goal and threshold; the team's place is set by staff.
        return ["naam", "slug", "gemeente", "buurten"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if sees_all(user=request.user) else {}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "buurten":
            kwargs["queryset"] = Buurt.objects.select_related("wijk").order_by("naam")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        # Commitments come once the team exists: only then are its gemeente's partners known.
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # A team holds signals, seats and history: it is never deleted from the admin.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            obj.pk = team_services.team_create(
                door=request.user,
                naam=data["naam"],
                slug=data["slug"],
                gemeente=data["gemeente"],
                buurten=list(data["buurten"]),
            ).pk
        elif sees_all(user=request.user):
            team_services.team_update(
                team=obj,
                door=request.user,
                naam=data["naam"],
                slug=data["slug"],
                gemeente=data["gemeente"],
                buurten=list(data["buurten"]),
            )
        team_services.team_doel_update(
            team=obj,
            door=request.user,
            doel=data["doel"],
            doel_start=data["doel_start"],
            doel_evaluatie=data["doel_evaluatie"],
        )

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): the buurten were set by team_create/team_update.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """Commitments through their services, never the inline's own save."""
        team = form.instance
        # The admin's change message reads these lists, which formset.save() would have filled.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                team_services.partnerinzet_delete(inzet=inline_form.instance, door=request.user)
                formset.deleted_objects.append(inline_form.instance)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            oud = inline_form.instance
            if oud.pk and "partner" in inline_form.changed_data:
                # Another partner on an existing row: the old partner's commitment goes.
                team_services.partnerinzet_delete(
                    inzet=PartnerInzet.objects.get(pk=oud.pk), door=request.user
                )
            row = team_services.partnerinzet_update(
                team=team,
                door=request.user,
                partner=data["partner"],
                toezegging=data.get("toezegging", ""),
                gevraagd=data.get("gevraagd", ""),
            )
            if row is None:
                continue
            if oud.pk == row.pk:
                formset.changed_objects.append((row, inline_form.changed_data))
            else:
                formset.new_objects.append(row)


# --- memberships --------------------------------------------------------------------------------


class LidmaatschapAdminForm(forms.ModelForm):
    class Meta:
        model = Lidmaatschap
        fields = ["user", "team", "partner", "rol"]

    def clean(self):
        data = super().clean()
        try:
            if self.instance.pk:
                if "rol" in data:
                    team_services.lidmaatschap_rol_clean(lidmaatschap=self.instance, rol=data["rol"])
            elif data.get("user") and data.get("team") and data.get("partner"):
                team_services.lidmaatschap_clean(
                    team=data["team"], user=data["user"], partner=data["partner"], rol=data.get("rol")
                )
        except ValidationError as exc:
            add_service_errors(self, exc)
        return data

    def _get_validation_exclusions(self):
        # The seat's uniqueness is checked by lidmaatschap_clean with a clearer message than the
        # database constraint's generic one; the constraint still guards the table.
        return super()._get_validation_exclusions() | {"user", "team", "partner"}


@admin.register(Lidmaatschap)
class LidmaatschapAdmin(RefusedActionAuditMixin, AccessRuleAdmin):
    """Coordinators change roles and remove seats in their teams; new people come by invitation."""

    form = LidmaatschapAdminForm
    coordinator_can_change = True
    coordinator_can_delete = True
    list_display = ["user", "team", "partner", "rol"]
    list_filter = ["rol", "partner__type", TeamFilter]
    list_select_related = ["user", "team", "partner"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "team__naam", "partner__naam"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "team", "partner"] if obj is not None else []

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields if sees_all(user=request.user) else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # each removal goes through the last-coordinator rule
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            team_services.lidmaatschap_update_rol(lidmaatschap=obj, door=request.user, rol=obj.rol)
        else:
            created = team_services.lidmaatschap_create(
                team=obj.team, door=request.user, user=obj.user, partner=obj.partner, rol=obj.rol
            )
            obj.pk = created.pk

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "POST" and self.has_delete_permission(request, obj):
            try:
                team_services.lidmaatschap_delete_clean(lidmaatschap=obj)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:buurten_lidmaatschap_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        team_services.lidmaatschap_delete(lidmaatschap=obj, door=request.user)


# --- subgebieden --------------------------------------------------------------------------------


class SubgebiedAdminForm(forms.ModelForm):
    geometrie = GeoJSONField(label=_("gebied (GeoJSON-polygoon)"), geom_type="Polygon", required=False)

    class Meta:
        model = Subgebied
        fields = ["team", "buurt", "naam", "geometrie"]

    def clean(self):
        data = super().clean()
        if data.get("team") and data.get("buurt"):
            try:
                naam, geom = team_services.subgebied_clean(
                    team=data["team"],
                    buurt=data["buurt"],
                    naam=data.get("naam", ""),
                    geometrie=data.get("geometrie"),
                    exclude_pk=self.instance.pk,
                )
            except ValidationError as exc:
                add_service_errors(self, exc)
            else:
                data["naam"], data["geometrie"] = naam, geom
        return data

    def _get_validation_exclusions(self):
        # subgebied_clean checks the (team, buurt, naam) uniqueness with its own message.
        return super()._get_validation_exclusions() | {"team", "buurt", "naam"}


@admin.register(Subgebied)
class SubgebiedAdmin(RefusedActionAuditMixin, AccessRuleAdmin):
    form = SubgebiedAdminForm
    coordinator_can_change = True
    coordinator_can_add = True
    coordinator_can_delete = True
    list_display = ["naam", "buurt", "team"]
    list_select_related = ["buurt", "team"]
    list_filter = [TeamFilter]
    search_fields = ["naam", "buurt__naam", "buurt__code"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not sees_all(user=request.user):
            if db_field.name == "team":
                kwargs["queryset"] = Team.objects.filter(id__in=coord_team_ids(request))
            elif db_field.name == "buurt":
                kwargs["queryset"] = Buurt.objects.filter(teams__id__in=coord_team_ids(request)).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            team_services.subgebied_update(
                subgebied=Subgebied.objects.select_related("team").get(pk=obj.pk),
                door=request.user,
                buurt=data["buurt"],
                naam=data["naam"],
                geometrie=data["geometrie"],
            )
        else:
            created = team_services.subgebied_create(
                team=data["team"],
                door=request.user,
                buurt=data["buurt"],
                naam=data["naam"],
                geometrie=data["geometrie"],
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        team_services.subgebied_delete(subgebied=obj, door=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("team"):
            team_services.subgebied_delete(subgebied=obj, door=request.user)
