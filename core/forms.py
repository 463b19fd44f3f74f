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


# Rendered fields of unbound forms, per form class, language and what else shapes them.
_FIELDS_HTML: dict[tuple, str] = {}
_FIELDS_HTML_MAX = 512


def unbound_fields_html(form: forms.BaseForm, *, key: tuple = (), wrap: dict[str, str] | None = None) -> str:
    """The form's fields (`as_field_group` each) as HTML, rendered once per process for an unbound
    form of this class, language, initial values and `key` (whatever else changes the fields,
    such as choices set in `__init__`). A form renders each widget and option through templates;
    a page with four forms spent most of its time there. `wrap`: field name → CSS class of a
    `<div>` around its group. A bound form (errors, entered values) is rendered every time."""
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    def render() -> str:
        parts = []
        for field in form:
            html = str(field.as_field_group())
            if wrap and field.name in wrap:
                html = f'<div class="{wrap[field.name]}">{html}</div>'
            parts.append(html)
        return "".join(parts)

    if form.is_bound:
        # Django's own widget HTML, escaped by its templates.
        return mark_safe(render())  # noqa: S308 # nosec B308 B703
    initial = repr(sorted((k, str(v)) for k, v in form.initial.items()))
    cache_key = (type(form).__module__, type(form).__qualname__, get_language(), initial, key)
    html = _FIELDS_HTML.get(cache_key)
    if html is None:
        html = render()
        if len(_FIELDS_HTML) >= _FIELDS_HTML_MAX:
            _FIELDS_HTML.clear()
        _FIELDS_HTML[cache_key] = html
    # Django's own widget HTML, escaped by its templates, kept as plain text.
    return mark_safe(html)  # noqa: S308 # nosec B308 B703
