"""Tests of analysis.entities.ner: IOB reading, CoNLL-style scoring, CRF training on tiny fixtures, the CLI,
and the shipped model."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import cli
from analysis.entities.ner import (
    BASELINE_GROUPS,
    CrfRecognizer,
    IOBError,
    entity_chunks,
    evaluate,
    holdout_split,
    load_model,
    normalize_tag,
    read_iob,
    write_iob,
)
from analysis.entities.ner.features import NerFeaturizer, fold

FIRST = ["علی", "حسین", "مریم", "زهرا", "رضا", "مهدی", "سارا", "کاوه", "نادر", "شیوا"]
LAST = ["کریمی", "رستمی", "نوری", "صالحی", "موسوی", "جعفری", "امینی", "کاظمی", "باقری", "یزدانی"]
PLACES = ["شیراز", "تبریز", "مشهد", "کرمان", "رشت", "اهواز", "یزد", "قم"]
ORGS = [["وزارت", "نیرو"], ["دانشگاه", "صنعتی"], ["سازمان", "هواشناسی"], ["بانک", "ملی"]]


def make_sentences(n: int, seed: int) -> list[tuple[list[str], list[str]]]:
    """Template sentences with people, places and organisations, tagged Arman style (lowercase)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        first, last, place, org = rng.choice(FIRST), rng.choice(LAST), rng.choice(PLACES), rng.choice(ORGS)
        kind = rng.randrange(3)
        if kind == 0:
            tokens = ["آقای", first, last, "در", place, "گفت", "که", "کار", "ادامه", "دارد", "."]
            tags = ["O", "B-pers", "I-pers", "O", "B-loc", "O", "O", "O", "O", "O", "O"]
        elif kind == 1:
            tokens = [*org, "در", place, "اعلام", "کرد", "که", first, last, "مدیر", "شد", "."]
            tags = ["B-org", "I-org", "O", "B-loc", "O", "O", "O", "B-pers", "I-pers", "O", "O", "O"]
        else:
            tokens = ["سفر", first, last, "به", place, "برای", "دیدار", "با", "مسئولان", *org, "بود", "."]
            tags = ["O", "B-pers", "I-pers", "O", "B-loc", "O", "O", "O", "O", "B-org", "I-org", "O", "O"]
        out.append((tokens, tags))
    return out


@pytest.fixture(scope="module")
def iob_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("iob")
    train, test = folder / "train.txt", folder / "test.txt"
    write_iob(make_sentences(120, seed=1), train)
    write_iob(make_sentences(30, seed=2), test)
    return train, test


@pytest.fixture(scope="module")
def tiny_model(iob_files):
    return CrfRecognizer(clusters=None, max_iterations=60).fit(read_iob(iob_files[0]))


def test_normalize_tag_maps_arman_and_peyma_spellings():
    assert normalize_tag("B-pers") == "B-PER"
    assert normalize_tag("i-event") == "I-EVE"
    assert normalize_tag("B-loc") == "B-LOC"
    assert normalize_tag("O") == "O"
    with pytest.raises(ValueError):
        normalize_tag("B-animal")


def test_read_iob_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("تهران B-loc\nبی‌تگ\n", encoding="utf-8")
    with pytest.raises(IOBError, match=r"bad\.txt, line 2"):
        read_iob(bad)
    unknown = tmp_path / "unknown.txt"
    unknown.write_text("تهران B-city\n", encoding="utf-8")
    with pytest.raises(IOBError, match=r"unknown\.txt, line 1: unknown tag"):
        read_iob(unknown)


def test_read_iob_sentences_and_tags(iob_files):
    sentences = read_iob(iob_files[1])
    assert len(sentences) == 30
    tokens, tags = sentences[0]
    assert len(tokens) == len(tags) and all(t == "O" or t[:2] in ("B-", "I-") for t in tags)
    assert all(t.upper() == t for _, tags in sentences for t in tags)


def test_entity_chunks_follow_conlleval():
    assert entity_chunks(["B-PER", "I-PER", "O", "B-LOC"]) == [("PER", 0, 2), ("LOC", 3, 4)]
    assert entity_chunks(["I-ORG", "I-ORG", "B-ORG"]) == [("ORG", 0, 2), ("ORG", 2, 3)]
    assert entity_chunks(["B-PER", "I-LOC"]) == [("PER", 0, 1), ("LOC", 1, 2)]


@given(st.lists(st.sampled_from(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]), max_size=30))
def test_entity_chunks_cover_every_tagged_token_once(tags):
    covered = [i for _, a, b in entity_chunks(tags) for i in range(a, b)]
    assert covered == [i for i, t in enumerate(tags) if t != "O"]


def test_evaluate_counts_exact_matches_only():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "O"]]
    table = evaluate(gold, pred).set_index("type")
    assert table.loc["micro", "gold"] == 3 and table.loc["micro", "correct"] == 2
    assert table.loc["PER", "recall"] == 0.0 and table.loc["LOC", "f1"] == 1.0
    assert table.loc["micro", "precision"] == pytest.approx(2 / 3)
    assert evaluate(gold, gold).set_index("type").loc["micro", "f1"] == 1.0


def test_holdout_split_is_fixed_and_disjoint():
    items = list(range(23))
    train, held = holdout_split(items)
    assert held == [4, 9, 14, 19] and sorted(train + held) == items


def test_features_fold_arabic_letters_and_digits():
    assert fold("كريمي") == fold("کریمی")
    assert fold("۱۴۰۲") == fold("1402") == "0000"
    feats = NerFeaturizer(groups=BASELINE_GROUPS).sentence(["علی", "كريمي"])
    assert "w=کریمی" in feats[1] and "-1:w=علی" in feats[1]


def test_tiny_crf_learns_context(tiny_model, iob_files):
    scores = tiny_model.score(read_iob(iob_files[1])).set_index("type")
    assert scores.loc["micro", "f1"] > 0.9
    # an unseen name in a known context
    tags = tiny_model.predict_one(["آقای", "بهمن", "فرهادی", "در", "شیراز", "گفت", "که", "کار", "ادامه", "دارد", "."])
    assert tags[1:3] == ["B-PER", "I-PER"] and tags[4] == "B-LOC"


def test_save_and_load_give_same_tags(tiny_model, tmp_path, iob_files):
    base = tiny_model.save(tmp_path / "m")
    again = CrfRecognizer.load(str(base) + ".crfsuite")
    sentences = [t for t, _ in read_iob(iob_files[1])]
    assert again.predict(sentences) == tiny_model.predict(sentences)
    with pytest.raises(FileNotFoundError, match="model file missing"):
        CrfRecognizer.load(tmp_path / "nothing")


def test_unfitted_model_says_so():
    with pytest.raises(RuntimeError, match="not fitted"):
        CrfRecognizer(clusters=None).predict_one(["علی"])


def test_cli_train_and_eval(iob_files, tmp_path, capsys):
    train, test = iob_files
    out = tmp_path / "cli-model"
    assert cli.main(["train-ner", str(train), "--out", str(out), "--clusters", "none", "--max-iterations", "30"]) == 0
    assert (tmp_path / "cli-model.crfsuite").exists() and (tmp_path / "cli-model.json").exists()
    assert cli.main(["eval-ner", str(out), str(test)]) == 0
    printed = capsys.readouterr().out
    assert "micro" in printed and "PER" in printed and "precision" in printed
    assert cli.main(["eval-ner", str(tmp_path / "missing"), str(test)]) == 2
    held_out = tmp_path / "held-out-model"
    assert cli.main(["train-ner", str(train), "--out", str(held_out), "--clusters", "none", "--max-iterations", "10",
                     "--holdout"]) == 0
    assert CrfRecognizer.load(held_out).n_sentences_ == 96  # 120 sentences minus every fifth


def test_shipped_model_loads_and_finds_obvious_entities():
    model = load_model()
    tokens = "حسن روحانی رئیس جمهور ایران امروز در تهران با وزیر امور خارجه دیدار کرد .".split()
    tags = model.predict_one(tokens)
    assert tags[0] == "B-PER" and tags[1] == "I-PER"
    assert tags[tokens.index("تهران")] == "B-LOC"
    assert tags[tokens.index("ایران")] == "B-LOC"


def test_word_clusters_learn_write_and_read(tmp_path):
    from analysis.entities.ner import read_clusters
    from analysis.entities.ner.clusters import WordClusters

    docs = [tokens for tokens, _ in make_sentences(200, seed=3)]
    model = WordClusters(min_count=2, n_contexts=50, n_components=8, n_clusters=(2, 4)).fit(docs)
    assert model.labels_.shape == (len(model.words_), 2)
    path = model.write(tmp_path / "clusters.tsv", header="test clusters")
    clusters = read_clusters(str(path))
    assert set(clusters) == {fold(w) for w in model.words_}
    assert all(len(ids) == 2 for ids in clusters.values())
    assert path.read_text(encoding="utf-8").startswith("# test clusters")
    with pytest.raises(ValueError, match="need more text"):
        WordClusters(n_clusters=(1000,)).fit(docs)


def test_cluster_text_from_iob_leaves_the_held_out_fifth_out(iob_files):
    from analysis.entities.ner.clusters import iob_training_tokens

    sentences = read_iob(iob_files[0]) + read_iob(iob_files[1])
    train, held = holdout_split(sentences)
    assert iob_training_tokens(iob_files) == [tokens for tokens, _ in train]
    assert len(held) == 30


def test_learned_dictionary_marks_a_second_type_only_when_asked():
    from analysis.entities.ner.features import learn_dictionary

    sentences = [(["ایران", "گفت"], ["B-LOC", "O"])] * 3 + [(["ایران", "برد"], ["B-ORG", "O"])] * 2
    assert learn_dictionary(sentences).phrases == {("ایران",): {"LOC"}}
    assert learn_dictionary(sentences, other_types=0.3).phrases == {("ایران",): {"LOC", "ORG"}}
    assert learn_dictionary(sentences, other_types=0.5).phrases == {("ایران",): {"LOC"}}


def test_learned_dictionary_marks_a_phrase_tagged_once_apart():
    from analysis.entities.ner.features import learn_dictionary

    # «قاریان» tagged PER once out of two occurrences (one annotator's slip), «حسن روحانی» three times
    sentences = [(["قاریان", "خواندند"], ["B-PER", "O"]), (["قاریان", "آمدند"], ["O", "O"])]
    sentences += [(["حسن", "روحانی", "گفت"], ["B-PER", "I-PER", "O"])] * 3
    phrases = learn_dictionary(sentences, min_evidence=2).phrases
    assert phrases[("قاریان",)] == {"PER?1"}
    assert phrases[("حسن", "روحانی")] == {"PER"}
    assert learn_dictionary(sentences).phrases[("قاریان",)] == {"PER?"}  # the default keeps them together
