"""A tiny corpus in the seed's layout for the report tests: two sites, dates, categories, a
republished article, one empty file (a reject), and titles/categories carrying HTML and script."""

from __future__ import annotations

from pathlib import Path

#: markup that must show as text in every page; running it sets window.__xss
SCRIPT_TITLE = "<script>window.__xss=true;alert(document.title)</script> خبر آزمایشی"
IMG_TITLE = "<img src=x onerror=alert(document.title)> عنوان با تصویر"
IMG_CATEGORY = "<img src=x onerror=alert(document.domain)>"

_PARAGRAPHS = [
    "رئیس سازمان بسیج استان سمنان گفت: برنامه‌های هفتهٔ بسیج در سراسر استان با حضور مردم برگزار می‌شود.",
    "وی افزود: دیدار با خانواده‌های شهدا و برگزاری همایش‌های فرهنگی از برنامه‌های این هفته است.",
    "مسئول بسیج کارگری تهران نیز از برگزاری مسابقات ورزشی کارگران در شهرستان‌ها خبر داد.",
    "این مراسم با حضور نماینده ولی فقیه در استان و فرماندار شهرستان برگزار شد.",
]
_TITLES = [
    "برگزاری همایش بسیج کارگری در سمنان",
    "دیدار با خانواده شهدا در هفته بسیج",
    "مسابقات ورزشی کارگران بسیجی برگزار شد",
    "افتتاح پایگاه مقاومت در واحد تولیدی",
    "نشست فرماندهان بسیج استان تهران",
    "اردوی جهادی دانشجویان در روستاهای سمنان",
]
_CATEGORIES = ["بسیج کارگری", "فرهنگی", "ورزشی"]
_SITES = ["semnan", "tehran"]


def _article(title: str, category: str, site: str, node: int, day: str) -> str:
    shift = (node // 2) % 2  # nodes 2k and 2k+1 share a body
    body = "\n\n".join(_PARAGRAPHS[shift:] + _PARAGRAPHS[:shift])
    return (
        f"\n\n## {title}\n\n\nتاریخ انتشار: {day} - ۱۰:۳۰\n\n{body}\n\n"
        f"**دسته بندی اخبار: [{category}](#)**\n\n<https://{site}.basij.ir/node/{node}>\n"
    )


def write_report_corpus(folder: Path) -> Path:
    """Write the corpus into ``folder`` and return it (16 articles + 1 empty file)."""
    folder.mkdir(parents=True, exist_ok=True)
    months = ["۱۴۰۲/۰۱/۱۵", "۱۴۰۲/۰۲/۱۰", "۱۴۰۲/۰۳/۰۵", "۱۴۰۲/۰۵/۲۰", "۱۴۰۲/۰۷/۰۱", "۱۴۰۳/۰۱/۱۲"]
    for i in range(12):
        text = _article(_TITLES[i % len(_TITLES)] + f" ({i + 1})", _CATEGORIES[i % 3], _SITES[i % 2], 9000 + i,
                        months[i % len(months)])
        (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    hostile = [(SCRIPT_TITLE, "فرهنگی", 9100, "۱۴۰۲/۰۲/۱۱"), (IMG_TITLE, IMG_CATEGORY, 9102, "۱۴۰۲/۰۳/۰۱")]
    for j, (title, category, node, day) in enumerate(hostile):
        for k, site in enumerate(_SITES):  # the same article on both sites: a republication
            (folder / f"hostile_{j}_{site}.txt").write_text(_article(title, category, site, node + k, day), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder
