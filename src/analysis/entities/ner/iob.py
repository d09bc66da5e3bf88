"""IOB files and entity-level scores: the common ground of training, evaluation and features.

- :func:`read_iob` reads IOB files (one ``token tag`` a line, a blank line between sentences; Arman
  and PEYMA style; tags such as ``B-pers`` / ``I-event`` are mapped to PER, ORG, LOC, FAC, PRO, EVE);
- :func:`entity_chunks` gives the entities of a tag sequence, :func:`evaluate` scores predicted tags
  against gold ones at the entity level (CoNLL ``conlleval`` rules);
- :func:`holdout_split` is the fixed held-out fifth the shipped model never saw.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: entity types of the recogniser, in report order
ENTITY_TYPES = ("PER", "ORG", "LOC", "FAC", "PRO", "EVE")

_TYPE_ALIASES = {
    "PER": "PER", "PERS": "PER", "PERSON": "PER",
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
    "LOC": "LOC", "LOCATION": "LOC",
    "FAC": "FAC", "FACILITY": "FAC",
    "PRO": "PRO", "PRODUCT": "PRO",
    "EVE": "EVE", "EVENT": "EVE",
}  # fmt: skip


class IOBError(ValueError):
    """An IOB file that cannot be read; the message names the file and line."""


def normalize_tag(tag: str) -> str:
    """``B-pers`` -> ``B-PER``, ``i-event`` -> ``I-EVE``, ``O`` -> ``O``; raises ValueError if unknown."""
    tag = tag.strip()
    if tag.upper() == "O":
        return "O"
    prefix, sep, name = tag.partition("-")
    if not sep or prefix.upper() not in ("B", "I") or name.upper() not in _TYPE_ALIASES:
        raise ValueError(f"unknown tag {tag!r}")
    return prefix.upper() + "-" + _TYPE_ALIASES[name.upper()]


def read_iob(path) -> list[tuple[list[str], list[str]]]:
    """Sentences of an IOB file as ``(tokens, tags)`` pairs (tags normalised by :func:`normalize_tag`).

    Lines are ``token tag`` (space or tab separated; the tag is the last field). Raises
    :class:`IOBError` naming the file and line for a malformed line or an unknown tag.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IOBError(f"{path}: cannot read IOB file ({exc})") from exc
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            if tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
            continue
        parts = line.split()
        if len(parts) < 2:
            raise IOBError(f"{path}, line {number}: expected 'token tag', got {line!r}")
        try:
            tag = normalize_tag(parts[-1])
        except ValueError as exc:
            raise IOBError(f"{path}, line {number}: {exc}") from None
        tokens.append(" ".join(parts[:-1]))
        tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def write_iob(sentences, path) -> None:
    """Write ``(tokens, tags)`` pairs as an IOB file."""
    lines = []
    for tokens, tags in sentences:
        lines += [f"{token} {tag}" for token, tag in zip(tokens, tags)]
        lines.append("")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def entity_chunks(tags: list[str]) -> list[tuple[str, int, int]]:
    """Entities of a tag sequence as ``(type, start, end)`` token spans (end exclusive).

    conlleval rules: an ``I-X`` after ``O`` or after another type starts a new entity.
    """
    chunks = []
    start, current = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, name = tag.partition("-")
        begins = prefix == "B" or (prefix == "I" and name != current)
        if current is not None and (tag == "O" or begins):
            chunks.append((current, start, i))
            current = None
        if tag != "O" and begins:
            start, current = i, name
    return chunks


def evaluate(gold: list[list[str]], predicted: list[list[str]]) -> pd.DataFrame:
    """Entity-level precision, recall and F1 a type, plus a ``micro`` row (CoNLL style).

    ``gold`` and ``predicted`` are tag sequences of the same sentences. Returns columns type,
    precision, recall, f1, gold, predicted, correct.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")
    counts: dict[str, list[int]] = {}
    for gold_tags, pred_tags in zip(gold, predicted):
        gold_set = set(entity_chunks(gold_tags))
        pred_set = set(entity_chunks(pred_tags))
        for kind, chunks in (("gold", gold_set), ("predicted", pred_set), ("correct", gold_set & pred_set)):
            for name, _, _ in chunks:
                row = counts.setdefault(name, [0, 0, 0])
                row[("gold", "predicted", "correct").index(kind)] += 1
    types = [t for t in ENTITY_TYPES if t in counts] + sorted(set(counts) - set(ENTITY_TYPES))
    rows = [(t, *counts[t]) for t in types]
    rows.append(("micro", *(sum(c[k] for c in counts.values()) for k in range(3))))
    table = pd.DataFrame(rows, columns=["type", "gold", "predicted", "correct"])
    table["precision"] = (table["correct"] / table["predicted"].where(table["predicted"] > 0)).fillna(0.0)
    table["recall"] = (table["correct"] / table["gold"].where(table["gold"] > 0)).fillna(0.0)
    denominator = (table["precision"] + table["recall"]).where(lambda s: s > 0)
    table["f1"] = (2 * table["precision"] * table["recall"] / denominator).fillna(0.0)
    return table[["type", "precision", "recall", "f1", "gold", "predicted", "correct"]]


def holdout_split(sentences: list, every: int = 5, offset: int = 4) -> tuple[list, list]:
    """Split sentences into (train, held-out): sentence ``i`` is held out when ``i % every == offset``.

    The shipped model was trained on the Arman folds 1 and 2 (in that order) minus this held-out
    fifth, which is what ``bench/eval_ner.py`` scores it on.
    """
    train = [s for i, s in enumerate(sentences) if i % every != offset]
    held = [s for i, s in enumerate(sentences) if i % every == offset]
    return train, held
