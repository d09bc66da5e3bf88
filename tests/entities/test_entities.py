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
from hypothesis import given, settings
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
            "role": ["content"] * 6,
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
    assert set(mentions["role"]) <= {"source", "content"}
    top = pd.read_csv(out / "top_entities.csv", keep_default_na=False)
    sources = pd.read_csv(out / "top_sources.csv", keep_default_na=False)
    assert "خبرگزاری بسیج" in set(sources["canonical"]) and "خبرگزاری بسیج" not in set(top["canonical"])
    speakers = pd.read_csv(out / "speakers.csv", keep_default_na=False)
    assert not speakers.empty and (speakers["quotes"] > 0).all()
    assert "mentions" in capsys.readouterr().out


def test_command_names_a_missing_source(tmp_path, capsys):
    from analysis.cli import main

    missing = tmp_path / "nowhere"
    assert main(["entities", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert str(missing) in capsys.readouterr().err


# ---------------------------------------------------------------- resolution: one row per real-world entity

from analysis.entities import resolution as er  # noqa: E402

NEWS = (
    "خبرگزاری فارس: وزیر امور خارجه ایران گفت: آمریکا باید به تعهدات خود عمل کند.\n\n"
    "به گزارش خبرگزاری فارس از تهران، حسین امیرعبداللهیان در دیدار با همتای روس خود در مسکو اظهار داشت: "
    "ایالات متحده در این مذاکرات جدی نیست و شهروندان ایرانی این را می‌دانند.\n\n"
    "حسین افزود: امریکا و متحدانش مسئول این وضعیت هستند.\n\n"
    "وی همچنین گفت: نمایندگان آمریکایی نیز در نشست شرکت کردند.\n\n"
    "انتهای پیام/"
)  # written for the tests: a Fars-style article with a dateline, spelling variants and a lone first name


@pytest.fixture(scope="module")
def news_entities():
    return entities(pd.DataFrame({"doc_id": ["n"], "body": [NEWS]}))


def test_resolution_key_folds_madda_hamza_arabic_letters_and_spacing():
    key = er.resolution_key
    assert key("آمریکا") == key("امریکا") == key("أمریکا") == key("امريكا")
    assert key("رئیس") == key("رییس") and key("مسؤول") == key("مسوول") and key("جزء") == key("جز")
    assert key("خامنه‌ای") == key("خامنه ای") == key("خامنه اي") == key("خامنهٔای")
    assert key("آمریکا") != key("ایران")


_VARIANTS = {"ا": ["ا", "آ", "أ", "إ"], "ی": ["ی", "ي", "ئ", "ى"], "ک": ["ک", "ك"], "ه": ["ه", "ة"], "و": ["و", "ؤ"]}


@given(st.lists(st.sampled_from(list("ابپتثجچحخدرزسشصطعفقکگلمنوهی")), min_size=1, max_size=10), st.data())
def test_resolution_key_is_blind_to_every_folded_variant(letters, data):
    """Any letter written in a variant form, with ZWNJ, spaces or diacritics between letters, gives the same key."""
    plain = "".join(letters)
    variant = ""
    for ch in letters:
        variant += data.draw(st.sampled_from(_VARIANTS.get(ch, [ch])))
        variant += data.draw(st.sampled_from(["", "", "\u200c", " ", "\u064e", "ء"]))
    assert er.resolution_key(variant) == er.resolution_key(plain)


def test_aliases_fold_other_names_of_a_state():
    assert canonical_form("ایالات متحده") == canonical_form("ایالات متحده امريكا") == "آمریکا"
    assert canonical_form("جمهوری اسلامی ایران") == "ایران"
    assert canonical_form("سازمان ملل متحد") == "سازمان ملل"


def test_alias_and_religious_title_with_the_honorific_split_off():
    assert canonical_form("خمینی", "امام") == "امام خمینی"
    assert canonical_form("حسین", "امام") == "امام حسین" and canonical_form("زهرا", "حضرت") == "حضرت زهرا"
    assert canonical_form("حسن باقری", "شهید") == "حسن باقری"  # a full name keeps its own form


def test_place_heads_are_left_out_of_a_place_canonical():
    assert canonical_form("شهرستان ری", kind="LOC") == canonical_form("ری", kind="LOC") == "ری"
    assert canonical_form("روستاهای گناباد", kind="LOC") == "گناباد"
    assert canonical_form("استان های خراسان رضوی", kind="LOC") == "خراسان رضوی"  # a head in two words
    assert canonical_form("شهرهای استان خوزستان", kind="LOC") == "خوزستان"  # heads one after another
    assert canonical_form("روستای کندوان", kind="LOC") == "روستای کندوان"  # no place the gazetteers know after it
    assert canonical_form("منطقه عملیاتی ورامین", kind="LOC") == "منطقه عملیاتی ورامین"
    assert canonical_form("شهر", kind="LOC") == "شهر"
    assert canonical_form("شهرستان ری") == "شهرستان ری"  # only places: not an ORG's name


def test_seyyed_goes_to_the_title_so_both_spellings_are_one_row():
    text = ("آیت‌الله سید محمود حسینی‌فر در این مراسم سخنرانی کرد.\n\n"
            "محمود حسینی‌فر افزود: مردم در صحنه هستند.")
    table = entities(pd.DataFrame({"doc_id": ["a"], "body": [text]}))
    person = table[table["type"] == "PER"]
    assert set(person["canonical"]) == {"محمود حسینی‌فر"}
    assert "آیت‌الله سید" in set(person["title"])


def test_alias_file_rows_are_checked(monkeypatch):
    bad = pd.DataFrame({"alias": ["x"], "canonical": [""], "type": ["LOC"]})
    monkeypatch.setattr(er, "read_table", lambda name: bad)
    with pytest.raises(ValueError, match=r"aliases.*row 1"):
        er._read_aliases("entities/aliases.csv")


def _roles(text, names):
    spans = []
    for name in names:
        start = text.find(name, spans[-1][1] if spans else 0)
        assert start >= 0, name
        spans.append((start, start + len(name)))
    return er.mention_roles(text, spans)


def test_byline_and_dateline_are_sources_the_news_is_content():
    text = "به گزارش خبرنگار اقتصادی خبرگزاری فارس از تبریز، استاندار آذربایجان شرقی از بازار بازدید کرد."
    assert _roles(text, ["خبرگزاری فارس", "تبریز", "آذربایجان شرقی"]) == ["source", "source", "content"]


def test_a_clause_without_punctuation_stops_where_the_news_begins():
    text = "به گزارش فارس مقرر بود که هفته گذشته علی کریمی به تهران برود."
    assert _roles(text, ["فارس", "علی کریمی", "تهران"]) == ["source", "content", "content"]


def test_a_person_in_an_attribution_clause_is_content():
    text = "به گزارش پایگاه خبری اسلام آن لاین نضال عیسی ناظر اجرایی وزارت اوقاف در گفتگو با ایرنا گفت"
    spans = [(text.find(n), text.find(n) + len(n)) for n in ("نضال عیسی", "وزارت اوقاف", "ایرنا")]
    assert er.mention_roles(text, spans, types=["PER", "ORG", "ORG"]) == ["content", "content", "source"]
    call = "وزیر خارجه ایتالیا در گفت و گوی تلفنی با کمال خرازی همتای خود دیدار کرد"  # an interview with a person
    assert _roles(call, ["ایتالیا", "کمال خرازی"]) == ["content", "content"]


def test_quoted_agency_and_interview_are_sources():
    text = "به نقل از رویترز، ارتش سوریه پیشروی کرد. وزیر در گفت‌وگو با خبرنگار ایرنا در مشهد گفت: کار ادامه دارد."
    assert _roles(text, ["رویترز", "سوریه", "ایرنا", "مشهد"]) == ["source", "content", "source", "source"]
    spaced = "بنقل از رویترز، ارتش سوریه پیشروی کرد."  # ZWNJ and spacing variants of the opener
    assert _roles(spaced, ["رویترز", "سوریه"]) == ["source", "content"]


def test_opener_label_and_sign_off():
    text = "خبرگزاري بسيج: فرمانده سپاه استان یزد گفت: کار ادامه دارد.\n\nفارس: چه برنامه‌ای دارید؟\n\nانتهای پیام/ فارس"
    assert _roles(text, ["خبرگزاري بسيج", "یزد", "فارس", "فارس"]) == ["source", "content", "source", "source"]
    speaker = "رئیس سازمان بسیج کارگری گفت: کار ادامه دارد."  # an opener with a reporting verb is a speaker
    assert _roles(speaker, ["سازمان بسیج کارگری"]) == ["content"]
    assert er.mention_roles("متن", []) == []


def test_source_patterns_file_errors_name_the_file_and_line(monkeypatch):
    er.source_patterns.cache_clear()
    try:
        monkeypatch.setattr(er, "read_wordlist", lambda name: ("clause به گزارش", "clause (unclosed"))
        with pytest.raises(ValueError, match=r"source_patterns.txt, pattern 2"):
            er.source_patterns()
        monkeypatch.setattr(er, "read_wordlist", lambda name: ("heading به گزارش",))
        with pytest.raises(ValueError, match="KIND one of"):
            er.source_patterns()
    finally:
        er.source_patterns.cache_clear()


def test_adjectives_of_nationality_and_place_are_not_entities():
    assert not er.is_entity("ایرانی", "ORG") and not er.is_entity("آمریکایی", "ORG")
    assert not er.is_entity("آمریکایی‌ها", "ORG") and not er.is_entity("ایرانیان", "LOC")
    assert not er.is_entity("امریکائی", "ORG") and not er.is_entity("روسی", "ORG")  # hamza form; exceptions file
    assert not er.is_entity("تهرانی", "ORG") and not er.is_entity("ترکیه‌ای", "ORG")
    assert not er.is_entity("ایرانی", "PER")  # a nationality is no person either ...
    assert er.is_entity("ایرانی", "PER", title="آقای")  # ... unless a title makes it a surname
    assert er.is_entity("قمی", "PER") and er.is_entity("خمینی", "PER")  # city adjectives are surnames too
    assert er.is_entity("مرکزی", "LOC") and er.is_entity("ایران", "LOC")  # a province; a country


def test_common_nouns_tagged_as_places_are_not_entities():
    assert not er.is_entity("جهان", "LOC") and not er.is_entity("دنیا", "LOC") and not er.is_entity("کشور", "ORG")
    assert er.is_entity("جهان اسلام", "LOC") and er.is_entity("کشور ایران", "LOC")  # only the noun alone


def test_every_one_word_country_makes_an_adjective_that_is_no_entity():
    from analysis._core.resources import read_wordlist

    for country in read_wordlist("gazetteers/countries.txt"):
        if len(country.split()) == 1:
            assert er.is_entity(country, "LOC"), country
            for adjective in er.adjective_forms(country):
                if er.resolution_key(adjective) not in er.gazetteer_types():
                    assert not er.is_entity(adjective, "ORG"), adjective


def test_adjective_forms():
    assert er.adjective_forms("ایران") == ["ایرانی"]
    assert "آمریکایی" in er.adjective_forms("آمریکا") and "ترکیه‌ای" in er.adjective_forms("ترکیه")
    assert er.adjective_forms("مالزی") == ["مالزیایی"] and er.adjective_forms(" ") == []


def test_lone_first_name_joins_the_full_name_of_its_article_or_is_dropped():
    from analysis.entities import person_canonicals
    from analysis.entities.mentions import Analysis, Mention

    def analysis(*names):
        return Analysis([], [Mention(0, 0, len(n), n, "PER") for n in names], [], [], {})

    assert person_canonicals(analysis("حسین امیرعبداللهیان", "حسین"), "") == ["حسین امیرعبداللهیان"] * 2
    assert person_canonicals(analysis("حسین امیرعبداللهیان", "امیرعبداللهیان"), "")[1] == "حسین امیرعبداللهیان"
    two = person_canonicals(analysis("حسین امیرعبداللهیان", "حسین دهقان", "حسین"), "")
    assert two[2] == "حسین" and not er.is_entity(two[2], "PER")  # two candidates: no join, not an entity
    assert not er.is_entity("حسین", "PER") and er.is_entity("حسین امیرعبداللهیان", "PER")


def _typed(rows):
    return pd.DataFrame(rows, columns=["canonical", "type", "role"])


def test_one_type_an_entity_by_corpus_wide_evidence():
    table = _typed([("آمریکا", "ORG", "content")] * 3 + [("امریکا", "LOC", "content")]  # a country: LOC
                   + [("بانک ملت", "ORG", "content")] * 2 + [("بانک ملت", "PER", "content")]  # majority
                   + [("تبریز", "ORG", "content"), ("تبریز", "LOC", "content")]  # tie: the gazetteer's city
                   + [("زیتون", "ORG", "content"), ("زیتون", "PER", "content")]  # tie, no gazetteer: TYPE_ORDER
                   + [("سپیدار", "ORG", "source")] * 5 + [("سپیدار", "LOC", "content")])  # sources do not vote
    before = table.copy()
    out = er.resolve_types(table)
    pd.testing.assert_frame_equal(table, before)
    assert list(out["canonical"]) == list(table["canonical"])
    types = dict(zip(out["canonical"], out["type"]))
    assert types == {"آمریکا": "LOC", "امریکا": "LOC", "بانک ملت": "ORG", "تبریز": "LOC", "زیتون": "PER", "سپیدار": "LOC"}
    assert er.resolve_types(table.iloc[0:0]).empty


@given(st.lists(st.tuples(st.sampled_from(["آمریکا", "امریکا", "تهران", "بانک ملت", "علی کریمی", "فارس"]),
                          st.sampled_from(["PER", "ORG", "LOC", "FAC"]), st.sampled_from(["content", "source"])),
                min_size=1, max_size=30))
@settings(deadline=None, max_examples=50)
def test_resolved_table_has_one_type_per_key(rows):
    out = er.resolve_types(_typed(rows))
    assert out.assign(key=out["canonical"].map(er.resolution_key)).groupby("key")["type"].nunique().max() == 1


def test_publisher_is_a_source_wherever_it_names_itself():
    rows = [(f"d{k}", "خبرگزاری فارس", "source") for k in range(8)] + [("d0", "خبرگزاری فارس", "content"),
            ("d1", "رویترز", "source"), ("d1", "رویترز", "content"), ("d2", "تهران", "content")]  # fmt: skip
    table = pd.DataFrame(rows, columns=["doc_id", "canonical", "role"])
    assert er.publishers(table) == [er.resolution_key("خبرگزاری فارس")]
    out = er.mark_publishers(table)
    assert set(out.loc[out["canonical"] == "خبرگزاری فارس", "role"]) == {"source"}
    assert list(out.loc[out["canonical"] == "رویترز", "role"]) == ["source", "content"]  # in one article only
    assert er.publishers(table.head(3)) == []  # too few articles to speak of a publisher


def test_article_resolved_end_to_end(news_entities):
    ents = news_entities
    assert list(ents.columns) == list(ENTITY_COLUMNS) and set(ents["role"]) <= {"source", "content"}
    agency = ents[ents["canonical"] == "خبرگزاری فارس"]
    assert len(agency) >= 1 and set(agency["role"]) == {"source"}
    america = ents[ents["text"].isin(["آمریکا", "امریکا", "ایالات متحده"])]
    assert len(america) >= 2 and set(america["canonical"]) == {"آمریکا"} and america["type"].nunique() == 1
    canonicals = set(ents["canonical"])
    assert not canonicals & {"ایرانی", "آمریکایی", "امریکا", "حسین"}
    assert "خبرگزاری فارس" not in set(top_entities(ents, n=50)["canonical"])
    assert "خبرگزاری فارس" in set(top_entities(ents, n=50, include_sources=True)["canonical"])


def test_tables_leave_sources_out_unless_asked():
    ents, articles = _toy()
    ents = ents.assign(role=["content", "content", "source", "content", "content", "content"]).astype(ENTITY_COLUMNS)
    assert "بسیج" not in set(top_entities(ents, n=10)["canonical"])
    assert "بسیج" in set(top_entities(ents, n=10, include_sources=True)["canonical"])
    assert "بسیج" not in set(cooccurrence(ents, level="article")["source"])
    assert ("بسیج", "علی") in set(zip(*cooccurrence(ents, level="article", include_sources=True)[["source", "target"]].T.values))
    assert "بسیج" not in cooccurrence_graph(ents, level="article")
    assert "بسیج" in cooccurrence_graph(ents, level="article", include_sources=True)
    assert "بسیج" not in set(entity_timeline(ents, articles, n=10)["canonical"])
    assert "بسیج" in set(entity_timeline(ents, articles, n=10, include_sources=True)["canonical"])
    assert set(entity_counts(ents.drop(columns=["role"]))["canonical"]) >= {"بسیج"}  # an older table: all content


def test_spellings_of_one_entity_become_one_row():
    from analysis.entities import consistent_spellings

    ents, _ = _toy()
    extra = ents.iloc[:3].assign(doc_id="d", text=["امریکا", "آمریکا", "آمريكا"], canonical=["امریکا", "آمریکا", "آمريكا"],
                                 type=["ORG", "LOC", "LOC"])  # fmt: skip
    out = consistent_spellings(pd.concat([ents, extra]))
    america = out[out["text"].isin(["امریکا", "آمریکا", "آمريكا"])]
    assert set(america["canonical"]) == {"آمریکا"} and set(america["type"]) == {"LOC"}
    legacy = consistent_spellings(pd.concat([ents, extra]).drop(columns=["role"]))
    assert set(legacy["role"]) == {"content"}


def test_the_agency_named_as_the_author_of_a_note_or_a_question_is_a_source():
    note = "توضیح فارس: در توضیحات شورای اطلاع‌رسانی دولت آمده است که استان فارس سهمیه دارد."
    assert _roles(note, ["فارس", "فارس"]) == ["source", "content"]
    turn = "* تهذیبی: دزفول* فارس: این غیر آبادانی بودن در شهر آبادان است"
    assert _roles(turn, ["دزفول", "فارس", "آبادان"]) == ["content", "source", "content"]
