"""Decode the bytes of a Persian text file, detecting its encoding per file.

``decode_text(data) -> (text, encoding)`` tries, in order:

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-16 LE/BE (``utf-16``), UTF-32 (``utf-32``);
2. strict UTF-8 (``utf-8``);
3. UTF-16 without a BOM (``utf-16-le`` / ``utf-16-be``): every second byte is a high byte of
   Persian or ASCII text (0x06, 0x00, 0xFB/0xFE presentation forms, 0x20 for ZWNJ and friends);
4. Windows-1256 (``cp1256``), the old Windows code page for Persian, accepted when the decoded text
   is mostly Arabic-script letters, ASCII and punctuation (Latin-1 text or random bytes are not).

Line ends come back as ``\\n`` (CRLF and CR converted). Anything else raises ``UndecodableError`` with
a sentence saying why (binary file of a known kind, NUL bytes, no encoding fits).

Stray control characters (DEL, backspace, U+0001..., which sites' editors leave in crawled text) do
not make a text binary: decoded text that holds a few of them among its letters (at most
``max(16, letters / 4)``, and no NUL) is text, and ``decode_text`` drops them
(``decode_text_counted`` also says how many). More control characters than that, or a NUL byte, and
the bytes are a binary file, as before.
"""

from __future__ import annotations

import codecs
import re

#: magic numbers of binary formats that turn up in crawls, for a readable rejection
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ", "an xz-compressed file"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"PAR1", "a Parquet file"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable program"),
    (b"SQLite format 3", "an SQLite database"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
#: every byte but the control characters of ``_CONTROL``: ``data.translate(None, _NOT_CONTROL)``
#: keeps only the control bytes (in UTF-8 they only occur as themselves), much faster than a regex
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))
#: control characters that are crawl noise when a text holds only a few: all of ``_CONTROL`` but NUL
_STRAY = re.compile(r"[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
#: a letter (any script): what a text is mostly made of
_LETTER = re.compile(r"[^\W\d_]")
#: the letters of this many first characters decide whether the control characters are strays
_STRAY_SAMPLE = 1 << 20
_NEWLINES = re.compile(r"\r\n?")
# Characters a Persian text decoded from cp1256 is made of: ASCII, Arabic block, ZWNJ/ZWJ/marks,
# typographic punctuation, and the presentation forms cp1256 does not produce anyway.
_PLAUSIBLE_1256 = re.compile(r"[\t\n\r\x20-\x7e\u0600-\u06ff\u200c-\u200f\u2013-\u2026«»\u00a0]")
_UTF16_HIGH_BYTES = frozenset(b"\x00\x06\x20\xfb\xfe")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding the loader knows; the message says why."""


def binary_kind(data: bytes) -> str | None:
    """'a PNG image', 'a PDF document'... when the bytes start with a known signature."""
    for magic, kind in BINARY_SIGNATURES:
        if data.startswith(magic):
            return kind
    return None


def _utf16_order(data: bytes) -> str | None:
    """'le' or 'be' when the bytes look like UTF-16 text without a BOM."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    odd, even = sample[1::2], sample[0::2]
    share_odd = sum(b in _UTF16_HIGH_BYTES for b in odd) / len(odd)
    share_even = sum(b in _UTF16_HIGH_BYTES for b in even) / len(even)
    if share_odd >= 0.9 and share_even < 0.5:
        return "le"
    if share_even >= 0.9 and share_odd < 0.5:
        return "be"
    return None


def _clean(text: str) -> str:
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return text


def strays_ok(text: str, n_control: int) -> bool:
    """Whether ``n_control`` control characters in ``text`` are strays in a text (not a binary
    file): no NUL, and at most ``max(16, letters / 4)`` of them (letters counted over the first
    ``_STRAY_SAMPLE`` characters, scaled to the whole text)."""
    if "\x00" in text:
        return False
    sample = text[:_STRAY_SAMPLE]
    letters = _LETTER.subn("", sample)[1]
    if sample is not text:
        letters = letters * len(text) // max(1, len(sample))
    return letters > 0 and n_control <= max(16, letters // 4)


def count_strays(text: str) -> int:
    """Stray control characters (``_STRAY``) in a text."""
    return len(text) - len(_STRAY.sub("", text)) if _STRAY.search(text) else 0


def strip_strays(text: str) -> tuple[str, int]:
    """``text`` without its stray control characters, and how many there were."""
    if not _STRAY.search(text):
        return text, 0
    return _STRAY.subn("", text)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a file's bytes, stray control characters dropped; raises
    ``UndecodableError`` saying why not."""
    text, encoding, _ = decode_text_counted(data)
    return text, encoding


def decode_text_counted(data: bytes, *, strip: bool = True) -> tuple[str, str, int]:
    """(text, encoding name, stray control characters) of a file's bytes; the strays are dropped
    from the text unless ``strip=False`` (a record file counts them record by record)."""
    text, encoding, clean = _decode(data)
    if clean:
        return text, encoding, 0  # the usual case: UTF-8 without a control byte
    if not strip:
        return text, encoding, count_strays(text)
    text, n_strays = strip_strays(text)
    return text, encoding, n_strays


def _has_strays_only(text: str) -> bool:
    """Whether the control characters of a decoded text are strays (``strays_ok``)."""
    return strays_ok(text, _CONTROL.subn("", text)[1])


def _decode(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, whether the text is known to hold no control character)."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig"), "utf-8-sig", False
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and len(data) % 4 == 0:
        try:
            text32 = data.decode("utf-32")
        except UnicodeDecodeError:
            pass
        else:
            if not _CONTROL.search(text32) or _has_strays_only(text32):
                return _clean(text32), "utf-32", False
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16", False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not data.translate(None, _NOT_CONTROL):
        return _clean(text), "utf-8", True
    order = _utf16_order(data)
    if order:
        try:
            text16 = data.decode(f"utf-16-{order}")
        except UnicodeDecodeError:
            text16 = None
        if text16 is not None and (not _CONTROL.search(text16) or _has_strays_only(text16)):
            return _clean(text16), f"utf-16-{order}", False
    kind = binary_kind(data)
    if kind:
        raise UndecodableError(f"binary file ({kind}), not a text article")
    if b"\x00" in data[:8192]:
        raise UndecodableError("binary file (it contains NUL bytes and is not UTF-16 text)")
    if text is not None:  # valid UTF-8 with control characters: a few strays in a text are noise
        if _has_strays_only(text):
            return _clean(text), "utf-8", False
        raise UndecodableError("binary file (it contains control characters that text does not have)")
    text1256 = data.decode("cp1256", errors="replace")
    plausible = len(_PLAUSIBLE_1256.findall(text1256))
    has_arabic = any("\u0600" <= ch <= "\u06ff" for ch in text1256[:20000])
    if has_arabic and "\ufffd" not in text1256 and plausible >= 0.97 * len(text1256):
        return _clean(text1256), "cp1256", False
    raise UndecodableError(
        "undecodable: the bytes are not valid UTF-8 or UTF-16 and do not read as Windows-1256 "
        "Persian text; re-save the file as UTF-8"
    )


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UndecodableError(
            f"undecodable: the file starts with a {encoding.upper()} byte-order mark but byte "
            f"{error.start} is not valid {encoding.upper()}; re-save the file as UTF-8"
        ) from None
    if _CONTROL.search(text) and not _has_strays_only(text):
        raise UndecodableError(f"binary file (decoded as {encoding} it holds control characters)")
    return _clean(text)
