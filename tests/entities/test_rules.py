"""The rules over the tagger's spans (``analysis.entities.mentions.apply_rules``), on hand-tagged sentences."""

from __future__ import annotations

from analysis._core.persian import fold_letters
from analysis.entities.mentions import Sentence, Token, apply_rules


def tagged(pairs: list[tuple[str, str]]) -> Sentence:
    """A sentence of (word, tag) pairs, as ``tag_text`` would give it."""
    tokens, position = [], 0
    for word, _ in pairs:
        tokens.append(Token(word, position, position + len(word)))
        position += len(word) + 1
    words = [w for w, _ in pairs]
    return Sentence(0, 0, position, tokens, [t for _, t in pairs], [fold_letters(w) for w in words])


def spans(sentence: Sentence) -> list[tuple[str, str]]:
    return [(kind, " ".join(t.text for t in sentence.tokens[a:b])) for kind, a, b in apply_rules(sentence)]


def test_a_province_inside_an_organisation_the_tagger_found_stays_in_it():
    sentence = tagged([("رئیس", "O"), ("سازمان", "B-ORG"), ("انتقال", "I-ORG"), ("خون", "I-ORG"),
                       ("استان", "I-ORG"), ("تهران", "I-ORG"), ("گفت", "O")])
    assert spans(sentence) == [("ORG", "سازمان انتقال خون استان تهران")]


def test_a_province_the_tagger_missed_is_a_place_with_its_head():
    sentence = tagged([("مردم", "O"), ("استان", "O"), ("خراسان", "O"), ("رضوی", "O"), ("آمدند", "O")])
    assert spans(sentence) == [("LOC", "استان خراسان رضوی")]


def test_a_known_name_inside_a_longer_organisation_is_not_a_mention_of_its_own():
    sentence = tagged([("کمیته", "B-ORG"), ("امداد", "I-ORG"), ("امام", "I-ORG"), ("خمینی", "I-ORG"),
                       ("اعلام", "O"), ("کرد", "O")])
    assert spans(sentence) == [("ORG", "کمیته امداد امام خمینی")]
    alone = tagged([("امام", "O"), ("خمینی", "O"), ("فرمود", "O")])
    assert spans(alone) == [("PER", "امام خمینی")]


def test_an_organisation_head_of_two_words_joins_the_organisation_after_it():
    sentence = tagged([("با", "O"), ("اداره", "O"), ("کل", "O"), ("تبلیغات", "B-ORG"), ("اسلامی", "I-ORG"),
                       ("همکاری", "O")])
    assert spans(sentence) == [("ORG", "اداره کل تبلیغات اسلامی")]
