"""The admin for acties: the triage queue with the actions that make acties, and the acties.

Clean layering: signalen's admin cannot import acties, so the triage queue is a proxy model of
Signaal in this app (`acties.models.Triage`, "Triage" in the admin menu) whose admin extends
signalen's SignaalAdmin (columns, filters, small map, and its triage and reject actions) with
"Integraal → nieuwe VBT-actie" and "Koppel aan bestaande actie". Every action calls a service.

An actie's status, history, milestones, updates, residents and notes are read-only here; its
details are changed through `actie_update` and its status through an action that calls
`actie_status_change`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buurten.admin.access import AccessRuleAdmin
from buurten.admin.filters import TeamFilter
from buurten.admin.weigeren import RefusedActionAuditMixin
from buurten.models import Partner, Subgebied
from core.forms import DateInput, add_service_errors
from signalen.admin import ReadOnlyInline, SignaalAdmin, triage_volgorde
from signalen.models import Status

from .forms import KoppelForm, NieuweActieForm
from .models import (
    Actie,
    ActieSignaal,
    ActieStatus,
    ActieStatusWijziging,
    BewonerTrekker,
    Mijlpaal,
    Notitie,
    Triage,
    Voortgangsupdate,
    VoortgangWijziging,
)
from .selectors import triage_queue_for_user
from .services import (
    TERUG_AFGEWEZEN,
    TERUG_TRIAGE,
    actie_create_from_signalen,
    actie_details_clean,
    actie_signalen_koppelen,
    actie_status_change,
    actie_update,
    actie_voortgang,
)


def _fout(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error) or str(_("Dat mag je niet."))


@admin.register(Triage)
class TriageAdmin(SignaalAdmin):
    """Signals waiting for triage in the coördinator's teams: draagvlak bereikt first, then nieuw."""

    list_display = ["titel", "team", "buurt", "thema", "status", "steun", "leeftijd", "kanaal"]
    list_filter = [
        "status",
        ("thema", admin.RelatedOnlyFieldListFilter),
        ("buurt", admin.RelatedOnlyFieldListFilter),
        "kanaal",
        TeamFilter,
    ]
    date_hierarchy = None
    actions = ["nieuwe_actie_action", "koppel_action", "triage_action", "afwijzen_action"]

    def get_queryset(self, request):
        wachtend = triage_queue_for_user(user=request.user).values("pk")
        return (
            Triage.objects.filter(pk__in=wachtend)
            .select_related("team", "thema", "buurt", "subgebied", "doorgezet_naar")
            .annotate(triage_volgorde=triage_volgorde())
        )

    @admin.action(description=_("Integraal → nieuwe VBT-actie"))
    def nieuwe_actie_action(self, request, queryset):
        signalen = self._selected_for_coordinator(request, queryset)
        if not signalen:
            return None
        gemeente_ids = {s.team.gemeente_id for s in signalen}
        if "toepassen" in request.POST:
            form = NieuweActieForm(request.POST, gemeente_ids=gemeente_ids)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    actie = actie_create_from_signalen(
                        signalen=signalen,
                        titel=data["titel"],
                        omschrijving=data["omschrijving"],
                        trekker=data["trekker"],
                        partners=list(data["partners"]),
                        start=data["start"],
                        eind=data["eind"],
                        door=request.user,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                except PermissionDenied as error:
                    self.message_user(request, _fout(error), messages.ERROR)
                    return None
                else:
                    self.message_user(
                        request,
                        _("VBT-actie ‘%(titel)s’ gemaakt van %(aantal)s signaal/signalen.")
                        % {"titel": actie.titel, "aantal": len(signalen)},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:acties_actie_change", args=[actie.pk]))
        else:
            form = NieuweActieForm(gemeente_ids=gemeente_ids, initial={"titel": signalen[0].titel})
        return self._intermediate(request, signalen, form, _("Nieuwe VBT-actie"), "nieuwe_actie_action")

    @admin.action(description=_("Koppel aan bestaande actie"))
    def koppel_action(self, request, queryset):
        signalen = self._selected_for_coordinator(request, queryset)
        if not signalen:
            return None
        team_ids = {s.team_id for s in signalen}
        if "toepassen" in request.POST:
            form = KoppelForm(request.POST, team_ids=team_ids)
            if form.is_valid():
                try:
                    actie = actie_signalen_koppelen(
                        actie=form.cleaned_data["actie"], signalen=signalen, door=request.user
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                except PermissionDenied as error:
                    self.message_user(request, _fout(error), messages.ERROR)
                    return None
                else:
                    self.message_user(
                        request,
                        _("%(aantal)s signaal/signalen gekoppeld aan ‘%(titel)s’.")
                        % {"aantal": len(signalen), "titel": actie.titel},
                        messages.SUCCESS,
                    )
                    return None
        else:
            form = KoppelForm(team_ids=team_ids)
        return self._intermediate(request, signalen, form, _("Koppel aan bestaande actie"), "koppel_action")


# --- acties -------------------------------------------------------------------------------------


class ActieSignaalInline(ReadOnlyInline):
    model = ActieSignaal
    verbose_name_plural = _("gekoppelde signalen")
    fields = ["signaal", "status", "steun_huishoudens", "steun_anoniem", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.signaal.get_status_display()

    @admin.display(description=_("huishoudens"))
    def steun_huishoudens(self, obj):
        return obj.signaal.steun_huishoudens

    @admin.display(description=_("anoniem"))
    def steun_anoniem(self, obj):
        return obj.signaal.steun_anoniem

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("signaal")


class MijlpaalInline(ReadOnlyInline):
    model = Mijlpaal
    fields = ["titel", "gewicht", "gedaan_at"]
    readonly_fields = fields


class VoortgangsupdateInline(ReadOnlyInline):
    model = Voortgangsupdate
    fields = ["datum", "tekst", "partner", "foto"]
    readonly_fields = fields


class BewonerTrekkerInline(ReadOnlyInline):
    model = BewonerTrekker
    fields = ["aantal", "voornaam", "email", "toestemming", "created_at"]
    readonly_fields = fields


class NotitieInline(ReadOnlyInline):
    model = Notitie
    fields = ["created_at", "tekst", "alleen_partner", "door"]
    readonly_fields = fields


class ActieStatusWijzigingInline(ReadOnlyInline):
    model = ActieStatusWijziging
    fields = ["created_at", "van", "naar", "partner", "door", "reden"]
    readonly_fields = fields


class VoortgangWijzigingInline(ReadOnlyInline):
    model = VoortgangWijziging
    fields = ["created_at", "van", "naar", "door", "reden"]
    readonly_fields = fields


class ActieAdminForm(forms.ModelForm):
    class Meta:
        model = Actie
        fields = ["titel", "omschrijving", "trekker", "partners", "start", "eind", "subgebied"]
        widgets = {"start": DateInput(), "eind": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        team = self.instance.team if self.instance.pk else None
        if team is not None:
            partners = Partner.objects.filter(gemeente_id=team.gemeente_id).order_by("naam")
            self.fields["trekker"].queryset = partners
            self.fields["partners"].queryset = partners
            self.fields["subgebied"].queryset = Subgebied.objects.filter(team=team).order_by("naam")

    def clean(self):
        data = super().clean()
        try:
            actie_details_clean(
                team=self.instance.team,
                titel=data.get("titel") or "",
                trekker=data.get("trekker"),
                partners=list(data.get("partners") or []),
                start=data.get("start"),
                eind=data.get("eind"),
                subgebied=data.get("subgebied"),
            )
        except ValidationError as error:
            add_service_errors(self, error)
        return data

    def _get_validation_exclusions(self):
        # actie_details_clean says it in Dutch; the database's check is the last guard.
        return super()._get_validation_exclusions() | {"start", "eind"}


class StatusForm(forms.Form):
    naar = forms.ChoiceField(label=_("Nieuwe status"), choices=ActieStatus.choices)
    reden = forms.CharField(
        label=_("Openbare reden (bij stoppen of heropenen)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    signalen_terug = forms.ChoiceField(
        label=_("Bij stoppen: de open signalen"),
        choices=[
            (TERUG_TRIAGE, _("terug naar de triage")),
            (TERUG_AFGEWEZEN, _("afwijzen met de openbare reden")),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Per signaal kiezen kan op de pagina van de actie."),
    )


@admin.register(Actie)
class ActieAdmin(RefusedActionAuditMixin, AccessRuleAdmin):
    form = ActieAdminForm
    coordinator_can_change = True
    list_display = [
        "titel",
        "team",
        "buurt",
        "status",
        "trekker",
        "voortgang",
        "bewoners_aantal",
        "start",
        "eind",
    ]
    list_filter = [
        "status",
        TeamFilter,
        ("buurt", admin.RelatedOnlyFieldListFilter),
        ("trekker", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["titel", "omschrijving"]
    readonly_fields = [
        "team",
        "buurt",
        "status",
        "status_gewijzigd_at",
        "in_uitvoering_at",
        "afgerond_at",
        "publieke_reden",
        "voortgang",
        "bewoners_aantal",
        "created_by",
        "created_at",
    ]
    inlines = [
        ActieSignaalInline,
        MijlpaalInline,
        VoortgangsupdateInline,
        BewonerTrekkerInline,
        NotitieInline,
        ActieStatusWijzigingInline,
        VoortgangWijzigingInline,
    ]
    actions = ["status_action"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("team", "buurt", "trekker", "subgebied", "created_by")
            .prefetch_related("mijlpalen")
        )

    def get_fields(self, request, obj=None):
        return [*ActieAdminForm.Meta.fields, *self.readonly_fields]

    def has_add_permission(self, request, *args):
        return False  # an actie is made from signals: the triage queue's action

    def has_delete_permission(self, request, obj=None):
        return False  # stopped, never deleted: the buurt keeps its history

    @admin.display(description=_("voortgang"))
    def voortgang(self, obj):
        return f"{actie_voortgang(obj)}%"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        actie_update(
            actie=obj,
            titel=data["titel"],
            omschrijving=data["omschrijving"],
            trekker=data["trekker"],
            partners=list(data["partners"]),
            start=data["start"],
            eind=data["eind"],
            subgebied=data["subgebied"],
            door=request.user,
        )

    def save_related(self, request, form, formsets, change):
        # actie_update set the partners (no save_m2m); the read-only inlines save nothing.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Wijzig de status"))
    def status_action(self, request, queryset):
        acties = list(queryset)
        if "toepassen" in request.POST:
            form = StatusForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                done = 0
                for actie in acties:
                    keuzes = None
                    if data["naar"] == ActieStatus.GESTOPT and data["signalen_terug"]:
                        open_ids = actie.koppelingen.filter(
                            signaal__status__in=[Status.GETRIEERD, Status.IN_ACTIE]
                        ).values_list("signaal_id", flat=True)
                        keuzes = dict.fromkeys(open_ids, data["signalen_terug"])
                    try:
                        actie_status_change(
                            actie=actie,
                            naar=data["naar"],
                            door=request.user,
                            reden=data["reden"],
                            signalen_terug=keuzes,
                        )
                        done += 1
                    except (ValidationError, PermissionDenied) as error:
                        self.message_user(request, f"{actie.titel}: {_fout(error)}", messages.ERROR)
                if done:
                    self.message_user(
                        request,
                        _("Status van %(aantal)s actie(s) gewijzigd.") % {"aantal": done},
                        messages.SUCCESS,
                    )
                return None
        else:
            form = StatusForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Status van acties wijzigen"),
            "form": form,
            "signalen": acties,
            "action": "status_action",
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/acties/actie/status_formulier.html", context)
