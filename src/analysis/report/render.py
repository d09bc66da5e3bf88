"""Render the notebooks as self-contained HTML pages and an index: ``python -m analysis report``.

Every ``notebooks/NN_*.py`` (jupytext percent file) is executed with papermill, in reading order and in
parallel where there are cores to spare, with the same parameters (corpus, date range, sites,
categories, number of topics). Each becomes one HTML page with its code hidden, images and the
interactive charts' JavaScript embedded (no network requests), right-to-left Persian, and a
Content-Security-Policy that lets only the report's own scripts run. ``index.html`` links the pages
and shows their key numbers and key charts.

The notebook side (loading the corpus, filters, safe tables) is :mod:`analysis.report.notebook`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import as_completed
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis._core.cache import CACHE_ENV, cache_root, project_root
from analysis._core.workers import worker_pool
from analysis.report.notebook import (  # noqa: F401  (re-exported: notebooks may import these from here)
    KEY_NUMBERS_MIMETYPE,
    cached_corpus,
    default_corpus,
    key_numbers,
    persian_number,
    setup_notebook,
    skip_slow_iri_check,
    table,
)

#: notebooks the report renders: two digits, an underscore, a name; jupytext percent format
NOTEBOOK_GLOB = "[0-9][0-9]_*.py"
#: a cell with this tag gives the index page its chart for the notebook (else the first chart)
KEY_FIGURE_TAG = "key-figure"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
#: seconds a single cell may run before the notebook counts as failed
CELL_TIMEOUT = 600
#: from a dataset a cell's passes over the parts grow with the articles: it may run this many seconds
#: more an article (5 ms, about twice the measured cost of recognising an article's entities on one core)
DATASET_CELL_SECONDS_PER_ARTICLE = 0.005

_TEMPLATE_PACKAGE_DIR = "report"  # under analysis/data/


# --- parameters ---------------------------------------------------------------------------------


def notebook_parameters(
    corpus,
    *,
    date_from: str = "",
    date_to: str = "",
    sites: Sequence[str] = (),
    categories: Sequence[str] = (),
    n_topics: int | str = "auto",
) -> dict:
    """The papermill parameters every notebook takes (see docs/report.md)."""
    return {
        "corpus": _absolute(corpus),
        "date_from": date_from or "",
        "date_to": date_to or "",
        "sites": list(sites),
        "categories": list(categories),
        "n_topics": topic_count(n_topics),
    }


def topic_count(value) -> int | str:
    """A number of topics: a positive whole number, or "auto" (chosen by coherence on the corpus)."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"number of topics must be a whole number or 'auto', not {value!r}") from None
    if count < 1:
        raise ValueError(f"number of topics must be at least 1, not {count}")
    return count


def _absolute(corpus):
    """The corpus source with absolute paths (kernels run elsewhere): a path, a glob or a list."""
    if not corpus:
        return ""
    if isinstance(corpus, (list, tuple)):
        return [str(Path(c).absolute()) for c in corpus]
    return str(Path(corpus).absolute())


def find_notebooks(folder: Path) -> list[Path]:
    """The report's notebooks in ``folder``, in reading order (``01_...``, ``02_...``)."""
    return sorted(Path(folder).glob(NOTEBOOK_GLOB))


# --- page assembly ------------------------------------------------------------------------------


def _data_file(name: str) -> str:
    from analysis._core.resources import data_path

    return data_path(f"{_TEMPLATE_PACKAGE_DIR}/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    # a literal "</script" inside the library would end the element early
    return get_plotlyjs().replace("</script", "<\\/script")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def escape_figure_text(figure: dict) -> dict:
    """A plotly figure dict whose trace strings (labels, hover text, categories, custom data) are
    HTML-escaped, so plotly shows article text as text; ``*template`` keys (formatting written by the
    notebook's author) and the layout are kept as they are, but for tick labels."""

    def walk(value, key=""):
        if isinstance(value, str):
            return value if key.endswith("template") else html.escape(value, quote=False)
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        return value

    escaped = dict(figure)
    escaped["data"] = [walk(trace) for trace in figure.get("data", [])]
    layout = json.loads(json.dumps(figure.get("layout", {})))
    for name, axis in layout.items():
        if isinstance(axis, dict) and "ticktext" in axis:
            axis["ticktext"] = walk(axis["ticktext"])
    escaped["layout"] = layout
    return escaped


def chart_markup(figure: Mapping) -> str:
    """The HTML of one interactive chart: a div carrying the figure as (escaped) JSON; the page's
    chart script draws it. No script of its own, so nothing here can run code."""
    figure = escape_figure_text(dict(figure))
    payload = html.escape(json.dumps(figure, ensure_ascii=False, separators=(",", ":")), quote=True)
    return (
        f'<div class="analysis-chart" data-figure="{payload}">'
        '<div class="chart-canvas"></div><p class="chart-loading">نمودار تعاملی در حال بارگذاری…</p></div>'
    )


def _sanitizer():
    """Bleach settings for HTML and markdown in the notebook: text markup and tables only; no
    images (an ``<img>`` could fetch from the network; charts come as PNG outputs or plotly JSON),
    no scripts, no event handlers. Anything else is shown as text."""
    from nbconvert.preprocessors.sanitize import SanitizeHTML

    allowed = {
        "*": ["class", "dir", "lang", "title", "id", "style", "colspan", "rowspan", "align"],
        "a": ["href", "title"],
    }
    tags = sorted(
        {"a", "abbr", "b", "blockquote", "br", "caption", "code", "div", "em", "h1", "h2", "h3", "h4",
         "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "small", "span", "strong", "style",
         "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "details",
         "summary", "figure", "figcaption", "dl", "dt", "dd"}
    )
    return SanitizeHTML(
        tags=tags,
        attributes=allowed,
        strip=False,  # unsafe markup is shown as text, never dropped silently
        safe_output_keys={"metadata", "text/plain", "image/png", "image/jpeg", "application/json",
                          PLOTLY_MIMETYPE, KEY_NUMBERS_MIMETYPE},
    )


def _reader_outputs(outputs: list) -> list:
    """Outputs worth a reader's eye: no stderr (warnings, progress bars), no widgets, and no bare text result
    (``Text(0.5, 1.0, ...)``, ``<Axes: ...>``) beside a chart the same cell draws."""
    kept = [
        o for o in outputs
        if not (o.output_type == "stream" and o.get("name") == "stderr")
        and "application/vnd.jupyter.widget-view+json" not in o.get("data", {})
    ]
    has_chart = any({"image/png", PLOTLY_MIMETYPE} & set(o.get("data", {})) for o in kept)
    if has_chart:
        kept = [o for o in kept if not (o.output_type == "execute_result" and set(o.get("data", {})) <= {"text/plain"})]
    # a pyplot figure returned by a cell shows twice (inline backend + result): keep one
    seen, unique = set(), []
    for output in kept:
        image = output.get("data", {}).get("image/png")
        if image is not None:
            if image in seen:
                continue
            seen.add(image)
        unique.append(output)
    return unique


def prepare_for_reader(nb):
    """The executed notebook as a reader sees it: stderr (warnings, progress bars) dropped, every
    HTML/markdown output and markdown cell sanitized, plotly figures turned into chart divs."""
    import nbformat

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.metadata.pop("widgets", None)  # progress-bar widgets: state a static page cannot use
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _reader_outputs(cell.outputs)
    nb, _ = _sanitizer().preprocess(nb, {})
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIMETYPE in data:
                output["data"] = {"text/html": chart_markup(data[PLOTLY_MIMETYPE])}
    return nb


_DIR_TAGS = re.compile(r"<(p|li|td|th|h[1-6]|caption|blockquote|summary|dt|dd)(?=[\s>])(?![^>]*\sdir=)")


def add_text_direction(markup: str) -> str:
    """``dir="auto"`` on every paragraph, heading, list item and table cell that has no ``dir``, so
    Persian runs right to left and a Latin paragraph left to right."""
    return _DIR_TAGS.sub(lambda m: f'<{m.group(1)} dir="auto"', markup)


def jalali_now() -> str:
    """Today's date and time as a Persian reader writes it: ``۸ آذر ۱۴۰۵، ۱۰:۲۰``."""
    import jdatetime

    now = jdatetime.datetime.now()
    month = jdatetime.date.j_months_fa[now.month - 1]
    return persian_number(f"{now.day} {month} {now.year}، {now.hour:02d}:{now.minute:02d}")


def page_html(*, title: str, body: str, nav: Sequence[tuple[str, str]], subtitle: str = "") -> str:
    """A complete, self-contained HTML page around ``body`` (already safe markup).

    plotly.js is embedded only when the body holds a chart. The Content-Security-Policy allows
    exactly the page's own scripts (by hash), inline styles and ``data:`` images, nothing else.
    """
    import jinja2

    scripts = []
    if 'class="analysis-chart"' in body:
        scripts = [_plotly_js(), _data_file("charts.js")]
    csp = "; ".join(
        [
            "default-src 'none'",
            "img-src data:",
            "style-src 'unsafe-inline'",
            "font-src data:",
            "script-src " + (" ".join(_csp_hash(s) for s in scripts) or "'none'"),
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(_data_file("page.html.j2"))
    return template.render(
        title=title,
        subtitle=subtitle,
        nav=nav,
        body=jinja2.utils.markupsafe.Markup(add_text_direction(body)),
        css=jinja2.utils.markupsafe.Markup(_data_file("report.css")),
        scripts=[jinja2.utils.markupsafe.Markup(s) for s in scripts],
        csp=csp,
        generated=jalali_now(),
    )


def notebook_title(nb, fallback: str) -> str:
    """The first markdown heading of a notebook (without ``#``), else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


def _key_outputs(nb) -> tuple[dict, str]:
    """Key numbers (merged over the notebook) and the markup of its key chart (tagged, else first)."""
    numbers: dict = {}
    tagged, first = "", ""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if KEY_NUMBERS_MIMETYPE in data:
                numbers.update(data[KEY_NUMBERS_MIMETYPE])
            figure = ""
            png = "".join(str(data.get("image/png", "")).split())
            if png and _BASE64.fullmatch(png):
                figure = f'<img alt="" src="data:image/png;base64,{png}">'
            elif PLOTLY_MIMETYPE in data:
                figure = chart_markup(data[PLOTLY_MIMETYPE])
            if figure and not first:
                first = figure
            if figure and not tagged and KEY_FIGURE_TAG in cell.get("metadata", {}).get("tags", []):
                tagged = figure
    return numbers, tagged or first


# --- executing one notebook ---------------------------------------------------------------------


@dataclass
class NotebookResult:
    """What rendering one notebook produced."""

    name: str  # file stem, e.g. 01_overview
    title: str
    page: str  # file name of the HTML page in the output folder
    ok: bool
    seconds: float
    error: str = ""
    key_numbers: dict = field(default_factory=dict)
    key_figure: str = ""  # safe markup


def _error_summary(nb) -> str:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    return ""


def render_notebook(
    source: Path, out_dir: Path, parameters: Mapping, nav: Sequence[tuple[str, str]], *, timeout: int = CELL_TIMEOUT
) -> NotebookResult:
    """Execute ``source`` with ``parameters`` and write ``<stem>.html`` (and the executed ``.ipynb``
    under ``executed/``) into ``out_dir``. A failing notebook still gets its page, showing the error."""
    skip_slow_iri_check()
    import jupytext
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    source, out_dir = Path(source), Path(out_dir)
    started = time.perf_counter()
    nb = jupytext.read(source)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executed_path = out_dir / "executed" / f"{source.stem}.ipynb"
    executed_path.parent.mkdir(parents=True, exist_ok=True)
    error = ""
    try:
        executed = papermill.execute_notebook(
            nb,
            str(executed_path),
            parameters=dict(parameters),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            cwd=str(project_root(source.parent)),  # relative paths (caches, data/) from the project root
            execution_timeout=timeout,
        )
    except Exception as failure:  # papermill's own error, a timeout, a dead kernel: the page shows it
        executed = nbformat.read(executed_path, as_version=4) if executed_path.is_file() else nb
        error = _error_summary(executed) or f"{type(failure).__name__}: {failure}".splitlines()[0]
    reader_nb = prepare_for_reader(executed)
    exporter = HTMLExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(reader_nb)
    title = notebook_title(executed, source.stem)
    page = f"{source.stem}.html"
    if error:
        body = (
            f'<div class="run-error" dir="auto">این دفترچه کامل اجرا نشد: '
            f'<code dir="ltr">{html.escape(error)}</code></div>' + body
        )
    (out_dir / page).write_text(page_html(title=title, body=body, nav=nav), encoding="utf-8")
    numbers, figure = _key_outputs(executed)
    return NotebookResult(
        name=source.stem,
        title=title,
        page=page,
        ok=not error,
        seconds=time.perf_counter() - started,
        error=error,
        key_numbers=numbers,
        key_figure=figure,
    )


def _render_in_worker(source: str, out_dir: str, parameters: dict, nav: list, cache: str, timeout: int,
                      sample: str = "", part_workers: int = 1) -> dict:
    skip_slow_iri_check()
    # the kernel's and papermill's chatter (TCP warnings, unknown parameters) goes to a log beside
    # the executed notebook, not over the progress bar; errors reach the page and the summary
    log = Path(out_dir) / "executed" / f"{Path(source).stem}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(descriptor, 2)
    os.close(descriptor)
    os.environ[CACHE_ENV] = cache
    if sample:
        from analysis.report.data import SAMPLE_ENV

        os.environ[SAMPLE_ENV] = sample  # kernels inherit it
    os.environ["TQDM_DISABLE"] = "1"  # kernels inherit it: no progress bars inside the pages
    from analysis.report.data import WORKERS_ENV

    os.environ.setdefault(WORKERS_ENV, str(part_workers))  # the kernels' passes over parts share the cores
    return asdict(render_notebook(Path(source), Path(out_dir), parameters, nav, timeout=timeout))


def _render_here(*args) -> dict:
    """:func:`_render_in_worker` in this process, its stderr and environment given back afterwards."""
    saved_env, saved_err = dict(os.environ), os.dup(2)
    try:
        return _render_in_worker(*args)
    finally:
        os.dup2(saved_err, 2)
        os.close(saved_err)
        os.environ.clear()
        os.environ.update(saved_env)


# --- the whole report ---------------------------------------------------------------------------


def index_html(results: Sequence[NotebookResult], *, corpus_label: str, nav: Sequence[tuple[str, str]]) -> str:
    """The index page: one card a notebook with its key numbers, key chart and a link."""
    cards = []
    for result in results:
        numbers = "".join(
            f'<div class="key-number"><span class="value">{html.escape(str(v))}</span>'
            f'<span class="label">{html.escape(str(k))}</span></div>'
            for k, v in result.key_numbers.items()
        )
        status = (
            ""
            if result.ok
            else f'<p class="run-error" dir="auto">اجرا ناموفق: <code dir="ltr">{html.escape(result.error)}</code></p>'
        )
        cards.append(
            f'<section class="card"><h2><a href="{html.escape(result.page)}">{html.escape(result.title)}</a></h2>'
            f"{status}"
            + (f'<div class="key-numbers">{numbers}</div>' if numbers else "")
            + (f'<div class="key-figure">{result.key_figure}</div>' if result.key_figure else "")
            + f'<p class="more"><a href="{html.escape(result.page)}">مشاهدهٔ کامل ←</a></p></section>'
        )
    intro = '<h1 dir="auto">گزارش پیکرهٔ خبری</h1>' + f'<p class="corpus" dir="auto">پیکره: <bdi dir="ltr">{html.escape(corpus_label)}</bdi></p>'
    return page_html(title="گزارش پیکرهٔ خبری", body=intro + "".join(cards), nav=nav, subtitle=corpus_label)


def render_report(
    corpus=None,
    out_dir: Path | str = "reports",
    *,
    notebooks_dir: Path | str | None = None,
    parameters: Mapping | None = None,
    jobs: int | None = None,
    cache: Path | str | None = None,
    timeout: int = CELL_TIMEOUT,
    progress: bool = True,
    sample_size: int | None = None,
    large_source: int | None = None,
) -> list[NotebookResult]:
    """Execute every notebook on ``corpus`` (default: the demo corpus) and write the pages and
    ``index.html`` into ``out_dir``. Returns one :class:`NotebookResult` a notebook, in reading order.

    ``parameters`` adds to the notebook parameters (date_from, date_to, sites, categories, n_topics);
    ``jobs`` notebooks run at once (default: up to 2, one a core; from a dataset 1, whose passes over
    the parts then use every core). The corpus is loaded once here and cached (``cache``, default
    data/processed/cache) for the notebooks to read.

    ``corpus`` may be a dataset folder written by ``ingest-dataset``: its articles are then normalised
    once here, by parts, and the pages computed by parts (:mod:`analysis.report.data`); the pages that
    need whole articles in memory read a seeded sample of ``sample_size`` of them (default
    :data:`analysis.report.data.SAMPLE_SIZE`). A source folder of more than ``large_source`` files
    (default :data:`analysis.report.data.LARGE_SOURCE_FILES`) is first ingested to such a dataset under
    ``data/processed/datasets/`` (reused and brought up to date next time).
    """
    from analysis._core.progress import progress_bar
    from analysis.report import data as report_data

    root = project_root()
    notebooks = find_notebooks(Path(notebooks_dir) if notebooks_dir else root / "notebooks")
    if not notebooks:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir or root / 'notebooks'}")
    corpus = corpus or default_corpus()
    cache_folder = Path(cache) if cache else cache_root()
    ingested = report_data.dataset_for_source(
        corpus, min_files=large_source if large_source is not None else report_data.LARGE_SOURCE_FILES,
        progress=progress)
    corpus = ingested or corpus
    params = notebook_parameters(corpus, **dict(parameters or {}))
    if report_data.is_dataset(corpus):  # normalise once, by parts; the notebooks read the copy
        filters = {k: params[k] for k in ("date_from", "date_to", "sites", "categories")}
        normalised = report_data.report_dataset(corpus, **filters, folder=cache_folder, progress=progress)
        from analysis.scale.dataset import dataset_size

        timeout = int(timeout + DATASET_CELL_SECONDS_PER_ARTICLE * dataset_size(normalised))
    else:
        cached_corpus(corpus, folder=cache_folder)  # load once; the notebooks read the cache
    sample = str(sample_size or report_data.sample_size())
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nav = [("index.html", "فهرست")] + [(f"{p.stem}.html", _nav_label(p)) for p in notebooks]
    if jobs is None:  # from a dataset one notebook at a time: its passes over the parts use every core, and
        # only one kernel holds the article table (two at once peaked at 5.0 GiB on 1,000,000 articles)
        jobs = 1 if report_data.is_dataset(corpus) else min(2, os.cpu_count() or 1)
    jobs = max(1, min(jobs, len(notebooks)))
    results: dict[str, NotebookResult] = {}
    bar = progress_bar(total=len(notebooks), desc="notebooks", unit="nb", show=progress)
    part_workers = max(1, report_data.report_workers() // jobs)  # notebooks at once x their part workers <= cores
    args = {p: (str(p), str(out), params, nav, str(cache_folder.resolve()), timeout, sample, part_workers)
            for p in notebooks}

    def done(outcome: dict) -> None:
        result = NotebookResult(**outcome)
        results[result.name] = result
        bar.set_postfix_str(f"{result.name} {'ok' if result.ok else 'FAILED'} {result.seconds:.0f}s")
        bar.update()

    # the project's pool: its spawned workers never import the caller's main module, so an unguarded
    # script or `python -` can render; None where this process may not start workers (then: here)
    pool = worker_pool(jobs, text=False)
    if pool is None:
        for p in notebooks:
            done(_render_here(*args[p]))
    else:
        with pool:
            futures = [pool.submit(_render_in_worker, *args[p]) for p in notebooks]
            for future in as_completed(futures):
                done(future.result())
    bar.close()
    ordered = [results[p.stem] for p in notebooks]
    label = ", ".join(params["corpus"]) if isinstance(params["corpus"], list) else params["corpus"]
    (out / "index.html").write_text(index_html(ordered, corpus_label=label, nav=nav), encoding="utf-8")
    return ordered


def _nav_label(path: Path) -> str:
    """A short navigation label from the notebook's first heading (read without executing)."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        stripped = line.lstrip("# ").strip()
        if line.startswith("# #") and stripped:
            return stripped
    return path.stem
