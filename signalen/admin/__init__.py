"""The admin for signalen: where coördinatoren triage (the issue's flow) and see support.

Every queryset goes through the access selectors, so a coördinator sees only their own
teams; statuses and tally figures are read-only, and every change is an admin action that
calls a service (triage, reject, withdraw support, delete a signal). The admin's own delete is
off: deleting a signal is `signaal_delete` (photo files and audit row included), support is
withdrawn (`steun_withdraw`, which marks the signal for recount), never deleted. Nothing here
repeats a rule.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from buurten.admin.access import AccessRuleAdmin, is_admin_coordinator
from buurten.admin.filters import TeamFilter, team_filter
from buurten.admin.weigeren import RefusedActionAuditMixin
from buurten.models import Partner
from buurten.selectors import sees_all, team_ids_for_user
from buurten.widgets import kaart_config
from core.admin import BadInputAdminMixin
from core.forms import add_service_errors
from core.geojson import feature_collection, point

from ..forms import DoorzetAntwoordForm, OpvolgenWerkdagenField
from ..models import (
    Doorzetting,
    Signaal,
    Status,
    StatusWijziging,
    Steunbetuiging,
    Thema,
    TriageUitkomst,
    Wijkronde,
)
from ..selectors import signaal_list_for_user, user_is_coordinator
from ..services import (
    VerwijderReden,
    signaal_delete,
    signaal_status_change,
    signaal_triage,
    signaal_vertrouwelijk_gelezen,
    steun_withdraw,
    themas,
)
from ..services.doorzetten import doorzetting_beantwoorden
from . import avg, teams  # noqa: F401  the team admin with signalen's settings; the AVG export


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error) or str(_("Dat mag je niet."))


def admin_user(request) -> bool:
    """Who may open these admin pages at all: a superuser or a coördinator (as in buurten's admin)."""
    return sees_all(user=request.user) or is_admin_coordinator(request)


class ViewOnlyTeamAdmin(AccessRuleAdmin):
    """View-only rows of the teams the person is in; the rule is the access selectors', not Django's
    model permissions. Changes happen only through admin actions that call services."""

    def visible_team_ids(self, request):
        return team_ids_for_user(user=request.user)

    def team_id_of(self, obj):
        return None  # the queryset (the access selectors) decides which rows may be opened

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Not even for a superuser: a delete is a service (an admin action), never the admin's own.
        return False


class ThemaAdminForm(forms.ModelForm):
    class Meta:
        model = Thema
        fields = ["gemeente", "naam", "actief"]

    def clean(self):
        data = super().clean()
        try:
            themas.thema_clean(
                gemeente=data.get("gemeente"),
                naam=data.get("naam", ""),
                thema=self.instance if self.instance.pk else None,
            )
        except ValidationError as error:
            add_service_errors(self, error)
        return data

    def _get_validation_exclusions(self):
        # thema_clean checks the name's uniqueness in the gemeente with its own message.
        return super()._get_validation_exclusions() | {"gemeente", "naam"}


@admin.register(Thema)
class ThemaAdmin(BadInputAdminMixin, admin.ModelAdmin):
    form = ThemaAdminForm
    list_display = ["naam", "gemeente", "actief"]
    list_filter = ["actief", ("gemeente", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["naam"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("gemeente")
        if sees_all(user=request.user):
            return qs
        return qs.filter(gemeente__teams__id__in=team_ids_for_user(user=request.user)).distinct()

    def has_module_permission(self, request):
        return admin_user(request)

    def has_view_permission(self, request, obj=None):
        return admin_user(request)

    # Themas belong to the whole gemeente; only a superuser changes the list.
    def has_add_permission(self, request):
        return sees_all(user=request.user)

    def has_change_permission(self, request, obj=None):
        return sees_all(user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # signals keep their thema: switch it off ("actief") instead

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            themas.thema_update(
                thema=obj,
                door=request.user,
                gemeente=data["gemeente"],
                naam=data["naam"],
                actief=data["actief"],
            )
        else:
            obj.pk = themas.thema_create(
                door=request.user, gemeente=data["gemeente"], naam=data["naam"], actief=data["actief"]
            ).pk


class ReadOnlyInline(admin.TabularInline):
    """History and support are shown with a signal, never edited there (services write them)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


class StatusWijzigingInline(ReadOnlyInline):
    model = StatusWijziging
    fields = ["created_at", "van", "naar", "door", "reden"]
    readonly_fields = fields


class SteunInline(ReadOnlyInline):
    model = Steunbetuiging
    # Never the household hash: it is a pseudonym of an address.
    fields = ["datum", "kanaal", "aantal_anoniem", "email_toestemming", "ingetrokken_at"]
    readonly_fields = fields


class DoorzettingInline(ReadOnlyInline):
    model = Doorzetting
    fk_name = "signaal"
    fields = [
        "created_at",
        "partner",
        "opvolgen_op",
        "antwoord",
        "notitie",
        "beantwoord_at",
        "beantwoord_door",
        "herinnerd_at",
        "gesloten_at",
    ]
    readonly_fields = fields


class TriageForm(forms.Form):
    uitkomst = forms.ChoiceField(
        label=_("Uitkomst"), choices=TriageUitkomst.choices, widget=forms.RadioSelect
    )
    partner = forms.ModelChoiceField(
        label=_("Doorzetten naar (bij primaire taak)"), queryset=Partner.objects.none(), required=False
    )
    reden = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opvolgen_werkdagen = OpvolgenWerkdagenField(label=_("Opvolgen na (werkdagen, bij primaire taak)"))

    def __init__(self, *args, gemeente_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(gemeente_id__in=gemeente_ids).order_by(
            "naam"
        )


class VerwijderForm(forms.Form):
    reden = forms.ChoiceField(
        label=_("Waarom verwijderen?"),
        choices=VerwijderReden.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies waarom het signaal wordt verwijderd.")},
        help_text=_(
            "Het signaal verdwijnt met al zijn steun, geschiedenis en foto's; dit is niet terug te draaien."
        ),
    )


class AfwijzenForm(forms.Form):
    reden = forms.CharField(
        label=_("Reden van afwijzen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef een reden op.")},
    )


def triage_volgorde():
    """Draagvlak bereikt first, then nieuw, then the rest: the order of the triage queue."""
    return Case(
        When(status=Status.DRAAGVLAK_BEREIKT, then=Value(0)),
        When(status=Status.NIEUW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


class TriageKolommen:
    """The columns and the small map of the triage queue, shared by the signal admin and the
    acties app's triage admin (which adds the actions that make acties)."""

    @admin.display(description=_("steun (huishoudens / anoniem / drempel)"), ordering="steun_totaal")
    def steun(self, obj):
        return f"{obj.steun_huishoudens} / {obj.steun_anoniem} / {obj.team.drempel_huishoudens}"

    @admin.display(description=_("leeftijd"), ordering="created_at")
    def leeftijd(self, obj):
        dagen = (timezone.now() - obj.created_at).days
        return ngettext("%(n)s dag", "%(n)s dagen", dagen) % {"n": dagen}

    @admin.display(description=_("plek"))
    def kaart(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        element_id = f"signaal-{obj.pk}-kaart"
        return format_html(
            '<div id="{}" class="kaart kaart-klein" role="region" aria-label="{}" data-kaart-weergave '
            'data-kaart-config="{}-config" data-kaart-punten="{}-punten"></div>{}{}<p>{}</p>',
            element_id,
            _("Kaart met de plek van het signaal"),
            element_id,
            element_id,
            json_script(kaart_config(), f"{element_id}-config"),
            json_script(
                feature_collection([(point(lon=obj.lon, lat=obj.lat), {"titel": obj.titel})]),
                f"{element_id}-punten",
            ),
            _("Breedtegraad %(lat)s, lengtegraad %(lon)s.") % {"lat": obj.lat, "lon": obj.lon},
        )

    class Media:
        css = {"all": ["leaflet/leaflet.css", "css/admin_kaart.css"]}
        js = ["leaflet/leaflet.js", "js/kaart.js"]


@admin.register(Signaal)
class SignaalAdmin(TriageKolommen, RefusedActionAuditMixin, ViewOnlyTeamAdmin):
    list_display = [
        "titel",
        "team",
        "buurt",
        "thema",
        "status",
        "steun",
        "leeftijd",
        "kanaal",
        "vertrouwelijk",
    ]
    list_filter = [
        "status",
        ("thema", admin.RelatedOnlyFieldListFilter),
        ("buurt", admin.RelatedOnlyFieldListFilter),
        "kanaal",
        "vertrouwelijk",
        TeamFilter,
    ]
    search_fields = ["titel", "omschrijving", "buurt__naam"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "team",
        "wijkronde",
        "titel",
        "omschrijving",
        "thema",
        "kanaal",
        "kaart",
        "lat",
        "lon",
        "buurt",
        "subgebied",
        "over_persoon",
        "vertrouwelijk",
        "status",
        "status_gewijzigd_at",
        "triage_uitkomst",
        "doorgezet_naar",
        "steun_huishoudens",
        "steun_anoniem",
        "steun_totaal",
        "steun_berekend_at",
        "draagvlak_gemeld_at",
        "created_by",
        "created_at",
    ]
    fields = readonly_fields
    inlines = [DoorzettingInline, SteunInline, StatusWijzigingInline]
    actions = ["triage_action", "partner_antwoord_action", "afwijzen_action", "verwijderen_action"]

    def get_queryset(self, request):
        return signaal_list_for_user(user=request.user).annotate(triage_volgorde=triage_volgorde())

    def get_ordering(self, request):
        # The triage queue's order: draagvlak bereikt first, then nieuw, the longest waiting first.
        return ["triage_volgorde", "created_at"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        signaal = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and response.status_code == 200 and signaal is not None:
            # A confidential signal read in the admin is on record like on its page.
            signaal_vertrouwelijk_gelezen(signaal=signaal, door=request.user)
        return response

    def _selected_for_coordinator(self, request, queryset):
        allowed = [s for s in queryset if user_is_coordinator(user=request.user, team=s.team_id)]
        if len(allowed) < len(queryset):
            self.message_user(
                request,
                _(
                    "Alleen een coördinator van het team kan dit doen; "
                    "signalen van andere teams zijn overgeslagen."
                ),
                messages.WARNING,
            )
        return allowed

    def _run(self, request, signalen, call, done_message):
        done = 0
        for signaal in signalen:
            try:
                call(signaal)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{signaal.titel}: {_error_text(error)}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"aantal": done}, messages.SUCCESS)

    def _intermediate(self, request, queryset, form, title, action):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "signalen": queryset,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/signalen/signaal/actie_formulier.html", context)

    @admin.action(description=_("Trieer: integraal of primaire taak"))
    def triage_action(self, request, queryset):
        signalen = self._selected_for_coordinator(request, queryset)
        if not signalen:
            return None
        gemeente_ids = {s.team.gemeente_id for s in signalen}
        if "toepassen" in request.POST:
            form = TriageForm(request.POST, gemeente_ids=gemeente_ids)
            if form.is_valid():
                data = form.cleaned_data
                self._run(
                    request,
                    signalen,
                    lambda s: signaal_triage(
                        signaal=s,
                        uitkomst=data["uitkomst"],
                        door=request.user,
                        partner=data["partner"],
                        reden=data["reden"],
                        opvolgen_werkdagen=data["opvolgen_werkdagen"],
                    ),
                    _("%(aantal)s signaal/signalen getrieerd."),
                )
                return None
        else:
            form = TriageForm(gemeente_ids=gemeente_ids)
        return self._intermediate(request, signalen, form, _("Signalen trieren"), "triage_action")

    @admin.action(description=_("Leg het antwoord van de partner vast (doorgezet signaal)"))
    def partner_antwoord_action(self, request, queryset):
        signalen = self._selected_for_coordinator(request, queryset)
        if not signalen:
            return None
        open_per_signaal = {
            d.signaal_id: d
            for d in Doorzetting.objects.filter(
                signaal__in=[s.pk for s in signalen], gesloten_at__isnull=True
            ).order_by("pk")
        }
        zonder = [s for s in signalen if s.pk not in open_per_signaal]
        for signaal in zonder:
            self.message_user(
                request,
                _("%(titel)s: dit signaal heeft geen open doorverwijzing.") % {"titel": signaal.titel},
                messages.ERROR,
            )
        signalen = [s for s in signalen if s.pk in open_per_signaal]
        if not signalen:
            return None
        if "toepassen" in request.POST:
            form = DoorzetAntwoordForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                self._run(
                    request,
                    signalen,
                    lambda s: doorzetting_beantwoorden(
                        doorzetting=open_per_signaal[s.pk],
                        antwoord=data["antwoord"],
                        notitie=data["notitie"],
                        door=request.user,
                    ),
                    _("%(aantal)s antwoord(en) van de partner vastgelegd."),
                )
                return None
        else:
            form = DoorzetAntwoordForm()
        return self._intermediate(
            request, signalen, form, _("Antwoord van de partner vastleggen"), "partner_antwoord_action"
        )

    @admin.action(description=_("Wijs af (met reden)"))
    def afwijzen_action(self, request, queryset):
        signalen = self._selected_for_coordinator(request, queryset)
        if not signalen:
            return None
        if "toepassen" in request.POST:
            form = AfwijzenForm(request.POST)
            if form.is_valid():
                reden = form.cleaned_data["reden"]
                self._run(
                    request,
                    signalen,
                    lambda s: signaal_status_change(
                        signaal=s, naar=Status.AFGEWEZEN, door=request.user, reden=reden
                    ),
                    _("%(aantal)s signaal/signalen afgewezen."),
                )
                return None
        else:
            form = AfwijzenForm()
        return self._intermediate(request, signalen, form, _("Signalen afwijzen"), "afwijzen_action")

    @admin.action(description=_("Verwijder het signaal (met foto's, steun en geschiedenis)"))
    def verwijderen_action(self, request, queryset):
        signalen = self._selected_for_coordinator(request, queryset)
        if not signalen or len(signalen) < len(queryset):
            return None  # all or nothing: the message above says which were not theirs
        if "toepassen" in request.POST:
            form = VerwijderForm(request.POST)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        for signaal in signalen:
                            fout_bij = signaal
                            signaal_delete(
                                signaal=signaal, door=request.user, reden=form.cleaned_data["reden"]
                            )
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(
                        request,
                        _("%(titel)s: %(fout)s Er is niets verwijderd.")
                        % {"titel": fout_bij.titel, "fout": _error_text(error)},
                        messages.ERROR,
                    )
                    return None
                self.message_user(
                    request,
                    _("%(aantal)s signaal/signalen verwijderd.") % {"aantal": len(signalen)},
                    messages.SUCCESS,
                )
                return None
        else:
            form = VerwijderForm()
        return self._intermediate(request, signalen, form, _("Signalen verwijderen"), "verwijderen_action")


@admin.register(Steunbetuiging)
class SteunbetuigingAdmin(RefusedActionAuditMixin, ViewOnlyTeamAdmin):
    team_id_field = "signaal__team_id"  # for the audit of refused access
    list_display = ["signaal", "datum", "kanaal", "soort", "aantal_anoniem", "ingetrokken_at"]
    list_filter = ["kanaal", team_filter("signaal__team")]
    # The household hash is never shown: it is a pseudonym of an address.
    fields = [
        "signaal",
        "datum",
        "kanaal",
        "aantal_anoniem",
        "email",
        "email_toestemming",
        "ingetrokken_at",
        "ingetrokken_door",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    actions = ["intrekken_action"]

    def get_queryset(self, request):
        # Support holds residents' e-mail addresses: only the coördinatoren of its team see it here,
        # not someone who is a coördinator elsewhere and only a teamlid in this team.
        qs = Steunbetuiging.objects.select_related("signaal")
        if self.sees_all(request):
            return qs
        return qs.filter(signaal__team_id__in=self.managed_team_ids(request))

    @admin.display(description=_("soort"))
    def soort(self, obj):
        return _("huishouden") if obj.huishouden_hash else _("anoniem")

    @admin.action(description=_("Trek de steun in"))
    def intrekken_action(self, request, queryset):
        done = 0
        for steun in queryset:
            try:
                steun_withdraw(steunbetuiging=steun, door=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{steun}: {_error_text(error)}", messages.ERROR)
        if done:
            self.message_user(request, _("%(aantal)s steunbetuiging(en) ingetrokken.") % {"aantal": done})


@admin.register(Wijkronde)
class WijkrondeAdmin(RefusedActionAuditMixin, ViewOnlyTeamAdmin):
    list_display = ["datum", "team", "created_by"]
    list_filter = [TeamFilter]
    fields = [
        "team",
        "datum",
        "buurten",
        "lopers",
        "meegelopen_partners",
        "notities",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("team", "created_by")
