"""Tests of PEYMA reading, format detection, scoring on fewer types, Arman + PEYMA combination and
FastText clusters (analysis.entities.ner, analysis.entities.ner.vectors); fixtures are written here."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import cli
from analysis.entities.ner import (
    CrfRecognizer,
    IOBError,
    combine_corpora,
    detect_format,
    hidden_entities,
    read_annotated,
    read_peyma,
    restrict_types,
    write_iob,
)

PEYMA_TEXT = """به|O
گزارش|O
خبرگزاری|B_ORG
مهر|I_ORG
،|O
سعید|B_PER
پورعلی|I_PER
در|O
تهران|B_LOC
روز|B_DAT
شنبه|I_DAT
گفت|O
.|O

روش های|O
نو|O
||O
"""


def write_peyma(sentences, path) -> None:
    lines = []
    for tokens, tags in sentences:
        lines += [f"{t}|{g.replace('-', '_')}" for t, g in zip(tokens, tags)] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_read_peyma_tags_extra_types_and_spaces(tmp_path):
    path = tmp_path / "peyma.txt"
    path.write_text(PEYMA_TEXT, encoding="utf-8")
    sentences = read_peyma(path)
    assert len(sentences) == 2
    tokens, tags = sentences[0]
    assert tags[2:7] == ["B-ORG", "I-ORG", "O", "B-PER", "I-PER"]
    assert tags[8] == "B-LOC" and tags[9:11] == ["O", "O"]  # DAT is not one of the recogniser's types
    assert sentences[1][0] == ["روش\u200cهای", "نو", "|"]  # space inside a token is PEYMA's ZWNJ; a '|' token
    assert detect_format(path) == "peyma" and read_annotated(path) == sentences


def test_read_peyma_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("تهران|B_LOC\nبی‌تگ\n", encoding="utf-8")
    with pytest.raises(IOBError, match=r"bad\.txt, line 2"):
        read_peyma(bad)
    unknown = tmp_path / "unknown.txt"
    unknown.write_text("تهران|B_CITY\n", encoding="utf-8")
    with pytest.raises(IOBError, match=r"unknown\.txt, line 1: unknown tag"):
        read_peyma(unknown)


def test_iob_is_detected_as_iob(tmp_path):
    path = tmp_path / "arman.txt"
    write_iob([(["علی", "آمد"], ["B-PER", "O"])], path)
    assert detect_format(path) == "iob"
    assert read_annotated(path) == [(["علی", "آمد"], ["B-PER", "O"])]
    with pytest.raises(ValueError, match="unknown corpus format"):
        read_annotated(path, "conllu")


@given(st.lists(st.sampled_from(["O", "B-PER", "I-PER", "B-FAC", "I-FAC", "B-LOC"]), max_size=20))
def test_restrict_types_keeps_only_the_named_types(tags):
    out = restrict_types(tags, ["PER", "LOC"])
    assert len(out) == len(tags)
    assert all(o == t if t[2:] in ("PER", "LOC") else o == "O" for o, t in zip(out, tags))


class FacilityFinder:
    """A stand-in helper recogniser: tags «ورزشگاه آزادی» as FAC wherever it occurs."""

    def predict(self, token_lists):
        out = []
        for tokens in token_lists:
            tags = ["O"] * len(tokens)
            for i in range(len(tokens) - 1):
                if tokens[i : i + 2] == ["ورزشگاه", "آزادی"]:
                    tags[i : i + 2] = ["B-FAC", "I-FAC"]
            out.append(tags)
        return out


ARMAN = [(["علی", "در", "ورزشگاه", "آزادی"], ["B-PER", "O", "B-FAC", "I-FAC"])]
PEYMA = [
    (["بازی", "در", "ورزشگاه", "آزادی", "بود"], ["O", "O", "O", "O", "O"]),
    (["رضا", "در", "تهران", "بود"], ["B-PER", "O", "B-LOC", "O"]),
    (["ورزشگاه", "آزادی", "تهران"], ["B-LOC", "I-LOC", "I-LOC"]),  # PEYMA's own tag wins
]


def test_combine_corpora_strategies():
    helper = FacilityFinder()
    assert combine_corpora(ARMAN, PEYMA, "arman") == ARMAN
    assert combine_corpora(ARMAN, PEYMA, "o") == ARMAN + PEYMA
    assert hidden_entities(PEYMA, helper) == [[("FAC", 2, 4)], [], []]
    assert combine_corpora(ARMAN, PEYMA, "drop", helper=helper) == ARMAN + PEYMA[1:]
    imputed = combine_corpora(ARMAN, PEYMA, "impute", helper=helper)
    assert imputed[1] == (PEYMA[0][0], ["O", "O", "B-FAC", "I-FAC", "O"])
    assert imputed[2:] == PEYMA[1:]
    with pytest.raises(ValueError, match="needs a helper"):
        combine_corpora(ARMAN, PEYMA, "impute")
    with pytest.raises(ValueError, match="unknown strategy"):
        combine_corpora(ARMAN, PEYMA, "merge")


def test_cli_trains_on_iob_plus_peyma_and_scores_peyma(tmp_path, capsys):
    from test_ner import make_sentences

    arman, peyma, helper = tmp_path / "arman.txt", tmp_path / "peyma.txt", tmp_path / "helper"
    write_iob(make_sentences(60, seed=4), arman)
    write_peyma([(t, [g.upper().replace("PERS", "PER") for g in tags]) for t, tags in make_sentences(40, seed=5)], peyma)
    common = ["--clusters", "none", "--max-iterations", "20"]
    assert cli.main(["train-ner", str(arman), "--out", str(helper), *common]) == 0
    assert cli.main(["train-ner", str(arman), "--peyma", str(peyma), "--combine", "impute", "--out",
                     str(tmp_path / "m"), *common]) == 2  # impute needs a helper
    assert "needs --helper" in capsys.readouterr().err
    assert cli.main(["train-ner", str(arman), "--peyma", str(peyma), "--combine", "impute", "--helper", str(helper),
                     "--out", str(tmp_path / "m"), *common]) == 0
    assert CrfRecognizer.load(tmp_path / "m").n_sentences_ == 100
    capsys.readouterr()
    assert cli.main(["eval-ner", str(tmp_path / "m"), str(peyma)]) == 0
    printed = capsys.readouterr().out
    assert "peyma" in printed and "PER,ORG,LOC" in printed and "micro" in printed


def test_fasttext_clusters_cover_extra_words(tmp_path):
    pytest.importorskip("gensim")
    from analysis.entities.ner import read_clusters
    from analysis.entities.ner.vectors import FastTextClusters
    from test_ner import make_sentences

    docs = [tokens for tokens, _ in make_sentences(200, seed=3)]
    model = FastTextClusters(vector_size=16, epochs=2, n_clusters=(2, 4), min_count=2).fit(docs, extra_words=["بهمن"])
    assert "بهمن" in model.words_ and model.labels_.shape == (len(model.words_), 2)
    clusters = read_clusters(str(model.write(tmp_path / "ft.tsv", header="test")))
    assert all(len(ids) == 2 for ids in clusters.values())
    with pytest.raises(ValueError, match="more text"):
        FastTextClusters(n_clusters=(10_000,)).fit(docs)
