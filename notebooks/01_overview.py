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
# # نمای کلی پیکره
#
# چه چیزی در این پیکره هست: از کدام منابع و زیرسایت‌ها، در چه دسته‌هایی، با چه طولی، در چه بازه‌ای از
# زمان؛ کدام مقاله‌ها تکراری‌اند و کدام ورودی‌ها خوانده نشدند و چرا.

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
from analysis.patterns import overview
from analysis.plots import interactive
from analysis.plots import overview as charts
from analysis.report.data import open_corpus, source_note
from analysis.report.notebook import key_numbers, setup_notebook, table

setup_notebook()
source = open_corpus(corpus, date_from=date_from, date_to=date_to, sites=sites, categories=categories)
articles, rejects = source.articles, source.rejects
source_note(source)

# %% [markdown]
# ## در یک نگاه

# %%
key_numbers(overview.overview_numbers(articles, rejects))

# %% [markdown]
# ## منابع: از چه پرونده‌هایی و با چه رمزگذاری‌ای خوانده شد؟

# %%
table(overview.sources(articles, rejects).rename(
    columns={"format": "قالب", "files": "پرونده", "articles": "مقاله", "rejected": "ردشده"}),
    empty="هیچ پرونده‌ای خوانده نشد.")

# %%
table(overview.encodings(articles).rename(columns={"encoding": "رمزگذاری", "articles": "مقاله"}),
      empty="هیچ مقاله‌ای در این گزینش نیست.")

# %% [markdown]
# ## زیرسایت‌ها: هر سایت چند مقاله دارد و از کی تا کی؟

# %% tags=["key-figure"]
charts.counts_bar(with_site_names(overview.sites(articles)), label="site", value="articles", title="مقاله‌ها به تفکیک زیرسایت")

# %%
table(with_site_names(overview.sites(articles)).rename(columns={
    "domain": "دامنه", "site": "زیرسایت", "articles": "مقاله", "first": "نخستین",
    "last": "واپسین", "median_words": "میانهٔ واژه‌ها"}), empty="هیچ مقاله‌ای در این گزینش نیست.")

# %% [markdown]
# ## دسته‌ها: مقاله‌ها در چه دسته‌هایی منتشر شده‌اند؟

# %%
charts.counts_bar(overview.categories(articles), label="category", value="articles", title="مقاله‌ها به تفکیک دسته")

# %% [markdown]
# ## طول: مقاله‌ها چند واژه‌اند؟

# %%
charts.length_histogram(articles, title="توزیع طول مقاله‌ها")

# %%
table(patterns.length_summary(articles, by=None).drop(columns="group").rename(columns={
    "n_articles": "خبر", "mean": "میانگین", "std": "انحراف معیار", "min": "کمینه", "q10": "صدک ۱۰",
    "q25": "چارک اول", "median": "میانه", "q75": "چارک سوم", "q90": "صدک ۹۰", "max": "بیشینه"}))

# %% [markdown]
# ## زمان: مقاله‌ها کدام ماه‌ها را پوشش می‌دهند؟
#
# نمودار زیر تعاملی است: نشانگر را روی هر نقطه نگه دارید تا ماه و شمار مقاله‌ها را ببینید؛ با کشیدن روی نمودار بازه را
# بزرگ کنید و با کلیک روی نام هر زیرسایت آن را نشان دهید یا پنهان کنید.

# %%
interactive.timeline(with_site_names(overview.monthly_counts(articles, by="site")), x="start", y="articles", color="site",
                     label="label", title="مقاله‌ها در هر ماه به تفکیک زیرسایت")

# %%
charts.monthly_bars(overview.monthly_counts(articles), title="مقاله‌ها در هر ماه (همهٔ زیرسایت‌ها)")

# %%
table(overview.date_coverage(articles).rename(columns={
    "date_source": "منبع تاریخ", "articles": "مقاله", "first": "نخستین", "last": "واپسین"}),
    empty="هیچ مقاله‌ای در این گزینش نیست.")

# %% [markdown]
# ## تکرار: کدام مقاله‌ها بیش از یک بار آمده‌اند؟

# %%
table(with_site_names(overview.duplicates(articles)).drop(columns="doc_id").rename(columns={
    "title": "عنوان", "site": "زیرسایت", "published_jalali": "تاریخ", "copies": "رونوشت", "copy_sites": "زیرسایت رونوشت‌ها"}),
    max_rows=20, empty="هیچ مقاله‌ای رونوشتِ مقالهٔ دیگری نیست.")

# %% [markdown]
# ## ورودی‌های ردشده: کدام پرونده‌ها مقاله نبودند و چرا؟

# %%
table(overview.reject_reasons(rejects).rename(columns={"reason": "دلیل", "inputs": "ورودی", "example": "نمونه"}),
      empty="همهٔ ورودی‌ها خوانده شدند؛ هیچ ورودی‌ای رد نشد.")

# %%
table(rejects.rename(columns={"path": "پرونده", "member": "عضو بایگانی", "reason": "دلیل"}), max_rows=30,
      empty="هیچ ورودی‌ای رد نشد.")
