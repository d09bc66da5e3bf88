"""Analysis of Persian news corpora, as a pipeline whose stages are the subpackages:

    corpus → text → patterns · topics · entities → plots → report        (scale beside them; cli on top)

``import analysis`` is cheap: each name below is imported on first use (PEP 562), so
``analysis.corpus.rejects_table`` works straight after ``import analysis``. See
``docs/architecture.md`` for what each stage may import.
"""

from analysis._core.lazy import lazy_exports

__version__ = "0.1.0"

_STAGES = ["corpus", "text", "patterns", "topics", "entities", "plots", "scale", "report", "demo", "cli"]
__all__ = ["load_corpus", "__version__", *_STAGES]

#: modules of the flat layout before 0.2 -> where they live now (``from analysis import terms`` still works)
_MOVED = {
    "republication": "patterns", "overview": "patterns", "terms": "topics", "quotes": "entities",
    "mentions": "entities", "ner": "entities", "dataset": "scale", "engine": "scale", "notebook": "report",
}
_getattr, __dir__ = lazy_exports(__name__, __all__, {
    "corpus": ["load_corpus"], **{stage: [] for stage in _STAGES if stage != "corpus"},
})


def __getattr__(name: str):
    if name in _MOVED:
        import importlib

        return importlib.import_module(f"{__name__}.{_MOVED[name]}.{name}")
    return _getattr(name)
