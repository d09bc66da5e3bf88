"""Numbers and digits as a Persian reader expects them, for labels, tables and chart ticks.

- :func:`persian_digits` — a label's ASCII digits as Persian digits, everything else as written.
- :func:`persian_number` — a number with Persian digits, thousands separator (٬) and decimal point (٫);
  an ISO day ``1402-01-05`` becomes ``۱۴۰۲/۰۱/۰۵``; other text as :func:`persian_digits`.
"""

from __future__ import annotations

import re

_DIGITS_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_NUMBER_TO_PERSIAN = str.maketrans("0123456789.,-", "۰۱۲۳۴۵۶۷۸۹٫٬−")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def persian_digits(text) -> str:
    """``text`` (any value, as ``str``) with ASCII digits written as Persian digits."""
    return str(text).translate(_DIGITS_TO_PERSIAN)


def persian_number(value) -> str:
    """A number (or text) with Persian digits, Persian thousands separator and decimal point."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".translate(_NUMBER_TO_PERSIAN)
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        text = f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:,.1f}"
        return text.translate(_NUMBER_TO_PERSIAN)
    text = str(value)
    if _ISO_DAY.match(text):  # a day: 1402-01-05 -> ۱۴۰۲/۰۱/۰۵
        text = text.replace("-", "/")
    return persian_digits(text)  # text: digits only, punctuation as written


def is_iso_day(text: str) -> bool:
    """Whether ``text`` is a day written ``YYYY-MM-DD``."""
    return bool(_ISO_DAY.match(text))
