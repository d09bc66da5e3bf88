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
# # اشخاص، سازمان‌ها و مکان‌ها
#
# چه کسانی، کدام سازمان‌ها و کدام مکان‌ها در این خبرها نام برده شده‌اند، چه کسی با چه کسی در یک
# جمله یا یک خبر آمده است و چه کسی چه گفته است. موجودیت‌ها را یک مدل CRF که خود پروژه بر پیکره‌های
# آرمان (ArmanPersoNERCorpus) و پیما (PEYMA) آموزش داده است می‌یابد؛ نام‌های گوناگون یک موجودیت (املای متفاوت،
# عنوان‌ها، «مقام معظم رهبری» و «رهبر معظم انقلاب»، سمت و نام یک شخص در یک خبر) یکی شده‌اند؛ «آمریکا» و
# «امریکا» و «ایالات متحده» یک موجودیت‌اند و هر موجودیت یک نوع دارد؛ صفت‌های ملیت («ایرانی»، «آمریکایی»)
# موجودیت نیستند و نام خبرگزاری در سطر منبع خبر شمرده نمی‌شود.

# %% tags=["parameters"]
corpus = ""  # file, folder, glob or archive the loader reads; empty: the demo corpus
date_from = ""  # first day kept: Jalali 1402-01-01 or ISO 2023-03-21; empty: no limit
date_to = ""  # last day kept, same forms; empty: no limit
sites = []  # sites to keep, such as semnan; empty: all
categories = []  # categories to keep (any of them); empty: all
n_topics = "auto"  # not used here; every notebook takes the same parameters
n_top = 15  # entities shown in the rankings

# %%
from analysis import entities as ent
from analysis.entities import quotes as qt
from analysis.plots import entities as charts
from analysis.plots import interactive
from analysis.report.data import open_corpus, source_note
from analysis.report.notebook import key_numbers, setup_notebook, table

setup_notebook()
source = open_corpus(corpus, date_from=date_from, date_to=date_to, sites=sites, categories=categories)
articles = source.sample()  # all the articles; from a large dataset a seeded sample
mentions = source.mentions()  # the entities of those articles
statements = qt.quotes(articles)
source_note(source, articles,  # from a dataset: which figures cover all the articles, which the sample
            whole=("شمار خبرها، اشاره‌ها و موجودیت‌ها، پرتکرارترین موجودیت‌ها (در همهٔ خبرها و در هر پایگاه)، "
                   "منابع خبر و روند ماهانهٔ نام‌ها"),
            sampled="شبکهٔ هم‌آیی موجودیت‌ها، جفت‌های پرتکرار در یک خبر، نقل‌قول‌ها و گویندگان")

# %% [markdown]
# ## در یک نگاه

# %%
key_numbers({
    "خبرها": source.n_articles,
    "اشاره به موجودیت‌ها": source.entity_numbers()["mentions"],
    "موجودیت‌های متمایز": source.entity_numbers()["entities"],
    "نقل‌قول‌ها": len(statements),
})

# %% [markdown]
# ## از چه کسانی، چه سازمان‌هایی و چه مکان‌هایی بیشتر نام برده شده است؟
# شمار خبرهایی که دست‌کم یک بار از هر موجودیت نام برده‌اند.

# %% tags=["key-figure"]
charts.plot_top_entities(source.top_entities(n=n_top))

# %%
charts.plot_top_entities(source.top_entities(n=n_top, types=["PER"]), title="پرتکرارترین اشخاص")

# %%
charts.plot_top_entities(source.top_entities(n=n_top, types=["ORG"]), title="پرتکرارترین سازمان‌ها")

# %%
charts.plot_top_entities(source.top_entities(n=n_top, types=["LOC"]), title="پرتکرارترین مکان‌ها")

# %% [markdown]
# ## خبرها از چه منابعی نقل شده‌اند؟
# نام‌هایی که در سطر منبع و تاریخ‌نگار آمده‌اند («به گزارش خبرگزاری ... از ...»، «به نقل از ...»، «خبرگزاری ...:»)
# منبع خبرند، نه موضوع آن؛ در جدول‌ها و نمودارهای دیگر شمرده نمی‌شوند و اینجا جدا آمده‌اند.

# %%
table(source.top_entities(n=n_top, sources=True), caption="پرتکرارترین منابع خبر")

# %% [markdown]
# ## هر پایگاه بیشتر از چه کسانی و چه جاهایی نام برده است؟

# %%
charts.plot_top_entities_by(source.top_entities(by="site", n=5), by="site")

# %% [markdown]
# ## نام‌ها در طول زمان چگونه آمده و رفته‌اند؟
# پرتکرارترین اشخاص و سازمان‌ها، ماه به ماه (خورشیدی).

# %%
charts.plot_entity_timeline(source.entity_timeline(n=6, types=["PER", "ORG"]))

# %% [markdown]
# ## چه کسانی و چه سازمان‌هایی با هم نام برده می‌شوند؟
# دو موجودیت وقتی به هم وصل‌اند که در یک جمله آمده باشند؛ ضخامت خط، شمار این جمله‌هاست.

# %%
charts.plot_cooccurrence(ent.cooccurrence_graph(mentions, level="sentence", types=["PER", "ORG", "LOC"]))

# %% [markdown]
# ### همان شبکه، برای کاوش
# چهل پیوند پرتکرار؛ نشانگر را روی هر گره ببرید تا نامش را ببینید و با کشیدن، بزرگ‌نمایی کنید.

# %%
interactive.network(ent.cooccurrence(mentions, level="sentence", types=["PER", "ORG", "LOC"]), group="type",
                    max_edges=40, title="شبکهٔ هم‌آیی موجودیت‌ها")

# %%
table(ent.cooccurrence(mentions, level="article").head(n_top), caption="پرتکرارترین جفت‌ها در یک خبر")

# %% [markdown]
# ## چه کسی بیشتر سخن گفته است؟
# گزاره‌هایی که با فعل‌های گزارشی («گفت»، «افزود»، «اظهار داشت»، «تصریح کرد» ...) به گوینده نسبت داده
# شده‌اند؛ «وی» و «او» به آخرین گوینده برمی‌گردند و سمت گوینده در همان خبر کنار نامش آمده است.

# %%
charts.plot_speakers(qt.speakers(statements, n=n_top))

# %%
table(statements[["speaker", "speaker_title", "verb", "quote"]].head(n_top), caption="نمونهٔ نقل‌قول‌ها")
