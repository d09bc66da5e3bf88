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
# # واژه‌ها و موضوع‌ها
#
# این پیکره دربارهٔ چیست و این موضوع‌ها میان زیرسایت‌ها، دسته‌ها و ماه‌ها چه فرقی دارند؟ واژه‌های
# پرکاربرد، عبارت‌های چندواژه‌ای (نام‌ها و اصطلاح‌ها)، واژه‌های شاخص هر گروه، بافت کاربرد یک واژه و
# موضوع‌هایی که مدل موضوعی در متن‌ها می‌یابد. تعداد موضوع‌ها، اگر تعیین نشود، در خود پیکره انتخاب
# می‌شود و موضوع‌ها در دو سطح می‌آیند: حوزه‌ها (درشت) و ماجراهای درون آن‌ها (ریز).

# %% tags=["parameters"]
corpus = ""  # file, folder, glob or archive the loader reads; empty: the demo corpus
date_from = ""  # first day kept: Jalali 1402-01-01 or ISO 2023-03-21; empty: no limit
date_to = ""  # last day kept, same forms; empty: no limit
sites = []  # sites to keep, such as semnan; empty: all
categories = []  # categories to keep (any of them); empty: all
n_topics = "auto"  # number of topics, or "auto": chosen on this corpus, in two levels (subjects and stories)
keyword = "بسیج"  # the word (or phrase) whose contexts are shown
group_by = "site"  # column whose groups are compared: site or categories

# %%
from analysis import topics
from analysis.plots import interactive
from analysis.plots import terms as term_charts
from analysis.plots import topics as topic_charts
from analysis.report.data import open_corpus, source_note
from analysis.report.notebook import key_numbers, setup_notebook, table
from analysis.text import add_tokens
from analysis.topics import terms

setup_notebook()
source = open_corpus(corpus, date_from=date_from, date_to=date_to, sites=sites, categories=categories)
tokens = {"punctuation": True}
articles = add_tokens(source.sample(), **tokens)  # all the articles; from a large dataset a seeded sample
source_note(source, articles,  # from a dataset: which figures cover all the articles, which the sample
            whole="سهم موضوع‌ها در طول زمان، در هر زیرسایت و در هر دسته (نمودارهای سهم موضوع‌ها)",
            sampled=("بسامد واژه‌ها، عبارت‌ها، کلیدواژه‌ها، واژه‌های شاخص، بافت واژه و روند عبارت‌ها، برازش مدل "
                     "موضوعی و انتخاب تعداد موضوع‌ها، سهم موضوع‌ها در جدول موضوع‌ها و نقشهٔ موضوع‌ها، خبرهای "
                     "نمونهٔ هر موضوع و پایداری موضوع‌ها"))

# %% [markdown]
# ## پرکاربردترین واژه‌ها کدام‌اند؟
# بسامد هر واژه در هر هزار واژهٔ پیکره (بدون واژه‌های دستوری و عبارت‌های کلیشه‌ای خبری مانند «به گزارش»).

# %%
frequencies = terms.term_frequencies(articles, min_count=2)
term_charts.frequency_bars(frequencies, top=25)

# %%
table(frequencies.head(30).rename(columns={
    "term": "واژه", "count": "تعداد", "per_1000": "در هر هزار واژه", "doc_freq": "خبرها", "doc_share": "سهم خبرها"}))

# %% [markdown]
# ## کدام عبارت‌های چندواژه‌ای با هم می‌آیند؟
# هم‌آیندها به ترتیب نسبت درست‌نمایی (دانینگ)؛ نام‌های سه‌واژه‌ای مانند «مقام معظم رهبری» یکپارچه
# می‌آیند و پاره‌هایشان جدا شمرده نمی‌شوند.

# %% tags=["key-figure"]
phrases = terms.collocations(articles)
term_charts.collocation_bars(phrases, top=25)

# %%
table(phrases.head(30).rename(columns={
    "phrase": "عبارت", "n": "واژه‌ها", "count": "تعداد", "doc_freq": "خبرها", "pmi": "PMI", "npmi": "NPMI",
    "llr": "G²"}))

# %% [markdown]
# ## هر گروه با چه کلیدواژه‌هایی شناخته می‌شود؟
# کلیدواژه‌های TF-IDF هر گروه (میانگین بردار TF-IDF خبرهای گروه؛ عبارت‌ها یک واژه شمرده می‌شوند).

# %%
table(terms.tfidf_keywords(articles, by=group_by, top=8, phrases=phrases["phrase"].head(500))
      .groupby(group_by, as_index=False).agg(keywords=("term", "، ".join))
      .rename(columns={group_by: "گروه", "keywords": "کلیدواژه‌ها"}))

# %% [markdown]
# ## بزرگ‌ترین گروه با بقیه در کدام واژه‌ها فرق دارد؟
# لگاریتم نسبت بخت با پیشین دیریکلهٔ آگاهانه (Monroe, Colaresi & Quinn 2008)؛ واژه‌های سرخ شاخص
# گروه‌اند و واژه‌های آبی شاخص بقیه.

# %%
contrast = terms.keyness(articles, by=group_by)
term_charts.keyness_chart(contrast, group_name=contrast.attrs.get("group", "گروه"), other_name="بقیه")

# %%
table(contrast.head(15)[["term", "count_group", "count_other", "z"]].rename(columns={
    "term": "واژه", "count_group": "در گروه", "count_other": "در بقیه", "z": "z"}))

# %% [markdown]
# ## واژهٔ موردنظر در چه بافتی به کار رفته است؟

# %%
term_charts.style_kwic(terms.kwic(articles, keyword, window=8), max_rows=30)

# %% [markdown]
# ## کاربرد پربسامدترین عبارت‌ها در ماه‌های شمسی چگونه تغییر کرده است؟

# %%
term_charts.trend_lines(terms.term_trends(articles, phrases["phrase"].head(5).tolist()))

# %% [markdown]
# ## مدل موضوعی: چند موضوع؟
# موضوع‌ها در دو سطح‌اند: موضوع‌های ریز (ماجراها) و موضوع‌های درشت (حوزه‌ها). برای هر تعداد موضوع،
# مدل روی چند نمونهٔ تصادفی از خبرها برازش می‌شود و چهار معیار سنجیده می‌شود: انسجام NPMI واژه‌های
# اصلی (با خطای معیار)، پایداری موضوع‌ها در نمونه‌های مختلف، برازش خبرهای کنارگذاشته و تمایز
# موضوع‌ها از یکدیگر. سطح ریز منسجم‌ترین تعداد در میان تعدادهای پایدار است؛ سطح درشت گروه‌های
# موضوع‌های ریزی است که واژه‌هایشان به هم شبیه است (وقتی گروه‌بندی ساختار معناداری نشان دهد، سیلوئت
# بالای ۰٫۲۵).

# %%
model = topics.TopicModel(method="nmf", k=n_topics, random_state=0).fit(articles)
prevalence = source.topic_prevalence(model, articles, by=("month", "site", "categories"), tokens=tokens)
key_numbers({"موضوع‌های درشت": model.k_, "موضوع‌های ریز": model.fine_k_, "واژگان": len(model.vocabulary_),
             "عبارت‌های واژگان": len(model.phrases_)})

# %%
topic_charts.selection_chart(model.coherence_, model.grouping_)

# %% [markdown]
# ## موضوع‌های درشت و ماجراهای درون آن‌ها
# هر میلهٔ کم‌رنگ یک موضوع درشت است و میله‌های پررنگ زیر آن موضوع‌های ریزِ درون آن؛ طول میله سهم
# میانگین موضوع از خبرهاست.

# %%
topic_charts.hierarchy_chart(topics.topic_tree(model))

# %% [markdown]
# ## هر موضوع چیست؟ واژه‌ها، عبارت‌ها و خبرهای نمونه

# %%
table(topics.topic_summary(model, articles, level="coarse", n_articles=2)
      .assign(topic=lambda t: t["topic"] + 1)
      .rename(columns={"topic": "موضوع", "label": "برچسب", "prevalence": "سهم", "npmi": "انسجام",
                       "terms": "واژه‌ها", "phrases": "عبارت‌ها", "articles": "خبرهای نمونه"}))

# %% [markdown]
# ## هر موضوع با چه واژه‌هایی شناخته می‌شود؟

# %%
topic_charts.topic_term_bars(model.topic_terms_, n_terms=8)

# %% [markdown]
# ## نمونهٔ خبرهای هر موضوع کدام‌اند؟

# %%
table(topics.representative_articles(model, articles, n=3)[["topic", "label", "title", "weight"]]
      .assign(topic=lambda t: t["topic"] + 1)
      .rename(columns={"topic": "موضوع", "label": "برچسب", "title": "عنوان", "weight": "سهم"}))

# %% [markdown]
# ## سهم موضوع‌ها در طول زمان چگونه تغییر کرده است؟

# %%
topic_charts.prevalence_timeline(prevalence["month"])

# %% [markdown]
# ## هر زیرسایت و هر دسته بیشتر دربارهٔ کدام موضوع‌ها می‌نویسد؟

# %%
topic_charts.prevalence_heatmap(prevalence["site"], by="site",
                                title="سهم موضوع‌ها در هر زیرسایت")

# %%
topic_charts.prevalence_heatmap(prevalence["categories"], by="categories",
                                title="سهم موضوع‌ها در هر دسته")

# %% [markdown]
# ## موضوع‌ها چقدر به هم نزدیک‌اند؟
# فاصلهٔ جنسن–شانون توزیع واژه‌های موضوع‌ها، در دو بعد؛ اندازهٔ دایره سهم موضوع در پیکره است.
# نشانگر را روی هر دایره ببرید تا برچسب موضوع را ببینید؛ با کشیدن، بزرگ‌نمایی کنید.

# %%
interactive.bubble_map(topics.topic_map(model), x="x", y="y", label="label", size="prevalence", title="نقشهٔ موضوع‌ها")

# %% [markdown]
# ## آیا موضوع‌ها پایدارند؟
# مدل با سه بذر دیگر روی ۹۰٪ تصادفی خبرها دوباره ساخته می‌شود و هر موضوع با نزدیک‌ترین موضوع مدل تازه
# (تطبیق مجارستانی) مقایسه می‌شود؛ شباهت نزدیک به ۱ یعنی موضوع پایدار است.

# %%
topic_charts.stability_chart(topics.topic_stability(model, articles, seeds=(1, 2, 3)))
