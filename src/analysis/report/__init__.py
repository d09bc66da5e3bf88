"""The report stage: notebooks executed on a corpus and rendered as self-contained HTML pages.

- :mod:`~analysis.report.notebook`: what every notebook starts with (style, the cached corpus,
  filters, safe tables and key numbers);
- :mod:`~analysis.report.data`: the report's corpus, in memory or a dataset read part by part
  (:func:`open_corpus`, :func:`load_for_notebook`), with the notes on sampled pages;
- :mod:`~analysis.report.render`: :func:`render_report`, executing the notebooks and writing the pages.

Imports every analysis stage, the plots and scale; the notebooks import only this and the stages.
"""

from analysis._core.lazy import lazy_exports

_RENDER = ["render_report", "render_notebook", "NotebookResult", "notebook_parameters", "topic_count",
           "find_notebooks", "page_html", "index_html"]
_NOTEBOOK = ["setup_notebook", "cached_corpus", "corpus_key", "select_articles", "table",
             "key_numbers", "paragraph", "default_corpus", "HTMLFragment"]
_DATA = ["open_corpus", "load_for_notebook", "ReportCorpus", "source_note", "sample_note", "is_dataset"]
__all__ = [*_RENDER, *_NOTEBOOK, *_DATA, "render", "notebook", "data"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {"render": _RENDER, "notebook": _NOTEBOOK, "data": _DATA})
