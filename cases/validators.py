"""Field validators shared by models, forms and the import."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.countries import is_country

AGDREF_RE = re.compile(r"^\d{10}$")
# A date outside this range is a typo (a year typed with two or five digits).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def normalise_foreigner_number(value: str) -> str:
    """Numbers are often written in groups ("75 12 345678 9"): keep the digits as typed, without spaces."""
    return re.sub(r"[\s.\-]", "", value or "")


def validate_foreigner_number(value: str) -> None:
    if value and not AGDREF_RE.match(value):
        raise ValidationError(
            _("Le numéro étranger (AGDREF) compte exactement 10 chiffres."), code="invalid_foreigner_number"
        )


def validate_plausible_date(value: datetime.date | None) -> None:
    if value is not None and not (EARLIEST_DATE <= value <= LATEST_DATE):
        raise ValidationError(_("Cette date n'est pas plausible : vérifiez l'année."), code="implausible_date")


def validate_nationality(value: str) -> None:
    if value and not is_country(value):
        raise ValidationError(
            _("« %(code)s » n'est pas un pays connu : choisissez la nationalité dans la liste."),
            code="unknown_country",
            params={"code": value},
        )
