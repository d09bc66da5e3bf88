"""What is in a corpus: sources, sites, categories, lengths, dates, duplicates and rejected inputs.

Each function takes the articles table (and, where it says so, the rejects table) of
:func:`analysis.load_corpus` and returns a new tidy table; inputs are never changed. Dates are shown
in the Jalali calendar (``published_jalali``), with the Gregorian timestamp kept for machines.
"""

from __future__ import annotations

from pathlib import PurePath

import jdatetime
import pandas as pd

#: Jalali month names, Farvardin first
JALALI_MONTHS = tuple(jdatetime.date.j_months_fa)
#: label of an article with no site (www or no subdomain) and with no category
NO_SITE, NO_CATEGORY = "(بدون زیرسایت)", "(بدون دسته)"


def input_format(path: str) -> str:
    """The format a file name says: ``txt``, ``json``, ``tar.gz``... (``''`` when it has no suffix)."""
    suffixes = [s.lower().lstrip(".") for s in PurePath(str(path)).suffixes[-2:]]
    if suffixes[-2:] in (["tar", "gz"], ["tar", "bz2"], ["tar", "xz"]):
        return ".".join(suffixes[-2:])
    return suffixes[-1] if suffixes else ""


def sources(articles: pd.DataFrame, rejects: pd.DataFrame) -> pd.DataFrame:
    """One row a file format: ``format``, ``files`` (distinct input files), ``articles``, ``rejected``."""
    loaded = pd.DataFrame({"format": articles["path"].map(input_format), "path": articles["path"], "kind": "articles"})
    bad = pd.DataFrame({"format": rejects["path"].map(input_format), "path": rejects["path"], "kind": "rejected"})
    both = pd.concat([loaded, bad], ignore_index=True)
    if both.empty:
        return pd.DataFrame({"format": pd.Series(dtype="string"), "files": pd.Series(dtype="int64"),
                             "articles": pd.Series(dtype="int64"), "rejected": pd.Series(dtype="int64")})
    counts = both.groupby(["format", "kind"]).size().unstack("kind", fill_value=0)
    counts = counts.reindex(columns=["articles", "rejected"], fill_value=0)
    files = both.groupby("format")["path"].nunique().rename("files")
    table = pd.concat([files, counts], axis=1).reset_index().rename(columns={"index": "format"})
    return table.sort_values(["articles", "format"], ascending=[False, True], ignore_index=True)


def encodings(articles: pd.DataFrame) -> pd.DataFrame:
    """One row a detected text encoding: ``encoding``, ``articles``."""
    counts = articles["encoding"].fillna("").replace("", "(نامعلوم)").value_counts()
    return counts.rename_axis("encoding").reset_index(name="articles")


def sites(articles: pd.DataFrame) -> pd.DataFrame:
    """One row a (domain, site): ``articles``, ``first``/``last`` Jalali day, ``median_words``."""
    frame = articles.assign(site=articles["site"].fillna("").replace("", NO_SITE))
    dated = frame["published_jalali"].fillna("").replace("", pd.NA)
    frame = frame.assign(published_jalali=dated)
    table = frame.groupby(["domain", "site"], dropna=False).agg(
        articles=("doc_id", "size"),
        first=("published_jalali", "min"),
        last=("published_jalali", "max"),
        median_words=("n_words", "median"),
    )
    table = table.reset_index().sort_values(["articles", "site"], ascending=[False, True], ignore_index=True)
    table[["first", "last"]] = table[["first", "last"]].astype("string").fillna("")
    return table


def categories(articles: pd.DataFrame, *, primary: bool = False) -> pd.DataFrame:
    """One row a category: ``category``, ``articles`` (an article counts once in each of its
    categories, or only in its first with ``primary=True``), ``share`` of all articles."""
    lists = articles["categories"].map(lambda cats: list(cats) if len(cats) else [NO_CATEGORY])
    if primary:
        lists = lists.map(lambda cats: cats[:1])
    exploded = lists.explode()
    counts = exploded.value_counts().rename_axis("category").reset_index(name="articles")
    counts["share"] = counts["articles"] / max(len(articles), 1)
    return counts.sort_values(["articles", "category"], ascending=[False, True], ignore_index=True)


def jalali_month(published_jalali: pd.Series) -> pd.Series:
    """``YYYY-MM`` Jalali month of each ``published_jalali`` day ('' when unknown)."""
    return published_jalali.fillna("").str.slice(0, 7)


def monthly_counts(articles: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Articles a Jalali month (every month from the first to the last, zeros included):
    ``month`` (``YYYY-MM``), ``label`` (``فروردین ۱۴۰۲``), ``start`` (Gregorian first day),
    [``by``], ``articles``. Articles of unknown date are left out (see :func:`date_coverage`)."""
    month = jalali_month(articles["published_jalali"])
    frame = articles.assign(month=month).loc[lambda f: f["month"] != ""]
    if by:
        unnamed = NO_SITE if by == "site" else "(نامعلوم)"
        frame[by] = frame[by].astype("string").fillna("").replace("", unnamed)
    columns = ["month", "label", "start"] + ([by] if by else []) + ["articles"]
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    months = _month_range(frame["month"].min(), frame["month"].max())
    keys = ["month"] + ([by] if by else [])
    counts = frame.groupby(keys).size().rename("articles")
    if by:
        groups = sorted(frame[by].fillna("").unique())
        full = pd.MultiIndex.from_product([months, groups], names=keys)
    else:
        full = pd.Index(months, name="month")
    table = counts.reindex(full, fill_value=0).reset_index()
    table["label"] = table["month"].map(jalali_month_label)
    table["start"] = table["month"].map(_month_start)
    return table[columns]


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_start(month: str) -> pd.Timestamp:
    return pd.Timestamp(jdatetime.date(int(month[:4]), int(month[5:7]), 1).togregorian())


def jalali_month_label(month: str) -> str:
    """``1402-01`` -> ``فروردین ۱۴۰۲`` (Persian month name and digits)."""
    from analysis._core.persian import persian_number

    return f"{JALALI_MONTHS[int(month[5:7]) - 1]} {persian_number(str(int(month[:4])))}"


def date_coverage(articles: pd.DataFrame) -> pd.DataFrame:
    """Where the dates came from: one row a ``date_source`` (record, date line, url, none) with
    ``articles``, ``first`` and ``last`` Jalali day."""
    frame = articles.assign(
        date_source=articles["date_source"].fillna("").replace("", "none"),
        published_jalali=articles["published_jalali"].fillna("").replace("", pd.NA),
    )
    table = frame.groupby("date_source").agg(
        articles=("doc_id", "size"), first=("published_jalali", "min"), last=("published_jalali", "max")
    )
    table = table.reset_index().sort_values("articles", ascending=False, ignore_index=True)
    table[["first", "last"]] = table[["first", "last"]].astype("string").fillna("")
    return table


def duplicates(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles published more than once: one row an original that has copies, with ``title``,
    ``site`` and ``published_jalali`` of the original, ``copies`` and the ``copy_sites``."""
    copies = articles.loc[articles["duplicate_of"].fillna("") != ""]
    columns = ["doc_id", "title", "site", "published_jalali", "copies", "copy_sites"]
    if copies.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    grouped = copies.groupby("duplicate_of").agg(
        copies=("doc_id", "size"), copy_sites=("site", lambda s: sorted(set(s.fillna(""))))
    )
    originals = articles.set_index("doc_id")[["title", "site", "published_jalali"]]
    table = grouped.join(originals, how="left").rename_axis("doc_id").reset_index()
    return table[columns].sort_values(["copies", "doc_id"], ascending=[False, True], ignore_index=True)


def reject_reasons(rejects: pd.DataFrame) -> pd.DataFrame:
    """Why inputs were rejected: one row a reason with ``inputs`` and an ``example`` file name."""
    if rejects.empty:
        return pd.DataFrame({"reason": pd.Series(dtype="string"), "inputs": pd.Series(dtype="int64"),
                             "example": pd.Series(dtype="string")})
    names = rejects["path"].map(lambda p: PurePath(str(p)).name) + rejects["member"].fillna("").map(
        lambda m: f" › {m}" if m else ""
    )
    table = rejects.assign(example=names).groupby("reason").agg(inputs=("path", "size"), example=("example", "first"))
    return table.reset_index().sort_values(["inputs", "reason"], ascending=[False, True], ignore_index=True)


def overview_numbers(articles: pd.DataFrame, rejects: pd.DataFrame) -> dict[str, object]:
    """The corpus at a glance (Persian labels -> values) for key-number tiles."""
    known = articles["published_jalali"].fillna("")
    known = known[known != ""]
    span = f"{known.min()} تا {known.max()}".replace("-", "/") if len(known) else "نامعلوم"
    return {
        "مقاله": len(articles),
        "ورودی ردشده": len(rejects),
        "زیرسایت": articles["site"].nunique(),
        "دسته": categories(articles)["category"].nunique() if len(articles) else 0,
        "تکراری": int((articles["duplicate_of"].fillna("") != "").sum()),
        "بازهٔ انتشار": span,
    }
