"""Who said what: statements attributed to their speakers through Persian reporting verbs.

``quotes(articles)`` returns one row a statement: doc_id, sentence, speaker, speaker_title, quote,
verb, kind, start, end.

- A reporting verb (``data/quotes/reporting_verbs.txt``: گفت، افزود، اظهار داشت، بیان کرد، تصریح
  کرد، عنوان کرد، خاطرنشان کرد ...) followed by a colon opens a *direct* statement (the rest of the
  sentence); one ending the sentence closes an *indirect* statement (the words between the speaker
  and the verb); «... گفت که ...» is indirect too.
- The speaker is the subject at the start of the sentence (after a dateline such as «خبرگزاری
  بسیج:» or «به گزارش ...،»): a recognised person, an office title («رئیس سازمان بسیج کارگری
  استان سمنان») resolved to the person it names in the article, or «وی» / «او» / «ایشان», resolved
  to the last speaker.
- ``speaker`` is the entity's canonical form (as in :func:`analysis.entities.entities`);
  ``speaker_title`` the office or honorific title known for the speaker in that article.
"""

from __future__ import annotations

import pandas as pd

from analysis.entities.tables import analyse, canonical_form, person_canonicals, require_columns

#: columns of the quotes table
QUOTE_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "sentence": "int64",
    "speaker": "string",  # canonical form of the speaker ('' if unresolved)
    "speaker_title": "string",  # office or honorific title ('' if none known)
    "quote": "string",  # the statement (direct: after the colon; indirect: before the verb)
    "verb": "string",  # the reporting verb as written
    "kind": "string",  # direct | indirect
    "start": "int64",  # character offsets of the quote in the text (end exclusive)
    "end": "int64",
}


def empty_quotes() -> pd.DataFrame:
    """A quotes table with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in QUOTE_COLUMNS.items()})


def article_quotes(doc_id: str, text: str, model=None) -> list[tuple]:
    """Rows of the quotes table for one text."""
    analysis = analyse(text, model)
    forms = person_canonicals(analysis, text)
    office_of_person = {}
    for key, person in analysis.title_links.items():
        office_of_person.setdefault(forms[person], key)
    office_text = {}
    for sentence_index, a, b, key in analysis.title_mentions:
        sentence = analysis.sentences[sentence_index]
        office_text.setdefault(key, text[sentence.tokens[a].start : sentence.tokens[b - 1].end])
    rows = []
    last = ("", "")
    for st in analysis.statements:
        sentence = analysis.sentences[st.sentence]
        kind, a, b = st.subject
        if kind == "pronoun":
            speaker, title = last
        elif kind == "person":
            k = next(k for k, m in enumerate(analysis.mentions)
                     if m.sentence == st.sentence and m.token_start == a and m.type == "PER")  # fmt: skip
            speaker = forms[k]
            title = office_text.get(office_of_person.get(speaker, ""), "") or analysis.mentions[k].title
        else:  # an office title: the person it names, or the title itself when nobody is named
            key = next(tm[3] for tm in analysis.title_mentions if tm[0] == st.sentence and tm[1] == a)
            title = office_text.get(key, "")
            person = analysis.title_links.get(key)
            speaker = forms[person] if person is not None else canonical_form(title)
        if speaker:
            last = (speaker, title)
        rows.append((doc_id, st.sentence, speaker, title, text[st.start : st.end], st.verb, st.kind, st.start, st.end))
    return rows


def quotes(articles: pd.DataFrame, column: str = "body", model=None) -> pd.DataFrame:
    """The quotes table of an articles table (see :data:`QUOTE_COLUMNS`), one row a statement."""
    from analysis._core.progress import progress_bar

    require_columns(articles, ["doc_id", column], "quotes")
    rows = []
    texts = articles[column].fillna("").astype(str)
    for doc_id, text in progress_bar(zip(articles["doc_id"], texts), total=len(articles), desc="quotes", unit="doc"):
        if text.strip():
            rows.extend(article_quotes(str(doc_id), text, model))
    if not rows:
        return empty_quotes()
    return pd.DataFrame(rows, columns=list(QUOTE_COLUMNS)).astype(QUOTE_COLUMNS)


def speakers(quote_table: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """Speakers by number of statements: columns speaker, speaker_title (most frequent), quotes, articles."""
    table = quote_table[quote_table["speaker"] != ""]
    if table.empty:
        return pd.DataFrame({"speaker": [], "speaker_title": [], "quotes": [], "articles": []})
    out = table.groupby("speaker").agg(
        speaker_title=("speaker_title", lambda s: s[s != ""].mode().iloc[0] if (s != "").any() else ""),
        quotes=("quote", "size"),
        articles=("doc_id", "nunique"),
    ).reset_index()  # fmt: skip
    return out.sort_values(["quotes", "speaker"], ascending=[False, True]).head(n).reset_index(drop=True)
