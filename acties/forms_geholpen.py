"""The "heeft het geholpen?" answer form (public, behind a signed link)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GeholpenAntwoord
from .services.geholpen import OPMERKING_MAX


class GeholpenForm(forms.Form):
    antwoord = forms.ChoiceField(
        label=_("Heeft het geholpen?"),
        choices=GeholpenAntwoord.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies ja, deels of nee."),
            "invalid_choice": _("Kies ja, deels of nee."),
        },
    )
    opmerking = forms.CharField(
        label=_("Opmerking (mag leeg blijven)"),
        required=False,
        max_length=OPMERKING_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Schrijf geen namen of adressen: je antwoord wordt zonder je gegevens bewaard."),
    )
