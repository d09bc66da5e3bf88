"""Choose the recogniser's settings by k-fold cross-validation inside the training part of Arman.

The held-out fifth of ``test_fold1.txt`` + ``test_fold2.txt`` (``analysis.entities.ner.holdout_split``) is never
read here: the training four fifths are cut into ``--folds`` parts (sentence i goes to part i % k), each
setting is trained on k-1 parts and scored on the remaining one, and the mean entity-level micro F1
over the parts decides. ``bench/eval_ner.py`` then scores the chosen setting once on the held-out fifth.

Settings are given as ``NAME:key=value,key=value`` (keys: the parameters of
``analysis.entities.ner.CrfRecognizer``: c1, c2, max_iterations, possible_transitions, clusters, groups with
``+`` between group names, dictionary_folds). Results are appended as they come, so a long run can
be read while it goes on.

Usage: python bench/ner_cv.py [--arman ../shared/ner/arman] [--folds 3]
       [--setting shipped:c1=0.15,c2=0.02 ...] [--out bench/results/ner_cv.md]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from _arman import DEFAULT_DIR, arman_sentences
from _results import write_results

os.environ.setdefault("TQDM_DISABLE", "1")

REPO = Path(__file__).resolve().parent.parent


def parse_setting(text: str) -> tuple[str, dict]:
    """``name:c1=0.1,c2=0.05`` -> ("name", {"c1": 0.1, "c2": 0.05})."""
    name, _, spec = text.partition(":")
    params: dict = {}
    for item in filter(None, spec.split(",")):
        key, _, value = item.partition("=")
        if key == "groups":
            params[key] = tuple(value.split("+"))
        elif key in ("max_iterations", "dictionary_folds", "window"):
            params[key] = int(value)
        elif key == "possible_transitions":
            params[key] = value.lower() in ("1", "true", "yes")
        elif key == "dictionary_types":
            params[key] = None if value == "none" else float(value)
        elif key == "clusters":
            params[key] = value
        else:
            params[key] = float(value)
    return name, params


def with_rules(tokens: list[str], tags: list[str]) -> list[str]:
    """The tags after the high-precision rules of :func:`analysis.entities.mentions.apply_rules`."""
    from analysis.entities.mentions import Sentence, Token, apply_rules
    from analysis.entities.ner.features import fold_letters

    sentence = Sentence(0, 0, 0, [Token(t, 0, 0) for t in tokens], list(tags), [fold_letters(t) for t in tokens])
    out = ["O"] * len(tokens)
    for kind, a, b in apply_rules(sentence):
        out[a] = "B-" + kind
        for i in range(a + 1, b):
            out[i] = "I-" + kind
    return out


def error_kinds(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, int]:
    """Counts of entity errors: wrong type (same span), wrong boundary (overlapping span), missed, spurious."""
    from analysis.entities.ner import entity_chunks

    counts = dict.fromkeys(("wrong type", "wrong boundary", "missed", "spurious"), 0)
    for gold_tags, pred_tags in zip(gold, predicted):
        g, p = set(entity_chunks(gold_tags)), set(entity_chunks(pred_tags))
        for kind, a, b in g - p:
            if any(pa == a and pb == b for _, pa, pb in p):
                counts["wrong type"] += 1
            elif any(pa < b and pb > a for _, pa, pb in p):
                counts["wrong boundary"] += 1
            else:
                counts["missed"] += 1
        counts["spurious"] += sum(not any(ga < b and gb > a for _, ga, gb in g) for _, a, b in p - g)
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arman", default=str(DEFAULT_DIR))
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--setting", action="append", default=[], help="NAME:key=value,... (repeatable)")
    parser.add_argument("--rules", action="store_true", help="also score each setting with the mentions rules on top")
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "ner_cv.md"))
    args = parser.parse_args(argv)

    from analysis.entities.ner import CrfRecognizer, ENTITY_TYPES, evaluate, holdout_split

    try:
        sentences = arman_sentences(args.arman)
    except FileNotFoundError as error:
        print(f"ner_cv: {error}", file=sys.stderr)
        return 2
    train, _ = holdout_split(sentences)  # the held-out fifth is dropped here
    settings = [parse_setting(s) for s in (args.setting or ["shipped:"])]
    k = args.folds

    header = [
        "# Recogniser settings chosen by cross-validation inside the Arman training part",
        "",
        "Command: `python bench/ner_cv.py --folds " + str(k) + "".join(f" --setting {s}" for s in args.setting)
        + (" --rules" if args.rules else "") + "`",
        "",
        f"Training part: {len(train):,} sentences (Arman test folds 1+2 minus the held-out fifth, which is not "
        f"read); {k} parts, sentence i in part i % {k}. Each cell: entity-level micro F1 (conlleval), pooled "
        "over the parts (all parts' predictions scored together); per-type F1 after it.",
        "",
        "| setting | micro P | micro R | **micro F1** | " + " | ".join(ENTITY_TYPES) + " | train s (mean) |",
        "|---|---:|---:|---:|" + "---:|" * len(ENTITY_TYPES) + "---:|",
    ]
    rows: list[str] = []
    errors: list[str] = []
    for name, params in settings:
        gold, predicted, tokens, seconds = [], [], [], []
        for part in range(k):
            fit_part = [s for i, s in enumerate(train) if i % k != part]
            test_part = [s for i, s in enumerate(train) if i % k == part]
            t0 = time.perf_counter()
            model = CrfRecognizer(**params).fit(fit_part)
            seconds.append(time.perf_counter() - t0)
            gold += [tags for _, tags in test_part]
            tokens += [words for words, _ in test_part]
            predicted += model.predict(words for words, _ in test_part)
            print(f"{name}: part {part + 1}/{k} trained in {seconds[-1]:.0f} s", file=sys.stderr, flush=True)
        spec = ", ".join(f"{key}={value}" for key, value in params.items()) or "shipped defaults"
        variants = [(f"{name} ({spec})", predicted)]
        if args.rules:
            variants.append((f"{name} + mentions rules", [with_rules(w, t) for w, t in zip(tokens, predicted)]))
        for label, tags in variants:
            table = evaluate(gold, tags).set_index("type")
            micro = table.loc["micro"]
            per_type = [f"{table.loc[t, 'f1']:.3f}" if t in table.index else "–" for t in ENTITY_TYPES]
            rows.append(
                f"| {label} | {micro.precision:.3f} | {micro.recall:.3f} | **{micro.f1:.3f}** | "
                + " | ".join(per_type) + f" | {sum(seconds) / len(seconds):.0f} |"
            )
        errors.append(f"- {name}: " + ", ".join(f"{kind} {n}" for kind, n in error_kinds(gold, predicted).items()))
        write_results(args.out, header + rows + ["", "Errors (gold entities not found, by kind; spurious: predicted "
                                                 "entities overlapping no gold one):", "", *errors, ""])
    return 0


if __name__ == "__main__":
    sys.exit(main())
