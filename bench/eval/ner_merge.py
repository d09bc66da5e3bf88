"""Tried option: the shipped Arman+PEYMA model for every type, with the FAC/PRO/EVE of an Arman-only model
written over it (two taggers at run time), scored on the Arman held-out fifth and PEYMA dev.

Both models must have been trained without the held-out fifth (``train-ner --holdout``). ``replace``:
an Arman-only FAC/PRO/EVE replaces the entities it overlaps; ``add``: it is kept only where the shipped
model found nothing.

Usage: python bench/eval/ner_merge.py --helper /tmp/arman-only [--arman DIR] [--peyma DIR]
       [--out bench/results/ner_merge.md]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _arman import DEFAULT_DIR, arman_sentences
from _results import write_results

os.environ.setdefault("TQDM_DISABLE", "1")
REPO = Path(__file__).resolve().parents[2]


def merge(tags: list[str], other: list[str], types=("FAC", "PRO", "EVE"), replace: bool = True) -> list[str]:
    """``tags`` with the entities of ``types`` from ``other`` written over them."""
    from analysis.entities.ner import entity_chunks

    out = list(tags)
    for kind, a, b in entity_chunks(other):
        if kind not in types or (not replace and any(t != "O" for t in out[a:b])):
            continue
        for _, a2, b2 in entity_chunks(out):
            if a2 < b and b2 > a:
                out[a2:b2] = ["O"] * (b2 - a2)
        out[a:b] = ["B-" + kind] + ["I-" + kind] * (b - a - 1)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helper", required=True, help="Arman-only model trained with --holdout")
    parser.add_argument("--arman", default=str(DEFAULT_DIR))
    parser.add_argument("--peyma", default=str(DEFAULT_DIR.parent / "peyma"))
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "ner_merge.md"))
    args = parser.parse_args(argv)

    from analysis.entities.ner import ENTITY_TYPES, CrfRecognizer, evaluate, holdout_split, load_model, read_annotated, restrict_types

    _, held = holdout_split(arman_sentences(args.arman))
    dev = read_annotated(Path(args.peyma) / "dev.txt", "peyma")
    shipped, helper = load_model(), CrfRecognizer.load(args.helper)
    lines = ["# Tried: shipped model + FAC/PRO/EVE of an Arman-only model", "",
             f"Command: `python bench/eval/ner_merge.py --helper {Path(args.helper).name}`", "",
             "| tagging | Arman held-out micro F1 | " + " | ".join(ENTITY_TYPES) + " | PEYMA dev F1 (PER/ORG/LOC) |",
             "|---|---:|" + "---:|" * len(ENTITY_TYPES) + "---:|"]  # fmt: skip
    pred = {name: (model.predict(w for w, _ in held), model.predict(w for w, _ in dev))
            for name, model in (("shipped", shipped), ("helper", helper))}  # fmt: skip
    variants = {
        "shipped model alone": pred["shipped"],
        "Arman-only helper alone": pred["helper"],
        "shipped + helper's FAC/PRO/EVE (replace)": tuple([merge(a, b) for a, b in zip(*pair)]
                                                          for pair in zip(pred["shipped"], pred["helper"])),
        "shipped + helper's FAC/PRO/EVE (add)": tuple([merge(a, b, replace=False) for a, b in zip(*pair)]
                                                      for pair in zip(pred["shipped"], pred["helper"])),
    }  # fmt: skip
    pol = ("PER", "ORG", "LOC")
    for name, (arman_tags, dev_tags) in variants.items():
        a = evaluate([t for _, t in held], arman_tags).set_index("type")
        d = evaluate([restrict_types(t, pol) for _, t in dev], [restrict_types(t, pol) for t in dev_tags])
        lines.append(f"| {name} | **{a.loc['micro', 'f1']:.3f}** | "
                     + " | ".join(f"{a.loc[t, 'f1']:.3f}" if t in a.index else "–" for t in ENTITY_TYPES)
                     + f" | **{d.iloc[-1].f1:.3f}** |")  # fmt: skip
    lines += ["", "Not shipped: two taggers double the CRF time, and the gain on Arman is paid for on PEYMA.", ""]
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
