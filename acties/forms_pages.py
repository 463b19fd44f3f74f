"""Forms of the team's acties pages. They collect input; every rule lives in `acties.services`.

A service raises ValidationError with a message per field; `core.forms.add_service_errors` puts
those messages on the form beside the field they are about.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Partner, Subgebied
from core.forms import DateInput, ModelMultipleChoiceField
from signalen.models import Thema

from .models import ActieStatus
from .selectors_pages import ActieFilter

SIGNAAL_TERUG_KEUZES = [
    ("triage", _("Terug naar de triage")),
    ("afgewezen", _("Afwijzen met de openbare reden")),
]


class ActieFilterForm(forms.Form):
    """Filters of the acties list (GET)."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *ActieStatus.choices], required=False
    )
    buurt = forms.ModelChoiceField(label=_("Buurt"), queryset=Buurt.objects.none(), required=False)
    thema = forms.ModelChoiceField(
        label=_("Thema (van de signalen)"), queryset=Thema.objects.none(), required=False
    )
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    zoekt_bewoners = forms.BooleanField(label=_("Alleen acties die bewoners zoeken"), required=False)

    def __init__(self, *args: Any, buurten: Any, themas: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for naam, qs in (("buurt", buurten), ("thema", themas), ("partner", partners)):
            self.fields[naam].queryset = qs
            self.fields[naam].empty_label = _("Alle")

    def filters(self) -> ActieFilter:
        """The valid filters (an invalid one is shown as an error and not applied)."""
        if not self.is_bound:
            return ActieFilter()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ActieFilter(
            status=data.get("status") or "",
            buurt=data.get("buurt"),
            thema=data.get("thema"),
            partner=data.get("partner"),
            zoekt_bewoners=bool(data.get("zoekt_bewoners")),
        )


class UpdateForm(forms.Form):
    """A public progress update ("jij zei, wij deden"), signed by the author's partner."""

    tekst = forms.CharField(
        label=_("Wat is er gedaan?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Openbaar: bewoners lezen dit. Noem geen namen van personen."),
        error_messages={"required": _("Schrijf wat er gedaan is.")},
    )
    datum = forms.DateField(
        label=_("Datum"), widget=DateInput, error_messages={"required": _("Geef de datum op.")}
    )
    # Checked by content and re-encoded without EXIF by the service (signalen.services.fotos).
    foto = forms.FileField(
        label=_("Foto (niet verplicht)"), required=False, help_text=_("JPEG, PNG of WebP, hoogstens 10 MB.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"datum": timezone.localdate()})
        super().__init__(*args, **kwargs)


class MijlpaalForm(forms.Form):
    titel = forms.CharField(
        label=_("Mijlpaal"), max_length=160, error_messages={"required": _("Geef de mijlpaal een titel.")}
    )
    gewicht = forms.IntegerField(
        label=_("Gewicht"),
        min_value=1,
        max_value=100,
        initial=1,
        help_text=_("Van 1 tot 100: hoe zwaar deze stap meetelt in de voortgang."),
        error_messages={
            "required": _("Geef een gewicht van 1 tot 100."),
            "min_value": _("Geef een gewicht van 1 tot 100."),
            "max_value": _("Geef een gewicht van 1 tot 100."),
        },
    )


class AfvinkenForm(forms.Form):
    """Tick a milestone done, or undo it (going back needs a reason)."""

    gedaan = forms.TypedChoiceField(
        choices=[("1", _("Gedaan")), ("0", _("Niet gedaan"))],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput,
    )
    reden = forms.CharField(label=_("Reden"), required=False, max_length=500)


class VoortgangForm(forms.Form):
    voortgang = forms.IntegerField(
        label=_("Voortgang (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Geef de voortgang op, van 0 tot 100."),
            "min_value": _("De voortgang is minstens %(limit_value)s%%."),
            "max_value": _("De voortgang is hoogstens %(limit_value)s%%."),
        },
    )
    reden = forms.CharField(
        label=_("Reden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht als de voortgang teruggaat."),
    )


class BewonersForm(forms.Form):
    """Residents who pick the actie up: a count; a first name and e-mail only with their consent."""

    aantal = forms.IntegerField(
        label=_("Aantal bewoners"),
        min_value=1,
        max_value=1000,
        initial=1,
        error_messages={"required": _("Geef op hoeveel bewoners meedoen.")},
    )
    voornaam = forms.CharField(label=_("Voornaam (niet verplicht)"), max_length=60, required=False)
    email = forms.EmailField(label=_("E-mailadres (niet verplicht)"), required=False)
    toestemming = forms.BooleanField(
        label=_("De bewoner geeft toestemming om naam en e-mailadres te bewaren"),
        required=False,
        help_text=_("Zonder toestemming bewaren we alleen het aantal."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("voornaam") or data.get("email")) and not data.get("toestemming"):
            self.add_error(
                "toestemming",
                _("Een naam of e-mailadres bewaren we alleen met toestemming van de bewoner."),
            )
        return data


class NotitieForm(forms.Form):
    tekst = forms.CharField(
        label=_("Notitie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Intern: nooit zichtbaar voor bewoners."),
        error_messages={"required": _("Schrijf een notitie.")},
    )
    alleen_partner = forms.ModelChoiceField(
        label=_("Zichtbaar voor"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("Het hele team"),
        help_text=_("Een notitie voor één partner zien alleen die partner en de coördinatoren."),
        error_messages={"invalid_choice": _("Kies een partner waarvoor je in dit team zit.")},
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alleen_partner"].queryset = partners


class ActieStatusForm(forms.Form):
    """Move the actie on; when it stops, each open signal goes back to triage or is declined."""

    naar = forms.ChoiceField(label=_("Nieuwe status"), error_messages={"required": _("Kies een status.")})
    reden = forms.CharField(
        label=_("Reden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij stoppen en heropenen; bewoners lezen deze reden."),
    )

    def __init__(self, *args: Any, keuzes: list[str], signalen: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["naar"].choices = [("", _("Kies een status"))] + [
            (k, ActieStatus(k).label) for k in keuzes
        ]
        self.signalen = signalen
        if ActieStatus.GESTOPT in keuzes:
            for signaal in signalen:
                self.fields[f"signaal_{signaal.pk}"] = forms.ChoiceField(
                    label=signaal.titel,
                    choices=SIGNAAL_TERUG_KEUZES,
                    required=False,
                    widget=forms.RadioSelect,
                )

    def signaal_velden(self) -> list[Any]:
        return [self[n] for n in self.fields if n.startswith("signaal_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("naar") == ActieStatus.GESTOPT:
            for signaal in self.signalen:
                if not data.get(f"signaal_{signaal.pk}"):
                    self.add_error(
                        f"signaal_{signaal.pk}",
                        _("Kies wat er met dit signaal gebeurt als de actie stopt."),
                    )
        return data

    def signalen_terug(self) -> dict[int, str] | None:
        if self.cleaned_data.get("naar") != ActieStatus.GESTOPT:
            return None
        return {s.pk: self.cleaned_data[f"signaal_{s.pk}"] for s in self.signalen}


class ActieForm(forms.Form):
    """Edit an actie (coördinator): the texts, who leads and takes part, where and when."""

    titel = forms.CharField(
        label=_("Titel"), max_length=160, error_messages={"required": _("Geef de actie een titel.")}
    )
    omschrijving = forms.CharField(
        label=_("Openbare omschrijving"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Zichtbaar voor bewoners op de buurtpagina."),
    )
    trekker = forms.ModelChoiceField(
        label=_("Trekker (partner)"),
        queryset=Partner.objects.none(),
        error_messages={
            "required": _("Kies de partner die de actie trekt."),
            "invalid_choice": _("Kies een partner van de gemeente van het team."),
        },
    )
    partners = ModelMultipleChoiceField(
        label=_("Deelnemende partners"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.DateField(label=_("Geplande start"), required=False, widget=DateInput)
    eind = forms.DateField(label=_("Gepland einde"), required=False, widget=DateInput)
    subgebied = forms.ModelChoiceField(
        label=_("Subgebied"), queryset=Subgebied.objects.none(), required=False, empty_label=_("Geen")
    )

    def __init__(self, *args: Any, partners: Any, subgebieden: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trekker"].queryset = partners
        self.fields["partners"].queryset = partners
        self.fields["subgebied"].queryset = subgebieden

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, eind = data.get("start"), data.get("eind")
        if start and eind and eind < start:
            raise ValidationError({"eind": _("Het einde ligt vóór de start.")})
        return data
