"""Form parts of the signal pages that are not visible through a single view test."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.forms import add_service_errors
from signalen.forms import MAX_FOTOS, FotoForm, SignaalFilterForm, SignaalForm
from signalen.models import Thema
from tests import factories as f

from .ui import jpeg_upload


class Klein(forms.Form):
    titel = forms.CharField(required=False)


def test_service_errors_land_on_their_field_or_on_top():
    form = Klein(data={})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError({"titel": ["Te lang."], "wijkronde": ["Andere ronde."], "__all__": ["Al gesteund."]}),
    )
    assert form.errors["titel"] == ["Te lang."]
    assert form.non_field_errors() == ["Andere ronde.", "Al gesteund."]

    form = Klein(data={})
    form.is_valid()
    add_service_errors(form, ValidationError("Dit signaal is afgerond."))
    assert form.non_field_errors() == ["Dit signaal is afgerond."]


def test_at_most_ten_photos_at_once():
    form = FotoForm(data={}, files=_files([jpeg_upload(f"{n}.jpg") for n in range(MAX_FOTOS + 1)]))
    assert not form.is_valid()
    assert form.errors["fotos"] == ["Voeg hoogstens 10 foto's tegelijk toe."]
    form = FotoForm(data={}, files=_files([jpeg_upload(f"{n}.jpg") for n in range(2)]))
    assert form.is_valid()
    assert [foto.formaat for foto in form.cleaned_data["fotos"]] == ["jpg", "jpg"]


def test_photo_form_needs_a_photo():
    form = FotoForm(data={}, files=_files([]))
    assert not form.is_valid()
    assert form.errors["fotos"] == ["Kies minstens één foto."]


def _files(uploads):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict({"fotos": uploads})


def test_signal_form_offers_only_the_teams_buurten_and_subgebieden(team, thema, ander_team):
    sub = f.SubgebiedFactory(team=team)
    f.SubgebiedFactory(team=ander_team)
    form = SignaalForm(team=team)
    assert list(form.fields["buurt"].queryset) == list(team.buurten.all())
    assert list(form.fields["subgebied"].queryset) == [sub]
    assert list(form.fields["thema"].queryset) == [thema]


def test_signal_form_hands_the_point_to_the_service_as_lat_lon(team, thema):
    form = SignaalForm(
        data={
            "titel": "Kapotte lamp",
            "thema": thema.pk,
            "kanaal": "huisbezoek",
            "locatie_lat": "50.85",
            "locatie_lon": "5.69",
        },
        team=team,
    )
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert (kwargs["lat"], kwargs["lon"], kwargs["thema"], kwargs["buurt"]) == (50.85, 5.69, thema, None)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"van": "2026-05-01", "tot": "2026-04-01"}, "tot", "De einddatum ligt vóór de begindatum."),
        ({"van": "morgen"}, "van", "Voer een geldige datum in."),
        ({"status": "weg"}, "status", "Selecteer een geldige keuze"),
    ],
)
def test_filter_form_errors(db, data, field, message):
    form = SignaalFilterForm(
        data=data, buurten=f.BuurtFactory._meta.model.objects.none(), themas=Thema.objects.none()
    )
    filters = form.filters()
    assert message in form.errors[field][0]
    assert getattr(filters, field) in (None, "")
