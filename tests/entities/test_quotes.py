"""Tests of analysis.entities.quotes: statements attributed to speakers, titles and pronouns resolved."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.entities.quotes import QUOTE_COLUMNS, quotes, speakers

FIXTURE = Path(__file__).parents[1] / "fixtures" / "entities_article.txt"


@pytest.fixture(scope="module")
def article():
    from analysis.corpus import load_corpus

    return load_corpus(FIXTURE, workers=1, progress=False)


@pytest.fixture(scope="module")
def article_quotes(article):
    return quotes(article)


def test_columns_and_offsets(article, article_quotes):
    assert list(article_quotes.columns) == list(QUOTE_COLUMNS)
    body = article["body"].iloc[0]
    for row in article_quotes.itertuples():
        assert body[row.start : row.end] == row.quote


def test_every_statement_goes_to_the_named_speaker_with_his_office(article_quotes):
    # office title, full name, «وی», office title again, surname: all one speaker
    assert len(article_quotes) == 5
    assert set(article_quotes["speaker"]) == {"محمد رضایی"}
    assert set(article_quotes["speaker_title"]) == {"فرمانده سپاه استان یزد"}
    assert list(article_quotes["verb"]) == ["گفت", "اظهار داشت", "افزود", "تصریح کرد", "عنوان کرد"]


def test_direct_and_indirect_quote_text(article_quotes):
    first = article_quotes.iloc[0]
    assert first["kind"] == "direct"
    assert first["quote"].startswith("بیش از ۴۰ گروه جهادی") and first["quote"].endswith("خدمت‌رسانی کردند")
    last = article_quotes.iloc[-1]
    assert last["kind"] == "indirect"
    assert last["quote"] == "هدف این اردوها را عمل به توصیه‌های مقام معظم رهبری"


def test_interview_is_not_a_statement(article_quotes):
    # «در گفت و گو با خبرنگار» contains گفت but is no reporting verb
    assert not article_quotes["quote"].str.startswith("و گو").any()


def test_pronoun_resolves_to_the_last_speaker():
    text = ("علی کریمی استاندار یزد گفت: بودجه افزایش یافت.\n"
            "زهرا نوری نماینده مردم یزد در مجلس اظهار داشت: کار ادامه دارد.\n"
            "وی افزود: مردم حمایت می‌کنند.")  # fmt: skip
    table = quotes(pd.DataFrame({"doc_id": ["x"], "body": [text]}))
    assert list(table["speaker"]) == ["علی کریمی", "زهرا نوری", "زهرا نوری"]
    assert table["speaker_title"].iloc[0] == "استاندار یزد"


def test_speakers_summary_and_empty_input(article_quotes, article):
    summary = speakers(article_quotes)
    assert summary.iloc[0]["speaker"] == "محمد رضایی" and summary.iloc[0]["quotes"] == 5
    assert quotes(article.iloc[0:0]).empty
    before = article.copy()
    quotes(article)
    pd.testing.assert_frame_equal(article, before)


def test_demo_corpus_quotes_attributed(demo_articles, demo_truth):
    sample = demo_articles[demo_articles["body"].str.len() > 0].head(20)
    found = quotes(sample)
    truth = dict(zip(demo_truth["file"].map(lambda f: Path(f).name), demo_truth["quotes"]))
    right = total = 0
    for row in sample.itertuples():
        planted = truth.get(Path(row.path).name, [])
        got = found[found["doc_id"] == row.doc_id]
        for q in planted:
            total += 1
            match = got[got["quote"].str.contains(q["text"][:25], regex=False)]
            right += bool((match["speaker"] == q["speaker"]).any())
    assert total > 0 and right / total > 0.6
