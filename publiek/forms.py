"""The public forms: support a signal, bring in a wish. The services check the address and
e-mail rules; the wish form adds its spam checks (a honeypot field and a minimum fill time)."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from buurten.widgets import GeoJSONField
from signalen.models import Thema

GESTART_SALT = "publiek.wens_gestart"
MIN_INVULTIJD = 2.0  # seconds: a person needs longer to fill in the wish form
MAX_INVULTIJD = 24 * 3600  # an older form is sent again with a fresh timestamp

TE_SNEL = _(
    "Je verstuurde het formulier binnen 2 seconden; dat doen meestal alleen computers. Controleer je "
    "gegevens en verstuur het nog eens."
)
VERLOPEN = _("Het formulier is verlopen of niet compleet. Controleer je gegevens en verstuur het nog eens.")


class AdresEmailForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        error_messages={"required": _("Vul je postcode in, zoals 1234 AB.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    huisnummer = forms.CharField(
        label=_("Huisnummer"),
        max_length=12,
        help_text=_("Met toevoeging, zoals 12a."),
        error_messages={"required": _("Vul je huisnummer in, zoals 12 of 12a.")},
    )
    email = forms.CharField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Hierheen sturen we de link om te bevestigen."),
        error_messages={"required": _("Vul je e-mailadres in; daar komt de link om te bevestigen.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SteunenForm(AdresEmailForm):
    email_toestemming = forms.BooleanField(
        label=_("Stuur me updates over dit signaal (optioneel)"),
        required=False,
        help_text=_("Alleen dan bewaren we je e-mailadres. Intrekken kan altijd."),
    )


def gestart_token(now: float | None = None) -> str:
    return signing.dumps(now if now is not None else time.time(), salt=GESTART_SALT)


class WensForm(AdresEmailForm):
    field_order = ["titel", "omschrijving", "thema", "locatie", "postcode", "huisnummer", "email"]

    titel = forms.CharField(
        label=_("Titel"),
        max_length=120,
        error_messages={
            "required": _("Geef je wens een korte titel."),
            "max_length": _("Houd de titel kort: hoogstens 120 tekens."),
        },
    )
    omschrijving = forms.CharField(
        label=_("Wat wil je?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={
            "required": _("Beschrijf je wens in een paar zinnen."),
            "max_length": _("Houd de beschrijving korter dan 2000 tekens."),
        },
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Thema.objects.none(),
        empty_label=_("Kies een thema"),
        error_messages={
            "required": _("Kies een thema."),
            "invalid_choice": _("Kies een van de thema's uit de lijst."),
        },
    )
    locatie = GeoJSONField(
        label=_("Plek (optioneel)"),
        required=False,
        help_text=_("Tik op de kaart of vul de coördinaten in; de plek moet in de buurt liggen."),
    )
    # Spam checks. `website` is hidden from people (CSS and aria-hidden): only a bot fills it.
    website = forms.CharField(label=_("Laat dit veld leeg"), required=False)
    gestart = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, themas, context_geojson: dict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["thema"].queryset = themas
        self.fields["locatie"].widget.context_geojson = context_geojson
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["gestart"] = gestart_token()

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def clean(self) -> dict[str, Any]:
        # On top of the form, not on the hidden field: the person must read it.
        cleaned = super().clean()
        try:
            gestart = float(
                signing.loads(cleaned.get("gestart") or "", salt=GESTART_SALT, max_age=MAX_INVULTIJD)
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(VERLOPEN, code="verlopen") from None
        if time.time() - gestart > MAX_INVULTIJD:
            raise forms.ValidationError(VERLOPEN, code="verlopen")
        if time.time() - gestart < MIN_INVULTIJD:
            raise forms.ValidationError(TE_SNEL, code="te_snel")
        return cleaned

    def fresh_timestamp(self) -> None:
        """Sent back with errors: the next attempt gets a new timestamp (the person is still typing)."""
        self.data = self.data.copy()
        self.data["gestart"] = gestart_token()

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        lat = lon = None
        if data.get("locatie"):
            lon, lat = data["locatie"]["coordinates"]
        return {
            "titel": data["titel"],
            "omschrijving": data["omschrijving"],
            "thema": data["thema"],
            "lat": lat,
            "lon": lon,
            "postcode": data["postcode"],
            "huisnummer": data["huisnummer"],
            "email": data["email"],
        }
