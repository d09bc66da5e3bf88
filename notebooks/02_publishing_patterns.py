# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # الگوهای انتشار
#
# چه کسی، چه چیزی را، کی و کجا منتشر می‌کند: حجم خبرها در ماه‌های خورشیدی، سهم هر پایگاه و هر دسته،
# روزهای هفته و ساعت‌ها، جهش‌ها و سکوت‌های هر پایگاه نسبت به روال خودش، مناسبت‌ها، و اینکه کدام
# پایگاه خبرِ کدام پایگاه را بازنشر می‌کند و با چه فاصله‌ای.

# %% tags=["parameters"]
corpus = ""  # file, folder, glob or archive the loader reads; empty: the demo corpus
date_from = ""  # first day kept: Jalali 1402-01-01 or ISO 2023-03-21; empty: no limit
date_to = ""  # last day kept, same forms; empty: no limit
sites = []  # sites to keep, such as semnan; empty: all
categories = []  # categories to keep (any of them); empty: all
n_topics = "auto"  # not used here; every notebook takes the same parameters

# %%
from analysis import patterns
from analysis.corpus.sites import with_site_names
from analysis.patterns import republication
from analysis.plots import patterns as charts
from analysis.report.data import no_bursts_reason, no_occasions_reason, open_corpus, source_note
from analysis.report.notebook import key_numbers, setup_notebook, table

setup_notebook()
source = open_corpus(corpus, date_from=date_from, date_to=date_to, sites=sites, categories=categories)
articles, rejects = source.articles, source.rejects
copies = source.copies()
named = with_site_names(articles[["site", "published", "categories", "n_words"]])  # sites by their Persian names
source_note(source)

# %% [markdown]
# ## در یک نگاه

# %%
key_numbers({
    "خبرها": len(articles),
    "خبرهای تاریخ‌دار": int(articles["published"].notna().sum()),
    "پایگاه‌ها": articles["site"].nunique(),
    "بازنشرها": int((~copies["is_first"]).sum()),
})

# %% [markdown]
# ## هر ماه چند خبر منتشر شده است؟
# ماه‌ها خورشیدی‌اند؛ ماه‌های بی‌خبر با صفر نشان داده می‌شوند.

# %% tags=["key-figure"]
charts.timeline(patterns.volume(articles, by=None, freq="month"), title="تعداد خبرها در هر ماه")

# %% [markdown]
# ## هر پایگاه در کدام ماه‌ها فعال بوده است؟

# %%
charts.volume_heatmap(patterns.volume(named, by="site", freq="month"), group="site")

# %%
charts.timeline(patterns.volume(named, by="site", freq="month"), group="site", top=5,
                title="خبرهای ماهانهٔ پنج پایگاه پرکار (بقیه: سایر)")

# %% [markdown]
# ## هر پایگاه بیشتر در چه دسته‌هایی می‌نویسد؟

# %%
charts.category_mix(patterns.category_share(named, by="site"), group="site")

# %% [markdown]
# ## در کدام روزهای هفته و کدام ساعت‌ها؟
# ساعت فقط برای خبرهایی که زمان انتشارشان معلوم است (نه فقط تاریخ).

# %%
charts.profile_bars(patterns.weekday_profile(articles, by=None), column="weekday")

# %%
charts.profile_bars(patterns.hour_profile(articles, by=None), column="hour")

# %% [markdown]
# ## خبرها چقدر بلندند؟

# %%
charts.length_boxplot(patterns.lengths(named, by="site"), group="site")

# %%
table(patterns.length_summary(named, by="site").rename(columns={
    "site": "پایگاه", "n_articles": "خبر", "mean": "میانگین", "std": "انحراف معیار", "min": "کمینه",
    "q10": "صدک ۱۰", "q25": "چارک اول", "median": "میانه", "q75": "چارک سوم", "q90": "صدک ۹۰", "max": "بیشینه"}),
    empty="هیچ خبری در این گزینش نیست.")

# %% [markdown]
# ## کدام روزها از روال همیشگی هر پایگاه بیرون زده‌اند؟
# مبنای هر روز، میانهٔ همان روزِ هفته در هشت هفتهٔ پیش و پس از آن است؛ امتیاز، فاصله از این مبنا
# با مقیاس پایدار (۳٫۵ به بالا: جهش؛ ۳٫۵- به پایین: سکوت).

# %%
table(with_site_names(patterns.bursts(articles, by="site", freq="day"))[
    ["site", "label", "n_articles", "baseline", "score", "kind", "top_titles"]].rename(columns={
    "site": "پایگاه", "label": "روز", "n_articles": "خبر", "baseline": "مبنا", "score": "امتیاز",
    "kind": "نوع", "top_titles": "تیترهای شاخص"}), max_rows=25, empty=no_bursts_reason(articles, by="site"))

# %% [markdown]
# ## مناسبت‌ها: حول هر مناسبت چه اندازه و دربارهٔ چه نوشته شده است؟
# مناسبت‌های خورشیدی از تقویم رسمی و مناسبت‌های قمری برای هر سال با کتابخانهٔ hijridate تبدیل شده‌اند
# (ممکن است یک روز با تقویم ایران فرق کند). «نسبت» یعنی خبرِ روزانه در مناسبت به میانگین دو هفتهٔ پیش از آن.

# %%
occasions = source.occasion_summary()
charts.occasion_timeline(patterns.volume(articles, by=None, freq="day"), occasions)

# %%
charts.occasion_profile(patterns.occasion_volume(articles, days_before=7, days_after=7))

# %%
table(occasions.sort_values("lift", ascending=False)[
    ["occasion", "jalali_year", "start", "n_articles", "per_day", "baseline_per_day", "lift", "top_terms"]].rename(columns={
    "occasion": "مناسبت", "jalali_year": "سال", "start": "آغاز", "n_articles": "خبر", "per_day": "در روز",
    "baseline_per_day": "مبنا در روز", "lift": "نسبت", "top_terms": "واژه‌های شاخص"}), max_rows=25,
    empty=no_occasions_reason(articles))

# %% [markdown]
# ## چه کسی خبرِ چه کسی را بازنشر می‌کند و با چه فاصله‌ای؟
# دو خبر بازنشرِ هم‌اند وقتی شباهت ژاکارد مجموعهٔ پنج‌واژه‌ای‌های متنشان دست‌کم ۰٫۸ باشد (MinHash و LSH،
# سپس سنجش دقیق). نخستین منتشرکننده، زودترین خبر خوشه است؛ پیکان از منبع به بازنشرکننده است.

# %%
charts.republication_network(republication.republication_graph(with_site_names(copies)))

# %%
table(with_site_names(republication.site_republication(copies)).rename(columns={
    "source": "منبع", "copier": "بازنشرکننده", "n_copies": "بازنشر", "median_lag_hours": "میانهٔ فاصله (ساعت)",
    "mean_lag_hours": "میانگین فاصله (ساعت)", "mean_similarity": "میانگین شباهت"}), max_rows=30,
    empty="هیچ خبری بازنشرِ خبرِ پایگاه دیگری نیست (شباهت ژاکارد ۰٫۸ یا بیشتر).")

# %%
table(with_site_names(copies)[["cluster_id", "site", "published", "is_first", "lag_hours", "similarity", "title"]].rename(columns={
    "cluster_id": "خوشه", "site": "پایگاه", "published": "تاریخ", "is_first": "نخستین؟", "lag_hours": "فاصله (ساعت)",
    "similarity": "شباهت", "title": "تیتر"}), max_rows=30, empty="هیچ دو خبری بازنشرِ هم نیستند (شباهت ژاکارد ۰٫۸ یا بیشتر).")
