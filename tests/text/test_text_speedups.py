"""The compiled passes of analysis.text (``analysis.text._speedups``) give exactly what their
pure-Python twins give. Skipped where the extension is not built (no C compiler at install)."""

from __future__ import annotations

import sys
import types
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.text import normalizer as T

pytestmark = pytest.mark.skipif(
    T.COMPILED_PASSES is None,
    reason="analysis.text._speedups is not built (pip install -e . builds it)",
)

ZWNJ = "\u200c"
PY, C = T.PYTHON_PASSES, T.COMPILED_PASSES

# every character class the passes tell apart: letters (Persian, Arabic, Latin, non-BMP), digits of
# several scripts (non-BMP too), «٫» between digits or not, ZWNJ runs, «_», each punctuation mark
# hazm's patterns name, spaces, tabs, line breaks, other whitespace, a lone surrogate
_PIECES = (
    list("هیامشندتبوxyZ_") + ["می", "نمی", "ها", "است"]
    + list("0159۰۱۹٠٣\u0966") + ["\U0001d7ce", "\U0001f600", "\U000104a0", "²", "½", "\ud800"]
    + ["٫", ZWNJ, ZWNJ * 2, ZWNJ * 3]
    + list(".:!،؛؟»«][(){}?\"/\\…-'%٪")
    + [" ", " ", "  ", "\n", "\n\n", "\n\n\n", "\t", "\r", "\u00a0"]
)
# words of hazm's lexicon that join with a ZWNJ or make verb groups, and suffixes
_WORDS = [
    "کتاب", "ها", "های", "هایی", "زمین", "لرزه", "ای", "می", "رود", "گفته", "شده", "است", "خواهد",
    "اخلال", "گر", "گری", "تر", "ترین", "بزرگ", "خانه", "ام", "ات", "و", "به", "در", "که", "\n",
    "محدودیت", "کلید", "واژه", "نمی", "دانم", "سر", "پرست", "تحت", "تاثیر", "پیش", "بینی", "۱۲",
    "،", "»", "x", "رفته", "بود", "خواهم", "رفت", "کرده", "باشد", "شد", "گفت",
]
# what hazm's affix rules look at: «ه ی»، «ه ا...»، «می»، «نمی»، «ها»، «تر»، «گر»، «هها» by spaces,
# line breaks, digits and punctuation
_AFFIX_PIECES = (
    list("هیامشندتبرگx ۱5\n")
    + [" ", " ", ZWNJ, "می", "نمی", "ها", "های", "تر", "ترین", "گری", "هها"]
    + ["ه ی ", "ه ا", "ید", "یم", "ند"] + list(".:!،؛؟»«][(){}?\"")
)
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
_WORD_TEXTS = st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(_WORDS)), max_size=40)
_SETTINGS = settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))


# ------------------------------------------------------------------------ normalize, in order


@_SETTINGS
@given(
    _TEXTS,
    st.sampled_from(["", "\ufdfc", "ـــ", "َ", "ههه", "\U0001f600", "\uffff", "\ufffe", "كيك"]),
    st.integers(1, 20),
)
def test_translate(text, extra, times):
    # short and long texts (the Python pass uses str.translate below 256 characters, numpy above),
    # characters that become several («﷼» -> «ریال») or none, tripled letters, non-BMP characters
    table = T._char_table(True, False, True, True, True, True)
    text = (text + extra) * times
    assert C.translate(text, table) == PY.translate(text, table)


@_SETTINGS
@given(_TEXTS)
def test_spacing_tokens(text):
    from analysis.text._speedups import spacing_tokens

    assert spacing_tokens(text) == T._spacing_tokens(text)


@_SETTINGS
@given(_WORD_TEXTS.map("".join))
def test_lexicon_spacing(text):
    lexicon = T._lexicon()
    expected = PY.lexicon_spacing(text, lexicon)
    assert C.lexicon_spacing(text, lexicon) == expected
    # the prefilters only skip look-ups that would fail
    assert C.lexicon_spacing(text, replace(lexicon, prefilters=None)) == expected


@_SETTINGS
@given(st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join))
def test_lexicon_spacing_of_words(text):
    lexicon = T._lexicon()
    assert C.lexicon_spacing(text, lexicon) == PY.lexicon_spacing(text, lexicon)


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_AFFIX_PIECES), max_size=30).map("".join))
def test_affix_spacing(text):
    assert C.affix_spacing(text) == PY.affix_spacing(text)


@_SETTINGS
@given(_TEXTS)
def test_punctuation_spacing(text):
    assert C.punctuation_spacing(text) == PY.punctuation_spacing(text)


# ------------------------------------------------------------------------- tokenize, in order


@_SETTINGS
@given(_TEXTS)
def test_raw_tokens(text):
    assert C.raw_tokens(text) == PY.raw_tokens(text)


@_SETTINGS
@given(st.lists(st.sampled_from(_WORDS), max_size=30))
def test_join_verb_parts(tokens):
    lexicon = T._lexicon()
    expected = PY.join_verb_parts(list(tokens), lexicon)
    assert C.join_verb_parts(list(tokens), lexicon) == expected
    assert C.join_verb_parts(list(tokens), replace(lexicon, prefilters=None)) == expected


@_SETTINGS
@given(_TEXTS)
def test_word_tokens(text):
    tokens = PY.raw_tokens(text)
    assert C.word_tokens(tokens) == PY.word_tokens(tokens)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "کتاب" + ZWNJ * 2 + "ها",  # a ZWNJ run between letters shrinks to one
        ZWNJ + "کتاب" + ZWNJ,  # not between letters: goes
        "کتاب" + ZWNJ + "-ها",  # goes, and the token closes up
        "۱۲٫۵ و ۱۲٫ و ٫۵ 3.14: ۱۲:۳۰",
        "چرا؟!؟ «سلام» (الف) [ب] {ج} x/y a\\b",
        "یک\n\n\n\nدو\r\nسه\tچهار\u00a0پنج",
        "\U0001d7ce\U0001d7cf.\U0001f600 \ud800",
        'خانه ی او و خانه ام، کتاب ها و بزرگ ترین " نامه " می رود',
    ],
)
def test_every_pass_agrees_on_edge_cases(text):
    lexicon = T._lexicon()
    table = T._char_table(True, False, True, True, True, True)
    assert C.translate(text, table) == PY.translate(text, table)
    assert C.lexicon_spacing(text, lexicon) == PY.lexicon_spacing(text, lexicon)
    for name in ("affix_spacing", "punctuation_spacing", "raw_tokens"):
        assert getattr(C, name)(text) == getattr(PY, name)(text), name


# --------------------------------------------------------------------- choosing the passes


def test_pure_python_can_be_forced(monkeypatch):
    monkeypatch.setenv("ANALYSIS_PURE_PYTHON", "1")
    assert T._compiled_passes() is None
    monkeypatch.setenv("ANALYSIS_PURE_PYTHON", "0")
    assert T._compiled_passes().raw_tokens is C.raw_tokens


def test_an_out_of_date_build_is_refused_with_a_warning(monkeypatch):
    import analysis.text

    stale = types.ModuleType("analysis.text._speedups")
    stale.raw_tokens = C.raw_tokens  # an old build: one pass, none of the others
    monkeypatch.setitem(sys.modules, "analysis.text._speedups", stale)
    monkeypatch.setattr(analysis.text, "_speedups", stale, raising=False)
    with pytest.warns(RuntimeWarning, match="out of date.*pip install -e"):
        assert T._compiled_passes() is None
