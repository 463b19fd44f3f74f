"""Forms of the acties pages and admin; the services hold the rules, these only collect input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurten.models import Partner
from core.forms import DateInput, ModelMultipleChoiceField
from signalen.forms import OpvolgenWerkdagenField

from .models import Actie
from .selectors import open_acties_for_team


def _partners(gemeente_ids) -> forms.QuerySet:
    return Partner.objects.filter(gemeente_id__in=list(gemeente_ids)).order_by("naam")


class NieuweActieForm(forms.Form):
    titel = forms.CharField(label=_("Titel van de actie"), max_length=160)
    omschrijving = forms.CharField(
        label=_("Openbare omschrijving"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Zichtbaar voor bewoners op de buurtpagina."),
    )
    trekker = forms.ModelChoiceField(
        label=_("Trekker (partner)"),
        queryset=Partner.objects.none(),
        error_messages={"required": _("Kies de partner die de actie trekt.")},
    )
    partners = ModelMultipleChoiceField(
        label=_("Deelnemende partners"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.DateField(label=_("Geplande start"), required=False, widget=DateInput())
    eind = forms.DateField(label=_("Gepland einde"), required=False, widget=DateInput())

    def __init__(self, *args, gemeente_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        partners = _partners(gemeente_ids)
        self.fields["trekker"].queryset = partners
        self.fields["partners"].queryset = partners


class KoppelForm(forms.Form):
    actie = forms.ModelChoiceField(
        label=_("Bestaande actie"),
        queryset=Actie.objects.none(),
        error_messages={"required": _("Kies de actie waaraan je de signalen koppelt.")},
    )

    def __init__(self, *args, team_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        qs = Actie.objects.none()
        for team_id in team_ids:
            qs = qs | open_acties_for_team(team=team_id)
        self.fields["actie"].queryset = qs.order_by("titel", "pk")


class AfwijzenForm(forms.Form):
    reden = forms.CharField(
        label=_("Reden van afwijzen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bewoners die steun gaven lezen deze reden."),
        error_messages={"required": _("Geef een reden op die bewoners kunnen lezen.")},
    )


class DoorzettenForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Doorzetten naar partner"),
        queryset=Partner.objects.none(),
        error_messages={"required": _("Kies de partner naar wie de signalen worden doorgezet.")},
    )
    reden = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opvolgen_werkdagen = OpvolgenWerkdagenField()

    def __init__(self, *args, gemeente_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = _partners(gemeente_ids)
