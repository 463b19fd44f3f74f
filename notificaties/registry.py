"""Kinds of mail: each higher app registers its kinds in its AppConfig.ready().

A kind names its subject and body templates and a builder that turns the outbox row's stored
context (ids) into the template context at sending time. The outbox imports nothing above it.
"""

from collections.abc import Callable
from dataclasses import dataclass


class BerichtVervallen(Exception):
    """The builder found nothing left to mail about (object gone): the mail is dropped, not retried."""


@dataclass(frozen=True)
class Soort:
    naam: str
    subject_template: str
    body_template: str
    build: Callable[[dict], dict]


_soorten: dict[str, Soort] = {}


def register(*, naam: str, subject_template: str, body_template: str, build: Callable[[dict], dict]) -> None:
    _soorten[naam] = Soort(naam, subject_template, body_template, build)


def get(naam: str) -> Soort:
    try:
        return _soorten[naam]
    except KeyError:
        raise LookupError(f"onbekende e-mailsoort {naam!r}") from None
