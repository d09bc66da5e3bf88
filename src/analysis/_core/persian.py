"""The one table of Persian digits and letters, and numbers as a Persian reader expects them.

Digits: :data:`PERSIAN_DIGITS`, :data:`ARABIC_DIGITS` (Arabic-Indic) and :data:`LATIN_DIGITS`;
:func:`latin_digits` reads either script as ASCII, :func:`persian_digits` writes ASCII digits as
Persian ones, :func:`persian_number` writes a number with Persian digits, thousands separator (٬)
and decimal point (٫) (an ISO day ``1402-01-05`` becomes ``۱۴۰۲/۰۱/۰۵``).

Letters: :data:`LETTER_FOLDS` maps the Arabic forms found in Persian text (ي ى ك ة ۀ أ إ ٱ ؤ, the
tatweel and the direction marks) to the Persian letters a reader takes them for;
:func:`persian_letters` applies it, :func:`fold_letters` also drops diacritics and ZWNJ (a key to
match words and names on, whatever their spelling).
"""

from __future__ import annotations

import re
from functools import lru_cache

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

#: Persian and Arabic-Indic digits -> ASCII digits (``str.translate`` table)
TO_LATIN_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, LATIN_DIGITS * 2)

#: Arabic letter forms (and tatweel, direction marks) -> the Persian letter a reader takes them for
LETTER_FOLDS: dict[str, str | None] = {
    "ي": "ی",
    "ى": "ی",
    "ك": "ک",
    "ة": "ه",
    "ۀ": "ه",
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    "ـ": None,  # tatweel
    "\u200f": None,  # right-to-left mark
    "\u200e": None,  # left-to-right mark
}
_LETTER_TABLE = str.maketrans(LETTER_FOLDS)
_DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
_DIGITS_TO_PERSIAN = str.maketrans(LATIN_DIGITS, PERSIAN_DIGITS)
_NUMBER_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ".,-", PERSIAN_DIGITS + "٫٬−")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def latin_digits(text: str) -> str:
    """``text`` with Persian and Arabic-Indic digits replaced by ASCII digits."""
    return text.translate(TO_LATIN_DIGITS)


def persian_letters(text: str) -> str:
    """``text`` with the Arabic letter forms of :data:`LETTER_FOLDS` written as Persian letters."""
    return text.translate(_LETTER_TABLE)


def remove_diacritics(text: str) -> str:
    """``text`` without Arabic diacritics (harakat, tanwin, superscript alef)."""
    return _DIACRITICS.sub("", text)


@lru_cache(maxsize=200_000)
def fold_letters(word: str) -> str:
    """The key of a word for matching: Persian letters, no diacritics, no ZWNJ, no edge spaces."""
    return remove_diacritics(persian_letters(word)).replace("\u200c", "").strip()


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
