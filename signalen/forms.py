"""Forms of the signal pages. They collect input; every rule lives in `signalen.services`.

A service raises ValidationError with a message per field; `add_service_errors` puts those
messages on the form so the person sees them beside the field they are about.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurten.models import (
    ANONIEM_GEWICHT,
    BEWAARTERMIJN_MAANDEN,
    DREMPEL_HUISHOUDENS,
    INACTIEF_TERMIJN_MAANDEN,
    ROUTE_BEWAARTERMIJN_MAANDEN,
    STEUN_VENSTER_MAANDEN,
    Buurt,
    Partner,
    Team,
)
from buurten.widgets import GeoJSONField
from core.forms import DateInput, ModelMultipleChoiceField

from .models import AANTAL_ANONIEM, DoorzetAntwoord, Kanaal, Status, Thema
from .selectors.pages import SignaalFilter, thema_list_for_team
from .services.doorzetten import OPVOLGEN_WERKDAGEN, opvolgen_werkdagen_clean
from .services.fotos import SchoneFoto, foto_clean, fotos_check_budget

MAX_FOTOS = 10


class OpvolgenWerkdagenField(forms.IntegerField):
    """The follow-up term of a forward in working days: empty is the default (10), else 1 to 60
    (the service's rule, `opvolgen_werkdagen_clean`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Opvolgen na (werkdagen)"))
        kwargs.setdefault("help_text", _("Weekenden en feestdagen tellen niet mee; 1 tot en met 60."))
        super().__init__(
            initial=OPVOLGEN_WERKDAGEN,
            required=False,
            error_messages={"invalid": _("Vul een heel aantal werkdagen in.")},
            **kwargs,
        )

    def clean(self, value):
        werkdagen = super().clean(value)
        if werkdagen is None:
            return OPVOLGEN_WERKDAGEN
        try:
            return opvolgen_werkdagen_clean(werkdagen)
        except ValidationError as error:
            raise ValidationError(error.message_dict["opvolgen_werkdagen"]) from None


class MeerdereBestandenInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FotosField(forms.FileField):
    """Zero or more photos; each is checked by content and re-encoded (see services.fotos)."""

    widget = MeerdereBestandenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[SchoneFoto]:
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(uploads) > MAX_FOTOS:
            raise ValidationError(
                _("Voeg hoogstens %(max)s foto's tegelijk toe."), code="te_veel", params={"max": MAX_FOTOS}
            )
        fotos_check_budget(uploads=uploads)
        schoon: list[SchoneFoto] = []
        errors: list[str] = []
        for upload in uploads:
            try:
                schoon.append(foto_clean(upload=upload))
            except ValidationError as e:
                errors.extend(f"{upload.name}: {m}" for m in e.messages)
        if errors:
            raise ValidationError(errors)
        return schoon


class SignaalForm(forms.Form):
    """Log a signal for one team: what was said, where, and how it was heard."""

    titel = forms.CharField(
        label=_("Korte titel"),
        max_length=120,
        error_messages={"required": _("Geef het signaal een korte titel.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    omschrijving = forms.CharField(
        label=_("Wat er gezegd is"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Thema.objects.none(),
        empty_label=_("Kies een thema"),
        error_messages={
            "required": _("Kies een thema."),
            "invalid_choice": _(
                "Dit thema hoort niet bij de gemeente van het team of wordt niet meer gebruikt."
            ),
        },
    )
    kanaal = forms.ChoiceField(
        label=_("Hoe gehoord"),
        choices=[("", _("Kies een kanaal")), *Kanaal.choices],
        error_messages={"required": _("Kies hoe het signaal gehoord is.")},
    )
    locatie = GeoJSONField(
        label=_("Plek"),
        error_messages={"required": _("Zet een punt op de kaart of vul de coördinaten in.")},
    )
    buurt = forms.ModelChoiceField(
        label=_("Buurt"),
        queryset=Buurt.objects.none(),
        required=False,
        empty_label=_("Uit de plek op de kaart"),
        help_text=_("Wordt bepaald uit de plek. Kies een andere buurt van het team als dat beter klopt."),
    )
    subgebied = forms.ModelChoiceField(
        label=_("Subgebied"),
        queryset=None,
        required=False,
        empty_label=_("Uit de plek, of geen"),
    )
    over_persoon = forms.BooleanField(
        label=_("Gaat over een persoon"),
        required=False,
        help_text=_("Een signaal over een persoon is altijd vertrouwelijk: alleen het team ziet het."),
    )
    vertrouwelijk = forms.BooleanField(
        label=_("Vertrouwelijk"),
        required=False,
        help_text=_("Nooit openbaar, alleen zichtbaar voor het team."),
    )
    fotos = FotosField(
        label=_("Foto's (optioneel)"),
        help_text=_("JPEG, PNG of WebP, hoogstens 10 MB per foto. Plaatsgegevens worden verwijderd."),
        widget=MeerdereBestandenInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    toch_nieuw = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, team: Team, context_geojson: dict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["thema"].queryset = thema_list_for_team(team=team)
        self.fields["buurt"].queryset = team.buurten.all()
        self.fields["subgebied"].queryset = team.subgebieden.select_related("buurt").all()
        self.fields["locatie"].widget.context_geojson = context_geojson

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        lon, lat = data["locatie"]["coordinates"]
        return {
            "titel": data["titel"],
            "omschrijving": data["omschrijving"],
            "thema": data["thema"],
            "kanaal": data["kanaal"],
            "lat": lat,
            "lon": lon,
            "buurt": data["buurt"],
            "subgebied": data["subgebied"],
            "over_persoon": data["over_persoon"],
            "vertrouwelijk": data["vertrouwelijk"],
        }


class FotoForm(forms.Form):
    fotos = FotosField(
        label=_("Foto's toevoegen"),
        required=True,
        help_text=_("JPEG, PNG of WebP, hoogstens 10 MB per foto. Plaatsgegevens worden verwijderd."),
        widget=MeerdereBestandenInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": _("Kies minstens één foto.")},
    )


class WijkrondeForm(forms.Form):
    """Start a street walk: when, where, who walked and which partners came along."""

    datum = forms.DateField(label=_("Datum"), widget=DateInput)
    buurten = ModelMultipleChoiceField(
        label=_("Buurten"),
        queryset=Buurt.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één buurt van het team.")},
    )
    lopers = ModelMultipleChoiceField(
        label=_("Wie liepen er mee (teamleden)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meegelopen_partners = ModelMultipleChoiceField(
        label=_("Meegelopen partners"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mensen van partners zonder account: alleen de organisatie wordt vastgelegd."),
    )
    route = GeoJSONField(
        label=_("Gelopen route (optioneel)"),
        geom_type="LineString",
        required=False,
    )
    notities = forms.CharField(
        label=_("Route en notities"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        team: Team,
        leden: list[Any],
        door: Any = None,
        context_geojson: dict | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"datum": timezone.localdate()})
        super().__init__(*args, **kwargs)
        from buurten.models import User

        self.team = team
        self.fields["buurten"].queryset = team.buurten.all()
        self.fields["lopers"].queryset = User.objects.filter(pk__in=[u.pk for u in leden])
        self.fields["lopers"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.fields["meegelopen_partners"].queryset = Partner.objects.filter(gemeente_id=team.gemeente_id)
        self.fields["route"].widget.context_geojson = context_geojson
        if door is not None and any(u.pk == door.pk for u in leden):
            # Whoever records the walk usually walked it.
            self.fields["lopers"].initial = [door.pk]
        if team.buurten.count() == 1:
            self.fields["buurten"].initial = list(team.buurten.all())


class SteunHuishoudenForm(forms.Form):
    """A household supports a signal; the address is turned into a keyed hash by the service."""

    prefix = "huishouden"

    kanaal = forms.ChoiceField(
        label=_("Kanaal"),
        choices=[("", _("Kies een kanaal")), *Kanaal.choices],
        error_messages={"required": _("Kies via welk kanaal de steun gegeven is.")},
    )
    datum = forms.DateField(label=_("Datum"), widget=DateInput)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("Bijvoorbeeld 6211 AB. Het adres wordt niet bewaard, alleen een versleutelde code."),
    )
    huisnummer = forms.CharField(
        label=_("Huisnummer"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Met toevoeging als die er is, zoals 12a."),
    )
    email = forms.EmailField(
        label=_("E-mailadres voor updates (optioneel)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    email_toestemming = forms.BooleanField(
        label=_("De bewoner geeft toestemming om dit e-mailadres te bewaren voor updates over dit signaal"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"datum": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SteunAnoniemForm(forms.Form):
    """Anonymous support: "23 mensen staken hun hand op" at a meeting."""

    prefix = "anoniem"

    kanaal = forms.ChoiceField(
        label=_("Kanaal"),
        choices=[("", _("Kies een kanaal")), *Kanaal.choices],
        initial=Kanaal.BUURTBIJEENKOMST,
        error_messages={"required": _("Kies via welk kanaal de steun gegeven is.")},
    )
    datum = forms.DateField(label=_("Datum"), widget=DateInput)
    aantal = AANTAL_ANONIEM.integer_field(label=_("Aantal mensen"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"datum": timezone.localdate(), "kanaal": Kanaal.BUURTBIJEENKOMST})
        super().__init__(*args, **kwargs)


class StatusForm(forms.Form):
    """Move a signal on in its workflow; the choices are the moves this person may make."""

    naar = forms.ChoiceField(label=_("Nieuwe status"), error_messages={"required": _("Kies een status.")})
    reden = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij afwijzen en heropenen; komt in de historie."),
    )

    def __init__(self, *args: Any, keuzes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["naar"].choices = [("", _("Kies een status"))] + [(k, Status(k).label) for k in keuzes]


class _EenmaalGelezen(forms.models.ModelChoiceIterator):
    """Choices from the field's queryset read once (and kept on it), not through `.iterator()`,
    which on PostgreSQL is a server-side cursor: three round trips each time they are listed."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _FilterKeuze(forms.ModelChoiceField):
    iterator = _EenmaalGelezen


class SignaalFilterForm(forms.Form):
    """Filters of the list, map and CSV export (GET)."""

    buurt = _FilterKeuze(label=_("Buurt"), queryset=Buurt.objects.none(), required=False)
    thema = _FilterKeuze(label=_("Thema"), queryset=Thema.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alle"))] + Status.choices, required=False)
    kanaal = forms.ChoiceField(label=_("Kanaal"), choices=[("", _("Alle"))] + Kanaal.choices, required=False)
    van = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput)
    tot = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput)

    def __init__(self, *args: Any, buurten: Any, themas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buurt"].queryset = buurten
        self.fields["buurt"].empty_label = _("Alle")
        self.fields["thema"].queryset = themas
        self.fields["thema"].empty_label = _("Alle")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot and van > tot:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return data

    def filters(self) -> SignaalFilter:
        """The valid filters (an invalid one is shown as an error and not applied)."""
        if not self.is_bound:
            return SignaalFilter()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SignaalFilter(
            buurt=data.get("buurt"),
            thema=data.get("thema"),
            status=data.get("status") or "",
            kanaal=data.get("kanaal") or "",
            van=data.get("van"),
            tot=data.get("tot"),
        )


class TeamInstellingenForm(forms.Form):
    """Threshold and retention; the limits are checked by `signalen.services.instellingen`."""

    drempel_huishoudens = DREMPEL_HUISHOUDENS.integer_field(
        label=_("Drempel (aantal huishoudens)"),
        help_text=_("Zoveel verschillende huishoudens moeten een signaal steunen voor draagvlak."),
    )
    anoniem_gewicht = forms.DecimalField(
        label=_("Gewicht van anonieme steun"),
        help_text=_("Tussen 0 en 1. Bij 0,5 tellen twee handen bij een bijeenkomst als één huishouden."),
        max_digits=4,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **ANONIEM_GEWICHT.form_kwargs(),
    )
    steun_venster_maanden = STEUN_VENSTER_MAANDEN.integer_field(
        label=_("Geldigheid van steun (maanden)"),
        help_text=_("Steun die ouder is telt niet meer mee."),
    )
    bewaartermijn_maanden = BEWAARTERMIJN_MAANDEN.integer_field(
        label=_("Bewaartermijn (maanden)"),
        help_text=_("Zo lang blijven afgeronde en afgewezen signalen bewaard (AVG)."),
    )
    inactief_termijn_maanden = INACTIEF_TERMIJN_MAANDEN.integer_field(
        label=_("Open signaal sluiten na (maanden zonder activiteit)"),
        required=False,  # left empty: unchanged
        help_text=_("Een open signaal zonder steun of statuswijziging in deze tijd wordt afgewezen."),
    )
    route_bewaartermijn_maanden = ROUTE_BEWAARTERMIJN_MAANDEN.integer_field(
        label=_("Bewaartermijn GPS-routes (maanden)"),
        required=False,  # left empty: unchanged
        help_text=_("Zo lang blijft de gelopen route van een wijkronde bewaard."),
    )


class HuishoudenIntrekkenForm(forms.Form):
    """A household asks to withdraw all its support (the service checks the address rules)."""

    postcode = forms.CharField(label=_("Postcode"), max_length=10)
    huisnummer = forms.CharField(
        label=_("Huisnummer"), max_length=12, help_text=_("Met toevoeging, zoals 12a.")
    )
    email = forms.CharField(
        label=_("E-mailadres"), max_length=254, help_text=_("Hierheen sturen we de link om te bevestigen.")
    )


class DoorzetAntwoordForm(forms.Form):
    """The partner's answer to a forwarded signal (its link), or the coördinator recording it.
    The rule (a note for "niet onze taak", a closed forward) is `doorzetting_beantwoorden`'s."""

    antwoord = forms.ChoiceField(
        label=_("Wat doen jullie ermee?"),
        choices=DoorzetAntwoord.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies opgepakt, afgehandeld of niet onze taak.")},
    )
    notitie = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij ‘niet onze taak’: het team leest dit bij de nieuwe triage."),
    )
