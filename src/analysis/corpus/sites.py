"""Persian names of provincial sites for display: ``tehran`` -> «تهران», ``khorasan-razavi`` -> «خراسان رضوی».

The names come from ``data/report/site_names.csv`` (its header says where from). Data keep the
subdomain in ``site``; pages show the name. A site the file does not know is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from analysis._core.resources import read_rows

SITE_NAMES_FILE = "report/site_names.csv"
#: columns of the project's tables that hold sites (articles, republication, overview)
SITE_COLUMNS = ("site", "source", "copier", "copy_sites")


@lru_cache(maxsize=1)
def site_names() -> dict[str, str]:
    """subdomain -> Persian name, as in ``data/report/site_names.csv``."""
    return {sub.strip().lower(): name.strip() for sub, name in read_rows(SITE_NAMES_FILE)}


def site_name(site) -> object:
    """The Persian name of one site (a list of sites: each one named); unknown values unchanged."""
    if isinstance(site, (list, tuple)) or type(site).__name__ == "ndarray":
        return [site_name(s) for s in site]
    if not isinstance(site, str):
        return site
    return site_names().get(site.strip().lower(), site)


def site_label(sites: pd.Series) -> pd.Series:
    """``sites`` with every known subdomain replaced by its Persian name (same index and name)."""
    return sites.map(site_name).astype(sites.dtype if sites.dtype != "category" else object)


def with_site_names(frame: pd.DataFrame, columns: Iterable[str] = SITE_COLUMNS) -> pd.DataFrame:
    """A copy of ``frame`` for display whose site columns (``site``, ``source``, ``copier``,
    ``copy_sites`` where present) hold Persian names; the input is not changed."""
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = out[column].map(site_name)
            if frame[column].dtype != object and column != "copy_sites":
                out[column] = out[column].astype(frame[column].dtype if frame[column].dtype != "category" else object)
    out.attrs.update(frame.attrs)
    return out


__all__ = ["site_label", "site_name", "site_names", "with_site_names"]
