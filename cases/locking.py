"""Optimistic locking: an edit carries the version it started from; a stale one is refused.

The refusal lists, field by field, what is stored now ("theirs") and what the editor sent
("yours"), so nobody's work is silently overwritten.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    theirs: str
    yours: str


class StaleVersionError(Exception):
    def __init__(self, changes: list[FieldChange], current_version: int):
        self.changes = changes
        self.current_version = current_version
        super().__init__("stale version")

    def message(self) -> str:
        if not self.changes:
            return _(
                "Quelqu'un d'autre a enregistré cette fiche pendant que vous la modifiiez. "
                "Vérifiez et enregistrez à nouveau."
            )
        details = " ; ".join(
            _("%(label)s : « %(theirs)s » (enregistré) au lieu de « %(yours)s » (vous)")
            % {"label": change.label, "theirs": change.theirs, "yours": change.yours}
            for change in self.changes
        )
        return _(
            "Quelqu'un d'autre a modifié cette fiche pendant que vous la modifiiez ; rien n'a été enregistré. "
            "Différences : %(details)s. Vérifiez puis enregistrez à nouveau si vos valeurs doivent l'emporter."
        ) % {"details": details}


def display_value(instance: models.Model, field_name: str, value=None, *, use_instance=True) -> str:
    """A field value as a person reads it (choice label, dd/mm/yyyy, Oui/Non, related name)."""
    field = instance._meta.get_field(field_name)
    if use_instance:
        value = getattr(instance, field_name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    return str(value)


def stored_value(instance: models.Model, field_name: str):
    """The comparable value: the primary key for relations."""
    field = instance._meta.get_field(field_name)
    if field.is_relation:
        return getattr(instance, field.attname)
    return getattr(instance, field_name)


def comparable(value):
    return value.pk if isinstance(value, models.Model) else value


def check_version(current: models.Model, *, version: int, changes: dict) -> None:
    """Raise StaleVersionError if `current` moved past `version`, listing the differing fields."""
    if current.version == version:
        return
    differences = []
    for name, yours in changes.items():
        if stored_value(current, name) != comparable(yours):
            field = current._meta.get_field(name)
            differences.append(
                FieldChange(
                    field=name,
                    label=str(field.verbose_name),
                    theirs=display_value(current, name),
                    yours=display_value(current, name, yours, use_instance=False),
                )
            )
    raise StaleVersionError(differences, current.version)


def apply_changes(current: models.Model, changes: dict) -> dict:
    """Set the changed fields on `current`; return {field: [before, after]} as text for the audit."""
    audit = {}
    for name, value in changes.items():
        if stored_value(current, name) != comparable(value):
            before = display_value(current, name)
            setattr(current, name, value)
            audit[name] = [before, display_value(current, name)]
    return audit
