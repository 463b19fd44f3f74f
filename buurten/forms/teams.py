"""Forms of the team pages. They only parse input; the rules live in `buurten.services.teams`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Partner, Rol, Team
from buurten.widgets import GeoJSONField
from core.forms import DateInput


class TeamDoelForm(forms.Form):
    """The shared goal plus, for each partner of the gemeente, its commitment and what is asked."""

    doel = forms.CharField(
        label=_("Gezamenlijk doel"),
        required=False,
        help_text=_(
            "Deze tekst en wat elke partner inbrengt staan op de openbare buurtpagina; "
            "wat het team van een partner vraagt niet."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    doel_start = forms.DateField(label=_("Startdatum"), required=False, widget=DateInput())
    doel_evaluatie = forms.DateField(label=_("Evaluatiedatum"), required=False, widget=DateInput())

    def __init__(self, *args: Any, partners: list[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = partners
        for partner in partners:
            self.fields[f"toezegging_{partner.pk}"] = forms.CharField(
                label=_("Wat %(partner)s inbrengt") % {"partner": partner.naam},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"gevraagd_{partner.pk}"] = forms.CharField(
                label=_("Wat het team van %(partner)s vraagt") % {"partner": partner.naam},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def partner_velden(self) -> list[tuple[Partner, forms.BoundField, forms.BoundField]]:
        return [(p, self[f"toezegging_{p.pk}"], self[f"gevraagd_{p.pk}"]) for p in self.partners]

    def inzet(self) -> dict[int, tuple[str, str]]:
        return {
            p.pk: (self.cleaned_data[f"toezegging_{p.pk}"], self.cleaned_data[f"gevraagd_{p.pk}"])
            for p in self.partners
        }


class LidRolForm(forms.Form):
    rol = forms.ChoiceField(label=_("Rol"), choices=Rol.choices)


class SubgebiedForm(forms.Form):
    """Name, buurt and an optional polygon drawn on the map (or pasted as GeoJSON)."""

    naam = forms.CharField(label=_("Naam"), max_length=200, help_text=_("Bijvoorbeeld een straatnaam."))
    buurt = forms.ModelChoiceField(label=_("Buurt"), queryset=Buurt.objects.none(), empty_label=None)

    def __init__(self, *args: Any, team: Team, context_geojson: dict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buurt"].queryset = team.buurten.order_by("naam")
        self.fields["geometrie"] = GeoJSONField(
            label=_("Gebied op de kaart (optioneel)"),
            geom_type="Polygon",
            required=False,
            context_geojson=context_geojson,
            help_text=_("Laat leeg als het subgebied de hele straat of buurt is zonder vaste grens."),
        )
