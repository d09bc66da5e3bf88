"""Entities of a corpus: who and what is named where, with canonical forms, networks and timelines.

- :func:`entities` — the long entities table of an articles table: one row a mention (doc_id,
  sentence, start, end, text, type, canonical, title, role).
- :func:`canonical_form` — spelling variants (Arabic letters, ZWNJ and spacing) folded together.
- :func:`cooccurrence` / :func:`cooccurrence_graph` — which entities are named together (in one
  sentence or one article), as an edge table or a networkx graph.
- :func:`top_entities` — the most-named entities, overall or by site / category / month
  (:func:`entity_counts` then :func:`rank_entities`, which also rank counts added up by parts).
- :func:`entity_timeline` — mentions of entities a month (Jalali by default).

Canonical forms: titles and honorifics («حجت‌الاسلام»، «دکتر»، «سردار») are split off into
``title``; the leader's many names («مقام معظم رهبری»، «رهبر معظم انقلاب»، «رهبر انقلاب») become
one entity (``data/gazetteers/leader_aliases.csv``); inside one article a surname alone («احمدی»)
joins the full name («احمد احمدی») and an office title («رئیس سازمان بسیج کارگری استان سمنان») joins
the person it names (written next to the name, or speaking first as news style does), so the office
mention is a row of that person too, with the office in ``title``.

Resolution (:mod:`analysis.entities.resolution`): one row per real-world entity. Spellings are folded
(alef with or without madda, hamza forms, Arabic letters, ZWNJ and spacing) and aliases resolved
(``data/entities/aliases.csv``: «ایالات متحده» → «آمریکا»); each canonical form gets one type over
the corpus (countries LOC); adjectives of nationality and place («ایرانی»، «آمریکایی») and given names
alone that join no full name of their article are not entities; mentions inside bylines, datelines
and sign-offs («به گزارش خبرگزاری فارس از تبریز،»، «خبرگزاری بسیج: ...») have ``role = "source"``
and are left out of top entities, co-occurrence and timelines unless ``include_sources=True``; so is
the corpus's own agency wherever it names itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

import pandas as pd

from analysis._core.persian import fold_letters, persian_letters
from analysis.entities.mentions import Analysis, analyse_text, first_names
from analysis.entities.resolution import (
    decide_types,
    entity_aliases,
    is_entity,
    mark_publishers,
    mention_roles,
    place_name_start,
    religious_titles,
    resolution_key,
    resolve_types,
    source_counts,
    type_votes,
)

#: columns of the entities table
ENTITY_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "sentence": "int64",  # index of the sentence in the body
    "start": "int64",  # character offsets into the body (end exclusive)
    "end": "int64",
    "text": "string",  # the mention as written (titles split off)
    "type": "string",  # PER, ORG, LOC, FAC, PRO, EVE
    "canonical": "string",  # one form for all spellings / aliases / partial names of the entity
    "title": "string",  # honorific or office title of a person ('' if none)
    "role": "string",  # "source" (byline, dateline, sign-off: who reports) or "content" (what is reported)
}

#: the value of ``role`` for mentions in news boilerplate (left out of the tables by default)
SOURCE = "source"


def empty_entities() -> pd.DataFrame:
    """An entities table with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in ENTITY_COLUMNS.items()})


def entity_key(text: str) -> str:
    """Spelling-blind key (:func:`analysis.entities.resolution.resolution_key`): Persian letters, alef
    without madda, hamza forms folded, no diacritics, no ZWNJ or spaces."""
    return resolution_key(text)


def canonical_form(text: str, title: str = "", kind: str = "") -> str:
    """Readable canonical spelling: Persian letters, single spaces, ZWNJ kept; aliases resolved
    (``gazetteers/leader_aliases.csv``, ``entities/aliases.csv``). ``title``: the honorific split off
    before a person: with it the name may be an alias («امام» + «خمینی»), and a given name alone after
    a religious title keeps it («امام» + «حسین» → «امام حسین», ``entities/religious_titles.txt``).
    ``kind="LOC"``: the words before a place's name that say what kind of place it is are left out
    («شهرستان ری» → «ری», :func:`analysis.entities.resolution.place_name_start`)."""
    table = entity_aliases()
    tokens = text.split()
    if kind == "LOC":
        tokens = tokens[place_name_start(tokens):]
        text = " ".join(tokens)
    if title:
        words = title.split()
        for k in range(len(words)):
            alias = table.get(resolution_key(" ".join(words[k:] + tokens)))
            if alias:
                return alias[0]
    alias = table.get(resolution_key(text))
    if alias:
        return alias[0]
    form = " ".join(persian_letters(t) for t in tokens)
    if title and len(tokens) == 1 and fold_letters(tokens[0]) in first_names():
        last = title.split()[-1]
        if resolution_key(last) in religious_titles():
            return f"{persian_letters(last)} {form}"
    return form


@lru_cache(maxsize=4096)
def _cached_analysis(text: str, model) -> Analysis:
    return analyse_text(text, model)


def analyse(text: str, model=None) -> Analysis:
    """:func:`analysis.entities.mentions.analyse_text` with the shipped model by default.

    Cached per (text, model), so :func:`entities` and :func:`analysis.entities.quotes.quotes` on the same
    articles tag each text once. The result is shared: treat it as read-only.
    """
    from analysis.entities.ner.model import load_model

    return _cached_analysis(text, model if model is not None else load_model())


def person_canonicals(analysis: Analysis, text: str) -> list[str]:
    """Canonical form of each mention of one text, with surnames, given names alone («حسین» after
    «حسین امیرعبداللهیان») and aliases joined to full names of the same text."""
    forms = [canonical_form(m.text, m.title if m.type == "PER" else "", m.type) for m in analysis.mentions]
    full_names: dict[str, set[str]] = {}
    given_names: dict[str, set[str]] = {}
    names = first_names()
    for m, form in zip(analysis.mentions, forms):
        parts = form.split()
        if m.type == "PER" and len(parts) > 1:
            full_names.setdefault(entity_key(parts[-1]), set()).add(form)
            if fold_letters(parts[0]) in names:
                given_names.setdefault(entity_key(parts[0]), set()).add(form)
    for k, (m, form) in enumerate(zip(analysis.mentions, forms)):
        if m.type == "PER" and len(form.split()) == 1:
            candidates = full_names.get(entity_key(form), set())
            if not candidates and fold_letters(form) in names:
                candidates = given_names.get(entity_key(form), set())
            if len(candidates) == 1:
                forms[k] = next(iter(candidates))
    return forms


def article_entities(doc_id: str, text: str, model=None) -> list[tuple]:
    """Rows of the entities table for one text (what is no entity left out, see
    :func:`analysis.entities.resolution.is_entity`; ``role`` from
    :func:`analysis.entities.resolution.mention_roles`)."""
    analysis = analyse(text, model)
    forms = person_canonicals(analysis, text)
    office = {person: key for key, person in analysis.title_links.items()}
    office_text = {}
    rows = []
    for sentence_index, a, b, key in analysis.title_mentions:
        if key in analysis.title_links:
            sentence = analysis.sentences[sentence_index]
            start, end = sentence.tokens[a].start, sentence.tokens[b - 1].end
            office_text.setdefault(key, text[start:end])
            person = analysis.title_links[key]
            rows.append((doc_id, sentence_index, start, end, text[start:end], "PER", forms[person], text[start:end]))
    for k, m in enumerate(analysis.mentions):
        title = m.title
        if m.type == "PER" and not title:
            # a surname mention takes the office title linked to its full name
            key = office.get(k) or next((office[j] for j in office if forms[j] == forms[k]), None)
            title = office_text.get(key, "") if key else ""
        rows.append((doc_id, m.sentence, m.start, m.end, m.text, m.type, forms[k], title))
    rows = [row for row in rows if is_entity(row[6], row[5], row[7])]
    roles = mention_roles(text, [(row[2], row[3]) for row in rows], types=[row[5] for row in rows])
    return [row + (role,) for row, role in zip(rows, roles)]


def require_columns(table: pd.DataFrame, columns, caller: str) -> None:
    """Raise a KeyError naming the missing columns of an articles table."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(f"{caller}(): the articles table has no column(s) {', '.join(missing)} "
                       f"(load it with analysis.corpus.load_corpus)")  # fmt: skip


def entities(articles: pd.DataFrame, column: str = "body", model=None) -> pd.DataFrame:
    """The entities table of an articles table (see :data:`ENTITY_COLUMNS`), one row a mention.

    ``column``: the text column searched (offsets index it); ``model``: a fitted
    :class:`~analysis.entities.ner.CrfRecognizer` (default: the shipped model). Canonical forms are made
    consistent across the corpus (:func:`consistent_spellings`): all spellings of one entity take its
    most frequent spelling and all its mentions one type. Mentions in bylines and datelines are kept
    with ``role = "source"``; the tables built from this one leave them out by default.
    """
    return consistent_spellings(article_mentions(articles, column, model, progress=True))


def article_mentions(articles: pd.DataFrame, column: str = "body", model=None, progress: bool = False) -> pd.DataFrame:
    """Each article's mentions, found article by article (the part of :func:`entities` that works on
    any subset of a corpus); their spellings are not yet made consistent across articles."""
    from analysis._core.progress import progress_bar

    require_columns(articles, ["doc_id", column], "entities")
    rows = []
    texts = articles[column].fillna("").astype(str)
    pairs = zip(articles["doc_id"], texts)
    for doc_id, text in progress_bar(pairs, total=len(articles), desc="entities", unit="doc", show=progress):
        if text.strip():
            rows.extend(article_entities(str(doc_id), text, model))
    if not rows:
        return empty_entities()
    return pd.DataFrame(rows, columns=list(ENTITY_COLUMNS)).astype(ENTITY_COLUMNS)


@dataclass(frozen=True)
class SpellingStats:
    """What :func:`consistent_spellings` decides from, counted: ``votes``
    (:func:`analysis.entities.resolution.type_votes`: mentions of each canonical form, type and role)
    and ``sources``, ``n_docs`` (:func:`analysis.entities.resolution.source_counts`). Small (one row a
    spelling), and the stats of parts of a corpus add up to the corpus's (:func:`combine_spelling_stats`)."""

    votes: pd.DataFrame
    sources: pd.Series
    n_docs: int
    _decided: tuple | None = field(default=None, repr=False, compare=False)

    def decisions(self) -> tuple[dict[str, str], dict[str, str]]:
        """(type of each resolution key decided over the stats, displayed spelling of each
        :func:`entity_key`), decided once and kept."""
        if self._decided is None:
            spelled = self.votes.groupby("canonical", sort=False)["n"].sum()
            counted = Counter({(entity_key(form), form): int(n) for form, n in spelled.items()})
            display: dict[str, str] = {}
            for key, form in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0][1])):
                display.setdefault(key[0], persian_letters(key[1]))
            object.__setattr__(self, "_decided", (decide_types(self.votes), display))
        return self._decided


def spelling_stats(mentions: pd.DataFrame) -> SpellingStats:
    """The :class:`SpellingStats` of a mentions table (from :func:`article_mentions`)."""
    if "role" not in mentions.columns:
        mentions = mentions.assign(role="content")
    sources, n_docs = source_counts(mentions)
    return SpellingStats(type_votes(mentions), sources, n_docs)


def combine_spelling_stats(parts: list[SpellingStats]) -> SpellingStats:
    """The :class:`SpellingStats` of the union of the parts' mentions (an article in one part only)."""
    votes = pd.concat([p.votes for p in parts], ignore_index=True)
    votes = votes.groupby(["canonical", "type", "content"], sort=False)["n"].sum().reset_index()
    kept = [p.sources for p in parts if len(p.sources)]
    sources = pd.concat(kept).groupby(level=0).sum() if kept else pd.Series(dtype="int64")
    return SpellingStats(votes, sources, sum(p.n_docs for p in parts))


def consistent_spellings(mentions: pd.DataFrame, stats: SpellingStats | None = None) -> pd.DataFrame:
    """The mentions with one type for each entity (same :func:`entity_key`; decided over the table by
    :func:`analysis.entities.resolution.resolve_types`) and every spelling of it replaced by its most
    frequent spelling in the table, sorted by article and offset; the corpus's own agency is a source
    wherever it is named (:func:`analysis.entities.resolution.mark_publishers`). A table without
    ``role`` (written before it existed) is read as all content. ``stats``: the :func:`spelling_stats`
    of a corpus the table is a part of (:func:`combine_spelling_stats` of its parts), to decide types,
    spellings and publishers over that corpus: each part's table is then the corpus table's rows."""
    if mentions.empty:
        return empty_entities()
    if "role" not in mentions.columns:
        mentions = mentions.assign(role="content")
    stats = spelling_stats(mentions) if stats is None else stats
    decided, display = stats.decisions()
    mentions = mark_publishers(resolve_types(mentions, decided=decided), counts=(stats.sources, stats.n_docs))
    keys = [entity_key(form) for form in mentions["canonical"].astype(str).tolist()]
    table = mentions.assign(canonical=[display[key] for key in keys])[list(ENTITY_COLUMNS)].astype(ENTITY_COLUMNS)
    return table.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)


def content_mentions(ents: pd.DataFrame, include_sources: bool = False) -> pd.DataFrame:
    """The mentions the tables count: without those of ``role = "source"`` (bylines, datelines) unless
    ``include_sources``; a table without ``role`` is returned as it is."""
    if include_sources or "role" not in ents.columns:
        return ents
    return ents[ents["role"] != SOURCE]


def source_mentions(ents: pd.DataFrame) -> pd.DataFrame:
    """Only the mentions of ``role = "source"``: the agencies, outlets and datelines the articles
    cite (``top_entities(source_mentions(ents), include_sources=True)`` ranks them)."""
    if "role" not in ents.columns:
        return ents.iloc[0:0]
    return ents[ents["role"] == SOURCE]


# ---------------------------------------------------------------- co-occurrence


def cooccurrence(ents: pd.DataFrame, level: str = "sentence", types=None, min_count: int = 1,
                 include_sources: bool = False) -> pd.DataFrame:  # fmt: skip
    """Pairs of entities named together: columns source, target, source_type, target_type, weight.

    ``level``: ``"sentence"`` (named in one sentence) or ``"article"``; ``weight`` counts the
    sentences / articles. ``types`` keeps only those entity types; pairs below ``min_count`` dropped;
    mentions in bylines and datelines left out unless ``include_sources``.
    """
    if level not in ("sentence", "article"):
        raise ValueError(f"level must be 'sentence' or 'article', not {level!r}")
    table = content_mentions(ents, include_sources)
    table = table if types is None else table[table["type"].isin(list(types))]
    unit = ["doc_id", "sentence"] if level == "sentence" else ["doc_id"]
    counts: Counter = Counter()
    kinds = {}
    for _, group in table.groupby(unit, sort=False):
        names = sorted(set(zip(group["canonical"], group["type"])))
        for (a, ta), (b, tb) in combinations(names, 2):
            if a == b:
                continue
            counts[(a, b)] += 1
            kinds[a], kinds[b] = ta, tb
    rows = [(a, b, kinds[a], kinds[b], w) for (a, b), w in counts.items() if w >= min_count]
    out = pd.DataFrame(rows, columns=["source", "target", "source_type", "target_type", "weight"])
    return out.sort_values(["weight", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


def cooccurrence_graph(ents: pd.DataFrame, level: str = "sentence", types=None, min_count: int = 1,
                       include_sources: bool = False):  # fmt: skip
    """:func:`cooccurrence` as a networkx Graph: nodes carry ``type`` and ``mentions``, edges ``weight``."""
    import networkx as nx

    table = content_mentions(ents, include_sources)
    table = table if types is None else table[table["type"].isin(list(types))]
    graph = nx.Graph()
    for (name, kind), n in table.groupby(["canonical", "type"]).size().items():
        graph.add_node(name, type=kind, mentions=int(n))
    for row in cooccurrence(table, level=level, min_count=min_count, include_sources=True).itertuples():
        graph.add_edge(row.source, row.target, weight=int(row.weight))
    if min_count > 1:
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    return graph


# ---------------------------------------------------------------- by site / month


def _period(articles: pd.DataFrame, calendar: str) -> pd.Series:
    if calendar == "jalali":
        return articles["published_jalali"].fillna("").astype(str).str.slice(0, 7)
    if calendar == "gregorian":
        published = pd.to_datetime(articles["published"], errors="coerce")
        return published.dt.strftime("%Y-%m").fillna("")
    raise ValueError(f"calendar must be 'jalali' or 'gregorian', not {calendar!r}")


def _with_article_columns(ents, articles, by, calendar):
    columns = ["doc_id"]
    table = articles[["doc_id"]].copy()
    if by == "month":
        table["month"] = _period(articles, calendar)
    elif by is not None:
        if by not in articles.columns:
            raise KeyError(f"articles table has no column {by!r}")
        value = articles[by]
        table[by] = value.map(lambda v: v if isinstance(v, list) else [v])  # list columns explode
        table = table.explode(by)
        table[by] = table[by].fillna("").astype(str)
    columns = list(table.columns)
    return ents.merge(table[columns], on="doc_id", how="left")


def top_entities(ents: pd.DataFrame, articles: pd.DataFrame | None = None, by: str | None = None, n: int = 10,
                 types=None, calendar: str = "jalali", include_sources: bool = False) -> pd.DataFrame:  # fmt: skip
    """The ``n`` most-named entities (by articles naming them, then mentions), overall or a group.

    ``by``: None, an articles column (``"site"``, ``"categories"`` ...) or ``"month"`` (Jalali
    ``YYYY-MM`` by default; ``calendar="gregorian"``). Mentions in bylines and datelines
    (``role = "source"``) are not counted unless ``include_sources``. Returns columns [by],
    canonical, type, articles, mentions, rank.
    """
    counts = entity_counts(ents, articles, by=by, types=types, calendar=calendar, include_sources=include_sources)
    return rank_entities(counts, by=by, n=n)


def entity_counts(ents: pd.DataFrame, articles: pd.DataFrame | None = None, by: str | None = None,
                  types=None, calendar: str = "jalali", include_sources: bool = False) -> pd.DataFrame:  # fmt: skip
    """Articles naming each entity and its mentions, overall or by a group (``by`` as in
    :func:`top_entities`): columns [by], canonical, type, articles, mentions. Counts of parts of a
    corpus add up to the whole corpus's (an article is in one part)."""
    table = content_mentions(ents, include_sources)
    table = table if types is None else table[table["type"].isin(list(types))]
    keys = ["canonical", "type"]
    if by is not None:
        if articles is None:
            raise ValueError("entity_counts(by=...) needs the articles table")
        table = _with_article_columns(table, articles, by, calendar)
        keys = [by] + keys
    return table.groupby(keys).agg(articles=("doc_id", "nunique"), mentions=("doc_id", "size")).reset_index()


def rank_entities(counts: pd.DataFrame, by: str | None = None, n: int = 10) -> pd.DataFrame:
    """The ``n`` entities of :func:`entity_counts` named in most articles (then mentions, then
    canonical form), overall or in each ``by`` group; adds ``rank``."""
    counts = counts.sort_values(["articles", "mentions", "canonical"], ascending=[False, False, True])
    group = counts.groupby(by, sort=True) if by is not None else None
    counts = counts.assign(rank=(group.cumcount() if group is not None
                                 else pd.Series(range(len(counts)), index=counts.index)) + 1)
    counts = counts[counts["rank"] <= n]
    order = [by, "rank"] if by is not None else ["rank"]
    return counts.sort_values(order).reset_index(drop=True)


def entity_timeline(ents: pd.DataFrame, articles: pd.DataFrame, names=None, n: int = 5, types=None,
                    calendar: str = "jalali", include_sources: bool = False) -> pd.DataFrame:  # fmt: skip
    """Articles and mentions a month for each entity: columns month, canonical, type, articles, mentions.

    ``names``: canonical forms to follow (default: the ``n`` most-named). Months with no mention
    of an entity are filled with zeros between the first and last month of the corpus. Mentions in
    bylines and datelines are left out unless ``include_sources``.
    """
    table = content_mentions(ents, include_sources)
    table = table if types is None else table[table["type"].isin(list(types))]
    if names is None:
        names = list(top_entities(table, n=n, include_sources=True)["canonical"])
    table = _with_article_columns(table[table["canonical"].isin(list(names))], articles, "month", calendar)
    table = table[table["month"] != ""]
    counts = table.groupby(["month", "canonical", "type"]).agg(
        articles=("doc_id", "nunique"), mentions=("doc_id", "size")).reset_index()  # fmt: skip
    return timeline_grid(counts, articles, calendar)


def timeline_grid(counts: pd.DataFrame, articles: pd.DataFrame, calendar: str = "jalali") -> pd.DataFrame:
    """Counts by month, canonical and type (articles, mentions) filled with zeros for every month
    between the first and last month of ``articles`` (what :func:`entity_timeline` returns)."""
    months = sorted(m for m in _period(articles, calendar).unique() if m)
    if not months or counts.empty:
        return counts
    kinds = counts.drop_duplicates("canonical").set_index("canonical")["type"]
    grid = pd.MultiIndex.from_product([_month_range(months[0], months[-1], calendar), kinds.index],
                                      names=["month", "canonical"])  # fmt: skip
    full = counts.set_index(["month", "canonical"])[["articles", "mentions"]].reindex(grid, fill_value=0).reset_index()
    full["type"] = full["canonical"].map(kinds)
    return full[["month", "canonical", "type", "articles", "mentions"]]


def _month_range(first: str, last: str, calendar: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out
