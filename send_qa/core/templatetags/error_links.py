"""Where each link of a form's error summary leads: the box that is wrong."""

from django import forms, template

register = template.Library()


def _first_box(bound_field: forms.BoundField) -> str:
    """A day, month and year date's first box (id_<field>_0); the first radio or checkbox
    (crispy-forms-gds numbers them from 1: id_<field>_1); else the field itself."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound_field.auto_id}_1"
    return str(bound_field.auto_id)


@register.filter
def error_links(bound_field: forms.BoundField) -> list[tuple[str, str]]:
    """Each error of a field once, with the id of the box it is about: the first part of a
    date that the error marks, else the field's first box (GOV.UK's error summary)."""
    parts = getattr(bound_field.field, "fields", [])
    links = []
    for message in bound_field.errors:
        marked = [
            index
            for index, part in enumerate(parts)
            if message in getattr(part.widget, "errors", [])
        ]
        anchor = f"{bound_field.auto_id}_{marked[0]}" if marked else _first_box(bound_field)
        links.append((anchor, str(message)))
    return links


@register.filter
def first_box(form: forms.BaseForm) -> str:
    """Where an error about the whole form leads: its first visible box."""
    fields = form.visible_fields()
    return _first_box(fields[0]) if fields else ""
