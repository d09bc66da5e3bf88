"""The corpus stage: files, folders, globs, archives and records into the articles table, losing nothing.

- :mod:`~analysis.corpus.loader`: :func:`load_corpus` (the one way to get the articles),
  :func:`read_corpus`, :func:`normalize_articles`, :func:`rejects_table`;
- :mod:`~analysis.corpus.formats` (layouts and record formats), :mod:`~analysis.corpus.web` (saved
  pages and WARC files), :mod:`~analysis.corpus.encodings`,
  :mod:`~analysis.corpus.dates` (Jalali, Gregorian, Hijri), :mod:`~analysis.corpus.urls`;
- :mod:`~analysis.corpus.schema`: the columns of the articles and rejects tables.

Imports the core and the text stage (text is normalised on the way in).
"""

from analysis._core.lazy import lazy_exports

__all__ = [
    "load_corpus", "read_corpus", "normalize_articles", "rejects_table", "CorpusError", "CorpusLoad",
    "collect_inputs", "parse_file", "make_doc_id", "count_words", "warc_records",
    "ARTICLE_COLUMNS", "REJECT_COLUMNS", "NORMALIZED", "empty_articles", "empty_rejects",
    "parse_date", "parse_date_value", "parse_day", "to_jalali", "date_from_url", "url_parts",
    "formats", "encodings", "dates", "urls", "schema", "loader", "web",
]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {
    "loader": ["load_corpus", "read_corpus", "normalize_articles", "rejects_table", "CorpusError", "CorpusLoad",
               "collect_inputs", "parse_file", "make_doc_id", "count_words", "warc_records"],
    "schema": ["ARTICLE_COLUMNS", "REJECT_COLUMNS", "NORMALIZED", "empty_articles", "empty_rejects"],
    "dates": ["parse_date", "parse_date_value", "parse_day", "to_jalali", "date_from_url"],
    "urls": ["url_parts"],
    "formats": [], "encodings": [], "web": [],
})
