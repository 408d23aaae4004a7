"""GOV.UK Design System form helpers: a date input field and how fields render.

Forms stay plain Django forms. Templates render them with the ``govuk`` template
tags (``core/templatetags/govuk.py``) or ``includes/form.html``; this module
holds the pieces those need:

- ``GovukDateField`` / ``GovukDateInput``: day, month and year boxes returning a
  ``datetime.date``, with the Design System's date error messages.
- ``field_kind``: which GOV.UK component a bound field renders as.
- ``error_link_id``: the id an error summary link should point at.
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils import timezone

from core.validation import EARLIEST_DATE

DATE_PARTS = ("day", "month", "year")

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


class GovukDateInput(forms.MultiWidget):
    """Three text boxes (day, month, year) posted as ``<name>_day`` etc.

    Rendered by ``includes/govuk/date_input.html`` through the ``govuk_field``
    tag; the boxes' ids are ``<id>_day``, ``<id>_month`` and ``<id>_year``.
    Pass ``autocomplete_bday=True`` for a date of birth.
    """

    template_name = "includes/govuk/date_input_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, autocomplete_bday: bool = False):
        self.autocomplete_bday = autocomplete_bday
        numeric = {"inputmode": "numeric"}
        widgets = {part: forms.TextInput(attrs=dict(numeric)) for part in DATE_PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # MultiWidget numbers its sub-widget ids (_0, _1, _2); GOV.UK names them.
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            subwidget["attrs"]["id"] = f"{attrs['id']}_{part}" if attrs and attrs.get("id") else ""
            subwidget["part"] = part
        return context


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, cleaned to ``datetime.date``.

    Error messages follow the GOV.UK date input pattern, using the field's label
    ("Date of birth must include a year"). A date before 1900 is always refused. Optional bounds:
    ``min_value`` / ``max_value`` (dates) and ``past_only`` / ``future_only``
    ("must be today or in the past"). Override any message with
    ``error_messages={"required": "Enter the date the family was attached"}``.
    """

    widget = GovukDateInput

    def __init__(
        self,
        *,
        min_value: datetime.date | None = None,
        max_value: datetime.date | None = None,
        past_only: bool = False,
        future_only: bool = False,
        **kwargs: Any,
    ):
        self.min_value = min_value
        self.max_value = max_value
        self.past_only = past_only
        self.future_only = future_only
        self._name_label = "Date"
        # Only messages given by the form override ours: the inherited defaults
        # ("Enter a list of values.") are not GOV.UK style.
        self._custom_messages = dict(kwargs.get("error_messages") or {})
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def get_bound_field(self, form, field_name):
        # Fields are deep-copied per form, so this is safe: it lets messages use
        # the label Django derives from the field name when none was given.
        self._name_label = pretty_name(field_name)
        return super().get_bound_field(form, field_name)

    @property
    def _label(self) -> str:
        label = str(self.label or self._name_label).strip()
        return label[:1].upper() + label[1:]

    def _message(self, code: str, default: str) -> str:
        return str(self._custom_messages.get(code, default))

    def clean(self, value: Any) -> datetime.date | None:
        if not isinstance(value, (list, tuple)):
            value = self.widget.decompress(value)
        parts = dict(
            zip(DATE_PARTS, (str(v).strip() if v is not None else "" for v in value), strict=False)
        )
        label = self._label
        missing = [part for part in DATE_PARTS if not parts.get(part)]

        if len(missing) == 3:
            if self.required:
                lowered = label if label[:2].isupper() else label[:1].lower() + label[1:]
                raise ValidationError(
                    self._message("required", f"Enter {lowered}"),
                    code="required",
                    params={"parts": DATE_PARTS},
                )
            return None
        if missing:
            raise ValidationError(
                self._message("incomplete", f"{label} must include a {' and '.join(missing)}"),
                code="incomplete",
                params={"parts": tuple(missing)},
            )

        day, month, year = _to_int(parts["day"]), _month(parts["month"]), _to_int(parts["year"])
        if year is not None and len(parts["year"]) != 4:
            raise ValidationError(
                self._message("year_digits", "Year must include 4 numbers"),
                code="year_digits",
                params={"parts": ("year",)},
            )
        try:
            if day is None or month is None or year is None:
                raise ValueError
            date = datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(
                self._message("invalid", f"{label} must be a real date"),
                code="invalid",
                params={"parts": DATE_PARTS},
            ) from None

        self.validate_bounds(date, label)
        self.run_validators(date)
        return date

    def validate_bounds(self, date: datetime.date, label: str) -> None:
        today = timezone.localdate()
        if date < EARLIEST_DATE:
            # No record is about anything before 1900: the year has a typing slip.
            raise ValidationError(
                self._message("too_early", f"{label} must be in 1900 or later: check the year"),
                code="too_early",
                params={"parts": ("year",)},
            )
        if self.past_only and date > today:
            raise ValidationError(
                self._message("past_only", f"{label} must be today or in the past"),
                code="past_only",
                params={"parts": DATE_PARTS},
            )
        if self.future_only and date < today:
            raise ValidationError(
                self._message("future_only", f"{label} must be today or in the future"),
                code="future_only",
                params={"parts": DATE_PARTS},
            )
        if self.min_value and date < self.min_value:
            raise ValidationError(
                self._message(
                    "min_value",
                    f"{label} must be the same as or after {_long_date(self.min_value)}",
                ),
                code="min_value",
                params={"parts": DATE_PARTS},
            )
        if self.max_value and date > self.max_value:
            raise ValidationError(
                self._message(
                    "max_value",
                    f"{label} must be the same as or before {_long_date(self.max_value)}",
                ),
                code="max_value",
                params={"parts": DATE_PARTS},
            )

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() does the work
        return data_list


def _to_int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _month(text: str) -> int | None:
    return _to_int(text) if text.isdigit() else MONTH_NAMES.get(text.lower())


def _long_date(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


# Which GOV.UK component renders a field, by widget class (first match wins).
_KINDS: list[tuple[type[forms.Widget], str]] = [
    (GovukDateInput, "date"),
    (forms.HiddenInput, "hidden"),
    (forms.MultipleHiddenInput, "hidden"),
    (forms.CheckboxSelectMultiple, "checkboxes"),  # a RadioSelect subclass: test it first
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),  # also SelectMultiple, NullBooleanSelect
    (forms.Textarea, "textarea"),
    (forms.ClearableFileInput, "file"),
    (forms.FileInput, "file"),
    (forms.PasswordInput, "password"),
]


def field_kind(bound_field: forms.BoundField) -> str:
    """The GOV.UK component for a bound field: input, textarea, select, radios, …"""
    widget = bound_field.field.widget
    for widget_class, kind in _KINDS:
        if isinstance(widget, widget_class):
            return kind
    return "input"


def date_error_parts(bound_field: forms.BoundField) -> tuple[str, ...]:
    """Which of day/month/year to highlight: only the missing parts when incomplete."""
    if not bound_field.errors:
        return ()
    parts: set[str] = set()
    for error in bound_field.errors.as_data():
        for sub in error.error_list:
            parts.update((sub.params or {}).get("parts", DATE_PARTS))
    return tuple(part for part in DATE_PARTS if part in parts)


def error_link_id(bound_field: forms.BoundField) -> str:
    """The id the error summary links to: the field, its first option or first bad date part."""
    kind = field_kind(bound_field)
    auto_id = bound_field.auto_id
    if kind in {"radios", "checkboxes"}:
        return f"{auto_id}_0"
    if kind == "date":
        parts = date_error_parts(bound_field) or DATE_PARTS
        return f"{auto_id}_{parts[0]}"
    return bound_field.id_for_label or auto_id


class GovukFormMixin:
    """Give a form's fields GOV.UK-style error messages instead of Django's defaults.

    ``class NoteForm(GovukFormMixin, forms.Form)``: a required field left blank says
    "Enter subject" (text), "Select type of contact" (choices) or "Confirm …" (a
    lone checkbox); also email format, maximum length and whole numbers. Messages a
    form sets itself with ``error_messages`` are kept.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            govuk_messages(field, str(field.label or pretty_name(name)))


def _lower_first(label: str) -> str:
    # Keep acronyms and names that start with capitals ("NHS number", "UPN").
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def govuk_messages(field: forms.Field, label: str) -> None:
    if isinstance(field, GovukDateField):
        return
    label = label.strip()
    messages = field.error_messages
    lowered = _lower_first(label)
    if str(messages.get("required")) == str(forms.Field.default_error_messages["required"]):
        if isinstance(field, forms.BooleanField):
            messages["required"] = f"Confirm {lowered}"
        elif isinstance(
            field, (forms.ChoiceField, forms.ModelChoiceField, forms.FileField)
        ) or isinstance(field.widget, (forms.Select, forms.RadioSelect)):
            messages["required"] = f"Select {lowered}"
        else:
            messages["required"] = f"Enter {lowered}"
    if isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
        messages["invalid"] = f"{label} must be a whole number"
    # Validators are shared with the form class's base fields: copy before rewording.
    field.validators = [copy.copy(v) for v in field.validators]
    for validator in field.validators:
        code = getattr(validator, "code", "")
        if code == "max_length":
            validator.message = f"{label} must be %(limit_value)d characters or fewer"
        elif code == "min_length":
            validator.message = f"{label} must be %(limit_value)d characters or more"
        elif code == "max_value":
            validator.message = f"{label} must be %(limit_value)s or less"
        elif code == "min_value":
            validator.message = f"{label} must be %(limit_value)s or more"


def add_rule_errors(form: forms.Form, errors: dict[str, str]) -> None:
    """Put the messages of a rule the service also checks on the form, for fields the form
    has not already found wrong, so every problem shows at once (core.validation.Errors)."""
    mapping = getattr(form, "service_fields", {})
    for name, message in errors.items():
        field = mapping.get(name, name)
        if field in form.fields:
            if field not in form.errors:
                form.add_error(field, message)
        elif not form.errors:
            form.add_error(None, message)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each field's message on its form field."""
    mapping = getattr(form, "service_fields", {})
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages in error.message_dict.items():
        field = mapping.get(name, name)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
