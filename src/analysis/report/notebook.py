"""What every notebook starts with: chart style, the (cached) corpus, filters, and safe display.

A notebook's first code cell holds its parameters (see ``docs/report.md``); the next one is::

    from analysis.report.notebook import load_for_notebook, setup_notebook
    setup_notebook()
    articles, rejects = load_for_notebook(corpus, date_from=date_from, date_to=date_to,
                                          sites=sites, categories=categories)

The corpus is read once by :func:`analysis.load_corpus` (``normalize=True``: the analyses read
normalised text) and cached as Parquet under a key made of the corpus files' contents and the
loader's code, so the notebooks of one report share one load.
"""

from __future__ import annotations

import glob
import hashlib
import html
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from analysis._core.cache import DEMO_CORPUS, cache_root, package_fingerprint, project_root
from analysis._core.persian import is_iso_day, persian_number
from analysis.corpus.dates import parse_day
from analysis.corpus.schema import ARTICLE_COLUMNS, REJECT_COLUMNS

#: the corpus used when a notebook is given none, relative to the project root
DEFAULT_CORPUS = DEMO_CORPUS
#: the mimetype of the key numbers a notebook offers the report's index page
KEY_NUMBERS_MIMETYPE = "application/vnd.analysis.key-numbers+json"



# --- set-up -----------------------------------------------------------------------------------


def skip_slow_iri_check() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax``, whose grammar takes ~5 s to build on import.

    nbformat (imported by papermill, nbconvert and plotly's notebook renderers) loads jsonschema,
    which checks IRIs with that package only if it can import it; notebooks never hold IRIs to
    check. Has no effect once the package is imported."""
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)


def _inline_charts() -> None:
    """In a Jupyter kernel, show a Figure a cell returns as a PNG (``%matplotlib inline`` registers
    the formatter; the backend alone does not)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "kernel"):
        shell.run_line_magic("matplotlib", "inline")


def setup_notebook() -> None:
    """Persian chart style and plotly figures as plain JSON (JupyterLab draws them; the report embeds them)."""
    skip_slow_iri_check()
    import plotly.io as pio

    from analysis.plots.style import use_persian_style

    _inline_charts()
    use_persian_style()

    # JupyterLab, VS Code and the report renderer all draw this mimetype; no CDN, no require.js
    pio.renderers.default = "plotly_mimetype"
    pd.set_option("display.max_colwidth", 80)


def default_corpus() -> Path:
    """The corpus a notebook reads when given none: the project's demo corpus (``make demo`` or
    ``python -m analysis demo-corpus data/demo`` writes it; ``python -m analysis report`` does so
    itself). Raises ``FileNotFoundError`` saying how to write it when it is missing."""
    folder = project_root() / DEFAULT_CORPUS
    if not folder.is_dir() or not any(folder.iterdir()):
        raise FileNotFoundError(f"no corpus given and no demo corpus in {folder}: write it with "
                                f"`python -m analysis demo-corpus {DEFAULT_CORPUS}` (or `make demo`)")
    return folder


# --- the corpus, loaded once --------------------------------------------------------------------


def corpus_files(source) -> list[Path]:
    """The files a corpus source names: a file, a folder (recursively), a glob, or a list of them."""
    sources = source if isinstance(source, (list, tuple)) else [source]
    files: list[Path] = []
    for item in sources:
        path = Path(item)
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            files.extend(Path(p) for p in glob.glob(str(item), recursive=True) if Path(p).is_file())
    return sorted({p.resolve() for p in files})


def corpus_key(source) -> str:
    """Content key of a corpus: the files' locations and bytes, and the package's code and data."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(package_fingerprint().encode())
    for path in corpus_files(source):
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


def _load_with_rejects(source) -> tuple[pd.DataFrame, pd.DataFrame]:
    from analysis.corpus.loader import read_corpus

    loaded = read_corpus(source, normalize=True)
    return loaded.articles, loaded.rejects


def _restore_dtypes(table: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """Undo what Parquet changes: lists come back as arrays, timestamps in other units."""
    table = table.copy()
    for name, dtype in columns.items():
        if name not in table.columns:
            continue
        if dtype == "object":
            table[name] = [list(v) if v is not None and not isinstance(v, str) else [] for v in table[name]]
        else:
            table[name] = table[name].astype(dtype)
    return table


def cached_corpus(source, *, folder: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles, rejects)`` of a corpus, loaded once and then read from a Parquet cache.

    The cache lives in ``folder`` (default :func:`cache_dir`) as ``corpus-<key>.parquet`` and
    ``corpus-<key>.rejects.parquet``; any file there may be deleted at any time.
    """
    folder = Path(folder) if folder is not None else cache_root()
    key = corpus_key(source)
    articles_file = folder / f"corpus-{key}.parquet"
    rejects_file = folder / f"corpus-{key}.rejects.parquet"
    if articles_file.is_file() and rejects_file.is_file():
        return (
            _restore_dtypes(pd.read_parquet(articles_file), ARTICLE_COLUMNS),
            _restore_dtypes(pd.read_parquet(rejects_file), REJECT_COLUMNS),
        )
    articles, rejects = _load_with_rejects(source)
    folder.mkdir(parents=True, exist_ok=True)
    for table, target in ((articles, articles_file), (rejects, rejects_file)):
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        table.to_parquet(partial, index=False)
        partial.replace(target)  # atomic: notebooks running in parallel never see half a file
    return articles, rejects


# --- filters ----------------------------------------------------------------------------------


def as_list(value) -> list[str]:
    """A notebook parameter as a list: None or "" give [], "a, b" gives ["a", "b"], a list stays one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(v) for v in value]


def select_articles(
    articles: pd.DataFrame,
    *,
    date_from: str = "",
    date_to: str = "",
    sites: Sequence[str] | str = (),
    categories: Sequence[str] | str = (),
) -> pd.DataFrame:
    """The articles published from ``date_from`` to ``date_to`` (both days included), on one of
    ``sites``, with any of ``categories``. Empty filters keep everything; with a date limit, articles
    of unknown date are left out. Returns a new table; the input is not changed."""
    keep = pd.Series(True, index=articles.index)
    if date_from:
        keep &= articles["published"] >= parse_day(date_from)
    if date_to:
        keep &= articles["published"] < parse_day(date_to) + pd.Timedelta(days=1)
    wanted_sites = as_list(sites)
    if wanted_sites:
        keep &= articles["site"].isin(wanted_sites)
    wanted_categories = set(as_list(categories))
    if wanted_categories:
        keep &= articles["categories"].map(lambda cats: bool(wanted_categories.intersection(cats)))
    return articles.loc[keep.fillna(False).astype(bool)].copy()


# --- safe display -------------------------------------------------------------------------------


class HTMLFragment:
    """Escaped HTML for notebooks (``_repr_html_``) with a plain-text fallback; extra mimetypes optional."""

    def __init__(self, markup: str, text: str = "", extra: Mapping[str, object] | None = None):
        self.markup, self.text, self.extra = markup, text, dict(extra or {})

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.markup, "text/plain": self.text or "(HTML)", **self.extra}

    def __str__(self) -> str:
        return self.markup


def _cell(value) -> str:
    """One table cell as escaped text: lists joined, numbers and days in Persian digits."""
    if isinstance(value, (list, tuple, set, frozenset)) or type(value).__name__ == "ndarray":
        value = "، ".join(str(v) for v in value)
    elif value is None or value is pd.NaT or (isinstance(value, float) and value != value) or value is pd.NA:
        value = ""
    elif isinstance(value, pd.Timestamp):
        from analysis.corpus.dates import to_jalali

        value = persian_number(to_jalali(value))
    elif isinstance(value, bool):
        value = "بله" if value else "خیر"
    elif isinstance(value, (int, float)) or (hasattr(value, "item") and not isinstance(value, str)):
        value = persian_number(value)
    elif isinstance(value, str) and is_iso_day(value):
        value = persian_number(value)
    return html.escape(str(value))


def _td(value) -> str:
    # text takes its direction from its first strong letter; numbers follow the table (right to left)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool) or type(value).__module__ == "numpy"
    return f'<td dir="rtl">{_cell(value)}</td>' if numeric else f'<td dir="auto">{_cell(value)}</td>'


def table(frame: pd.DataFrame, *, max_rows: int = 50, caption: str = "", index: bool = False,
          empty: str = "") -> HTMLFragment:
    """An escaped, right-to-left HTML table of ``frame`` (first ``max_rows`` rows), Persian digits.

    Every value is escaped, so article text shown here can never become markup. ``empty``: the one
    line shown instead of the table when ``frame`` has no row, saying why (default: «هیچ ردیفی نیست.»).
    """
    if frame.empty and empty:
        return HTMLFragment(f'<p class="table-note empty-table" dir="rtl">{html.escape(empty)}</p>', empty)
    shown = frame.head(max_rows)
    columns = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    head = "".join(f'<th dir="auto">{html.escape(c)}</th>' for c in columns)
    rows = []
    for label, row in shown.iterrows():
        cells = ([label] if index else []) + list(row)
        rows.append("<tr>" + "".join(_td(v) for v in cells) + "</tr>")
    more = ""
    if len(frame) > max_rows:
        more = f'<p class="table-note" dir="rtl">{persian_number(max_rows)} ردیف از {persian_number(len(frame))} ردیف</p>'
    if frame.empty:
        more = '<p class="table-note" dir="rtl">هیچ ردیفی نیست.</p>'
    title = f'<caption dir="auto">{html.escape(caption)}</caption>' if caption else ""
    markup = (
        f'<div class="table-wrap" dir="rtl"><table class="data-table" dir="rtl">{title}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}</div>"
    )
    return HTMLFragment(markup, shown.to_string(index=index))


def key_numbers(numbers: Mapping[str, object]) -> HTMLFragment:
    """The notebook's key numbers (label -> value) as tiles; the report's index page shows them too."""
    shown = {str(label): persian_number(value) for label, value in numbers.items()}
    tiles = "".join(
        f'<div class="key-number"><span class="value">{html.escape(value)}</span>'
        f'<span class="label">{html.escape(label)}</span></div>'
        for label, value in shown.items()
    )
    text = "\n".join(f"{label}: {value}" for label, value in shown.items())
    return HTMLFragment(f'<div class="key-numbers" dir="rtl">{tiles}</div>', text, {KEY_NUMBERS_MIMETYPE: shown})


def paragraph(markup_free: str, *, tag: str = "p") -> HTMLFragment:
    """A paragraph of (possibly untrusted) Persian text, escaped and laid out right to left."""
    if tag not in {"p", "h2", "h3", "h4", "li"}:
        raise ValueError(f"tag must be p, h2, h3, h4 or li, not {tag!r}")
    return HTMLFragment(f'<{tag} dir="auto">{html.escape(markup_free)}</{tag}>', markup_free)


__all__: Iterable[str] = [
    "setup_notebook",
    "load_for_notebook",
    "cached_corpus",
    "corpus_key",
    "select_articles",
    "parse_day",
    "persian_number",
    "table",
    "key_numbers",
    "paragraph",
]
