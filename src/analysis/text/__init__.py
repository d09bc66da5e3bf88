"""The text stage: Persian text as hazm reads it, more than ten times faster.

- :mod:`~analysis.text.normalizer`: :func:`normalize`, :func:`tokenize`, :func:`sentences`
  (hazm-faithful; compiled passes in :mod:`analysis.text._speedups` where they are built);
- :mod:`~analysis.text.words`: :func:`stopwords`, :func:`remove_stopwords`, :func:`lemmatize`, :func:`stem`;
- :mod:`~analysis.text.tokens`: :func:`add_tokens`, the token lists of a whole articles table.

Imports only the core: the loader (:mod:`analysis.corpus`) normalises with it on the way in.
"""

from analysis._core.lazy import lazy_exports

__all__ = [
    "normalize", "tokenize", "sentences", "load_lexicons", "NORMALIZED", "ZWNJ", "PERSIAN_LETTERS",
    "IMPLEMENTATION", "COMPILED_PASSES", "PYTHON_PASSES",
    "stopwords", "remove_stopwords", "lemmatize", "stem", "lemmatize_tokens", "stem_tokens",
    "add_tokens", "PARALLEL_MIN_TEXTS",
]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {
    "normalizer": ["normalize", "tokenize", "sentences", "load_lexicons", "NORMALIZED", "ZWNJ", "PERSIAN_LETTERS",
                   "IMPLEMENTATION", "COMPILED_PASSES", "PYTHON_PASSES"],
    "words": ["stopwords", "remove_stopwords", "lemmatize", "stem", "lemmatize_tokens", "stem_tokens"],
    "tokens": ["add_tokens", "PARALLEL_MIN_TEXTS"],
})
