"""IOB files and entity-level scores: the common ground of training, evaluation and features.

- :func:`read_iob` reads IOB files (one ``token tag`` a line, a blank line between sentences; Arman
  and PEYMA style; tags such as ``B-pers`` / ``I-event`` are mapped to PER, ORG, LOC, FAC, PRO, EVE);
- :func:`entity_chunks` gives the entities of a tag sequence, :func:`evaluate` scores predicted tags
  against gold ones at the entity level (CoNLL ``conlleval`` rules);
- :func:`read_peyma` reads PEYMA (``token|TAG``), :func:`read_annotated` either format (detected);
  :func:`restrict_types` scores a corpus on fewer types;
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
    if not sep:
        prefix, sep, name = tag.partition("_")  # PEYMA style: B_PER
    if not sep or prefix.upper() not in ("B", "I") or name.upper() not in _TYPE_ALIASES:
        raise ValueError(f"unknown tag {tag!r}")
    return prefix.upper() + "-" + _TYPE_ALIASES[name.upper()]


def _read_sentences(path, what: str, token_and_tag) -> list[tuple[list[str], list[str]]]:
    """Sentences of an annotated file (a blank line between them) as ``(tokens, tags)`` pairs, each
    non-blank line read by ``token_and_tag(line)`` into ``(token, tag before normalize_tag)``, which
    raises ``ValueError`` for a line it cannot read. Raises :class:`IOBError` naming the file (``what``
    it is) and the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IOBError(f"{path}: cannot read {what} ({exc})") from exc
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
            continue
        try:
            token, tag = token_and_tag(line)
            tag = normalize_tag(tag)
        except ValueError as exc:
            raise IOBError(f"{path}, line {number}: {exc}") from None
        tokens.append(token)
        tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def _iob_line(line: str) -> tuple[str, str]:
    parts = line.split()
    if len(parts) < 2:
        raise ValueError(f"expected 'token tag', got {line.strip()!r}")
    return " ".join(parts[:-1]), parts[-1]


def read_iob(path) -> list[tuple[list[str], list[str]]]:
    """Sentences of an IOB file as ``(tokens, tags)`` pairs (tags normalised by :func:`normalize_tag`).

    Lines are ``token tag`` (space or tab separated; the tag is the last field). Raises
    :class:`IOBError` naming the file and line for a malformed line or an unknown tag.
    """
    return _read_sentences(path, "IOB file", _iob_line)


#: PEYMA's types that the recogniser does not have (dates, times, money, percentages): read as O
PEYMA_EXTRA_TYPES = ("DAT", "TIM", "MON", "PCT")


def _peyma_line(line: str) -> tuple[str, str]:
    token, sep, tag = line.rstrip("\r\n").rpartition("|")
    tag = tag.strip()
    if not sep or not token.strip():
        raise ValueError(f"expected 'token|TAG', got {line!r}")
    if tag[2:].upper() in PEYMA_EXTRA_TYPES and tag[:2].upper() in ("B_", "I_", "B-", "I-"):
        tag = "O"
    return " ".join(token.split()).replace(" ", "\u200c"), tag


def read_peyma(path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a PEYMA file (``token|TAG`` a line, ``B_PER`` / ``I_LOC`` tags, a blank line between
    sentences) as ``(tokens, tags)`` pairs with IOB2 tags of :data:`ENTITY_TYPES`.

    PEYMA's DAT, TIM, MON and PCT (:data:`PEYMA_EXTRA_TYPES`) become ``O``. PEYMA writes the ZWNJ
    inside a token as a space («روش های»): it is read back as ZWNJ, as the project's tokenizer
    writes it («روش‌های»). Raises :class:`IOBError` naming the file and line for a line without
    ``|`` or an unknown tag.
    """
    return _read_sentences(path, "PEYMA file", _peyma_line)


def detect_format(path) -> str:
    """``"peyma"`` when the first non-blank line of ``path`` is ``token|TAG``, else ``"iob"``."""
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        for line in handle:
            if line.strip():
                token, sep, tag = line.strip().rpartition("|")
                return "peyma" if sep and token and " " not in tag and "\t" not in tag else "iob"
    return "iob"


def read_annotated(path, format: str = "auto") -> list[tuple[list[str], list[str]]]:
    """Sentences of an annotated file: ``format`` ``"iob"`` (:func:`read_iob`), ``"peyma"``
    (:func:`read_peyma`) or ``"auto"`` (:func:`detect_format`)."""
    if format == "auto":
        try:
            format = detect_format(path)
        except OSError as exc:
            raise IOBError(f"{path}: cannot read annotated file ({exc})") from exc
    if format == "peyma":
        return read_peyma(path)
    if format == "iob":
        return read_iob(path)
    raise ValueError(f"unknown corpus format {format!r} (iob, peyma or auto)")


def restrict_types(tags: list[str], types) -> list[str]:
    """The tags with entities of types not in ``types`` set to O (to score on a corpus with fewer types)."""
    types = set(types)
    return [t if t == "O" or t[2:] in types else "O" for t in tags]


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
    fifth, which is what ``bench/eval/eval_ner.py`` scores it on.
    """
    train = [s for i, s in enumerate(sentences) if i % every != offset]
    held = [s for i, s in enumerate(sentences) if i % every == offset]
    return train, held
