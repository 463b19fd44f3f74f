"""Form helpers that know no domain: a service's errors on a form, the date widget, and a
multiple choice of rows that refuses an id the database cannot hold."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    """The browser's own date picker (`<input type="date">`), which needs ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but an id outside the database's integer range is "not a valid value".

    Django's `__in` lookup (unlike `=`) sends such an id to the database, and SQLite answers
    with an OverflowError: a 500 for `buurten=9223372036854775808` (found by tests/fuzz).
    """

    def _check_values(self, value: Any) -> Any:
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        ops = connections[self.queryset.db].ops
        if field.get_internal_type() not in ops.integer_field_ranges:
            return super()._check_values(value)
        low, high = ops.integer_field_range(field.get_internal_type())
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # Django's own check gives the message
            if (low is not None and number < low) or (high is not None and number > high):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
