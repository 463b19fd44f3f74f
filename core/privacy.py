"""The privacy overview's source: each model declares its personal fields, with purpose and retention.

A model lists them as `personal_data = {"veld": Persoonsgegeven(doel=..., bewaren=...)}` and names
the fields that only look personal (a team's `naam`) in `geen_persoonsgegevens`. The public page
`/privacy/` (core.views.privacy) is generated from these declarations, and a test fails when a
model gains a field that looks personal (`looks_personal`) without either, so the page cannot drift.
Apps from elsewhere (allauth, sessions) are declared here in `EXTERN`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Name parts that suggest a field holds or points at a person (split on "_").
PERSOONLIJKE_DELEN = frozenset(
    {
        "email",
        "naam",
        "name",
        "adres",
        "ip",
        "route",
        "hash",
        "login",
        "ontvanger",
        "door",
        "user",
        "lopers",
        "by",
        "omschrijving",
        "notities",
        "reden",
        "lat",
        "lon",
        "bestand",
        "session",
    }
)


@dataclass(frozen=True)
class Persoonsgegeven:
    doel: str | Promise
    bewaren: str | Promise


def looks_personal(field_name: str) -> bool:
    return bool(PERSOONLIJKE_DELEN & set(field_name.lower().split("_")))


_ACCOUNT = _("Zolang het account bestaat; op verzoek gewist (avg_erase).")
EXTERN: dict[str, dict[str, Persoonsgegeven]] = {
    "account.emailaddress": {
        "email": Persoonsgegeven(doel=_("Inloggen en het e-mailadres bevestigen."), bewaren=_ACCOUNT),
    },
    "mfa.authenticator": {
        "user": Persoonsgegeven(doel=_("Tweestapsverificatie (TOTP) van een coördinator."), bewaren=_ACCOUNT),
    },
    "sessions.session": {
        "session_data": Persoonsgegeven(
            doel=_("Ingelogd blijven."),
            bewaren=_("Tot de sessie verloopt; de dagelijkse ronde wist verlopen sessies."),
        ),
    },
}


@dataclass(frozen=True)
class Regel:
    model: str
    veld: str
    doel: str | Promise
    bewaren: str | Promise


def declarations(model: type[models.Model]) -> dict[str, Persoonsgegeven]:
    return {**getattr(model, "personal_data", {}), **EXTERN.get(model._meta.label_lower, {})}


def overzicht() -> list[Regel]:
    """Every declared personal field of every installed model, in app and model order."""
    regels = []
    for model in apps.get_models():
        for naam, gegeven in declarations(model).items():
            veld = model._meta.get_field(naam)
            regels.append(
                Regel(
                    model=str(model._meta.verbose_name).capitalize(),
                    veld=str(getattr(veld, "verbose_name", naam)),
                    doel=gegeven.doel,
                    bewaren=gegeven.bewaren,
                )
            )
    return regels
