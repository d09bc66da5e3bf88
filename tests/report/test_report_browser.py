"""The report as a person sees it: every page opened in headless Chromium.

One render per session of all ``notebooks/NN_*.py`` on a tiny corpus whose titles and categories
carry HTML and script (tests/report_corpus.py). Each page must load with no console error and no
network request, draw its interactive charts, lay Persian out right to left, and run none of the
article text. Screenshots go to ``$REPORT_ARTEFACTS`` (default: ``$TMPDIR/analysis-report-screenshots``).
Skipped, with the reason, only where no Chromium and ChromeDriver are installed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from report_corpus import write_report_corpus  # noqa: E402

ROOT = Path(__file__).parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _no_browser_reason() -> str:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() or shutil.which(path)):
            return f"{path} not installed (run scripts/install-browser, or `make browser`)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed (pip install -e '.[test]')"
    return ""


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """(output folder, results) of one render of the project's notebooks on the hostile corpus."""
    from analysis.report import render_report

    base = tmp_path_factory.mktemp("report")
    corpus = write_report_corpus(base / "corpus")
    out = base / "reports"
    results = render_report(corpus, out, notebooks_dir=ROOT / "notebooks", cache=base / "cache", progress=False)
    return out, results


@pytest.fixture(scope="session")
def artefacts():
    # not pytest's tmp folder: other sessions' retention would delete the screenshots before anyone looks
    folder = Path(os.environ.get("REPORT_ARTEFACTS") or Path(tempfile.gettempdir()) / "analysis-report-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    reason = _no_browser_reason()
    if reason:
        pytest.skip(f"no headless Chromium: {reason}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1280,1600", "--lang=fa"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _pages(out: Path) -> list[Path]:
    return [out / "index.html"] + sorted(p for p in out.glob("[0-9][0-9]_*.html"))


def _open(driver, page: Path):
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.as_uri())
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && "
            "document.querySelectorAll('div.analysis-chart:not(.loaded)').length === 0"
        )
    )


def _screenshot(driver, target: Path) -> None:
    """The whole page (up to 12,000 px tall), then back to the usual window."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 800), 12000))
    driver.save_screenshot(str(target))
    driver.set_window_size(1280, 1600)


def test_every_notebook_runs_on_a_tiny_hostile_corpus(rendered):
    out, results = rendered
    failed = {r.name: r.error for r in results if not r.ok}
    assert not failed, f"notebooks failed on the tiny corpus: {failed}"
    assert (out / "index.html").is_file()
    assert [r.name for r in results][0] == "01_overview"


def test_pages_load_cleanly_and_read_right_to_left(rendered, browser, artefacts):
    out, _ = rendered
    problems = []
    for page in _pages(out):
        _open(browser, page)
        errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        if errors:
            problems.append(f"{page.name}: console errors {errors[:3]}")
        state = browser.execute_script(
            """
            const rtl = el => getComputedStyle(el).direction;
            const persian = /[\\u0621-\\u064A\\u067E\\u0686\\u0698\\u06A9\\u06AF\\u06CC]/;  // Persian letters, not digits
            const texts = [...document.querySelectorAll('main p, main h1, main h2, main td, main th')]
                .filter(el => persian.test((el.textContent || '').trim().charAt(0)));
            return {
              body: rtl(document.body),
              persian: texts.length,
              wrong: texts.filter(el => rtl(el) !== 'rtl').map(el => el.tagName + ': ' + el.textContent.slice(0, 40)),
              tables: [...document.querySelectorAll('main table')].filter(t => rtl(t) !== 'rtl').length,
              charts: document.querySelectorAll('div.analysis-chart').length,
              drawn: document.querySelectorAll('div.analysis-chart .main-svg').length,
              images: [...document.querySelectorAll('main img')].filter(i => !(i.complete && i.naturalWidth > 0)).length,
              requests: performance.getEntriesByType('resource').map(r => r.name),
              font: getComputedStyle(document.body).fontFamily,
            };
            """
        )
        _screenshot(browser, artefacts / f"{page.stem}.png")
        if state["body"] != "rtl" or state["wrong"] or state["tables"]:
            problems.append(f"{page.name}: not right to left: {state['wrong'][:3]} ({state['tables']} tables)")
        if not state["persian"]:
            problems.append(f"{page.name}: no Persian text found")
        if state["charts"] and state["drawn"] < state["charts"]:
            problems.append(f"{page.name}: {state['charts']} charts, {state['drawn']} drawn")
        if state["images"]:
            problems.append(f"{page.name}: {state['images']} images did not load")
        if state["requests"]:
            problems.append(f"{page.name}: network requests {state['requests'][:3]}")
        if "Vazirmatn" not in state["font"] or "Tahoma" not in state["font"]:
            problems.append(f"{page.name}: font stack without Persian fonts: {state['font']}")
    assert not problems, "\n".join(problems)
    overview = out / "01_overview.html"
    _open(browser, overview)
    assert browser.execute_script("return document.querySelectorAll('div.analysis-chart .main-svg').length") >= 1
    pictures = browser.execute_script("return [...document.querySelectorAll('main img')].filter(i => i.naturalWidth > 100).length")
    assert pictures >= 4, f"the overview should show its charts as pictures, found {pictures}"
    assert "<Figure" not in browser.find_element("tag name", "main").text


def test_overview_shows_persian_months_and_digits(rendered, browser):
    out, _ = rendered
    _open(browser, out / "01_overview.html")
    text = browser.find_element("tag name", "main").text
    assert "۱۶" in text  # 16 articles, in Persian digits
    assert "empty.txt" in text  # the rejected input, with its reason
    svg = browser.execute_script(
        "return [...document.querySelectorAll('div.analysis-chart')].map(c => c.textContent).join(' ')"
    )
    assert "فروردین ۱۴۰۲" in svg  # the timeline's axis reads in Jalali months


def test_overview_names_province_sites_in_persian(rendered, browser):
    """The sites (semnan, tehran) read «سمنان» and «تهران» in the tables and the interactive timeline."""
    out, _ = rendered
    _open(browser, out / "01_overview.html")
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"console errors: {errors[:3]}"
    cells = browser.execute_script("return [...document.querySelectorAll('main td')].map(td => td.textContent.trim())")
    assert {"سمنان", "تهران"} <= set(cells), "the sites table should name the provinces in Persian"
    assert not {"semnan", "tehran"} & set(cells), "a subdomain is shown instead of its Persian name"
    legend = browser.execute_script(
        "return [...document.querySelectorAll('div.analysis-chart .legendtext')].map(t => t.textContent)")
    assert {"سمنان", "تهران"} <= set(legend), f"timeline legend: {legend}"


def test_untrusted_titles_show_as_text_and_never_run(rendered, browser):
    from selenium.common.exceptions import NoAlertPresentException

    out, _ = rendered
    shown_as_text = 0
    for page in _pages(out):
        _open(browser, page)
        try:
            alert = browser.switch_to.alert
            message = alert.text
            alert.dismiss()
            pytest.fail(f"{page.name}: an alert ran ({message!r})")
        except NoAlertPresentException:
            pass
        state = browser.execute_script(
            """
            return {
              xss: typeof window.__xss !== 'undefined',
              injectedImages: document.querySelectorAll('img[src="x"], img:not([src^="data:"])').length,
              scripts: document.scripts.length,
              handlers: [...document.querySelectorAll('*')].filter(el =>
                  [...el.attributes].some(a => a.name.startsWith('on'))).length,
            };
            """
        )
        assert not state["xss"], f"{page.name}: article script ran"
        assert state["injectedImages"] == 0, f"{page.name}: an <img> from article text became an element"
        assert state["scripts"] in (0, 2), f"{page.name}: {state['scripts']} script elements (expected 0 or 2)"
        assert state["handlers"] == 0, f"{page.name}: elements with on* handlers"
        body = browser.find_element("tag name", "body").text
        shown_as_text += ("<script>" in body) + ("<img src=x" in body)
    assert shown_as_text >= 2, "the hostile titles should appear, as text, in the report"
