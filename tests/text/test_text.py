"""Tests of analysis.text: hazm fidelity, the deliberate differences, properties, add_tokens + cache."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.text import normalizer as T
from analysis.text import tokens as TK
from analysis.text import words as W
from analysis._core.cache import ListCache, default_cache_dir, text_key

ZWNJ = "\u200c"

# Small news-like passages: Arabic letters, Latin/Arabic digits, English words, broken ZWNJ,
# diacritics, kashida, quotes and punctuation glued to words.
PASSAGES = [
    "به گزارش خبرگزاري فارس از تهران، رئيس سازمان گفت: اين طرح تا پايان سال 1399 اجرا مي شود.",
    "وزير امور خارجه در ديدار با همتاي خود اظهار داشت که روابط دو کشور رو به گسترش است",
    "اِعلاممممم کَرد : « زمین لرزه ای به بزرگیِ 6 دهم ریشتر ...»",
    "نمیدانم چه میگفت ولی کتاب ها و دفتر هایشان را بردند",
    "قیمت نفت برنت در بازار لندن به 85 دلار رسید و ICT  روستایی (Core) راه اندازی شد.",
    "بزرگ ترین  پروژه های عمرانی   استان سمنان  امروز  افتتاح  خواهد شد",
    "او گفته بود که این کار انجام شده است؛ اما هنوز نتیجه ای اعلام نشده!!!",
    "جمعهها که کار نمی کنم مطالعه می کنم",
    "مسئولان گفتند: \"همه چیز آماده است\" و مردم منتظرند؟",
    "دنیـــــا ۱۲:۳۰ ساعت ٢٠ دقيقه\n\n\n\nپاراگراف بعدی\tبا تب",
    "سلام‌ ‌دنیا‌ ‌‌ها کاروان‌‌سرا",
    "کتابخانه ی مرکزی و خانه ام و نامه اش",
    "",
    "English only text, 42 words.",
]


@pytest.fixture(autouse=True, params=["compiled", "python"])
def passes(request, monkeypatch):
    """Each test runs with both implementations of the passes over every token (the compiled one
    where the extension is built, and the pure-Python one)."""
    compiled = request.param == "compiled"
    if compiled and T.COMPILED_PASSES is None:
        pytest.skip("analysis.text._speedups is not built")
    monkeypatch.setattr(T, "_PASSES", T.COMPILED_PASSES if compiled else T.PYTHON_PASSES)
    return request.param


@pytest.fixture(scope="module")
def hazm_objects():
    """hazm's Normalizer and WordTokenizer, built once (each loads the lexicons: seconds)."""
    from hazm import Normalizer, WordTokenizer

    return Normalizer(), WordTokenizer()


@pytest.fixture(scope="module")
def hazm_pipeline(hazm_objects):
    """hazm's own pipeline, one instance each (the reference the issue names)."""
    normalizer, tokenizer = hazm_objects
    return lambda text: tokenizer.tokenize(normalizer.normalize(text))


# ------------------------------------------------------------------------------- hazm fidelity


@pytest.mark.parametrize("passage", PASSAGES)
def test_tokens_agree_with_hazm(passage, hazm_pipeline):
    assert T.tokenize(T.normalize(passage), punctuation=True) == hazm_pipeline(passage)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("اِعلاممممم کَرد : « زمین لرزه ای به بزرگیِ 6 دهم ریشتر ...»", "اعلام کرد: «زمین‌لرزه‌ای به بزرگی ۶ دهم ریشتر …»"),
        ("به طول ۹متر و عرض۶", "به طول ۹ متر و عرض ۶"),
        ("جمعهها که کار نمی کنم مطالعه می کنم", "جمعه‌ها که کار نمی‌کنم مطالعه می‌کنم"),
        ("نمیدانم چه میگفت", "نمی‌دانم چه می‌گفت"),
        ("میز", "میز"),
        ("كتاب علي", "کتاب علی"),
        ("سلام دنیـــا", "سلام دنیا"),
        ("حَذفِ اِعراب", "حذف اعراب"),
        ("5 درصد", "۵ درصد"),
    ],
)
def test_normalize_matches_hazm_docstring_examples(raw, expected):
    assert T.normalize(raw) == expected


def test_options_follow_hazm():
    assert T.normalize("5 درصد", persian_numbers=False) == "5 درصد"
    assert T.normalize("حَذف", remove_diacritics=False) == "حَذف"
    assert T.normalize("نمیدانم", seperate_mi=False) == "نمیدانم"
    assert T.normalize("سلاممممم") == "سلام"
    assert T.normalize("سلاممممم", decrease_repeated_chars=False) == "سلاممممم"


def test_latin_numbers_option_maps_every_digit_to_ascii():
    assert T.normalize("سال ۱۴۰۰ و ٢٠ و 30 ٪", latin_numbers=True) == "سال 1400 و 20 و 30 %"


def test_tokenize_keeps_zwnj_compounds_and_joins_verb_parts_like_hazm():
    tokens = T.tokenize(T.normalize("کتاب‌ها را خوانده است و گفته خواهد شد"))
    assert tokens == ["کتاب‌ها", "را", "خوانده_است", "و", "گفته_خواهد_شد"]
    assert T.tokenize("گفته شده است", join_verb_parts=False) == ["گفته", "شده", "است"]


def test_tokenize_drops_punctuation_unless_asked():
    text = T.normalize("سلام، دنیا! (آزمایش) ۱۲:۳۰ «نقل»")
    assert T.tokenize(text) == ["سلام", "دنیا", "آزمایش", "۱۲:۳۰", "نقل"]
    assert T.tokenize(text, punctuation=True) == [
        "سلام", "،", "دنیا", "!", "(", "آزمایش", ")", "۱۲:۳۰", "«", "نقل", "»",
    ]


# --------------------------------------------------------------- deliberate differences from hazm


def test_decimal_numbers_stay_one_token(hazm_pipeline):
    # hazm turns «12.5» into «۱۲٫۵» and then splits it at its own decimal separator
    assert hazm_pipeline("نرخ 12.5 درصد") == ["نرخ", "۱۲", "٫", "۵", "درصد"]
    assert T.tokenize(T.normalize("نرخ 12.5 درصد")) == ["نرخ", "۱۲٫۵", "درصد"]


def test_kashida_and_special_marks_leave_no_double_zwnj_or_stray_space(hazm_objects):
    normalizer = hazm_objects[0]
    # «هزینه‌ـ‌منفعت» (kashida as a dash, as in the Fars corpus): hazm removes kashida after
    # collapsing ZWNJs, so a double ZWNJ stays; special marks go after spacing: a stray space stays
    text = "هزینه\u200cـ\u200cمنفعت پیامبر اکرم ﷺ"
    assert normalizer.normalize(text) == "هزینه\u200c\u200cمنفعت پیامبر اکرم "
    assert T.normalize(text) == "هزینه\u200cمنفعت پیامبر اکرم"


def test_zwnj_not_between_letters_is_removed(hazm_pipeline):
    # hazm leaves a lone ZWNJ as a token of its own here
    text = "تلافی\u200cجویی\u200c ۱۲"
    assert ZWNJ not in "".join(t for t in T.tokenize(T.normalize(text)) if t.endswith(ZWNJ))
    assert T.tokenize(T.normalize(text)) == ["تلافی\u200cجویی", "۱۲"]


def test_spaced_dots_settle_into_an_ellipsis(hazm_objects):
    normalizer = hazm_objects[0]
    # hazm's spacing turns «. . .» into «...», which only its next run would make «…»
    assert normalizer.normalize("پیوست . . . عکاس") == "پیوست... عکاس"
    assert normalizer.normalize("پیوست... عکاس") == "پیوست … عکاس"
    assert T.normalize("پیوست . . . عکاس") == T.normalize("پیوست … عکاس")
    assert T.normalize(T.normalize("پیوست . . . عکاس")) == T.normalize("پیوست . . . عکاس")


def test_trailing_auxiliary_is_kept(hazm_objects):
    assert hazm_objects[1].tokenize("او خواهد") == ["او"]  # hazm drops the last word
    assert T.tokenize("او خواهد") == ["او", "خواهد"]


def test_sentences_end_at_line_breaks():
    from hazm import SentenceTokenizer

    text = "عنوان خبر بدون نقطه\nمتن خبر اینجاست. جمله دوم؟ بله!"
    assert SentenceTokenizer().tokenize(text)[0] == "عنوان خبر بدون نقطه متن خبر اینجاست."
    assert T.sentences(text) == ["عنوان خبر بدون نقطه", "متن خبر اینجاست.", "جمله دوم؟", "بله!"]


# ------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, "", b"", [], {}])
def test_bad_input_gives_empty_results(value):
    if isinstance(value, list | dict):
        assert isinstance(T.normalize(value), str)
        return
    assert T.normalize(value) == ""
    assert T.tokenize(value) == []
    assert T.sentences(value) == []


def test_non_text_values_are_converted_and_bytes_decoded():
    assert T.normalize(12) == "۱۲"
    assert T.tokenize(T.normalize("کتاب".encode())) == ["کتاب"]
    assert W.lemmatize(None) == ""
    assert W.stem(3) == ""


def test_other_scripts_pass_through():
    assert T.normalize("Hello world, this is English.") == "Hello world, this is English."
    assert T.tokenize("Привет мир 你好") == ["Привет", "мир", "你好"]


def test_lone_surrogates_do_not_raise():
    assert "کتاب" in T.normalize("کتاب \udc80 " * 100)


# ----------------------------------------------------------------------------------- properties

_ALPHABET = (
    "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀأإؤئء" "ًٌٍَُِّْ" "ـ" + ZWNJ + " \n\t"
    ".،:؛!؟?«»()[]\"'-…/" "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣" "abcXYZ%٪"
)
_WORDS = st.sampled_from(
    ["می", "نمی", "ها", "های", "تر", "ترین", "ام", "ای", "ی", "کتاب", "خانه", "رفت", "زمین",
     "لرزه", "است", "شده", "خواهد", "گفته", "...", "12.5", '"']
)
_TEXTS = st.lists(st.one_of(st.text(alphabet=_ALPHABET, max_size=6), _WORDS), max_size=16).map(" ".join)
_PERSIAN = re.compile(r"[آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]")
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@_SETTINGS
@given(_TEXTS)
def test_normalize_is_idempotent(text):
    once = T.normalize(text)
    assert T.normalize(once) == once


@_SETTINGS
@given(st.one_of(_TEXTS, st.text(max_size=40)))
def test_normalize_and_tokenize_never_raise(text):
    assert isinstance(T.normalize(text), str)
    assert all(isinstance(t, str) and t for t in T.tokenize(T.normalize(text), punctuation=True))
    assert isinstance(T.sentences(text), list)


def _letters(text: str) -> str:
    """Persian letters of a text, runs of one letter counted once (repeats may be shortened)."""
    return re.sub(r"(.)\1+", r"\1", "".join(_PERSIAN.findall(text)))


@_SETTINGS
@given(_TEXTS)
def test_normalize_never_drops_persian_letters(text):
    mapped = text.translate(T._char_table(True, False, True, True, True, True).mapping)
    assert _letters(T.normalize(text)) == _letters(mapped)


@_SETTINGS
@given(_TEXTS)
def test_tokens_keep_every_persian_letter(text):
    normal = T.normalize(text)
    assert _letters("".join(T.tokenize(normal, punctuation=True, join_verb_parts=False))) == _letters(normal)


# ------------------------------------------- faster passes: the same result as hazm's patterns
# normalize rewrites some of hazm's patterns so that Python's re can skip to a rare literal, and does
# some passes in one go; each must give exactly what hazm's pattern (or sequence of patterns) gives.

_PASS_ALPHABET = st.sampled_from(
    list("هیامشندتبx ۱5\n") + [" ", " ", ZWNJ, "می", "نمی"] + list(".:!،؛؟»«][(){}?")
)
_PASS_TEXTS = st.lists(_PASS_ALPHABET, max_size=24).map("".join)


def _hazm_subs(patterns, text: str) -> str:
    for pattern, repl in patterns:
        text = re.sub(pattern, repl, text)
    return text


@settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck))
@given(_PASS_TEXTS)
def test_rewritten_affix_and_punctuation_passes_equal_hazm_patterns(text):
    from hazm.constants import AFFIX_SPACING_PATTERNS, PUNCTUATION_SPACING_PATTERNS

    affix, punctuation = AFFIX_SPACING_PATTERNS, PUNCTUATION_SPACING_PATTERNS
    assert T._HEH_YEH[0].sub(T._HEH_YEH[1], text) == _hazm_subs(affix[:1], text)
    assert T._separate_mi_prefix(text) == _hazm_subs(affix[1:2], text)
    assert T._HEH_ENCLITIC[0].sub(T._HEH_ENCLITIC[1], text) == _hazm_subs(affix[3:4], text)
    attached = T._SPACE_BEFORE_CLOSING_RE.sub("", text)
    for mark in T._NO_SPACE_AFTER:
        attached = attached.replace(mark + " ", mark)
    assert attached == _hazm_subs(punctuation[1:3], text)
    spaced = T._PUNCTUATION_SPACE_RE.sub(T._spaced_punctuation, text)
    assert spaced == _hazm_subs(punctuation[3:6], text)


def test_mi_prefix_takes_the_space_after_it_like_hazm():
    # hazm's match uses up the space after «می», so the next «می» has none in front of it
    assert T._separate_mi_prefix("می می می رود") == f"می{ZWNJ}می می{ZWNJ}رود"
    assert T._separate_mi_prefix("نمی رود و می آید") == f"نمی{ZWNJ}رود و می{ZWNJ}آید"
    assert T._separate_mi_prefix("علمی رسمی") == "علمی رسمی"


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet="ab ۱۲5٫.:!?؟،«»/\\\n" + "\U0001d7ce\U0001d7cf\u0966\U0001f600\U000104a0", max_size=20))
def test_spacing_out_groups_with_the_bmp_pattern_equals_the_plain_d_pattern(text):
    # BMP text takes the pattern with digit ranges; «𝟎» (U+1D7CE) and other non-BMP digits are
    # still digits through the plain \d pattern
    assert T._space_out_groups(text) == T._PUNCT_GROUP_RE.sub(r" \g<0> ", text)


def test_spacing_out_groups_knows_every_digit():
    every = "".join(map(chr, range(0x110000)))
    assert T._space_out_groups(every) == T._PUNCT_GROUP_RE.sub(r" \g<0> ", every)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(_TEXTS, st.sampled_from(["", "\ufdfc", "\ufdf2", "ـــ", "َ", "\U0001f600ـ\U0001d7ce", "\uffff", "\ufffe"]))
def test_numpy_character_table_equals_str_translate(text, extra):
    # long texts go through the numpy table (UTF-16 code units); characters that become several
    # («﷼» -> «ریال») or none (kashida, diacritics), characters beyond the BMP and the two code
    # units the table uses as markers must give what str.translate gives
    table = T._char_table(True, False, True, True, True, True)
    long_text = (text + extra + " ") * (1 + T._NUMPY_MIN_LENGTH // (len(text) + len(extra) + 1))
    translated, has_triple = T._translate(long_text, table)
    expected = long_text.translate(table.mapping)
    assert translated == expected
    assert has_triple == (T._TRIPLE_LETTER_RE.search(expected) is not None)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(_TEXTS, st.text(alphabet=_ALPHABET + "_…-\U0001d7ce\U0001f600", max_size=30)))
def test_without_punctuation_drops_exactly_the_tokens_without_a_word_character(text):
    normal = T.normalize(text)
    for join in (True, False):
        every = T.tokenize(normal, punctuation=True, join_verb_parts=join)
        expected = [t for t in every if re.search(r"\w", t)]
        assert T.tokenize(normal, join_verb_parts=join) == expected
        assert T.tokenize(text, join_verb_parts=join) == [
            t for t in T.tokenize(text, punctuation=True, join_verb_parts=join) if re.search(r"\w", t)
        ]


_SPACING_WORDS = [
    "کتاب", "ها", "های", "هایی", "زمین", "لرزه", "ای", "می", "رود", "گفته", "شده", "است", "خواهد",
    "اخلال", "گر", "گری", "تر", "ترین", "بزرگ", "خانه", "ام", "ات", "و", "به", "در", "که", "\n",
    "محدودیت", "کلید", "واژه", "نمی", "دانم", "سر", "پرست", "تحت", "تاثیر", "پیش", "بینی", "۱۲",
    "،", "»", "x",
]


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_SPACING_WORDS), max_size=30))
def test_token_spacing_equals_hazm(hazm_objects, tokens):
    # the bulk pair test (a set look-up for each token, a membership test for the one before it)
    # finds every pair hazm's loop would join; the ZWNJ goes where hazm puts it
    normalizer, _ = hazm_objects
    expected = " ".join(normalizer.token_spacing(list(tokens)))
    assert T._token_spacing(list(tokens), T._lexicon()) == expected


def test_long_text_agrees_with_hazm(hazm_pipeline):
    # more tokens than the index list kept between calls starts with (4096; it grows)
    text = "\n".join(PASSAGES * 40)
    assert len(T.tokenize(T.normalize(text), punctuation=True)) > 4096
    assert T.tokenize(T.normalize(text), punctuation=True) == hazm_pipeline(text)
    assert T._indices(10_000)[:10_000] == list(range(10_000))


def test_suffix_with_no_compound_in_the_lexicon_still_joins(hazm_objects):
    # «هایی» ends no ZWNJ word of hazm's lexicon (its set of heads is empty) but is a suffix
    normalizer, _ = hazm_objects
    text = "با محدودیت هایی بیش از این مواجه است و کلید واژه هایی دارد"
    assert T.normalize(text) == normalizer.normalize(text)
    assert f"محدودیت{ZWNJ}هایی" in T.normalize(text)


# -------------------------------------------------------------------- stopwords, lemmas, stems


def test_stopwords_are_switchable_and_include_news_boilerplate():
    both, hazm_only, news_only = W.stopwords(), W.stopwords(news=False), W.stopwords(hazm=False)
    assert "از" in hazm_only and "از" not in news_only
    assert {"به گزارش", "خبرگزاری", "گفت", "افزود", "اظهار داشت", "بیان کرد", "تصریح کرد"} <= news_only
    assert both == hazm_only | news_only
    assert not any(" " in w for w in W.stopwords(multiword=False))
    assert W.stopwords(hazm=False, news=False) == frozenset()


def test_remove_stopwords_applies_multiword_entries_to_token_runs():
    tokens = T.tokenize(T.normalize("به گزارش خبرگزاری فارس، وزیر اظهار داشت که بودجه افزایش یافت"))
    kept = W.remove_stopwords(tokens)
    assert kept[:2] == ["فارس", "وزیر"]
    assert "اظهار" not in kept and "داشت" not in kept and "بودجه" in kept
    # «اظهار» alone is not a stopword: only the run «اظهار داشت» is
    assert W.remove_stopwords(["اظهار", "امیدواری"]) == ["اظهار", "امیدواری"]
    # a multiword entry also matches hazm's joined verb token
    assert W.remove_stopwords(["گفته_شده_است", "بودجه"], ["گفته شده است"]) == ["بودجه"]


def test_lemmas_and_stems_use_hazm():
    assert W.lemmatize("کتاب‌ها") == "کتاب"
    assert W.lemmatize("می‌روم") == "رفت#رو"
    assert W.stem("کتاب‌ها") == "کتاب"
    assert W.lemmatize_tokens(["کتاب‌ها", "می‌روم"]) == ["کتاب", "رفت#رو"]
    assert W.stem_tokens(["کتاب‌ها"]) == ["کتاب"]


# ------------------------------------------------------------------------------------ add_tokens


# ------------------------------------------------------------------------------- command line


def test_tokens_command_writes_token_lists(demo_dir, tmp_path, capsys):
    from analysis.cli import command_articles, main

    out = tmp_path / "out" / "tokens.parquet"
    options = ["--form", "lemma", "--stopwords", "--no-cache", "--no-progress"]
    assert main(["tokens", str(demo_dir), "--out", str(out), *options]) == 0
    table = pd.read_parquet(out)
    expected = TK.add_tokens(
        command_articles([str(demo_dir)]), form="lemma", stopwords=True, cache=False, progress=False,
    )
    assert list(table.columns) == ["doc_id", "tokens"]
    assert table["doc_id"].tolist() == expected["doc_id"].tolist()
    assert [list(t) for t in table["tokens"]] == expected["tokens"].tolist()
    assert f"{len(table)} articles" in capsys.readouterr().out
    assert main(["tokens", str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert "missing" in capsys.readouterr().err
    assert main(["tokens", str(demo_dir), "--out", str(out), "--column", "nope"]) == 2


def test_normalize_command_reads_files_and_standard_input(tmp_path, capsys, monkeypatch):
    import io

    from analysis.cli import main

    source = tmp_path / "in.txt"
    source.write_text("اين طرح اجرا مي شود\nکتاب ها را خوانده است.\n", encoding="utf-8")
    assert main(["normalize", str(source)]) == 0
    assert capsys.readouterr().out == "این طرح اجرا می‌شود\nکتاب‌ها را خوانده است.\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("کتاب ها را خوانده است."))
    assert main(["normalize", "--tokens"]) == 0
    assert capsys.readouterr().out == "کتاب‌ها را خوانده_است .\n"
    assert main(["normalize", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err


@pytest.fixture()
def articles():
    return pd.DataFrame({
        "doc_id": ["a", "b", "c", "d", "e"],
        "body": pd.Series(
            [T.normalize(PASSAGES[0]), T.normalize(PASSAGES[1]), None, "", T.normalize(PASSAGES[0])],
            dtype="string",
        ),
    })


def test_add_tokens_returns_new_frame_and_leaves_input(articles, tmp_path):
    before = articles.copy()
    out = TK.add_tokens(articles, cache_dir=tmp_path)
    pd.testing.assert_frame_equal(articles, before)
    assert "tokens" not in articles.columns
    assert out["tokens"].tolist()[0] == T.tokenize(articles["body"][0])
    assert out["tokens"].tolist()[2:4] == [[], []]
    assert out["tokens"][0] == out["tokens"][4] and out["tokens"][0] is not out["tokens"][4]
    assert list(out.columns) == ["doc_id", "body", "tokens"]


def test_add_tokens_options(articles, tmp_path):
    lemmas = TK.add_tokens(articles, out="lemmas", form="lemma", stopwords=True, cache_dir=tmp_path)
    first = lemmas["lemmas"][0]
    assert "گزارش" not in first and "به" not in first
    assert first == W.lemmatize_tokens(W.remove_stopwords(T.tokenize(articles["body"][0])))
    raw = pd.DataFrame({"title": ["كتاب ها"]})
    assert TK.add_tokens(raw, "title", normalize=True, cache=False)["tokens"][0] == ["کتاب‌ها"]
    with pytest.raises(KeyError, match="no column 'text'"):
        TK.add_tokens(articles, "text", cache=False)
    with pytest.raises(ValueError, match="form"):
        TK.add_tokens(articles, form="roots", cache=False)


def test_add_tokens_second_run_reads_the_cache(articles, tmp_path, monkeypatch):
    first = TK.add_tokens(articles, cache_dir=tmp_path)
    shards = list(tmp_path.rglob("part-*.parquet"))
    assert len(shards) == 1

    def fail(*args, **kwargs):
        raise AssertionError("tokenised again although cached")

    monkeypatch.setattr(TK, "_compute_tokens", fail)
    again = TK.add_tokens(articles, cache_dir=tmp_path)
    pd.testing.assert_frame_equal(first, again)
    # other options are cached apart
    monkeypatch.undo()
    TK.add_tokens(articles, punctuation=True, cache_dir=tmp_path)
    assert len({p.parent for p in tmp_path.rglob("part-*.parquet")}) == 2


def test_add_tokens_cache_dir_from_environment(articles, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "env"))
    assert default_cache_dir("tokens") == tmp_path / "env" / "tokens"
    TK.add_tokens(articles)
    assert list((tmp_path / "env" / "tokens").rglob("part-*.parquet"))


def test_add_tokens_survives_an_unwritable_or_damaged_cache(articles, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    out = TK.add_tokens(articles, cache_dir=blocker)  # cannot create a directory there
    assert out["tokens"][0]
    TK.add_tokens(articles, cache_dir=tmp_path / "c")
    for shard in (tmp_path / "c").rglob("part-*.parquet"):
        shard.write_bytes(b"garbage")
    assert TK.add_tokens(articles, cache_dir=tmp_path / "c")["tokens"][0] == out["tokens"][0]


@pytest.mark.slow
def test_add_tokens_parallel_matches_serial(tmp_path):
    df = pd.DataFrame({"body": [T.normalize(p) for p in PASSAGES] * 6})
    serial = TK.add_tokens(df, n_jobs=1, cache=False)
    parallel = TK.add_tokens(df, n_jobs=2, cache=False)
    pd.testing.assert_frame_equal(serial, parallel)


# ------------------------------------------------------------------------------------------ cache


def test_list_cache_round_trip_and_compaction(tmp_path, monkeypatch):
    import analysis._core.cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_SHARDS", 3)
    store = ListCache(tmp_path / "c")
    assert store.get(["x"]) == {}
    for i in range(5):
        store.put({f"k{i}": [f"v{i}", "w"], "shared": [str(i)]})
    assert len(store.shards()) <= 3
    got = store.get(["k0", "k4", "shared", "missing"])
    assert got == {"k0": ["v0", "w"], "k4": ["v4", "w"], "shared": ["4"]}
    store.clear()
    assert store.get(["k0"]) == {}


def test_text_key_depends_on_text_and_salt():
    assert text_key("a") == text_key("a")
    assert text_key("a") != text_key("b")
    assert text_key("a", "x") != text_key("a", "y")
    assert len(text_key("\udc80")) == 32
