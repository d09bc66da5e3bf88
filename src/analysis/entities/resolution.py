"""One row per real-world entity: spelling-blind keys, aliases, source mentions, one type an entity.

The rules :func:`analysis.entities.entities` applies on top of the recogniser, each a small pure
function over strings or the mentions table, with its word lists in ``data/entities/``:

- :func:`resolution_key` — the spelling-blind key of a name: alef with or without madda
  («آمریکا/امریکا»), hamza forms (أ إ ؤ ئ ء), Arabic ي/ك/ة, diacritics, ZWNJ and spaces folded.
- :func:`entity_aliases` — other names of one entity and the canonical form they take
  (``entities/aliases.csv``: «ایالات متحده» → «آمریکا»; the leader's names from
  ``gazetteers/leader_aliases.csv``).
- :func:`mention_roles` — ``"source"`` for mentions inside news boilerplate (bylines, datelines,
  «به گزارش X»، «به نقل از X»، «X: ...» openers, sign-offs; ``entities/source_patterns.txt``),
  ``"content"`` otherwise.
- :func:`nationality_adjectives` / :func:`place_adjectives` / :func:`is_entity` — adjectives of
  nationality and place («ایرانی»، «آمریکایی»، «تهرانی»: a gazetteer place + «ی» / «یی» / «‌ای», plus
  ``entities/nationality_adjectives.txt``), a first name alone and a common noun tagged as a place
  («جهان», ``entities/common_nouns.txt``) are not entities.
- :func:`place_name_start` — the words before a place's name that say what kind of place it is
  («شهرستان ری»، «روستاهای گناباد»; ``entities/place_heads.txt``), left out of its canonical form.
- :func:`resolve_types` — one type a canonical form over the corpus (majority of its mentions;
  countries are LOC; gazetteers break ties), so counts are not split across rows.
- :func:`mark_publishers` — the corpus's own agency (named as the source in a quarter of its
  articles or more) is a source wherever it is named.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from analysis._core.persian import LETTER_FOLDS
from analysis._core.resources import read_table, read_wordlist

#: the types, in the order that breaks a tie no gazetteer settles
TYPE_ORDER = ("PER", "LOC", "ORG", "FAC", "EVE", "PRO")

# ---------------------------------------------------------------- spelling-blind keys

#: the core letter folds, and what a spelling-blind key also ignores: madda, hamza seats, joiners
_KEY_FOLD = str.maketrans({**LETTER_FOLDS, "آ": "ا", "ئ": "ی", "ء": None, "\u200c": None, "\u200d": None})
_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")  # harakat, shadda, sukun, hamza above/below
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def resolution_key(text: str) -> str:
    """The spelling-blind key of a name: the same for «آمریکا» and «امریکا», «رئیس» and «رییس»,
    «خامنه‌ای» and «خامنه اي»; Persian letters, no diacritics, no ZWNJ, no spaces."""
    return _SPACES.sub("", _DIACRITICS.sub("", text.translate(_KEY_FOLD)))


# ---------------------------------------------------------------- aliases and gazetteers


def _read_aliases(name: str) -> dict[str, tuple[str, str]]:
    table = read_table(name)
    missing = {"alias", "canonical", "type"} - set(table.columns)
    if missing:
        raise ValueError(f"data file {name}: needs the columns alias, canonical, type (missing {sorted(missing)})")
    out = {}
    for line, row in enumerate(table.itertuples(), start=1):
        if not row.alias.strip() or not row.canonical.strip() or row.type not in TYPE_ORDER:
            raise ValueError(f"data file {name}, row {line}: empty alias/canonical or unknown type {row.type!r}")
        out[resolution_key(row.alias)] = (row.canonical.strip(), row.type)
    return out


@lru_cache(maxsize=1)
def entity_aliases() -> dict[str, tuple[str, str]]:
    """:func:`resolution_key` of an alias -> (canonical form, type), from ``entities/aliases.csv`` and
    ``gazetteers/leader_aliases.csv`` (the leader's names)."""
    out = _read_aliases("gazetteers/leader_aliases.csv")
    out.update(_read_aliases("entities/aliases.csv"))
    for canonical, kind in list(out.values()):
        out.setdefault(resolution_key(canonical), (canonical, kind))
    return out


_PLACE_FILES = ("gazetteers/countries.txt", "gazetteers/world_cities.txt", "gazetteers/provinces.txt",
                "gazetteers/cities.txt")  # fmt: skip


@lru_cache(maxsize=1)
def gazetteer_types() -> dict[str, str]:
    """:func:`resolution_key` -> the type the project's gazetteers and aliases give a name
    (places LOC, known organisations ORG, given names PER)."""
    out: dict[str, str] = {}
    for name in read_wordlist("gazetteers/first_names.txt"):
        out[resolution_key(name)] = "PER"
    for name in read_wordlist("gazetteers/organisations.txt"):
        out[resolution_key(name)] = "ORG"
    for path in _PLACE_FILES:
        for name in read_wordlist(path):
            out[resolution_key(name)] = "LOC"
    for key, (canonical, kind) in entity_aliases().items():
        out[key] = kind
    return out


@lru_cache(maxsize=1)
def country_keys() -> frozenset[str]:
    """Keys of the countries (``gazetteers/countries.txt``) and of the aliases that name one."""
    countries = {resolution_key(name) for name in read_wordlist("gazetteers/countries.txt")}
    aliases = entity_aliases()
    named = {key for key, (canonical, _) in aliases.items() if resolution_key(canonical) in countries}
    return frozenset(countries | named)


@lru_cache(maxsize=1)
def first_name_keys() -> frozenset[str]:
    """Keys of the single-word given names of ``gazetteers/first_names.txt``."""
    return frozenset(resolution_key(n) for n in read_wordlist("gazetteers/first_names.txt") if len(n.split()) == 1)


@lru_cache(maxsize=1)
def religious_titles() -> frozenset[str]:
    """Keys of the titles that, before a given name alone, name a figure of their own («امام حسین»)."""
    return frozenset(resolution_key(t) for t in read_wordlist("entities/religious_titles.txt"))


@lru_cache(maxsize=1)
def place_heads() -> frozenset[str]:
    """Keys of the words that, before a place's name, say what kind of place it is or that places in it
    are meant (``entities/place_heads.txt``: «شهرستان»، «روستاهای»)."""
    return frozenset(resolution_key(line) for line in read_wordlist("entities/place_heads.txt"))


def place_name_start(words: list[str]) -> int:
    """Number of leading words of a place mention that are place heads (:func:`place_heads`; a head
    written in two words, «روستا های», counts as one) before the name of a place the gazetteers know:
    «شهرستان ری» → 1, «روستاهای گناباد» → 1; «ری» and «منطقه عملیاتی ورامین» (no known place after
    «منطقه») → 0."""
    keys = [resolution_key(w) for w in words]
    heads, known = place_heads(), gazetteer_types()
    start = 0
    while start < len(keys) - 1:
        length = next((n for n in (2, 1) if start + n < len(keys) and "".join(keys[start:start + n]) in heads), 0)
        if not length:
            break
        start += length
        if known.get("".join(keys[start:])) == "LOC":
            return start
    return 0


def adjective_forms(place: str) -> list[str]:
    """The adjective a place name makes in Persian: «ایران» → «ایرانی», «آمریکا» → «آمریکایی»,
    «ترکیه» → «ترکیه‌ای», «مالزی» → «مالزیایی» (a ZWNJ variant beside the joined one)."""
    place = place.strip()
    if not place:
        return []
    last = place[-1]
    if last in "اوآ":
        return [place + "یی", place + "ئی"]
    if last in "هۀة":
        return [place + "\u200cای", place + "ای"]
    if last in "یي":
        return [place + "ایی"]
    return [place + "ی"]


def _derived_adjectives(paths) -> set[str]:
    forms = set()
    for path in paths:
        for place in read_wordlist(path):
            if len(place.split()) == 1:
                forms.update(resolution_key(a) for a in adjective_forms(place))
    return forms


def _with_plurals(forms: set[str]) -> set[str]:
    return forms | {f + suffix for f in forms for suffix in ("ها", "ان")}


@lru_cache(maxsize=1)
def nationality_adjectives() -> frozenset[str]:
    """Keys of adjectives of nationality and their plurals («ایرانی»، «ایرانیان»، «آمریکایی‌ها»): every
    one-word country of ``gazetteers/countries.txt`` + «ی» / «یی» / «‌ای» (:func:`adjective_forms`) and
    ``entities/nationality_adjectives.txt``, less any word that is itself a known name (a place,
    organisation, given name or alias)."""
    forms = _derived_adjectives(["gazetteers/countries.txt"])
    forms.update(resolution_key(a) for a in read_wordlist("entities/nationality_adjectives.txt"))
    return frozenset(_with_plurals(forms) - set(gazetteer_types()))


@lru_cache(maxsize=1)
def place_adjectives() -> frozenset[str]:
    """Keys of :func:`nationality_adjectives` and of the adjectives of the gazetteers' cities and
    provinces («تهرانی»، «اصفهانی‌ها»), less any known name («مرکزی» is a province, «خمینی» a person)."""
    forms = _with_plurals(_derived_adjectives(_PLACE_FILES[1:])) - set(gazetteer_types())
    return frozenset(forms | nationality_adjectives())


@lru_cache(maxsize=1)
def common_nouns() -> frozenset[str]:
    """Keys of the common nouns some corpora tag as places though they name none (``entities/common_nouns.txt``)."""
    return frozenset(resolution_key(w) for w in read_wordlist("entities/common_nouns.txt"))


def is_entity(canonical: str, kind: str, title: str = "") -> bool:
    """False for what the recogniser tags but is no entity: an adjective of nationality
    («ایرانی»، «آمریکایی‌ها»; kept for a person with a title, «آقای ایرانی»), an adjective of a city or
    province not tagged as a person («تهرانی» as ORG; as a person it is a surname: «قمی»، «نجفی»)
    a given name alone («حسین», one that did not join a full name of its article) and a common noun
    that names no particular place («جهان», ``entities/common_nouns.txt``)."""
    key = resolution_key(canonical)
    if key in common_nouns():
        return False
    if key in nationality_adjectives():
        return kind == "PER" and bool(title)
    if kind != "PER":
        return key not in place_adjectives()
    return not (len(canonical.split()) == 1 and key in first_name_keys())


# ---------------------------------------------------------------- source mentions

_SOURCE_KINDS = ("clause", "opener", "label", "line")
_MATCH_FOLD = (("ي", "ی"), ("ى", "ی"), ("ك", "ک"), ("ة", "ه"), ("ۀ", "ه"), ("أ", "ا"), ("إ", "ا"))  # same length
_SPACE_RUN = r"(?:(?:[^\S\n]|\u200c)+)"
_CLAUSE_END = re.compile(r"[،,.:;؛!?؟\n]")
#: words allowed between an attribution opener and its first mention («به گزارش | خبرنگار گروه علمی و
#: دانشگاهی | خبرگزاری فارس») and between two mentions of one clause («فارس | از | تبریز»)
MAX_FIRST_GAP = 6
MAX_GAP = 4
SOURCE_PATTERNS_FILE = "entities/source_patterns.txt"


def _compile_pattern(pattern: str) -> str:
    return pattern.replace(" ", _SPACE_RUN).replace("\u200c", r"(?:[^\S\n]|\u200c)*")


@lru_cache(maxsize=4)
def source_patterns(name: str = SOURCE_PATTERNS_FILE) -> tuple[tuple[str, re.Pattern], ...]:
    """``(kind, compiled pattern)`` of each line of a source-patterns file (see the file's header)."""
    out = []
    for number, line in enumerate(read_wordlist(name), start=1):
        kind, _, pattern = line.partition(" ")
        if kind not in _SOURCE_KINDS or not pattern.strip():
            raise ValueError(f"data file {name}, pattern {number} ({line!r}): a line is KIND PATTERN, "
                             f"KIND one of {', '.join(_SOURCE_KINDS)}")  # fmt: skip
        try:
            compiled = re.compile(_compile_pattern(pattern.strip()), re.MULTILINE)
        except re.error as error:
            raise ValueError(f"data file {name}, pattern {number} ({line!r}): {error}") from error
        if kind in ("opener", "label") and "src" not in compiled.groupindex:
            raise ValueError(f"data file {name}, pattern {number}: an {kind} needs a group (?P<src>...)")
        out.append((kind, compiled))
    return tuple(out)


def _has_reporting_verb(phrase: str) -> bool:
    from analysis.entities.mentions import match_at, reporting_verbs
    from analysis._core.persian import fold_letters

    keys = [fold_letters(t) for t in phrase.split()]
    verbs = reporting_verbs()
    return any(match_at(keys, i, verbs) for i in range(len(keys)))


def source_regions(text: str, patterns=None) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` of each boilerplate region of ``text``: an attribution clause (from the
    end of its opener to the next punctuation), an opener's or a label's source phrase, a sign-off line."""
    patterns = source_patterns() if patterns is None else patterns
    folded = text
    for letter, persian in _MATCH_FOLD:  # str.replace is C-fast; translate with a dict is not
        if letter in folded:
            folded = folded.replace(letter, persian)
    out = []
    for kind, pattern in patterns:
        if kind == "opener":
            match = pattern.search(folded)
            if match and match.start() == 0 and not _has_reporting_verb(match.group("src")):
                out.append((kind, match.start("src"), match.end("src")))
        elif kind == "label":
            out.extend((kind, m.start("src"), m.end("src")) for m in pattern.finditer(folded))
        elif kind == "line":
            for match in pattern.finditer(folded):
                a = folded.rfind("\n", 0, match.start()) + 1
                b = folded.find("\n", match.end())
                out.append((kind, a, len(folded) if b < 0 else b))
        else:
            for match in pattern.finditer(folded):
                end = _CLAUSE_END.search(folded, match.end())
                out.append((kind, match.end(), len(folded) if end is None else end.start()))
    return out


def mention_roles(text: str, spans, patterns=None, types=None) -> list[str]:
    """``"source"`` or ``"content"`` for each ``(start, end)`` mention span of ``text`` (``types``:
    the type of each span, if known: a person ends an attribution clause's chain).

    A mention is the source when it lies in an opener's or label's source phrase or on a sign-off
    line, or when it is one of the mentions that follow an attribution opener one after another (the
    first at most :data:`MAX_FIRST_GAP` words after it, the next ones at most :data:`MAX_GAP` words
    apart) before the clause's punctuation: in «به گزارش خبرگزاری فارس از
    تبریز، استاندار آذربایجان شرقی گفت» the agency and the dateline are sources, the governor's
    province content; in «به گزارش فارس مقرر بود که هفته گذشته X ...» only «فارس» is.
    """
    spans = list(spans)
    roles = ["content"] * len(spans)
    if not spans:
        return roles
    order = sorted(range(len(spans)), key=lambda k: (spans[k][0], -spans[k][1]))
    for kind, a, b in source_regions(text, patterns):
        if kind != "clause":
            for k, (start, _) in enumerate(spans):
                if a <= start < b:
                    roles[k] = "source"
            continue
        cursor = a
        for k in order:
            start, end = spans[k]
            if start < a:
                continue
            if start >= b:
                break
            if start < cursor:  # inside (or overlapping) a source mention of this clause
                roles[k] = "source"
                continue
            if len(text[cursor:start].split()) > (MAX_FIRST_GAP if cursor == a else MAX_GAP):
                break
            if types is not None and types[k] == "PER":
                break
            roles[k] = "source"
            cursor = max(cursor, end)
    return roles


# ---------------------------------------------------------------- one type an entity


def type_votes(mentions: pd.DataFrame) -> pd.DataFrame:
    """What :func:`resolve_types` decides from, counted: mentions of each canonical form, type and
    role (``content``: not ``role = "source"``), columns canonical, type, content, n. Tables of parts of
    a corpus add up (concatenate and sum ``n``) to the whole corpus's."""
    content = (mentions["role"] != "source").to_numpy() if "role" in mentions.columns else True
    table = pd.DataFrame({"canonical": mentions["canonical"].astype(str).to_numpy(),
                          "type": mentions["type"].astype(str).to_numpy(), "content": content})
    return table.groupby(["canonical", "type", "content"], sort=False).size().rename("n").reset_index()


def decide_types(votes: pd.DataFrame) -> dict[str, str]:
    """The type of each :func:`resolution_key` named with several types (or a country), from
    :func:`type_votes` (see :func:`resolve_types`)."""
    if votes.empty:
        return {}
    forms = votes["canonical"].astype(str)
    key_of = {form: resolution_key(form) for form in forms.unique()}
    votes = votes.assign(key=forms.map(key_of), type=votes["type"].astype(str))
    content = votes["content"].astype(bool)
    only_source = ~votes["key"].isin(set(votes.loc[content, "key"]))
    counts = votes[content | only_source].groupby(["key", "type"])["n"].sum()
    kinds = votes.groupby("key")["type"].nunique()
    mixed = set(kinds[kinds > 1].index)
    countries, gazetteer = country_keys(), gazetteer_types()
    decided: dict[str, str] = {}
    for key in mixed | (set(key_of.values()) & countries):
        if key in countries:
            decided[key] = "LOC"
            continue
        by_type = counts.loc[key]
        best = by_type.max()
        tied = [t for t, n in by_type.items() if n == best]
        if gazetteer.get(key) in tied:
            decided[key] = gazetteer[key]
        else:
            decided[key] = min(tied, key=lambda t: TYPE_ORDER.index(t) if t in TYPE_ORDER else len(TYPE_ORDER))
    return decided


def resolve_types(mentions: pd.DataFrame, *, decided: dict[str, str] | None = None) -> pd.DataFrame:
    """The mentions table with one type for each canonical form (by :func:`resolution_key`), decided
    over the whole table: a country is LOC (named as a place or as a state); otherwise the type of most
    of its content mentions (all its mentions if it is only named as a source), a tie broken by the
    gazetteers (:func:`gazetteer_types`), then by :data:`TYPE_ORDER`. Columns used: canonical, type,
    role (if there); returns a new table, rows in the same order. ``decided``: the
    :func:`decide_types` of the :func:`type_votes` of a larger corpus this table is part of, to decide
    over it instead (decided once for many parts)."""
    if mentions.empty:
        return mentions.copy()
    if decided is None:
        decided = decide_types(type_votes(mentions))
    if not decided:
        return mentions.copy()
    keys = pd.Series([resolution_key(c) for c in mentions["canonical"].astype(str).tolist()], index=mentions.index)
    resolved = keys.map(decided)
    return mentions.assign(type=resolved.where(resolved.notna(), mentions["type"]).astype(mentions["type"].dtype))


# ---------------------------------------------------------------- the publisher of a corpus

#: share of a table's articles in which an entity must be named as a source to be its publisher
PUBLISHER_SHARE = 0.25
#: ... and the fewest articles (a publisher is a pattern of a corpus, not of one article)
PUBLISHER_MIN_ARTICLES = 5


def source_counts(mentions: pd.DataFrame) -> tuple[pd.Series, int]:
    """What :func:`publishers` decides from: articles naming each :func:`resolution_key` as a source,
    and articles with any mention. Counts of parts of a corpus add up to the whole corpus's."""
    if mentions.empty:
        return pd.Series(dtype="int64"), 0
    total = int(mentions["doc_id"].nunique())
    if "role" not in mentions.columns:
        return pd.Series(dtype="int64"), total
    sources = mentions[mentions["role"] == "source"]
    per_key = sources.assign(key=sources["canonical"].astype(str).map(resolution_key)).groupby("key")["doc_id"].nunique()
    return per_key.astype("int64"), total


def publishers(mentions: pd.DataFrame, share: float = PUBLISHER_SHARE,
               min_articles: int = PUBLISHER_MIN_ARTICLES, counts: tuple[pd.Series, int] | None = None) -> list[str]:  # fmt: skip
    """Keys (:func:`resolution_key`) of the entities named as a source (``role = "source"``) in at
    least ``share`` of the table's articles and in ``min_articles`` of them: the corpus's own agency
    («خبرگزاری فارس» in Fars News), named in every byline. Columns used: doc_id, canonical, role.
    ``counts``: the :func:`source_counts` of a larger corpus this table is part of, to decide over it."""
    per_key, total = source_counts(mentions) if counts is None else counts
    if per_key.empty:
        return []
    return sorted(per_key[(per_key >= share * total) & (per_key >= min_articles)].index)


def mark_publishers(mentions: pd.DataFrame, share: float = PUBLISHER_SHARE,
                    min_articles: int = PUBLISHER_MIN_ARTICLES, counts: tuple[pd.Series, int] | None = None) -> pd.DataFrame:  # fmt: skip
    """The mentions with every mention of a :func:`publishers` entity given ``role = "source"``: an
    agency naming itself in its own articles («در نشست خبری که در خبرگزاری فارس برگزار شد») speaks of
    the source, and must not top its own entity table. Returns a new table. ``counts``: as in
    :func:`publishers`."""
    keys = publishers(mentions, share, min_articles, counts=counts)
    if not keys or mentions.empty or "role" not in mentions.columns:
        return mentions.copy()
    own = mentions["canonical"].astype(str).map(resolution_key).isin(keys)
    return mentions.assign(role=mentions["role"].where(~own, "source"))
