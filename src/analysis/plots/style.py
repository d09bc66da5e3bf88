"""Persian-aware matplotlib defaults.

matplotlib >= 3.11 shapes and orders Arabic-script text itself, so labels are passed through as
they are (never reshaped). All we need is a font with Persian glyphs first in the family list.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

import matplotlib as mpl
from matplotlib import font_manager

#: preferred fonts with Persian glyphs, best first; DejaVu Sans (bundled with matplotlib) covers Persian
PERSIAN_FONTS = ("Vazirmatn", "Vazir", "Noto Sans Arabic", "Noto Naskh Arabic", "Sahel", "DejaVu Sans")


@lru_cache(maxsize=1)
def persian_font_family() -> list[str]:
    """Installed fonts from :data:`PERSIAN_FONTS`, best first (always ends with DejaVu Sans)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = [name for name in PERSIAN_FONTS if name in installed]
    return family or ["DejaVu Sans"]


def persian_rc() -> dict:
    """rcParams for charts with Persian labels."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": persian_font_family(),
        "axes.unicode_minus": False,
        "figure.dpi": 110,
        "savefig.bbox": "tight",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


@contextmanager
def persian_style():
    """Context manager applying :func:`persian_rc` to the charts drawn inside it."""
    with mpl.rc_context(persian_rc()):
        yield


def axes_or_new(ax, figsize):
    """``ax`` itself, or the axes of a new figure of ``figsize`` (constrained layout) when it is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def use_persian_style() -> None:
    """Apply :func:`persian_rc` globally (for notebooks)."""
    mpl.rcParams.update(persian_rc())


#: what an empty chart says
EMPTY = "داده‌ای برای نمایش نیست"


def empty_axes(ax, title: str):
    """``ax`` as an empty chart: its title and a line saying there is nothing to show; ``ax``."""
    ax.set_title(title)
    ax.text(0.5, 0.5, EMPTY, ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def persian_ticks(axis, fmt: str = "{:g}") -> None:
    """Tick labels of ``axis`` (``ax.xaxis`` / ``ax.yaxis``) in Persian digits, formatted with ``fmt``."""
    from matplotlib.ticker import FuncFormatter

    from analysis._core.persian import persian_digits

    axis.set_major_formatter(FuncFormatter(lambda value, _: persian_digits(fmt.format(value))))
