"""Shared by the NER bench scripts: the two ArmanPersoNERCorpus folds in ``../shared/ner/arman``."""

from __future__ import annotations

from pathlib import Path

#: the Arman folds the project has (test folds 1 and 2 of the corpus's three)
FOLD_FILES = ("test_fold1.txt", "test_fold2.txt")
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "ner" / "arman"


def arman_sentences(folder) -> list:
    """All sentences of the Arman folds in ``folder`` as (tokens, tags) pairs, fold 1 then fold 2.

    Raises FileNotFoundError naming the missing fold files.
    """
    from analysis.entities.ner import read_iob

    paths = [Path(folder) / name for name in FOLD_FILES]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"Arman fold files not found: {', '.join(missing)}")
    return [sentence for path in paths for sentence in read_iob(path)]
