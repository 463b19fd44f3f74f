"""Every URL pattern of the site, with the path filled from the world or from generated values."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import quote, unquote

from django import forms
from django.urls import Resolver404, get_resolver
from django.urls.resolvers import URLPattern, URLResolver
from hypothesis import assume
from hypothesis import strategies as st

from .strategies import hostile_text

FORM_MODULES = [
    "core.forms",
    "signalen.forms",
    "buurten.forms.teams",
    "buurten.forms.uitnodigingen",
    "acties.forms_geholpen",
]

# Field names of allauth's pages, Django's set_language and the admin that our forms do not have.
EXTRA_FIELDS = [
    "login",
    "password",
    "remember",
    "email",
    "code",
    "password1",
    "password2",
    "oldpassword",
    "next",
    "language",
    "action_add",
    "action_remove",
    "action_primary",
    "action_send",
    "action",
    "_selected_action",
    "select_across",
    "index",
    "q",
    "o",
    "p",
    "e",
]


def form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module_name in FORM_MODULES:
        module = import_module(module_name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == module_name:
                found.append(obj)
    return found


def field_names() -> list[str]:
    names = set()
    for form in form_classes():
        # A form with a prefix (the two support forms on one page) reads "prefix-name".
        names |= {f"{form.prefix}-{name}" if form.prefix else name for name in form.base_fields}
    return sorted(names | set(EXTRA_FIELDS))


@dataclass(frozen=True)
class Pattern:
    route: str  # the whole pattern, e.g. "teams/<int:team_id>/leden/<int:lid_id>/rol/"
    name: str

    def __str__(self) -> str:
        return self.name


def _walk(resolver, prefix: str = "", ns: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from _walk(entry, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            yield Pattern(route=route, name=f"{ns}{entry.name or route}")


def site_patterns(*, admin: bool) -> list[Pattern]:
    """The site's patterns (admin=False) or the admin's (admin=True)."""
    return [p for p in _walk(get_resolver()) if p.route.startswith("admin/") == admin]


# Ids that reach real rows of the world (tests/fuzz/test_urls.py adds signals, walks and photos).
def path_values(world, name: str, converter: str):
    ids = {
        "team_id": [world.team.pk, world.other_team.pk],
        "lid_id": [world.teamlid_seat.pk, world.coordinator_seat.pk],
        "subgebied_id": [world.subgebied.pk, world.other_subgebied.pk],
        "pk": [world.signaal.pk, world.wijkronde.pk, world.other_signaal.pk],
        "steun_pk": [world.steun.pk],
        "object_id": [world.team.pk, world.signaal.pk, world.teamlid.pk],
    }.get(name, [])
    if converter == "uuid":
        return st.one_of(st.just(world.foto_uuid), st.uuids()).map(str)
    if converter in ("int", "path-int"):
        return (
            st.one_of(st.sampled_from(ids), st.integers(min_value=0, max_value=10**30))
            if ids
            else (st.integers(min_value=0, max_value=10**30))
        )
    text = hostile_text.filter(bool)
    if ids:
        return st.one_of(st.sampled_from(ids).map(str), text)
    return text


_PART = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _no_slash(text: str) -> bool:
    return "/" not in text


@st.composite
def path_for(draw, pattern: Pattern, world):
    """A path that this pattern's view gets (examples whose generated part does not resolve are dropped)."""
    route = pattern.route
    if "(?P<" in route:
        # An allauth regex route: fill each group with generated text.
        route = route.replace("^", "").replace("$", "")
        path = re.sub(
            r"\(\?P<\w+>([^)]*)\)",
            lambda m: quote(draw(st.from_regex(m[1], fullmatch=True).filter(_no_slash)), safe=""),
            route,
        )
    else:
        path = _PART.sub(
            lambda m: quote(str(draw(path_values(world, m["name"], m["conv"] or "str"))), safe=""), route
        )
    try:
        get_resolver().resolve("/" + unquote(path))
    except Resolver404:
        assume(False)
    return "/" + path


def admin_field_names() -> list[str]:
    """Field names of every model in the admin, as form fields and as changelist lookups."""
    from django.contrib import admin

    names = {"action", "index", "select_across", "post", "apply", "q", "o", "p", "e", "all", "_save"}
    for model, model_admin in admin.site._registry.items():
        names |= set(getattr(model_admin, "actions", None) or [])
        for field in model._meta.get_fields():
            names.add(field.name)
            names |= {f"{field.name}__exact", f"{field.name}__id__exact", f"{field.name}__in"}
    return sorted(names)


def formset_field_names() -> list[str]:
    """The management form fields of every inline in the admin ("inzet-TOTAL_FORMS", ...)."""
    from django.contrib import admin
    from django.forms.models import _get_foreign_key

    names = []
    for model, model_admin in admin.site._registry.items():
        for inline in model_admin.inlines:
            fk = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
            prefix = fk.remote_field.get_accessor_name(model=inline.model).replace("+", "")
            names += [f"{prefix}-{name}" for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MAX_NUM_FORMS")]
    return sorted(set(names))
