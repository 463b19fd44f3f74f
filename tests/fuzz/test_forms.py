"""Item 9 of issue #10: every form class of the apps' forms modules validates generated data
without an exception escaping `is_valid()`: bad input is a message on the form, never a crash."""

from __future__ import annotations

import inspect

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from buurten.models import Buurt, Partner
from signalen.models import Status, Thema

from .conftest import FUZZ
from .strategies import one_example, values
from .urls import form_classes

pytestmark = pytest.mark.django_db

FORMS = form_classes()


def form_kwargs(world) -> dict:
    """What a page passes to a form besides the data, by keyword (a new one fails the test below)."""
    return {
        "team": world.team,
        "leden": [world.teamlid, world.coordinator],
        "door": world.coordinator,
        "partners": list(Partner.objects.filter(gemeente_id=world.team.gemeente_id)),
        "keuzes": list(Status.values),
        "buurten": Buurt.objects.filter(pk=world.buurt.pk),
        "themas": Thema.objects.all(),
        "email": "uitgenodigd@example.nl",
        "context_geojson": None,
    }


def required_kwargs(form_class) -> list[str]:
    return [
        name
        for name, param in inspect.signature(form_class.__init__).parameters.items()
        if param.kind is param.KEYWORD_ONLY and param.default is param.empty
    ]


def test_the_forms_modules_are_found(world):
    names = {form.__name__ for form in FORMS}
    assert {"SignaalForm", "TeamInstellingenForm", "SubgebiedForm", "UitnodigingAccepterenForm"} <= names
    for form in FORMS:
        assert set(required_kwargs(form)) <= set(form_kwargs(world)), form


uploads = st.lists(
    st.builds(
        lambda name, content: SimpleUploadedFile(name or "x", content),
        st.text(max_size=12).filter(lambda s: "\x00" not in s and "/" not in s),
        st.one_of(st.binary(max_size=200), st.just(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)),
    ),
    max_size=2,
)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__name__)
def test_is_valid_never_raises(world, form_class):
    kwargs = {name: form_kwargs(world)[name] for name in required_kwargs(form_class)}
    names = list(form_class.base_fields)

    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(names), values, max_size=len(names)), files=uploads)
    def run(data, files):
        form = form_class(**kwargs)  # unbound first, as a page shows it
        bound = {form.add_prefix(k): v if isinstance(v, list) else [v] for k, v in data.items()}
        file_fields = [n for n, field in form.fields.items() if field.widget.needs_multipart_form]
        file_data = {form.add_prefix(file_fields[0]): files} if file_fields and files else {}
        with one_example():
            form = form_class(MultiValueDict(bound), MultiValueDict(file_data), **kwargs)
            form.is_valid()
            form.errors.as_text()

    run()
