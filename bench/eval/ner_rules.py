"""What the rules over the tagger's spans do to entity scores: the shipped model's tags as they are,
and the spans the entities pipeline keeps after ``analysis.entities.mentions.apply_rules`` (known
names and aliases, «استان» + province, title + given name, organisation heads), on the Arman held-out
fifth (all six types) and PEYMA dev (PER/ORG/LOC), scored alike (``analysis.entities.ner.evaluate``).

Usage: python bench/eval/ner_rules.py [--arman ../shared/ner/arman] [--peyma ../shared/ner/peyma/dev.txt]
       [--out bench/results/ner_rules.md]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _arman import DEFAULT_DIR, arman_sentences
from _results import write_results

PEYMA_DEV = DEFAULT_DIR.parent / "peyma" / "dev.txt"


def rule_tags(words: list[str], tags: list[str]) -> list[str]:
    """IOB tags of the spans ``apply_rules`` keeps for one tagged sentence."""
    from analysis._core.persian import fold_letters
    from analysis.entities.mentions import Sentence, Token, apply_rules

    tokens, position = [], 0
    for word in words:
        tokens.append(Token(word, position, position + len(word)))
        position += len(word) + 1
    sentence = Sentence(0, 0, position, tokens, list(tags), [fold_letters(w) for w in words])
    out = ["O"] * len(words)
    for kind, a, b in apply_rules(sentence):
        out[a:b] = [f"B-{kind}"] + [f"I-{kind}"] * (b - a - 1)
    return out


def scores(name: str, sentences, types) -> list[str]:
    from analysis.entities.ner import evaluate, load_model, restrict_types

    words = [w for w, _ in sentences]
    gold = [restrict_types(list(t), types) for _, t in sentences]
    tagged = load_model().predict(words)
    ruled = [rule_tags(w, t) for w, t in zip(words, tagged)]
    lines = [f"### {name}", "", f"{len(sentences):,} sentences; types {', '.join(types)}.", "",
             "| type | tags F1 (P / R) | after the rules F1 (P / R) |", "|---|---|---|"]
    raw = evaluate(gold, [restrict_types(t, types) for t in tagged]).set_index("type")
    kept = evaluate(gold, [restrict_types(t, types) for t in ruled]).set_index("type")
    for kind in [*[t for t in types if t in raw.index], "micro"]:
        a, b = raw.loc[kind], kept.loc[kind]
        lines.append(f"| {kind} | {a.f1:.3f} ({a.precision:.3f} / {a.recall:.3f}) | "
                     f"{b.f1:.3f} ({b.precision:.3f} / {b.recall:.3f}) |")
    return lines + [""]


def main(argv=None) -> int:
    from analysis.entities.ner import holdout_split, read_peyma

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arman", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--peyma", type=Path, default=PEYMA_DEV)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "results" / "ner_rules.md")
    args = parser.parse_args(argv)
    _, held_out = holdout_split(arman_sentences(args.arman))
    lines = ["# The rules over the tagger's spans, scored", "",
             "Command: `python bench/eval/ner_rules.py` · shipped model `news-crf`.", "",
             "The entities table reads the spans after the rules, not the tags; this page shows whether the rules",
             "help or cost on text annotated by people. Entity level, exact span and type.", ""]
    lines += scores("Arman, held-out fifth (never trained on)", held_out, ["PER", "ORG", "LOC", "FAC", "PRO", "EVE"])
    lines += scores("PEYMA dev (never trained on)", read_peyma(args.peyma), ["PER", "ORG", "LOC"])
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
