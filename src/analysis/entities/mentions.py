"""Entity mentions in raw text: sentences and tokens with character offsets, CRF tags, rules on top.

``find_mentions(text, model)`` returns one :class:`Mention` a recognised entity, with offsets into
``text``. It is the shared step under :func:`analysis.entities.entities` and
:func:`analysis.entities.quotes.quotes`:

1. sentences and tokens come from :mod:`analysis.text` (tokens kept as written, punctuation kept,
   verb parts not joined, so every token is a substring of the text and its offsets are exact);
2. the CRF (:func:`analysis.entities.ner.load_model`) tags the tokens;
3. high-precision rules fix what the CRF misses: leader aliases («مقام معظم رهبری») are persons,
   a province after «استان» is a place, an organisation head word («سازمان»، «وزارت») right before
   a recognised organisation belongs to it, titles and honorifics before a person are split off into
   ``title``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analysis._core.persian import fold_letters
from analysis._core.resources import read_table, read_wordlist


@dataclass(slots=True)
class Token:
    text: str
    start: int  # offsets into the analysed text
    end: int


@dataclass
class Mention:
    sentence: int  # index of the sentence in the text
    start: int  # character offsets into the text (end exclusive)
    end: int
    text: str
    type: str  # PER, ORG, LOC, FAC, PRO, EVE
    title: str = ""  # titles/honorifics written before a person, stripped from text
    token_start: int = 0  # token span in the sentence (of the name, without title)
    token_end: int = 0


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    tokens: list[Token]
    tags: list[str]
    keys: list[str]  # folded tokens (gazetteer / word-list keys)


# ---------------------------------------------------------------- word lists


class PhraseSet(frozenset):
    """Folded token tuples, with ``lengths``: first token -> phrase lengths, longest first."""

    def __new__(cls, phrases=()):
        self = super().__new__(cls, phrases)
        lengths: dict[str, set[int]] = {}
        for phrase in self:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        self.lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}
        return self


def _phrases(name: str) -> PhraseSet:
    out = set()
    for line in read_wordlist(name):
        for variant in (line.split(), line.replace("\u200c", " ").split()):
            out.add(tuple(fold_letters(t) for t in variant))
    return PhraseSet(p for p in out if p)


@lru_cache(maxsize=1)
def title_phrases() -> PhraseSet:
    """Honorifics (folded token tuples) from ``gazetteers/titles.txt``."""
    return _phrases("gazetteers/titles.txt")


@lru_cache(maxsize=1)
def role_phrases() -> PhraseSet:
    """Office words (folded token tuples) from ``gazetteers/roles.txt``."""
    return _phrases("gazetteers/roles.txt")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Given names (folded, single tokens) from ``gazetteers/first_names.txt``."""
    return frozenset(p[0] for p in _phrases("gazetteers/first_names.txt") if len(p) == 1)


@lru_cache(maxsize=1)
def org_heads() -> frozenset[str]:
    """Organisation head words (folded, single tokens) from ``gazetteers/org_heads.txt``."""
    return frozenset(p[0] for p in _phrases("gazetteers/org_heads.txt") if len(p) == 1)


@lru_cache(maxsize=1)
def org_head_phrases() -> PhraseSet:
    """Organisation heads of one to three words («سازمان»، «اداره کل») from ``gazetteers/org_heads.txt``."""
    return PhraseSet(p for p in _phrases("gazetteers/org_heads.txt") if len(p) <= 3)


@lru_cache(maxsize=1)
def provinces() -> PhraseSet:
    return _phrases("gazetteers/provinces.txt")


@lru_cache(maxsize=1)
def aliases() -> dict[tuple[str, ...], tuple[str, str]]:
    """Folded alias token tuple -> (canonical form, type), from ``gazetteers/leader_aliases.csv``."""
    out = {}
    for row in read_table("gazetteers/leader_aliases.csv").itertuples():
        for variant in (row.alias.split(), row.alias.replace("\u200c", " ").split()):
            out[tuple(fold_letters(t) for t in variant)] = (row.canonical, row.type)
    return out


@lru_cache(maxsize=1)
def alias_keys() -> PhraseSet:
    return PhraseSet(aliases())


def match_at(keys: list[str], i: int, phrases: "PhraseSet") -> int:
    """Length of the longest phrase of ``phrases`` starting at token ``i`` (0 if none)."""
    lengths = phrases.lengths.get(keys[i])
    if lengths:
        for length in lengths:
            if i + length <= len(keys) and tuple(keys[i : i + length]) in phrases:
                return length
    return 0


# ---------------------------------------------------------------- sentences and tokens with offsets

_SPACE_RUN = re.compile(r"\s+")


def split_sentences(text: str) -> list[tuple[int, int, list[Token]]]:
    """``(start, end, tokens)`` of each sentence of ``text``; offsets index ``text``."""
    from analysis.text import sentences, tokenize

    out = []
    cursor = 0
    for sentence in sentences(text):
        start = text.find(sentence, cursor)
        if start < 0:  # sentence splitter changed the text: fall back to the next non-space run
            start = cursor
        end = start + len(sentence)
        tokens = []
        position = start
        for word in tokenize(sentence, punctuation=True, join_verb_parts=False):
            found = text.find(word, position, end + len(word))
            if found < 0:
                continue
            tokens.append(Token(word, found, found + len(word)))
            position = found + len(word)
        cursor = max(end, position)
        if tokens:
            out.append((start, end, tokens))
    return out


def tag_text(text: str, model) -> list[Sentence]:
    """Sentences of ``text`` with tokens, offsets and the model's tags (all sentences tagged at once)."""
    split = split_sentences(text)
    words = [[t.text for t in tokens] for _, _, tokens in split]
    tags = model.predict(words)
    return [Sentence(index, start, end, tokens, sentence_tags, [fold_letters(w) for w in sentence_words])
            for index, ((start, end, tokens), sentence_words, sentence_tags)
            in enumerate(zip(split, words, tags))]  # fmt: skip


# ---------------------------------------------------------------- rules over tags


def _spans(tags: list[str]) -> list[tuple[str, int, int]]:
    from analysis.entities.ner.iob import entity_chunks

    return entity_chunks(tags)


EMBEDDING_TYPES = frozenset({"ORG", "FAC", "PRO", "EVE"})  # names that may hold a person's or a place's


def apply_rules(sentence: Sentence) -> list[tuple[str, int, int]]:
    """Entity token spans ``(type, start, end)`` of a tagged sentence after the rules."""
    keys = sentence.keys
    spans = _spans(sentence.tags)
    n = len(keys)
    taken = [False] * n
    forced: list[tuple[str, int, int]] = []

    def claim(kind, a, b):
        nonlocal spans
        spans = [s for s in spans if s[2] <= a or s[1] >= b]  # drop overlapping CRF spans
        forced.append((kind, a, b))
        for k in range(a, b):
            taken[k] = True

    def in_longer_name(a, b):
        """Whether tokens a..b lie inside a longer name the tagger found whose kind may embed a
        person or a place («کمیته امداد امام خمینی»، «سازمان انتقال خون استان تهران»): then they are
        part of that name, not a mention of their own."""
        return any(kind in EMBEDDING_TYPES and s <= a and b <= e and e - s > b - a for kind, s, e in spans)

    alias_table = aliases()
    province_set = provinces()
    i = 0
    while i < n:
        if taken[i]:
            i += 1
            continue
        length = match_at(keys, i, alias_keys())
        if length and not in_longer_name(i, i + length):
            claim(alias_table[tuple(keys[i : i + length])][1], i, i + length)
            i += length
            continue
        if keys[i] == "استان" and i + 1 < n:
            # «استان» + a province the tagger missed: the place, «استان» in it as the corpora write it
            # (its canonical form drops it); a province inside a name the tagger found stays in it
            length = match_at(keys, i + 1, province_set)
            if length and not any(s < i + 1 + length and e > i for _, s, e in spans):
                claim("LOC", i, i + 1 + length)
                i += 1 + length
                continue
        i += 1
    # a title before a first name (gazetteer) and one more word: a person («دکتر منصوره آزادی»)
    titles, names, stops = title_phrases(), first_names(), title_stops()
    for i in range(n):
        length = match_at(keys, i, titles)
        j = i + length
        if not length or j + 1 >= n or keys[j] not in names or taken[j]:
            continue
        k = j + 1
        if _is_punct(sentence.tokens[k].text) or keys[k] in stops or match_at(keys, k, reporting_verbs()):
            continue
        if not any(kind == "PER" and a <= j < b for kind, a, b in spans) and not in_longer_name(i, k + 1):
            claim("PER", j, k + 1)
    # an organisation head right before a recognised organisation belongs to it («اداره کل» + «تبلیغات اسلامی»)
    heads = org_head_phrases()
    for _, a, b in spans:
        for k in range(a, b):
            taken[k] = True
    fixed = []
    for kind, a, b in spans:
        if kind == "ORG":
            length = next((m for m in (3, 2, 1) if m <= a and tuple(keys[a - m:a]) in heads
                           and not any(taken[a - m:a])), 0)
            a -= length
        fixed.append((kind, a, b))
    return sorted(fixed + forced, key=lambda s: s[1])


def split_title(keys: list[str], a: int, b: int) -> int:
    """Number of leading title/honorific tokens in the person span ``keys[a:b]``."""
    titles = title_phrases()
    skip = 0
    while a + skip < b - 1:
        length = match_at(keys[: b - 1], a + skip, titles)
        if not length:
            break
        skip += length
    return skip


def leading_title(keys: list[str], a: int) -> int:
    """Number of title/honorific tokens written right before token ``a`` (greedy, right to left)."""
    titles = title_phrases()
    count = 0
    while a - count > 0:
        for length in range(min(4, a - count), 0, -1):
            if tuple(keys[a - count - length : a - count]) in titles:
                count += length
                break
        else:
            break
    return count


def find_mentions(text: str, model) -> tuple[list[Sentence], list[Mention]]:
    """Tagged sentences and entity mentions (rules applied, titles split off) of ``text``."""
    tagged = tag_text(text, model)
    mentions: list[Mention] = []
    for sentence in tagged:
        tokens = sentence.tokens
        keys = sentence.keys
        for kind, a, b in apply_rules(sentence):
            title = ""
            if kind == "PER":
                inner = split_title(keys, a, b)
                before = leading_title(keys, a)
                t_start = a - before
                a += inner
                if t_start < a:
                    title = text[tokens[t_start].start : tokens[a - 1].end]
            mentions.append(
                Mention(sentence.index, tokens[a].start, tokens[b - 1].end,
                        text[tokens[a].start : tokens[b - 1].end], kind, title, a, b)
            )  # fmt: skip
    return tagged, mentions


# ---------------------------------------------------------------- titles, speakers, links

PRONOUNS = frozenset({"وی", "او", "ایشان"})
_PUNCT_RE = re.compile(r"^[^\w]+$")


@lru_cache(maxsize=1)
def reporting_verbs() -> PhraseSet:
    """Reporting verbs (folded token tuples) from ``quotes/reporting_verbs.txt``."""
    return _phrases("quotes/reporting_verbs.txt")


@lru_cache(maxsize=1)
def title_stops() -> frozenset[str]:
    return frozenset(p[0] for p in _phrases("quotes/title_stops.txt"))


@dataclass
class Statement:
    sentence: int
    subject: tuple[str, int, int]  # ("person" | "title" | "pronoun", token start, token end)
    verb: str
    kind: str  # direct (verb followed by a colon) | indirect (verb ends the sentence)
    start: int  # character offsets of the quoted text
    end: int


@dataclass
class Analysis:
    """Everything :mod:`entities` and :mod:`quotes` need about one text."""

    sentences: list[Sentence]
    mentions: list[Mention]
    title_mentions: list[tuple[int, int, int, str]]  # (sentence, token start, token end, title key)
    statements: list[Statement]
    title_links: dict[str, int]  # title key -> index of the person mention it names


def _is_punct(token: str) -> bool:
    return bool(_PUNCT_RE.match(token))


def title_phrase_end(keys: list[str], tokens: list[Token], i: int, person_starts: set[int]) -> int:
    """End (exclusive) of the office title phrase starting at role word ``i``, or ``i`` if none."""
    length = match_at(keys, i, role_phrases())
    if not length:
        return i
    j = i + length
    stops, verbs = title_stops(), reporting_verbs()
    while j < len(keys) and j - i < 12:
        if _is_punct(tokens[j].text) or keys[j] in stops or j in person_starts or match_at(keys, j, verbs):
            break
        if keys[j] == "و" and (j + 1 >= len(keys) or keys[j + 1] in stops or j + 1 in person_starts):
            break
        j += 1
    return j if j > i + length or length > 1 else i + length


def _subject_start(keys: list[str], tokens: list[Token], verb_at: int) -> int:
    """Token where the subject of a statement begins: after a dateline «خبرگزاری بسیج:» or «به گزارش ...،»."""
    start = 0
    for j in range(verb_at):
        if tokens[j].text in (":", "،", ",") and (j < 8 and (keys[0] in org_heads() or keys[0] == "به")):
            start = j + 1
            break
    return start


def _add_surname_subjects(text, sentences, mentions, by_sentence) -> None:
    """A statement opening with the surname of a person named in full elsewhere in the article
    («احمدی افزود: ...») names that person: add the mention the CRF may have missed (in place)."""
    surnames = {fold_letters(m.text.split()[-1]) for m in mentions if m.type == "PER" and len(m.text.split()) > 1}
    if not surnames:
        return
    for sentence in sentences:
        tokens = sentence.tokens
        keys = sentence.keys
        s = _subject_start(keys, tokens, len(tokens))
        if s >= len(keys) or keys[s] not in surnames:
            continue
        own = by_sentence.get(sentence.index, [])
        if any(mentions[k].token_start <= s < mentions[k].token_end for k in own):
            continue
        if s + 1 < len(keys) and keys[s + 1] in surnames | first_names():
            continue
        if not any(match_at(keys, v, reporting_verbs()) for v in range(s + 1, len(keys))):
            continue  # only as the speaker of a statement: a surname may be a common word («آزادی»)
        mentions.append(Mention(sentence.index, tokens[s].start, tokens[s].end, text[tokens[s].start : tokens[s].end],
                                "PER", "", s, s + 1))  # fmt: skip
        by_sentence.setdefault(sentence.index, []).append(len(mentions) - 1)


def analyse_text(text: str, model) -> Analysis:
    """Mentions, title phrases, statements and title→person links of one text."""
    sentences, mentions = find_mentions(text, model)
    by_sentence: dict[int, list[int]] = {}
    for k, m in enumerate(mentions):
        by_sentence.setdefault(m.sentence, []).append(k)
    verbs = reporting_verbs()
    _add_surname_subjects(text, sentences, mentions, by_sentence)
    title_mentions: list[tuple[int, int, int, str]] = []
    statements: list[Statement] = []
    links: dict[str, int] = {}
    for sentence in sentences:
        tokens = sentence.tokens
        keys = sentence.keys
        own = by_sentence.get(sentence.index, [])
        persons = {mentions[k].token_start: k for k in own if mentions[k].type == "PER"}
        person_title_starts = {mentions[k].token_start - leading_title(keys, mentions[k].token_start) for k in persons.values()}
        # office titles; one written right before or after a named person names that person
        titles_here = []
        i = 0
        while i < len(keys):
            end = title_phrase_end(keys, tokens, i, set(persons) | person_title_starts)
            if end > i:
                key = " ".join(keys[i:end])
                title_mentions.append((sentence.index, i, end, key))
                titles_here.append((i, end, key))
                nxt = end + 1 if end < len(keys) and tokens[end].text in ("،", ",") else end
                if nxt in persons:
                    links.setdefault(key, persons[nxt])
                i = end
            else:
                i += 1
        for k in persons.values():
            m = mentions[k]
            after = m.token_end + 1 if m.token_end < len(keys) and tokens[m.token_end].text in ("،", ",") else m.token_end
            for a, _, key in titles_here:
                if a == after:
                    links.setdefault(key, k)
        # statements: a reporting verb followed by a colon (direct) or ending the sentence (indirect)
        for v in range(len(keys)):
            length = match_at(keys, v, verbs)
            if not length:
                continue
            nxt = v + length
            if nxt < len(keys) and tokens[nxt].text == ":":
                kind, q_start, q_end = "direct", tokens[nxt].end, sentence.end
            elif nxt >= len(keys) or all(_is_punct(t.text) for t in tokens[nxt:]):
                kind, q_start, q_end = "indirect", None, tokens[v].start
            elif keys[nxt] == "که":
                kind, q_start, q_end = "indirect", tokens[nxt].end, sentence.end
            else:
                continue
            s = _subject_start(keys, tokens, v)
            subject = None
            for j in range(s, v):
                if keys[j] in PRONOUNS:
                    subject = ("pronoun", j, j + 1)
                elif j in persons:
                    subject = ("person", j, mentions[persons[j]].token_end)
                else:
                    for a, b, _ in titles_here:
                        if a == j:
                            subject = ("title", a, b)
                if subject:
                    break
            if subject is None:
                continue
            if q_start is None:  # indirect: the words between the speaker and the verb
                q_start = tokens[subject[2]].start if subject[2] < v else tokens[v].start
            quote = text[q_start:q_end].strip(" \t\n:«»\"'.،")
            if not quote:
                continue
            lead = len(text[q_start:q_end]) - len(text[q_start:q_end].lstrip(" \t\n:«»\"'.،"))
            start = q_start + lead
            statements.append(Statement(sentence.index, subject, " ".join(t.text for t in tokens[v:nxt]),
                                        kind, start, start + len(quote)))  # fmt: skip
            break
    # a title that speaks before (or after) a named speaker of its own article names that speaker,
    # when neither has been linked otherwise (news style: «رئیس ... گفت: ...» then «احمد احمدی ... افزود»)
    linked_people = set(links.values())
    title_keys = {(tm[0], tm[1]): tm[3] for tm in title_mentions}
    speakers_in_order = []
    for st in statements:
        kind, a, _ = st.subject
        if kind == "person":
            person = next(k for k in by_sentence.get(st.sentence, []) if mentions[k].token_start == a and mentions[k].type == "PER")
            speakers_in_order.append(("person", person))
        elif kind == "title":
            speakers_in_order.append(("title", title_keys[(st.sentence, a)]))
    pending = [key for kind, key in speakers_in_order if kind == "title" and key not in links]
    for kind, value in speakers_in_order:
        if kind == "person" and value not in linked_people and pending:
            key = pending.pop(0)
            links[key] = value
            linked_people.add(value)
            pending = [p for p in pending if p != key]
    new_mentions = _known_organisations(text, sentences, mentions, title_mentions)
    position = {id(m): k for k, m in enumerate(new_mentions)}
    links = {key: position[id(mentions[k])] for key, k in links.items()}  # person mentions are kept
    mentions = new_mentions
    return Analysis(sentences, mentions, title_mentions, statements, links)


@lru_cache(maxsize=1)
def organisation_phrases() -> PhraseSet:
    """Known organisations (folded token tuples) from ``gazetteers/organisations.txt``."""
    return _phrases("gazetteers/organisations.txt")


def _known_organisations(text, sentences, mentions, title_mentions) -> list[Mention]:
    """Organisation mentions made whole: the organisation inside an office title («رئیس | سازمان بسیج
    کارگری | استان سمنان») and the gazetteer's organisations, found anywhere in the article, replace
    the shorter or overlapping non-person spans the CRF gave."""
    heads = org_heads()
    known = set(organisation_phrases())
    for sentence_index, a, b, _ in title_mentions:
        keys = sentences[sentence_index].keys[a:b]
        start = next((k for k in range(1, len(keys)) if keys[k] in heads), None)
        if start is None:
            continue
        end = next((k for k in range(start + 1, len(keys)) if keys[k] in ("استان", "شهرستان", "شهر", "کشور")), len(keys))
        if end - start >= 2:
            known.add(tuple(keys[start:end]))
    if not known:
        return mentions
    phrases = PhraseSet(known)
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out = []
    for sentence in sentences:
        own = by_sentence.get(sentence.index, [])
        keys = sentence.keys
        found = []
        i = 0
        while i < len(keys):
            length = match_at(keys, i, phrases)
            if length and not any(m.type == "PER" and m.token_start < i + length and m.token_end > i for m in own):
                found.append((i, i + length))
                i += length
            else:
                i += 1
        if found:
            own = [m for m in own if not any(m.token_start < b and m.token_end > a for a, b in found)]
            tokens = sentence.tokens
            for a, b in found:
                own.append(Mention(sentence.index, tokens[a].start, tokens[b - 1].end,
                                   text[tokens[a].start : tokens[b - 1].end], "ORG", "", a, b))  # fmt: skip
            own.sort(key=lambda m: m.start)
        out.extend(own)
    return out
