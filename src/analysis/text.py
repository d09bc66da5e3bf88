"""Persian text pipeline: normalisation, word tokens, sentences, stopwords, lemmas and stems.

Faithful to hazm 0.12 (``Normalizer().normalize`` and ``WordTokenizer().tokenize``) but about an
order of magnitude faster: one ``str.translate`` table does every character mapping, the tokenizer is
one precompiled ``findall``, and the dictionary look-ups that repair ZWNJ spacing run only on the few
tokens that could possibly be joined. hazm's own lexicons (``words.dat``, ``verbs.dat``, the
Lemmatizer's conjugations) are used unchanged and loaded once, lazily.

Deliberate differences from hazm (each has a test in ``tests/test_text.py``):

- special characters (Quranic marks, honorific ligatures) are removed *before* spacing is corrected,
  so they leave no stray spaces, and ``normalize`` is idempotent;
- a verb auxiliary at the very end of a text (``... خواهد``) is kept, where hazm drops it;
- ``sentences`` also ends a sentence at a line break, so a title or a heading without a full stop
  does not run into the next paragraph.

Bad input never raises: ``None``, NaN and empty text give ``""`` / ``[]``; other non-text values are
converted with ``str``; text in other scripts passes through.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress

ZWNJ = "\u200c"
PERSIAN_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_LATIN_DIGITS = "0123456789"
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

# ---------------------------------------------------------------------------------------------
# Lexicons (hazm's data files, loaded once on first use)


@dataclass(frozen=True)
class _Lexicon:
    words: dict  # word -> (count, pos tags), hazm words.dat
    joinable_words: frozenset  # words with a positive count plus all normalizer verb forms
    join_tails: frozenset  # every token that could end a ZWNJ join (see _token_spacing)
    verbs: frozenset  # verb forms hazm's Normalizer knows (Lemmatizer(joined_verb_parts=False))
    suffixes: frozenset  # hazm SUFFIXES
    before_verbs: frozenset  # خواهم ... (WordTokenizer verb-part joining)
    after_verbs: frozenset  # است، شده_است ...
    participles: frozenset  # past participles «رفته»، «نرفته»
    verb_part_starts: frozenset  # before_verbs | participles


@cache
def _lexicon() -> _Lexicon:
    from hazm import Lemmatizer, WordTokenizer
    from hazm.constants import SUFFIXES

    tokenizer = WordTokenizer()  # join_verb_parts=True: builds the verb-part sets
    words = tokenizer.words
    verbs = frozenset(Lemmatizer(joined_verb_parts=False).verbs)
    joinable = {w for w, (count, _) in words.items() if count > 0} | verbs
    tails = set(SUFFIXES)
    for item in joinable:
        if ZWNJ in item:
            parts = item.split(ZWNJ)
            for i in range(1, len(parts)):
                tails.add(ZWNJ.join(parts[i:]))
    return _Lexicon(
        words=words,
        joinable_words=frozenset(joinable),
        join_tails=frozenset(tails),
        verbs=verbs,
        suffixes=frozenset(SUFFIXES),
        before_verbs=frozenset(tokenizer.before_verbs),
        after_verbs=frozenset(tokenizer.after_verbs),
        participles=frozenset(tokenizer.verbe),
        verb_part_starts=frozenset(tokenizer.before_verbs | tokenizer.verbe),
    )


def load_lexicons() -> None:
    """Load hazm's lexicons now (a few seconds) rather than on the first call; e.g. before forking."""
    _lexicon()


# ---------------------------------------------------------------------------------------------
# Character tables


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


@lru_cache(maxsize=32)
def _translation_table(
    persian_numbers: bool, latin_numbers: bool, remove_diacritics: bool,
    remove_specials_chars: bool, unicodes_replacement: bool,
) -> dict:
    from hazm.constants import (
        DIACRITICS_PATTERNS, NUMBERS_DST, NUMBERS_SRC, SPECIAL_CHARS_PATTERNS, TRANSLATION_DST,
        TRANSLATION_SRC, UNICODE_REPLACEMENTS,
    )

    tables = [{ord(a): b for a, b in zip(TRANSLATION_SRC, TRANSLATION_DST, strict=False)}]
    if latin_numbers:
        digits = _PERSIAN_DIGITS + _ARABIC_DIGITS
        tables.append({ord(a): _LATIN_DIGITS[i % 10] for i, a in enumerate(digits)} | {ord("٪"): "%"})
    elif persian_numbers:
        tables.append({ord(a): b for a, b in zip(NUMBERS_SRC, NUMBERS_DST, strict=True)})
    if remove_diacritics:
        tables.append({ord(c): None for c in _class_chars(DIACRITICS_PATTERNS[0][0])})
    if unicodes_replacement:
        # hazm uses str.replace; its "(ﷰ|ﷹ)" and "ﻵ|ﻶ|..." entries are literal strings that never
        # occur, so only the single-character entries have an effect.
        tables.append({ord(old): new for old, new in UNICODE_REPLACEMENTS if len(old) == 1})
    if remove_specials_chars:
        tables.append({ord(c): None for c in _class_chars(SPECIAL_CHARS_PATTERNS[0][0])})
    return _compose(*tables)


def _class_chars(char_class: str) -> list[str]:
    """Characters of a ``[\\uXXXX...]`` regex character class."""
    body = char_class.strip("[]")
    return [chr(int(code, 16)) for code in re.findall(r"\\u([0-9a-fA-F]{4})", body)] + [
        c for c in re.sub(r"\\u[0-9a-fA-F]{4}", "", body)
    ]


# ---------------------------------------------------------------------------------------------
# Patterns (hazm.constants, precompiled)


def _compiled(patterns) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(p), r) for p, r in patterns]


@cache
def _patterns() -> dict:
    from hazm.constants import (
        AFFIX_SPACING_PATTERNS, EXTRA_SPACE_PATTERNS, PERSIAN_STYLE_PATTERNS,
        PUNCTUATION_SPACING_PATTERNS,
    )

    letters = f"[{PERSIAN_LETTERS}]"
    return {
        "persian_style": _compiled(PERSIAN_STYLE_PATTERNS),
        "extra_space": _compiled(EXTRA_SPACE_PATTERNS),
        "affix_spacing": _compiled(AFFIX_SPACING_PATTERNS),
        "punctuation_spacing": _compiled(PUNCTUATION_SPACING_PATTERNS),
        "mi": re.compile(rf"\bن?می{letters}+"),
        "repeated_word": re.compile(rf"{letters}*({letters})\1{{2,}}{letters}*"),
        "repeat_more_than_two": re.compile(rf"({letters})\1{{2,}}"),
    }


# hazm WordTokenizer.pattern, ``([؟!?]+|[\d.:]+|[:.،؛»\])}"«\[({/\\])``, expressed as one findall:
# the punctuation groups, or a run of anything that is neither a space nor starts such a group.
_PUNCT_CHARS = r':.،؛»\])}"«\[({/\\'
_TOKEN_RE = re.compile(rf'[؟!?]+|[\d.:]+|[{_PUNCT_CHARS}]|[^ \n\t؟!?\d{_PUNCT_CHARS}]+')
_WORD_CHAR_RE = re.compile(r"\w")
_SENTENCE_END_RE = re.compile(r"([!.?⸮؟]+)[ \n]+")

# ---------------------------------------------------------------------------------------------
# Normalisation


def _as_text(text) -> str:
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
    text = _as_text(text)
    if not text:
        return ""
    text = text.translate(_translation_table(
        persian_numbers, latin_numbers, remove_diacritics, remove_specials_chars,
        unicodes_replacement,
    ))
    patterns = _patterns()
    if persian_style:
        for pattern, repl in patterns["persian_style"]:
            text = pattern.sub(repl, text)
    if correct_spacing:
        text = _correct_spacing(text, patterns, lexicon=_lexicon())
    elif decrease_repeated_chars:
        _lexicon()
    if decrease_repeated_chars:
        text = _decrease_repeated_chars(text, patterns)
    if seperate_mi:
        text = _separate_mi(text, patterns)
    return text


def _correct_spacing(text: str, patterns: dict, lexicon: _Lexicon) -> str:
    for pattern, repl in patterns["extra_space"]:
        text = pattern.sub(repl, text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            lines[i] = _token_spacing(_TOKEN_RE.findall(line.replace("\t", " ")), lexicon)
    text = "\n".join(lines)
    for pattern, repl in patterns["affix_spacing"]:
        text = pattern.sub(repl, text)
    for pattern, repl in patterns["punctuation_spacing"]:
        text = pattern.sub(repl, text)
    return text


def _token_spacing(tokens: list[str], lexicon: _Lexicon) -> str:
    """``" ".join(hazm Normalizer.token_spacing(tokens))``: ZWNJ-join tokens the lexicon knows.

    hazm tries every adjacent pair; a join needs ``previous + ZWNJ + token`` to be a known word or
    verb, or ``token`` to be a suffix, so only tokens in ``lexicon.join_tails`` are tried here.
    """
    candidates = list(compress(range(len(tokens)), map(lexicon.join_tails.__contains__, tokens)))
    if not candidates:
        return " ".join(tokens)
    joinable, verbs, words, suffixes = (
        lexicon.joinable_words, lexicon.verbs, lexicon.words, lexicon.suffixes,
    )
    last = len(tokens) - 1
    merged: dict[int, str] = {}  # index of a joined token -> the whole joined word ending there
    for t in candidates:
        if t == 0:
            continue
        token = tokens[t]
        previous = merged.get(t - 1, tokens[t - 1])
        pair = previous + ZWNJ + token
        if pair in joinable:
            if t < last and f"{token}_{tokens[t + 1]}" in verbs:
                continue
        elif not (token in suffixes and previous in words):
            continue
        merged[t] = pair
    if not merged:
        return " ".join(tokens)
    pieces, start = [], 0
    for t in merged:  # ascending: dicts keep insertion order
        pieces.append(" ".join(tokens[start:t]))
        start = t
    pieces.append(" ".join(tokens[start:]))
    return ZWNJ.join(pieces)


def _decrease_repeated_chars(text: str, patterns: dict) -> str:
    """hazm ``decrease_repeated_chars``: a letter repeated 3+ times becomes 1 or 2, per the lexicon."""
    words = _lexicon().words
    more_than_two = patterns["repeat_more_than_two"]

    def shorten(match: re.Match) -> str:
        word = match.group()
        if word in words:
            return word
        no_repeat = more_than_two.sub(r"\1", word)
        two_repeat = more_than_two.sub(r"\1\1", word)
        if (no_repeat in words) != (two_repeat in words):
            return no_repeat if no_repeat in words else two_repeat
        return two_repeat

    return patterns["repeated_word"].sub(shorten, text)


def _separate_mi(text: str, patterns: dict) -> str:
    """hazm ``seperate_mi``: «میگفت» -> «می‌گفت» when the result is a known verb form."""
    return patterns["mi"].sub(_mi_replacement, text)


@lru_cache(maxsize=65536)
def _mi_word(word: str) -> str:
    joined = word.replace("می", "می" + ZWNJ, 1)
    return joined if joined in _lexicon().verbs else word


def _mi_replacement(match: re.Match) -> str:
    return _mi_word(match.group())


# ---------------------------------------------------------------------------------------------
# Tokens and sentences


def tokenize(text, *, punctuation: bool = False, join_verb_parts: bool = True) -> list[str]:
    """Word tokens of (normalised) text, as hazm's ``WordTokenizer().tokenize`` gives them.

    ZWNJ compounds stay one token («کتاب‌ها»), numbers are tokens, multi-part verbs are joined with
    ``_`` like hazm («گفته_شده_است»; ``join_verb_parts=False`` keeps them apart). Punctuation tokens
    are dropped unless ``punctuation=True``. Run :func:`normalize` first (the loader already did).
    """
    text = _as_text(text)
    if not text:
        return []
    tokens = _TOKEN_RE.findall(text)
    if join_verb_parts and len(tokens) > 1:
        tokens = _join_verb_parts(tokens, _lexicon())
    if not punctuation:
        tokens = list(compress(tokens, map(_is_word, tokens)))
    return tokens


@lru_cache(maxsize=65536)
def _is_word(token: str) -> bool:
    """Whether a token has a letter or digit (is not pure punctuation)."""
    return _WORD_CHAR_RE.search(token) is not None


def _join_verb_parts(tokens: list[str], lexicon: _Lexicon) -> list[str]:
    """hazm ``WordTokenizer.join_verb_parts``: «گفته» «شده» «است» -> «گفته_شده_است».

    hazm walks right to left and joins a token to the group on its right when the token is a future
    auxiliary («خواهد») or a participle followed by an auxiliary group; only those tokens are tried.
    Unlike hazm, an auxiliary at the very end of the text is kept instead of being dropped.
    """
    starts = lexicon.verb_part_starts
    candidates = list(compress(range(len(tokens)), map(starts.__contains__, tokens)))
    if not candidates:
        return tokens
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


def sentences(text) -> list[str]:
    """Sentences of a text: split after ``. ! ? ؟ ⸮`` followed by a space, and at line breaks.

    Like hazm's ``SentenceTokenizer`` except that a line break always ends a sentence (titles and
    headings have no full stop).
    """
    text = _as_text(text)
    if not text:
        return []
    text = _SENTENCE_END_RE.sub("\\1\n", text)
    return [s.strip() for s in text.split("\n") if s.strip()]


# ---------------------------------------------------------------------------------------------
# Stopwords, lemmas, stems


@cache
def stopwords(*, hazm: bool = True, news: bool = True, multiword: bool = True) -> frozenset[str]:
    """Stopwords: hazm's list (``hazm=``) and the news list shipped in ``data/stopwords/news.txt``.

    The news list has agency boilerplate and reporting verbs; some entries are several words
    («به گزارش»، «اظهار داشت»): ``multiword=False`` leaves them out; :func:`remove_stopwords`
    applies them to token sequences.
    """
    from analysis.resources import read_wordlist

    words: set[str] = set()
    if hazm:
        from hazm.utils import stopwords_list

        words.update(normalize(w) for w in stopwords_list() if w.strip())
    if news:
        words.update(normalize(w) for w in read_wordlist("stopwords/news.txt"))
    if not multiword:
        words = {w for w in words if " " not in w}
    return frozenset(words)


def remove_stopwords(tokens: Iterable[str], words: Iterable[str] | None = None) -> list[str]:
    """Tokens without stopwords (default: :func:`stopwords`).

    A one-word entry removes equal tokens. A multiword entry («اظهار داشت») removes a run of
    consecutive tokens equal to its words, and also the single token hazm's verb-part joining makes
    of it («گفته شده است» matches «گفته_شده_است»).
    """
    tokens = list(tokens)
    words = stopwords() if words is None else frozenset(words)
    single = {w for w in words if " " not in w} | {w.replace(" ", "_") for w in words if " " in w}
    phrases = _phrases_by_first_word(words)
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token in single:
            i += 1
            continue
        for phrase in phrases.get(token, ()):
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            out.append(token)
            i += 1
    return out


@lru_cache(maxsize=8)
def _phrases_by_first_word(words: frozenset[str]) -> dict[str, list[tuple[str, ...]]]:
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for w in words:
        if " " in w:
            parts = tuple(w.split())
            phrases.setdefault(parts[0], []).append(parts)
    for v in phrases.values():
        v.sort(key=len, reverse=True)  # longest match first
    return phrases


@cache
def _lemmatizer():
    from hazm import Lemmatizer

    return Lemmatizer()


@cache
def _stemmer():
    from hazm import Stemmer

    return Stemmer()


@lru_cache(maxsize=200_000)
def lemmatize(word: str) -> str:
    """hazm ``Lemmatizer().lemmatize(word)`` (verbs give ``past#present`` roots, e.g. «رفت#رو»)."""
    if not isinstance(word, str) or not word:
        return "" if not isinstance(word, str) else word
    return _lemmatizer().lemmatize(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """hazm ``Stemmer().stem(word)``: the word without common suffixes («کتاب‌ها» -> «کتاب»)."""
    if not isinstance(word, str) or not word:
        return "" if not isinstance(word, str) else word
    return _stemmer().stem(word)


def lemmatize_tokens(tokens: Iterable[str]) -> list[str]:
    """:func:`lemmatize` of each token."""
    return [lemmatize(t) for t in tokens]


def stem_tokens(tokens: Iterable[str]) -> list[str]:
    """:func:`stem` of each token."""
    return [stem(t) for t in tokens]
