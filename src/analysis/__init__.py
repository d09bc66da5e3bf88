"""Analysis of Persian news corpora: corpus → text → terms · topics · entities · patterns → plots → reports."""

__version__ = "0.1.0"

__all__ = ["load_corpus", "__version__"]


def __getattr__(name):
    # Import lazily so `import analysis` stays cheap for the CLI and for worker processes.
    if name == "load_corpus":
        from .corpus import load_corpus

        return load_corpus
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
