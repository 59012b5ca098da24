"""Path converters shared by the apps' URLs."""

import datetime


class IsoDateConverter:
    """A date written 2026-09-01 in an address; anything that is not a real date is a 404.

    Records without an opaque id of their own (a KPI value: 100,000-row imports go in with
    COPY) are addressed by their natural key, whose dates are written this way."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # ValueError: no match, so 404

    def to_url(self, value: datetime.date | str) -> str:
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return value.isoformat()
