"""Row ids from the outside world (URL parts, paging cursors, select values), range-checked once.

Every table's id is an INTEGER: on PostgreSQL a 32-bit one, and SQLite's driver cannot even bind a
Python int above 2**63 - 1. A hand-typed `/internal/pengaduan/99999999999999999999` or
`?before=2147483648` must be "not found", never a database error: anything outside 1..MAX_ID is
no id at all.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map, ValidationError

#: The largest id any table can hold (PostgreSQL `integer`); ids start at 1.
MAX_ID = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value: object) -> int | None:
    """`value` as a row id when it is one written in ASCII digits within 1..MAX_ID; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > _MAX_DIGITS:
        return None  # isdigit() alone admits "²", which int() refuses; the length check keeps int() cheap
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits within 1..MAX_ID, else the URL matches nothing (404).

    Registered under the name `int` (zi_public.create_app), so every route written `<int:…>` — today's
    and tomorrow's — gets the bound without remembering it.
    """

    regex = r"[0-9]+"  # werkzeug's \d+ also matches "١٢٣"; an id is written in ASCII

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)

    def to_python(self, value: str) -> Any:
        if len(value) > _MAX_DIGITS + 10:  # refuse a 5,000-digit "id" before int() parses it
            raise ValidationError()
        return super().to_python(value)
