"""Tests of analysis.entities (entities table, canonical forms, co-occurrence, top entities,
timelines) and analysis.plots.entities, on an article written for the tests and the demo corpus."""

from __future__ import annotations

from pathlib import Path

import matplotlib.axes
import matplotlib.figure
import matplotlib.pyplot
import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.entities import (
    ENTITY_COLUMNS,
    canonical_form,
    cooccurrence,
    cooccurrence_graph,
    entities,
    entity_counts,
    entity_key,
    entity_timeline,
    rank_entities,
    top_entities,
)
from analysis.plots import entities as plots

FIXTURE = Path(__file__).parents[1] / "fixtures" / "entities_article.txt"


@pytest.fixture(scope="module")
def article():
    """The test article (the seed's layout, written for the tests) as a one-row articles table."""
    from analysis.corpus import load_corpus

    table = load_corpus(FIXTURE, workers=1, progress=False)
    assert len(table) == 1
    return table


@pytest.fixture(scope="module")
def article_entities(article):
    return entities(article)


def _names(table, kind):
    return set(table.loc[table["type"] == kind, "canonical"])


def test_table_shape_and_offsets(article, article_entities):
    assert list(article_entities.columns) == list(ENTITY_COLUMNS)
    body = article["body"].iloc[0]
    for row in article_entities.itertuples():
        assert body[row.start : row.end] == row.text
    assert (article_entities["doc_id"] == article["doc_id"].iloc[0]).all()


def test_people_organisations_places(article_entities):
    assert {"محمد رضایی", "حسن باقری"} <= _names(article_entities, "PER")
    assert "خبرگزاری بسیج" in _names(article_entities, "ORG")
    assert "یزد" in _names(article_entities, "LOC")


def test_surname_and_office_title_join_the_full_name(article_entities):
    person = article_entities[article_entities["canonical"] == "محمد رضایی"]
    assert {"محمد رضایی", "رضایی", "فرمانده سپاه استان یزد"} <= set(person["text"])
    assert set(person["title"]) == {"فرمانده سپاه استان یزد"}


def test_leader_aliases_are_one_entity(article_entities):
    leader = article_entities[article_entities["text"].isin(["مقام معظم رهبری", "رهبر معظم انقلاب"])]
    assert len(leader) == 2 and leader["canonical"].nunique() == 1 and (leader["type"] == "PER").all()


def test_honorific_goes_to_title(article_entities):
    martyr = article_entities[article_entities["canonical"] == "حسن باقری"]
    assert set(martyr["title"]) == {"شهید"} and set(martyr["text"]) == {"حسن باقری"}


def test_input_not_mutated_and_empty_input(article):
    before = article.copy()
    entities(article)
    pd.testing.assert_frame_equal(article, before)
    empty = entities(article.iloc[0:0])
    assert empty.empty and list(empty.columns) == list(ENTITY_COLUMNS)
    blank = article.assign(body="")
    assert entities(blank).empty
    with pytest.raises(KeyError, match="no column"):
        entities(article.drop(columns=["body"]))


def test_canonical_form_folds_spellings():
    assert entity_key("خامنه ای") == entity_key("خامنه‌ای") == entity_key("خامنه اي")
    assert canonical_form("علي كريمي") == "علی کریمی"
    assert canonical_form("رهبر معظم انقلاب") == canonical_form("مقام معظم رهبری")


@given(st.text(alphabet="ابپتیيكکه \u200c", max_size=12))
def test_entity_key_ignores_spacing_and_arabic_letters(text):
    variant = text.replace("ی", "ي").replace("ک", "ك").replace("\u200c", " ")
    assert entity_key(text) == entity_key(variant)


def _toy():
    ents = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "b", "b", "c"],
            "sentence": [0, 0, 1, 0, 0, 0],
            "start": [0, 5, 20, 0, 6, 0],
            "end": [4, 9, 24, 5, 9, 4],
            "text": ["علی", "تهران", "بسیج", "علی", "قم", "قم"],
            "type": ["PER", "LOC", "ORG", "PER", "LOC", "LOC"],
            "canonical": ["علی", "تهران", "بسیج", "علی", "قم", "قم"],
            "title": [""] * 6,
        }
    ).astype(ENTITY_COLUMNS)
    articles = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "site": ["semnan", "semnan", "yazd"],
            "published_jalali": ["1402-01-05", "1402-03-01", "1402-03-09"],
            "published": pd.to_datetime(["2023-03-25", "2023-05-22", "2023-05-30"]),
        }
    )
    return ents, articles


def test_cooccurrence_sentence_and_article_levels():
    ents, _ = _toy()
    sentence = cooccurrence(ents, level="sentence")
    assert set(zip(sentence["source"], sentence["target"])) == {("تهران", "علی"), ("علی", "قم")}
    article = cooccurrence(ents, level="article")
    assert ("بسیج", "علی") in set(zip(article["source"], article["target"]))
    graph = cooccurrence_graph(ents, level="article")
    assert isinstance(graph, nx.Graph) and graph.nodes["قم"]["mentions"] == 2
    assert graph.edges["علی", "قم"]["weight"] == 1
    with pytest.raises(ValueError):
        cooccurrence(ents, level="paragraph")


def test_top_entities_by_site_and_month():
    ents, articles = _toy()
    overall = top_entities(ents, n=2)
    assert list(overall["canonical"]) == ["علی", "قم"] and list(overall["rank"]) == [1, 2]
    by_site = top_entities(ents, articles, by="site", n=1)
    assert dict(zip(by_site["site"], by_site["canonical"])) == {"semnan": "علی", "yazd": "قم"}
    by_month = top_entities(ents, articles, by="month", n=5)
    assert set(by_month["month"]) == {"1402-01", "1402-03"}
    with pytest.raises(ValueError):
        top_entities(ents, by="site")


def test_counts_of_parts_add_up_to_the_top_entities():
    """entity_counts of parts of a corpus, added up and ranked, give top_entities of the whole."""
    ents, articles = _toy()
    keys = ["site", "canonical", "type"]
    parts = [entity_counts(ents[ents["doc_id"].isin(ids)], articles, by="site") for ids in (["a"], ["b", "c"])]
    summed = pd.concat(parts).groupby(keys, as_index=False)[["articles", "mentions"]].sum()
    pd.testing.assert_frame_equal(rank_entities(summed, by="site", n=2), top_entities(ents, articles, by="site", n=2))


def test_timeline_fills_months_with_zeros():
    ents, articles = _toy()
    timeline = entity_timeline(ents, articles, names=["قم"])
    assert list(timeline["month"]) == ["1402-01", "1402-02", "1402-03"]
    assert list(timeline["articles"]) == [0, 0, 2]
    gregorian = entity_timeline(ents, articles, names=["قم"], calendar="gregorian")
    assert list(gregorian["month"]) == ["2023-03", "2023-04", "2023-05"]


def test_charts_return_axes_and_small_multiples_a_figure(tmp_path):
    ents, articles = _toy()
    charts = [
        plots.plot_top_entities(top_entities(ents)),
        plots.plot_entity_timeline(entity_timeline(ents, articles)),
        plots.plot_cooccurrence(cooccurrence_graph(ents, level="article")),
        plots.plot_top_entities(top_entities(ents.iloc[0:0])),
        plots.plot_cooccurrence(nx.Graph()),
    ]
    for k, ax in enumerate(charts):
        assert isinstance(ax, matplotlib.axes.Axes)
        ax.figure.savefig(tmp_path / f"{k}.png")
    panels = plots.plot_top_entities_by(top_entities(ents, articles, by="site"), by="site")
    assert isinstance(panels, matplotlib.figure.Figure)
    fig, ax = matplotlib.pyplot.subplots()
    assert plots.plot_speakers(pd.DataFrame(columns=["speaker", "statements"]), ax=ax) is ax
    matplotlib.pyplot.close("all")


def test_demo_corpus_planted_entities_recovered(demo_articles, demo_truth):
    sample = demo_articles[demo_articles["body"].str.len() > 0].head(25)
    found = entities(sample)
    truth = demo_truth.assign(path_key=demo_truth["file"].map(lambda f: Path(f).name))
    by_name = dict(zip(truth["path_key"], truth["entities"]))
    hits = total = 0
    for row in sample.itertuples():
        planted = {(e["canonical"], e["type"]) for e in by_name.get(Path(row.path).name, [])}
        got = set(zip(found.loc[found["doc_id"] == row.doc_id, "canonical"], found.loc[found["doc_id"] == row.doc_id, "type"]))
        hits += len(planted & got)
        total += len(planted)
    assert total > 0 and hits / total > 0.6


@given(st.lists(st.sampled_from(["علی", "کریمی", "در", "تهران", "گفت", ":", "،", ".", "۱۴۰۲", "می‌شود", "«", "»", "\n", "  "]),
                max_size=30))
def test_token_offsets_index_the_text(words):
    from analysis.entities.mentions import split_sentences

    text = " ".join(words)
    previous_end = 0
    for start, end, tokens in split_sentences(text):
        assert 0 <= start <= end <= len(text)
        for token in tokens:
            assert text[token.start : token.end] == token.text
            assert token.start >= previous_end
            previous_end = token.end


def test_command_writes_mentions_and_quotes(tmp_path, capsys):
    from analysis.cli import main

    out = tmp_path / "tables"
    assert main(["entities", str(FIXTURE), "--out", str(out)]) == 0
    mentions = pd.read_csv(out / "mentions.csv", keep_default_na=False)
    assert {"محمد رضایی", "خبرگزاری بسیج", "یزد"} <= set(mentions["canonical"])
    speakers = pd.read_csv(out / "speakers.csv", keep_default_na=False)
    assert not speakers.empty and (speakers["quotes"] > 0).all()
    assert "mentions" in capsys.readouterr().out


def test_command_names_a_missing_source(tmp_path, capsys):
    from analysis.cli import main

    missing = tmp_path / "nowhere"
    assert main(["entities", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert str(missing) in capsys.readouterr().err
