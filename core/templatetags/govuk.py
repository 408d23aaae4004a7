"""Render Django forms as GOV.UK Design System components.

{% load govuk %}
{% govuk_error_summary form %}                 error summary ("There is a problem")
{% govuk_field form.email %}                   one field, any widget
{% govuk_field form.reason label_size="l" page_heading=True hint="…" classes="govuk-input--width-10" inline=True %}
{% govuk_notification_banners messages %}      Django messages as notification banners
{{ form|error_prefix }}                        "Error: " when the form has errors (for <title>)
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.formsets import BaseFormSet

from core.forms import DATE_PARTS, date_error_parts, error_link_id, field_kind

register = template.Library()

# Inputs of each kind carry these GOV.UK classes (plus the error modifier).
_INPUT_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "password": (
        "govuk-input govuk-password-input__input govuk-js-password-input-input",
        "govuk-input--error",
    ),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
}

# Labels and legends say "(optional)" for fields a user may leave blank, as GOV.UK
# advises; a lone checkbox or a set of checkboxes is optional by nature.
_NO_OPTIONAL_SUFFIX = {"checkbox", "checkboxes", "hidden"}


@register.inclusion_tag("includes/govuk/field.html")
def govuk_field(
    field: forms.BoundField,
    *,
    label: str | None = None,
    label_size: str = "",
    page_heading: bool = False,
    hint: str | None = None,
    classes: str = "",
    inline: bool = False,
    small: bool = False,
    optional_suffix: bool = True,
    autocomplete: str = "",
) -> dict[str, Any]:
    """Context for one field: label or legend, hint, inline error and the control."""
    kind = field_kind(field)
    auto_id = field.auto_id or field.html_name
    errors = [str(e) for e in field.errors]
    hint_text = field.help_text if hint is None else hint
    hint_id = f"{auto_id}-hint" if hint_text else ""
    error_id = f"{auto_id}-error" if errors else ""
    described_by = " ".join(i for i in (hint_id, error_id) if i)

    label_text = field.label if label is None else label
    if (
        optional_suffix
        and not field.field.required
        and kind not in _NO_OPTIONAL_SUFFIX
        and label_text
    ):
        label_text = f"{label_text} (optional)"

    context: dict[str, Any] = {
        "field": field,
        "kind": kind,
        "id": auto_id,
        "label": label_text,
        "label_size": label_size or ("l" if page_heading else ""),
        "page_heading": page_heading,
        "hint": hint_text,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "described_by": described_by,
        "inline": inline,
        "small": small,
    }

    if kind in _INPUT_CLASSES:
        base, error_class = _INPUT_CLASSES[kind]
        css = " ".join(
            c
            for c in (
                base,
                field.field.widget.attrs.get("class", ""),
                classes,
                error_class if errors else "",
            )
            if c
        )
        attrs: dict[str, Any] = {"class": css}
        if described_by:
            attrs["aria-describedby"] = described_by
        if autocomplete:
            attrs["autocomplete"] = autocomplete
        if kind == "password":
            attrs.update({"spellcheck": "false", "autocapitalize": "none"})
            attrs.setdefault("autocomplete", "current-password")
        context["widget"] = field.as_widget(attrs=attrs)
    elif kind == "hidden":
        context["widget"] = field.as_widget()
    elif kind in {"radios", "checkboxes"}:
        context["options"] = list(field.subwidgets)
    elif kind == "date":
        context["date_parts"] = _date_parts(field, classes)
    return context


def _date_parts(field: forms.BoundField, classes: str) -> list[dict[str, Any]]:
    widget = field.field.widget
    value = field.value()
    if not isinstance(value, (list, tuple)):
        value = widget.decompress(value)
    bad = date_error_parts(field)
    bday = getattr(widget, "autocomplete_bday", False)
    parts = []
    for part, part_value in zip(DATE_PARTS, value, strict=False):
        width = "4" if part == "year" else "2"
        css = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
        if part in bad:
            css += " govuk-input--error"
        parts.append(
            {
                "part": part,
                "label": part.capitalize(),
                "id": f"{field.auto_id}_{part}",
                "name": f"{field.html_name}_{part}",
                "value": "" if part_value is None else part_value,
                "classes": f"{css} {classes}".strip(),
                "autocomplete": f"bday-{part}" if bday else "",
            }
        )
    return parts


@register.inclusion_tag("includes/govuk/error_summary.html")
def govuk_error_summary(*forms_or_formsets: Any) -> dict[str, Any]:
    """Every error on the page, each linking to its field (non-field errors unlinked)."""
    items: list[dict[str, str]] = []
    for obj in forms_or_formsets:
        if obj is None or obj == "":
            continue
        if isinstance(obj, BaseFormSet):
            items.extend({"text": str(e), "href": ""} for e in obj.non_form_errors())
            for form in obj.forms:
                items.extend(_form_errors(form))
        else:
            items.extend(_form_errors(obj))
    return {"errors": items}


def _form_errors(form: forms.BaseForm) -> list[dict[str, str]]:
    if not form.is_bound or not form.errors:
        return []
    items = [{"text": str(e), "href": ""} for e in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            # Errors on hidden fields cannot be fixed by the user: listed, not linked.
            href = "" if field.is_hidden else f"#{error_link_id(field)}"
            items.append({"text": str(error), "href": href})
    return items


@register.filter
def error_prefix(form: Any) -> str:
    """ "Error: " for a page <title> when the form (or formset) has errors."""
    if not form:
        return ""
    if isinstance(form, BaseFormSet):
        return "Error: " if form.is_bound and form.total_error_count() else ""
    return "Error: " if getattr(form, "is_bound", False) and form.errors else ""


@register.inclusion_tag("includes/govuk/notification_banners.html")
def govuk_notification_banners(messages: Any) -> dict[str, Any]:
    """Django messages as at most two banners: success, and important for the rest."""
    success, important = [], []
    for message in messages or ():
        (success if getattr(message, "level_tag", "") == "success" else important).append(message)
    return {"success": success, "important": important}


@register.simple_tag
def govuk_page_numbers(page_obj: Any, on_each_side: int = 1, on_ends: int = 1) -> list[Any]:
    """Page numbers for pagination, with ``None`` where GOV.UK shows an ellipsis.

    {% govuk_page_numbers page_obj as numbers %}
    """
    paginator = page_obj.paginator
    ellipsis = paginator.ELLIPSIS
    return [
        None if number == ellipsis else number
        for number in paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]
