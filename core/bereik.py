"""Ranges of the numbers a person enters: one `Bereik` per rule, defined next to its model and used
by the form, the service and the database constraint, with the one Dutch message that names it.

A number outside its range would otherwise be stored and break every later computation that
uses it (a date 30,000 months back does not exist), or overflow the column on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Bereik:
    """From `laag` to `hoog`, both included; whole numbers unless the bounds are Decimals."""

    laag: int | Decimal
    hoog: int | Decimal

    def melding(self) -> str:
        return _("Kies een getal van %(laag)s tot en met %(hoog)s.") % {
            "laag": formats.localize(self.laag),
            "hoog": formats.localize(self.hoog),
        }

    def melding_lazy(self) -> str:
        """The message for module-level use (model validators), translated when shown."""
        return lazy(self.melding, str)()

    def geheel(self, waarde: Any) -> int | None:
        """`waarde` as a whole number inside the range, or None (not a whole number, or outside)."""
        getal = _decimal(waarde)
        # Compared before int(): "1e999999999" must not become a number with a billion digits.
        if getal is None or not self.laag <= getal <= self.hoog or getal != getal.to_integral_value():
            return None
        return int(getal)

    def decimaal(self, waarde: Any, *, plaatsen: int) -> Decimal | None:
        """`waarde` rounded to `plaatsen` decimals inside the range, or None."""
        getal = _decimal(waarde)
        if getal is None or not self.laag - 1 <= getal <= self.hoog + 1:
            return None
        getal = getal.quantize(Decimal(1).scaleb(-plaatsen))
        return getal if self.laag <= getal <= self.hoog else None

    def validators(self) -> list:
        """For the model field, so a ModelForm (the admin) refuses the same values."""
        return [
            MinValueValidator(self.laag, self.melding_lazy()),
            MaxValueValidator(self.hoog, self.melding_lazy()),
        ]

    def constraint(self, veld: str, *, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=models.Q(**{f"{veld}__gte": self.laag, f"{veld}__lte": self.hoog}), name=name
        )

    def form_kwargs(self) -> dict[str, Any]:
        """min_value, max_value and the range's message for every way a value can be wrong."""
        melding = self.melding_lazy()
        return {
            "min_value": self.laag,
            "max_value": self.hoog,
            "error_messages": {"min_value": melding, "max_value": melding, "invalid": melding},
        }

    def integer_field(self, **kwargs: Any) -> forms.IntegerField:
        """A form field for a whole number in this range (the browser gets min and max too)."""
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        return forms.IntegerField(**self.form_kwargs(), **kwargs)


def _decimal(waarde: Any) -> Decimal | None:
    if waarde is None or isinstance(waarde, bool):
        return None
    try:
        getal = Decimal(str(waarde).strip())
    except (InvalidOperation, ValueError):
        return None
    return getal if getal.is_finite() else None
