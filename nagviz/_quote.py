"""Short, safe quotations of user input for one-line error messages (internal).

An error message that repeats a 3 MB string, or a 10,000-digit integer (whose ``repr``
raises ``ValueError`` in Python 3.11+), is itself a failure. :func:`quote` shows the
first characters of a long string and describes a huge integer by its size.
"""

from __future__ import annotations

import math
import reprlib
from numbers import Integral

#: characters of a long string shown in an error message
QUOTE_LIMIT = 40


def _int_text(value: int) -> str:
    if value.bit_length() <= 128:
        return str(value)
    digits = int(value.bit_length() * math.log10(2)) + 1
    return f"{'-' if value < 0 else ''}<an integer of about {digits:,} digits>"


class _ShortRepr(reprlib.Repr):
    def __init__(self, limit: int):
        super().__init__()
        self.maxstring = self.maxother = limit
        self.maxlist = self.maxtuple = self.maxset = self.maxdict = 8

    def repr_int(self, x, level):
        return _int_text(x)

    def repr_str(self, x, level):
        return quote(x, self.maxstring)


def quote(value, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)``, shortened: at most ``limit`` characters of a string are shown.

    Examples
    --------
    >>> quote("z^2")
    "'z^2'"
    >>> quote("z+" * 1000)
    "'z+z+z+z+z+z+z+z+z+z+z+z+z+z+z+z+z+z+z+z+...' (2,000 characters)"
    >>> quote(10 ** 5000)
    '<an integer of about 5,001 digits>'
    >>> quote((3, 10 ** 200, 1))
    '(3, <an integer of about 201 digits>, 1)'
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return repr(value[:limit])[:-1] + f"...{repr(value)[-1]} ({len(value):,} characters)"
    if isinstance(value, Integral) and not isinstance(value, bool):
        try:
            return _int_text(int(value))
        except Exception:  # noqa: BLE001 - an exotic Integral; describe it by type
            return f"<{type(value).__name__}>"
    try:
        text = _ShortRepr(limit).repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 3 * limit else text[:3 * limit] + "..."
