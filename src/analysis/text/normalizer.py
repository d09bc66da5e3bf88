"""Persian text pipeline: normalisation, word tokens, sentences, stopwords, lemmas and stems.

Faithful to hazm 0.12 (``Normalizer().normalize`` and ``WordTokenizer().tokenize``, with hazm's own
lexicons: ``words.dat``, ``verbs.dat``, the Lemmatizer's conjugations, loaded once, lazily) and
more than ten times faster. The passes over every character or token (the character table,
spacing and ZWNJ joins from the lexicon, affix and punctuation spacing, the tokenizer's split,
verb parts, the punctuation filter) have two implementations that give the same results:

- compiled (``analysis.text._speedups``, Cython), built by ``pip install`` where a C compiler
  exists: one scan of the text into token spans, token strings made only where a look-up is
  needed, bit tables of word shapes that rule out most look-ups;
- pure Python, used where the extension is not built (or with ``ANALYSIS_PURE_PYTHON=1``), about
  half as fast: one numpy look-up table does every character mapping, patterns are rewritten to
  start with a literal (Python's ``re`` then skips straight to candidates) or to test characters
  against a bitmap, merged or skipped when a cheap test shows they cannot match; the dictionary
  look-ups test every pair of tokens with chained C-level ``map`` calls.

``IMPLEMENTATION`` says which one this process uses. Each rewritten pattern has a property test
against hazm's own, each compiled pass one against its Python twin; ``bench/speed/text_speed.py``
measures speed and agreement against hazm.

Deliberate differences from hazm (each has a test in ``tests/test_text.py``):

- a decimal number stays one token («۱۲٫۵»; hazm writes it so and then splits it at «٫»);
- a ZWNJ that is not between two letters is dropped (hazm keeps some, e.g. next to a digit);
- kashida and special marks are removed *before* spacing is corrected, so they leave no double
  ZWNJ and no stray space;
- ``normalize`` is idempotent (hazm's is not, e.g. for «. . .» or «1.2.3»);
- a verb auxiliary at the very end of a text (``... خواهد``) is kept, where hazm drops it;
- ``sentences`` also ends a sentence at a line break, so a title or a heading without a full stop
  does not run into the next paragraph.

Bad input never raises: ``None``, NaN and empty text give ``""`` / ``[]``; other non-text values are
converted with ``str``; text in other scripts passes through.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache, partial
from itertools import compress, filterfalse, islice, repeat
from typing import NamedTuple

from analysis._core.persian import ARABIC_DIGITS, LATIN_DIGITS, PERSIAN_DIGITS

ZWNJ = "\u200c"
#: ``df.attrs`` key set on a table whose text went through :func:`normalize`
NORMALIZED = "normalized"
PERSIAN_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"

# ---------------------------------------------------------------------------------------------
# Lexicons (hazm's data files, loaded once on first use)


@dataclass(frozen=True)
class _Lexicon:
    words: dict  # word -> (count, pos tags), hazm words.dat
    joinable_words: frozenset  # words with a positive count plus all normalizer verb forms
    # tail -> frozenset of the tokens it could join after: the texts it joins to form a joinable
    # word and, for a suffix, every word (a superset: token_spacing checks each hit exactly)
    join_heads: dict
    verbs: frozenset  # verb forms hazm's Normalizer knows (Lemmatizer(joined_verb_parts=False))
    suffixes: frozenset  # hazm SUFFIXES
    before_verbs: frozenset  # خواهم ... (WordTokenizer verb-part joining)
    after_verbs: frozenset  # است، شده_است ...
    participles: frozenset  # past participles «رفته»، «نرفته»
    verb_part_starts: frozenset  # before_verbs | participles
    # bit tables with which the compiled passes skip most set look-ups (None without them)
    prefilters: object = None


@cache
def _lexicon() -> _Lexicon:
    from hazm import Lemmatizer, WordTokenizer
    from hazm.constants import SUFFIXES

    tokenizer = WordTokenizer()  # join_verb_parts=True: builds the verb-part sets
    words = tokenizer.words
    verbs = frozenset(Lemmatizer(joined_verb_parts=False).verbs)
    joinable = {w for w, (count, _) in words.items() if count > 0} | verbs
    heads: dict[str, set] = {suffix: set() for suffix in SUFFIXES}
    for item in joinable:
        if ZWNJ in item:
            parts = item.split(ZWNJ)
            for i in range(1, len(parts)):
                heads.setdefault(ZWNJ.join(parts[i:]), set()).add(ZWNJ.join(parts[:i]))
    after_words = frozenset(words).union(*(heads[suffix] for suffix in SUFFIXES))
    lexicon = _Lexicon(
        words=words,
        joinable_words=frozenset(joinable),
        join_heads={
            tail: after_words if tail in SUFFIXES else frozenset(h) for tail, h in heads.items()
        },
        verbs=verbs,
        suffixes=frozenset(SUFFIXES),
        before_verbs=frozenset(tokenizer.before_verbs),
        after_verbs=frozenset(tokenizer.after_verbs),
        participles=frozenset(tokenizer.verbe),
        verb_part_starts=frozenset(tokenizer.before_verbs | tokenizer.verbe),
    )
    if COMPILED_PASSES is None:
        return lexicon
    from analysis.text import _speedups as _text_speedups

    return replace(lexicon, prefilters=_text_speedups.prefilters(lexicon))


def load_lexicons() -> None:
    """Load hazm's lexicons now (a few seconds) rather than on the first call; e.g. before forking."""
    _lexicon()


# ---------------------------------------------------------------------------------------------
# Character tables

# The numpy table works on UTF-16 code units: characters beyond the BMP are surrogate pairs that
# map to themselves (no mapping touches them), and the table is small enough to stay in cache.
# Its last two entries are markers; the noncharacters U+FFFE and U+FFFF themselves, like every
# character that becomes several, send the text to str.translate.
_DELETE = 0xFFFE  # marks a deleted character in the numpy look-up table
_EXPAND = 0xFFFF  # marks a character that becomes several (numpy can't; str.translate does)
_NUMPY_MIN_LENGTH = 256  # shorter texts are translated with str.translate


@dataclass(frozen=True)
class _CharTable:
    mapping: dict  # str.translate table (ord -> str or None)
    lookup: object  # numpy uint16 array over UTF-16 code units: new unit, _DELETE or _EXPAND
    letters: object  # numpy bool array over UTF-16 code units: a Persian letter


def _compose(*tables: dict) -> dict:
    """One translate table equivalent to applying ``tables`` one after the other."""
    keys = set().union(*tables)
    composed = {}
    for key in keys:
        out = chr(key)
        for table in tables:
            out = out.translate(table)
        if out != chr(key):
            composed[key] = out or None
    return composed


@lru_cache(maxsize=16)
def _char_table(
    persian_numbers: bool, latin_numbers: bool, remove_diacritics: bool,
    remove_specials_chars: bool, unicodes_replacement: bool, correct_spacing: bool,
) -> _CharTable:
    """Every character mapping of hazm's normalizer as one table.

    hazm applies these in steps (Arabic->Persian letters, digits, diacritics, ligatures, special
    marks, and kashida/CR inside spacing correction); they commute with the regex steps between
    them except in contrived cases, so one pass does them all.
    """
    import numpy as np
    from hazm.constants import (
        DIACRITICS_PATTERNS, NUMBERS_DST, NUMBERS_SRC, SPECIAL_CHARS_PATTERNS, TRANSLATION_DST,
        TRANSLATION_SRC, UNICODE_REPLACEMENTS,
    )

    tables = [{ord(a): b for a, b in zip(TRANSLATION_SRC, TRANSLATION_DST, strict=False)}]
    if latin_numbers:
        digits = PERSIAN_DIGITS + ARABIC_DIGITS
        tables.append({ord(a): LATIN_DIGITS[i % 10] for i, a in enumerate(digits)} | {ord("٪"): "%"})
    elif persian_numbers:
        tables.append({ord(a): b for a, b in zip(NUMBERS_SRC, NUMBERS_DST, strict=True)})
    if remove_diacritics:
        tables.append({ord(c): None for c in _class_chars(DIACRITICS_PATTERNS[0][0])})
    if correct_spacing:
        tables.append({ord("ـ"): None, ord("\r"): None})
    if unicodes_replacement:
        # hazm uses str.replace; its "(ﷰ|ﷹ)" and "ﻵ|ﻶ|..." entries are literal strings that never
        # occur, so only the single-character entries have an effect.
        tables.append({ord(old): new for old, new in UNICODE_REPLACEMENTS if len(old) == 1})
    if remove_specials_chars:
        tables.append({ord(c): None for c in _class_chars(SPECIAL_CHARS_PATTERNS[0][0])})
    mapping = _compose(*tables)
    lookup = np.arange(0x10000, dtype=np.uint16)
    lookup[[_DELETE, _EXPAND]] = _EXPAND
    for key, value in mapping.items():  # all BMP characters (hazm's tables)
        lookup[key] = (
            _DELETE if value is None else ord(value) if len(value) == 1 and ord(value) < _DELETE
            else _EXPAND
        )
    letters = np.zeros(0x10000, dtype=bool)
    letters[[ord(c) for c in PERSIAN_LETTERS]] = True
    return _CharTable(
        mapping=mapping,
        lookup=lookup,
        letters=letters,
    )


def _class_chars(char_class: str) -> list[str]:
    """Characters of a ``[\\uXXXX...]`` regex character class."""
    body = char_class.strip("[]")
    return [chr(int(code, 16)) for code in re.findall(r"\\u([0-9a-fA-F]{4})", body)] + [
        c for c in re.sub(r"\\u[0-9a-fA-F]{4}", "", body)
    ]


def _translate(text: str, table: _CharTable) -> tuple[str, bool]:
    """``text`` through the table, and whether it has a Persian letter three times in a row."""
    import numpy as np

    if len(text) >= _NUMPY_MIN_LENGTH:
        try:
            codes = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)
        except UnicodeEncodeError:  # lone surrogates
            codes = None
        if codes is not None:
            codes = table.lookup[codes]
            marked = codes >= _DELETE  # deleted or expanding characters (the two markers)
            if marked.any():
                codes = None if (codes == _EXPAND).any() else codes[~marked]
        if codes is not None:
            text = codes.tobytes().decode("utf-16-le")
            same = codes[1:] == codes[:-1]
            same = same[1:] & same[:-1]
            return text, bool(table.letters[codes[2:][same]].any())
    text = text.translate(table.mapping)
    return text, _TRIPLE_LETTER_RE.search(text) is not None


# ---------------------------------------------------------------------------------------------
# Patterns: hazm.constants, precompiled; some are rewritten to start with a literal character
# (Python's re then skips quickly to candidates) and the rest only run when a cheap test shows
# they can match. Each rewrite gives the same result as hazm's pattern.

_L = f"[{PERSIAN_LETTERS}]"
_PUNC_AFTER = r"\.:!،؛؟»\]\)\}"
_PUNC_BEFORE = r"«\[\(\{"
_TRIPLE_LETTER_RE = re.compile(rf"({_L})\1\1")


def _sub(pattern: str, repl: str) -> tuple[re.Pattern, str]:
    return re.compile(pattern), repl


_QUOTES = _sub(r'"([^\n"]+)"', r"«\1»")
_DECIMAL_POINT = _sub(r"([\d+])\.([\d+])", r"\1٫\2")
_DECIMAL_POINT_TEST = re.compile(r"\.[\d+]")
_ELLIPSIS = _sub(r" ?\.\.\.", " …")
_SPACES = _sub(r" {2,}", " ")
_NEWLINES = _sub(r"\n{3,}", "\n\n")
_DOUBLE_ZWNJ = _sub(r"\u200c{2,}", "\u200c")
# Guards for rare multi-character needles: ``needle in text`` is slow on Persian text (str's
# search skips ahead with a filter on the low 6 bits of code points, and «ی» (U+06CC) shares
# them with ZWNJ (U+200C), space with U+06A0...); re's literal search is about twice as fast.
_THREE_NEWLINES_RE = re.compile("\n\n\n")
_THREE_DOTS_RE = re.compile(r"\.\.\.")
_TWO_ZWNJ_RE = re.compile("\u200c\u200c")
_TWO_SPACES_RE = re.compile("  ")
_HEH_HEH_RE = re.compile("هها")
# hazm AFFIX_SPACING_PATTERNS
_HEH_YEH = _sub(r"ه ی (?<=[^ ]ه ی )", "ه\u200cی ")  # ([^ ]ه) ی  -> \1‌ی
# «می» or «نمی» as a whole token followed by a space (hazm: "(^| )(ن?می) " -> "\1\2‌"); the
# pattern starts with the literal «می », which re finds quickly, and looks back for the token start
_MI_TOKEN_RE = re.compile(r"می (?:(?<=(?<![^ ])می )|(?<=(?<![^ ])نمی ))")
_SUFFIX = _sub(
    rf" (?=تر|گر|ها)(?<=[^\n\d {_PUNC_AFTER}{_PUNC_BEFORE}]{{2}} )(تر(ین?)?|گری?|های?)"
    rf"(?=[ \n{_PUNC_AFTER}{_PUNC_BEFORE}]|$)",
    "\u200c\\1",
)
_HEH_ENCLITIC = _sub(rf"ه ا(?<=[^ ]ه ا)(م|یم|ش|ند|ی|ید|ت)(?=[ \n{_PUNC_AFTER}]|$)", "ه\u200cا\\1")
# hazm PUNCTUATION_SPACING_PATTERNS
_SPACED_QUOTES = _sub(r'" ([^\n"]+) "', r'"\1"')
_STRAY_ZWNJ_RE = re.compile(r"\u200c(?:(?<![^\W\d_]\u200c)|(?![^\W\d_]))")
_SPACE_BEFORE_CLOSING_RE = re.compile(f" (?=[{_PUNC_AFTER}])")
_NO_SPACE_AFTER = "«[({"  # hazm PUNC_BEFORE
# hazm's next three rules as one pass (a space after «. :» unless a digit follows, after
# «! ، ؛ ؟ » ] ) }», and before an opening mark). Run one after the other, the third never fires
# after a closing mark (the first two already put a space there), so here it looks at other
# characters only.
_PUNCTUATION_SPACE_RE = re.compile(
    rf"[{_PUNC_AFTER}{_PUNC_BEFORE}](?:(?<=[.:])(?=[^ {_PUNC_AFTER}\d{PERSIAN_DIGITS}])"
    rf"|(?<=[!،؛؟»\]\)\}}])(?=[^ {_PUNC_AFTER}])|(?<=[^ {_PUNC_AFTER}{_PUNC_BEFORE}][{_PUNC_BEFORE}]))"
)


def _spaced_punctuation(match: re.Match) -> str:
    mark = match.group()
    return " " + mark if mark in _NO_SPACE_AFTER else mark + " "


_MI_WORD_RE = re.compile(rf"می(?:(?<=\bنمی)|(?<=\bمی)){_L}+")
_REPEATED_WORD_RE = re.compile(rf"{_L}*({_L})\1{{2,}}{_L}*")
_MORE_THAN_TWO_RE = re.compile(rf"({_L})\1{{2,}}")

# hazm's WordTokenizer sets apart ``([؟!?]+|[\d.:]+|[:.،؛»\])}"«\[({/\\])`` and splits on spaces.
# Here the same groups are one pattern that starts with a character class (Python's re scans for
# that much faster than for an alternation) used to space them out before a plain ``str.split``.
# One deliberate difference: a Persian decimal separator between digits stays inside the number
# («۱۲٫۵» is one token; hazm makes «۱۲» «٫» «۵» of it, after turning «12.5» into «12٫5» itself).
# The pattern's first character class lists the BMP digits (what ``\d`` matches below U+10000) as
# ranges rather than ``\d`` itself: re then tests each character against a bitmap instead of the
# Unicode database, which halves the scan. Text with characters beyond the BMP (emoji, rare
# scripts) uses the plain ``\d`` pattern, so non-BMP digits still count as digits.
_PUNCT_CHARS = r':.،؛»\])}"«\[({/\\'
_PUNCT_GROUP = r'([؟!?{digits}.:{chars}](?:(?<=[؟!?])[؟!?]*|(?<=[\d.:])(?:[\d.:]|٫(?=\d))*|))'


def _bmp_ranges(category: str) -> str:
    """The characters a regex ``category`` (``\\d``, ``\\w``) matches below U+10000, as a
    character-class body of ranges."""
    codes = {ord(c) for c in re.findall(category, "".join(map(chr, range(0x10000))))}
    starts = sorted(c for c in codes if c - 1 not in codes)
    ends = sorted(c for c in codes if c + 1 not in codes)
    return "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in zip(starts, ends, strict=True))


def _in_bmp(text: str) -> bool:
    """Whether every character of ``text`` is below U+10000 (one UTF-16 code unit each)."""
    return len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)


_PUNCT_GROUP_RE = re.compile(_PUNCT_GROUP.format(digits=r"\d", chars=_PUNCT_CHARS))
# Runs of characters that are neither word characters nor spaces: every token without a word
# character (punctuation, «…», «-») is one of them.
_NO_WORD_RUN_RE = re.compile(r"[^\w ]+")


@cache
def _bmp_patterns() -> tuple[re.Pattern, re.Pattern]:
    """:data:`_PUNCT_GROUP_RE` and :data:`_NO_WORD_RUN_RE` for text all in the BMP, with ``\\d`` and
    ``\\w`` spelled out as ranges. Built on first use: that takes about 60 ms, which the compiled
    passes never need."""
    return (
        re.compile(_PUNCT_GROUP.format(digits=_bmp_ranges(r"\d"), chars=_PUNCT_CHARS)),
        re.compile(f"[^{_bmp_ranges(r'\w')} ]+"),
    )


def _space_out_groups(text: str) -> str:
    """``text`` with a space on each side of every punctuation group and number (hazm's pattern).

    ``" ".join(pattern.split(text))`` (the pattern is one capturing group) gives what
    ``pattern.sub(" \\g<0> ", text)`` gives, a fifth faster.
    """
    pattern = _bmp_patterns()[0] if _in_bmp(text) else _PUNCT_GROUP_RE
    return " ".join(pattern.split(text))


_SENTENCE_END_RE = re.compile(r"([!.?⸮؟]+)[ \n]+")


def _word_tokens(tokens: list[str]) -> list[str]:
    """``tokens`` without those that have no word character (punctuation).

    Such a token is a whole run of non-word characters of the tokens joined by spaces, so one
    ``findall`` collects them all (with runs inside words, e.g. a ZWNJ, which no whole token
    equals) and one C-level filter drops them; no regex runs per token.
    """
    spaced = " ".join(tokens)
    no_word = set((_bmp_patterns()[1] if _in_bmp(spaced) else _NO_WORD_RUN_RE).findall(spaced))
    return list(filterfalse(no_word.__contains__, tokens)) if no_word else tokens


# ---------------------------------------------------------------------------------------------
# Normalisation


def as_text(text) -> str:
    """``text`` as ``str``: None/NaN/NA give ``""``, bytes are decoded, other values use ``str``."""
    if isinstance(text, str):
        return text
    if text is None:
        return ""
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", errors="replace")
    if isinstance(text, float) and math.isnan(text):
        return ""
    try:
        import pandas as pd

        if pd.isna(text) is True:
            return ""
    except (TypeError, ValueError):
        pass
    return str(text)


def normalize(
    text,
    *,
    correct_spacing: bool = True,
    remove_diacritics: bool = True,
    remove_specials_chars: bool = True,
    decrease_repeated_chars: bool = True,
    persian_style: bool = True,
    persian_numbers: bool = True,
    unicodes_replacement: bool = True,
    seperate_mi: bool = True,
    latin_numbers: bool = False,
) -> str:
    """Normalised Persian text, as hazm's ``Normalizer(**options).normalize(text)`` gives it.

    Arabic letters become Persian, digits one form (Persian; ``latin_numbers=True`` for 0-9),
    diacritics, kashida and special marks go, ZWNJ is repaired («می‌»، «‌ها»، «‌ترین» ...) and spaces
    around punctuation corrected. The options are hazm's (including its spelling ``seperate_mi``).
    """
    text = as_text(text)
    if not text:
        return ""
    table = _char_table(
        persian_numbers, latin_numbers, remove_diacritics, remove_specials_chars,
        unicodes_replacement, correct_spacing,
    )
    text, has_triple_letter = _PASSES.translate(text, table)
    if persian_style:
        text = _persian_style(text)
    if correct_spacing:
        text = _correct_spacing(text, _lexicon())
    if decrease_repeated_chars and has_triple_letter:
        text = _decrease_repeated_chars(text)
    if seperate_mi:
        text = _separate_mi(text)
    if correct_spacing:
        text = _settle(text, persian_style)
    return text


def _persian_style(text: str) -> str:
    """hazm ``persian_style``: "..." -> «...», «۱۲.۵» -> «۱۲٫۵», «...» -> « …»."""
    if '"' in text:
        text = _QUOTES[0].sub(_QUOTES[1], text)
    if _DECIMAL_POINT_TEST.search(text):
        text = _DECIMAL_POINT[0].sub(_DECIMAL_POINT[1], text)
    if _THREE_DOTS_RE.search(text):
        text = _ELLIPSIS[0].sub(_ELLIPSIS[1], text)
    return text


def _separate_mi(text: str) -> str:
    """hazm ``seperate_mi``: «میگفت» -> «می‌گفت» where that is a known verb form."""
    return _MI_WORD_RE.sub(_mi_replacement, text) if "می" in text else text


def _settle(text: str, persian_style: bool = True) -> str:
    """Fix the few spots where one pass of hazm's steps leaves work for a second pass, so that
    ``normalize`` is idempotent (hazm's is not): a ZWNJ that is not between two letters goes, and
    quotes that only became a pair once spaced out become guillemets."""
    if persian_style and _DECIMAL_POINT_TEST.search(text):
        settled = _DECIMAL_POINT[0].sub(_DECIMAL_POINT[1], text)
        while settled != text:  # «۱.۲.۳»: each pass converts every other point
            text, settled = settled, _DECIMAL_POINT[0].sub(_DECIMAL_POINT[1], settled)
    if persian_style and _THREE_DOTS_RE.search(text):
        text = _ELLIPSIS[0].sub(_ELLIPSIS[1], text).replace("\n ", "\n").strip(" ")
    if persian_style and '"' in text:
        text = _QUOTES[0].sub(_QUOTES[1], text)
        text = _close_up_marks(text)
    if ZWNJ in text:
        text, removed = _STRAY_ZWNJ_RE.subn("", text)
        if removed and _TWO_SPACES_RE.search(text):
            text = _SPACES[0].sub(" ", text)
    if _THREE_NEWLINES_RE.search(text):
        text = _NEWLINES[0].sub("\n\n", text)
    return text


def _correct_spacing(text: str, lexicon: _Lexicon) -> str:
    """hazm ``Normalizer.correct_spacing``: tokens, ZWNJ joins from the lexicon, affixes, punctuation."""
    passes = _PASSES
    return passes.punctuation_spacing(passes.affix_spacing(passes.lexicon_spacing(text, lexicon)))


def _lexicon_spacing(text: str, lexicon: _Lexicon) -> str:
    """The tokens of ``text`` (:func:`_spacing_tokens`) joined by spaces, and by a ZWNJ where the
    lexicon knows the compound (:func:`_token_spacing`)."""
    return _token_spacing(_spacing_tokens(text), lexicon)


def _spacing_tokens(text: str) -> list[str]:
    """The tokens hazm's ``correct_spacing`` starts from, with a ``"\\n"`` token between lines
    (it stops joins across lines).

    hazm first trims spaces and ZWNJs with regexes, then tokenizes each line and joins the tokens
    with single spaces, which already trims and collapses spaces; here punctuation and numbers are
    spaced out once, every ZWNJ that is not between two letters is dropped (a superset of hazm's
    four ZWNJ rules, which leave e.g. one before a digit), and empty pieces vanish in the split.
    Kashida and CR went with the character table.
    """
    if "\t" in text:
        text = text.replace("\t", " ")
    if _THREE_NEWLINES_RE.search(text):
        text = _NEWLINES[0].sub("\n\n", text)
    text = _space_out_groups(text)
    if ZWNJ in text:
        if _TWO_ZWNJ_RE.search(text):
            text = _DOUBLE_ZWNJ[0].sub(ZWNJ, text)
        text = _STRAY_ZWNJ_RE.sub("", text)
    return list(filter(None, text.replace("\n", " \n ").split(" ")))


def _affix_spacing(text: str) -> str:
    """hazm's affix rules on the joined tokens (ZWNJ before «ی»، after «می»، before «ها»، «تر» ...),
    after the spaces around line breaks go."""
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    text = _HEH_YEH[0].sub(_HEH_YEH[1], text)  # (its literal start is found quicker than " ی ")
    if "می " in text:
        text = _separate_mi_prefix(text)
    text = _SUFFIX[0].sub(_SUFFIX[1], text)
    text = _HEH_ENCLITIC[0].sub(_HEH_ENCLITIC[1], text)
    if _HEH_HEH_RE.search(text):
        text = text.replace("هها", "ه\u200cها")
    if '"' in text:
        text = _SPACED_QUOTES[0].sub(_SPACED_QUOTES[1], text)
    return text


def _close_up_marks(text: str) -> str:
    r"""hazm's first two punctuation spacing rules: no space before a closing mark, none after an
    opening one.

    hazm's " ([.:!،؛؟»\]\)\}])" -> r"\1", then "([«\[\(\{]) " -> r"\1"; plain replacements do the
    same (no match of one mark can overlap a match of another), and the one-character test first is
    much quicker than looking for the pair.
    """
    text = _SPACE_BEFORE_CLOSING_RE.sub("", text)
    for mark in _NO_SPACE_AFTER:
        if mark in text:
            text = text.replace(mark + " ", mark)
    return text


def _punctuation_spacing(text: str) -> str:
    """hazm's punctuation spacing rules: no space before closing or after opening marks, one after
    closing and before opening marks."""
    text = _close_up_marks(text)
    # hazm's next three rules, as one pass
    text = _PUNCTUATION_SPACE_RE.sub(_spaced_punctuation, text)
    # hazm's last two rules put a space between a digit and a letter; here they never match (every
    # number was spaced out above, and no lexicon word that could join has a digit), so skip them
    return text


def _separate_mi_prefix(text: str) -> str:
    """hazm's ``(^| )(ن?می) `` -> ``\\1\\2‌``: the space after a «می»/«نمی» token becomes a ZWNJ.

    hazm's match takes the space after the token, so the next token cannot use it as the space in
    front: in «می می X» only the first is joined. That is kept here: a token that starts where the
    last joined one ended is left alone.
    """
    pieces, position, joined_end = [], 0, -1
    for match in _MI_TOKEN_RE.finditer(text):
        start, end = match.start(), match.end()
        if start and text[start - 1] == "ن" and (start == 1 or text[start - 2] == " "):
            start -= 1  # «نمی»
        if start == joined_end:
            continue
        pieces.append(text[position:end - 1])
        pieces.append(ZWNJ)
        position = joined_end = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


_INDICES: list[int] = list(range(4096))
_NO_HEADS: frozenset = frozenset()


def _indices(n: int) -> list[int]:
    """0, 1, 2, ... (at least ``n`` of them), kept between calls: ``compress`` over ready-made ints
    is twice as fast as over ``range``, which makes a new int object for every item."""
    if len(_INDICES) < n:
        _INDICES.extend(range(len(_INDICES), 2 * n))
    return _INDICES


def _token_spacing(tokens: list[str], lexicon: _Lexicon) -> str:
    """``" ".join(hazm Normalizer.token_spacing(tokens))``: ZWNJ-join tokens the lexicon knows.

    hazm tries every adjacent pair in a Python loop; about one pair in a hundred joins. A join needs
    ``previous + ZWNJ + token`` to be a known word or verb, or ``token`` to be a suffix after a
    known word; either way ``previous`` is in ``lexicon.join_heads[token]``. So two chained C-level
    ``map`` calls test every pair at once (a set look-up for the token, a membership test for the
    one before it), and hazm's exact left-to-right logic runs only over the hits and the tokens
    right after a join. ``tokens`` (none may start with a ZWNJ: spacing correction drops any ZWNJ
    that is not between two letters) is changed in place.
    """
    n = len(tokens)
    if n < 2:
        return " ".join(tokens)
    join_heads = lexicon.join_heads  # its keys: every token that could end a join
    # pair i (tokens[i], tokens[i + 1]) could join iff tokens[i] is in the set of tokens[i + 1]
    head_sets = map(join_heads.get, islice(tokens, 1, None), repeat(_NO_HEADS))
    hits = list(compress(islice(_indices(n), 1, n), map(frozenset.__contains__, head_sets, tokens)))
    if not hits:
        return " ".join(tokens)
    merged = _lexicon_joins(hits, tokens.__getitem__, n, lexicon)
    if not merged:
        return " ".join(tokens)
    # a joined token gets a leading ZWNJ, which then replaces the space in front of it (no token
    # starts with a ZWNJ, so " " + ZWNJ occurs nowhere else)
    for t in merged:
        tokens[t] = ZWNJ + tokens[t]
    return " ".join(tokens).replace(" " + ZWNJ, ZWNJ)


def _lexicon_joins(
    hits: list[int], token_at: Callable[[int], str], n: int, lexicon: _Lexicon,
) -> dict[int, str]:
    """hazm's left-to-right ZWNJ joins (``Normalizer.token_spacing``) over the pairs that could join.

    ``hits`` are the indices of those pairs' second tokens, in order; ``token_at(i)`` is token ``i``
    of ``n``. Gives the index of every joined token -> the whole joined word ending there. Both
    implementations of the passes use it.
    """
    joinable, verbs, words, suffixes, join_heads = (
        lexicon.joinable_words, lexicon.verbs, lexicon.words, lexicon.suffixes, lexicon.join_heads,
    )
    hit_set = set(hits)
    last = n - 1
    merged: dict[int, str] = {}
    for t in hits:
        while True:
            token = token_at(t)
            previous = merged.get(t - 1)
            if previous is None:
                previous = token_at(t - 1)
            pair = previous + ZWNJ + token
            if pair in joinable:
                joined = not (t < last and f"{token}_{token_at(t + 1)}" in verbs)
            else:
                joined = token in suffixes and previous in words
            if not joined:
                break
            merged[t] = pair
            # the next token now follows a longer word: hazm tries it again even if its plain
            # pair failed
            if t < last and t + 1 not in hit_set and token_at(t + 1) in join_heads:
                t += 1
                continue
            break
    return merged


def _decrease_repeated_chars(text: str) -> str:
    """hazm ``decrease_repeated_chars``: a letter repeated 3+ times becomes 1 or 2, per the lexicon."""
    return _REPEATED_WORD_RE.sub(_shortened, text)


def _shortened(match: re.Match) -> str:
    return _shortened_word(match.group())


@lru_cache(maxsize=8192)
def _shortened_word(word: str) -> str:
    words = _lexicon().words
    if word in words:
        return word
    no_repeat = _MORE_THAN_TWO_RE.sub(r"\1", word)
    two_repeat = _MORE_THAN_TWO_RE.sub(r"\1\1", word)
    if (no_repeat in words) != (two_repeat in words):
        return no_repeat if no_repeat in words else two_repeat
    return two_repeat


@lru_cache(maxsize=65536)
def _mi_word(word: str) -> str:
    """hazm ``seperate_mi`` of one word: «میگفت» -> «می‌گفت» when that is a known verb form."""
    joined = word.replace("می", "می" + ZWNJ, 1)
    return joined if joined in _lexicon().verbs else word


def _mi_replacement(match: re.Match) -> str:
    start = match.start()
    if start and match.string[start - 1] == "ن":  # the match began after «ن» of «نمی»
        return _mi_word("ن" + match.group())[1:]
    return _mi_word(match.group())


# ---------------------------------------------------------------------------------------------
# Tokens and sentences


def tokenize(text, *, punctuation: bool = False, join_verb_parts: bool = True) -> list[str]:
    """Word tokens of (normalised) text, as hazm's ``WordTokenizer().tokenize`` gives them.

    ZWNJ compounds stay one token («کتاب‌ها»), numbers are tokens, multi-part verbs are joined with
    ``_`` like hazm («گفته_شده_است»; ``join_verb_parts=False`` keeps them apart). Punctuation tokens
    are dropped unless ``punctuation=True``. Run :func:`normalize` first.
    """
    text = as_text(text)
    if not text:
        return []
    passes = _PASSES
    tokens = passes.raw_tokens(text)
    if join_verb_parts and len(tokens) > 1:
        tokens = passes.join_verb_parts(tokens, _lexicon())
    if not punctuation:  # after the joins: a joined token has «_», a word character
        tokens = passes.word_tokens(tokens)
    return tokens


def _raw_tokens(text: str) -> list[str]:
    """hazm's raw tokens: ``text`` split at spaces, tabs and line breaks, each punctuation group and
    number a token of its own."""
    if "\n" in text:
        text = text.replace("\n", " ")
    if "\t" in text:
        text = text.replace("\t", " ")
    return list(filter(None, _space_out_groups(text).split(" ")))


def _join_verb_parts(tokens: list[str], lexicon: _Lexicon) -> list[str]:
    """hazm ``WordTokenizer.join_verb_parts``: «گفته» «شده» «است» -> «گفته_شده_است».

    hazm walks right to left and joins a token to the group on its right when the token is a future
    auxiliary («خواهد») or a participle followed by an auxiliary group; only those tokens are tried.
    Unlike hazm, an auxiliary at the very end of the text is kept instead of being dropped.
    """
    starts = lexicon.verb_part_starts
    candidates = list(compress(_indices(len(tokens)), map(starts.__contains__, tokens)))
    if not candidates:
        return tokens
    return _verb_groups_joined(tokens, candidates, lexicon)


def _verb_groups_joined(tokens: list[str], candidates: list[int], lexicon: _Lexicon) -> list[str]:
    """``tokens`` with hazm's verb groups joined, trying the tokens at ``candidates`` (ascending
    indices of the tokens that could start a group). Both implementations of the passes use it."""
    before, after, participles = lexicon.before_verbs, lexicon.after_verbs, lexicon.participles
    last = len(tokens) - 1
    groups: dict[int, tuple[str, int]] = {}  # start index -> (joined text, end index)
    for t in reversed(candidates):
        if t == last:
            continue
        token = tokens[t]
        right, right_end = groups.get(t + 1, (tokens[t + 1], t + 1))
        if token in before or (token in participles and right in after):
            groups.pop(t + 1, None)
            groups[t] = (f"{token}_{right}", right_end)
    if not groups:
        return tokens
    out: list[str] = []
    position = 0
    for start in sorted(groups):
        text, end = groups[start]
        out.extend(tokens[position:start])
        out.append(text)
        position = end + 1
    out.extend(tokens[position:])
    return out


# ---------------------------------------------------------------------------------------------
# The passes over every token or character: compiled where the extension is built, else the
# Python code above


class _Passes(NamedTuple):
    """One implementation of the passes that have a compiled twin; both give the same results."""

    translate: Callable[[str, _CharTable], tuple[str, bool]]
    lexicon_spacing: Callable[[str, _Lexicon], str]
    affix_spacing: Callable[[str], str]
    punctuation_spacing: Callable[[str], str]
    raw_tokens: Callable[[str], list[str]]
    join_verb_parts: Callable[[list[str], _Lexicon], list[str]]
    word_tokens: Callable[[list[str]], list[str]]


PYTHON_PASSES = _Passes(
    _translate, _lexicon_spacing, _affix_spacing, _punctuation_spacing, _raw_tokens,
    _join_verb_parts, _word_tokens,
)


def _compiled_passes() -> _Passes | None:
    """The compiled twins (``analysis.text._speedups``), or None where the extension was not built
    or the environment sets ``ANALYSIS_PURE_PYTHON=1``."""
    if os.environ.get("ANALYSIS_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        from analysis.text import _speedups as compiled
    except ImportError:
        return None
    missing = [name for name in (*_Passes._fields, "prefilters") if not hasattr(compiled, name)]
    if missing:
        import warnings

        warnings.warn(
            f"analysis.text._speedups is out of date (no {', '.join(missing)}); using the Python "
            "passes. Rebuild it with: pip install -e .", RuntimeWarning, stacklevel=2,
        )
        return None
    passes = _Passes(*(getattr(compiled, name) for name in _Passes._fields))
    return passes._replace(  # the rare cases run the Python code both implementations share
        lexicon_spacing=partial(compiled.lexicon_spacing, joins=_lexicon_joins),
        join_verb_parts=partial(compiled.join_verb_parts, joined=_verb_groups_joined),
    )


COMPILED_PASSES = _compiled_passes()
_PASSES = COMPILED_PASSES or PYTHON_PASSES  # what normalize and tokenize call (tests swap it)
#: "compiled" or "python": which implementation of those passes this process uses
IMPLEMENTATION = "python" if COMPILED_PASSES is None else "compiled"


def sentences(text) -> list[str]:
    """Sentences of a text: split after ``. ! ? ؟ ⸮`` followed by a space, and at line breaks.

    Like hazm's ``SentenceTokenizer`` except that a line break always ends a sentence (titles and
    headings have no full stop).
    """
    text = as_text(text)
    if not text:
        return []
    text = _SENTENCE_END_RE.sub("\\1\n", text)
    return [s.strip() for s in text.split("\n") if s.strip()]
