"""Demo corpus: synthetic Persian news articles in the seed's layout, with their ground truth.

``write_demo_corpus(out_dir, n, seed)`` writes ``n`` article files from several provincial sites of the
Basij News Agency over three Jalali years (planted topics, recurring people, organisations and places,
quotes, seasonal occasions, near-duplicate republications across sites and a few damaged files) and a
hidden sidecar ``.ground_truth.jsonl`` (one JSON row a file) that ``read_ground_truth(out_dir)`` returns
as a DataFrame. The prose is composed from templates and lexicons in ``analysis/data/demo/``.

The same ``(n, seed)`` gives the same bytes on every run and machine: every article draws from its own
``random.Random`` seeded from the corpus seed and the article's plan number, so chunks can be written in
parallel without changing the output.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import sys
import threading
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import jdatetime
import pandas as pd
from hijridate import Gregorian, Hijri

from analysis._core.persian import persian_digits
from analysis._core.resources import read_table
from analysis.patterns.republication import shingle_jaccard

GROUND_TRUTH_FILE = ".ground_truth.jsonl"
EVENTS_FILE = ".ground_truth_events.jsonl"  # each site's planted bursts and silences
AGENCY_DOMAIN = "basij.ir"
LEAD_PREFIX = "خبرگزاری بسیج: "
LEADER_CANONICAL = "مقام معظم رهبری"

#: damaged-file kinds -> True when the file is still a readable (if unusual) article
DAMAGE_KINDS: dict[str, bool] = {
    "empty": False,
    "binary": False,
    "undecodable": False,
    "whitespace": False,
    "cp1256": True,
    "utf16": True,
    "utf8_bom": True,
    "crlf": True,
    "no_title": True,
    "no_url": True,
}
#: how a republished copy differs from its original -> relative frequency
COPY_KINDS: dict[str, float] = {"exact": 3, "edited": 3, "truncated": 2, "retitled": 2}
COPY_SHARE = 0.07  # share of files that are republished copies
OCCASION_SHARE = 0.15  # share of original articles placed in an occasion's window
BURST_SHARE = 0.02  # share of original articles that belong to a local event's burst
INDIRECT_SHARE = 0.15  # chance of a reported (indirect) statement after a quote paragraph
SECONDARY_SHARE = 0.25  # share of articles with a paragraph or two on a related topic
PARALLEL_MIN_ARTICLES = 20_000
CHUNK_SIZE = 2_000

_CP1256_FIXES = str.maketrans({"ی": "ي", "ۀ": "ه", **{chr(0x06F0 + i): str(i) for i in range(10)}})
_SLOT = re.compile(r"\{(\w+)\}")


# --------------------------------------------------------------------------------------------------
# Lexicon: the data files, read once per process


class Site(NamedTuple):
    name: str
    province: str
    capital: str
    cities: tuple[str, ...]
    weight: float
    since: jdatetime.date
    weekday_weights: tuple[float, ...]
    hour_mean: float
    hour_sd: float
    topics: tuple[str, ...]
    topic_weights: tuple[float, ...]
    sources: tuple[str, ...]
    source_weights: tuple[float, ...]
    first_node: int
    category_label: str  # the label of the site's category line
    persian_digits: float  # share of date lines in Persian digits


class Person(NamedTuple):
    name: str
    honorific: str
    office: str  # may hold {province}

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


class LocalEvent(NamedTuple):
    key: str
    name: str
    topic: str
    days_min: int
    days_max: int
    category: str
    sites: tuple[str, ...]


class Occasion(NamedTuple):
    key: str
    name: str
    calendar: str
    month: int
    day: int
    days: int
    weight: float
    topic: str
    category: str


@dataclass(frozen=True)
class Lexicon:
    sites: tuple[Site, ...]
    topics: dict  # topic -> (category, office, organisation)
    related: dict  # topic -> topics its articles sometimes touch on
    people: dict  # (site, topic) -> Person; ("*", topic) national figures
    vocabulary: dict  # (topic, slot) -> tuple[str, ...]
    templates: dict  # (topic, role) -> tuple[str, ...]
    occasions: tuple[Occasion, ...]
    events: tuple[LocalEvent, ...]
    organisations: tuple[str, ...]  # organisation names without slots, longest first
    labels: dict  # kind -> (labels, cumulative weights)
    edits: dict  # word -> replacement


def _pairs(text: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    items = [item.split(":") for item in text.split()]
    return tuple(k for k, _ in items), tuple(float(w) for _, w in items)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The demo corpus's lexicons and templates from ``analysis/data/demo/``."""
    sites = []
    for row in read_table("demo/sites.csv").itertuples(index=False):
        topics, topic_weights = _pairs(row.topic_weights)
        sources, source_weights = _pairs(row.republishes_from)
        sites.append(
            Site(
                name=row.site,
                province=row.province,
                capital=row.capital,
                cities=tuple(row.cities.split(";")),
                weight=float(row.weight),
                since=jdatetime.date(*map(int, row.since.split("-"))),
                weekday_weights=tuple(float(w) for w in row.weekday_weights.split()),
                hour_mean=float(row.hour_mean),
                hour_sd=float(row.hour_sd),
                topics=topics,
                topic_weights=topic_weights,
                sources=sources,
                source_weights=source_weights,
                first_node=int(row.first_node),
                category_label=row.category_label,
                persian_digits=float(row.persian_digits),
            )
        )
    topics, related = {}, {}
    for row in read_table("demo/topics.csv").itertuples(index=False):
        topics[row.topic] = (row.category, row.office, row.organisation)
        related[row.topic] = tuple(row.related.split())
    people = {}
    for row in read_table("demo/people.csv").itertuples(index=False):
        office = row.office or topics[row.topic][1]
        people[(row.site, row.topic)] = Person(row.name, row.honorific, office)
    vocabulary = defaultdict(list)
    for row in read_table("demo/vocabulary.csv").itertuples(index=False):
        vocabulary[(row.topic, row.slot)].append(row.text)
    templates = defaultdict(list)
    for row in read_table("demo/templates.csv").itertuples(index=False):
        templates[(row.topic, row.role)].append(row.template)
    occasions = tuple(
        Occasion(r.occasion, r.name, r.calendar, int(r.month), int(r.day), int(r.days),
                 float(r.weight), r.topic, r.category)
        for r in read_table("demo/occasions.csv").itertuples(index=False)
    )
    events = tuple(
        LocalEvent(r.event, r.name, r.topic, int(r.days_min), int(r.days_max), r.category,
                   tuple(r.sites.split()))
        for r in read_table("demo/events.csv").itertuples(index=False)
    )
    labels = {}
    table = read_table("demo/labels.csv")
    for kind, group in table.groupby("kind", sort=True):
        weights = group["weight"].astype(float).cumsum().tolist()
        labels[kind] = (tuple(group["label"]), tuple(weights))
    edits = dict(read_table("demo/edits.csv").itertuples(index=False))
    organisations = {organisation for _, _, organisation in topics.values()}
    organisations |= {text for (_, slot), texts in vocabulary.items() if slot == "org"
                      for text in texts if "{" not in text}
    return Lexicon(
        sites=tuple(sites),
        topics=topics,
        related=related,
        people=people,
        vocabulary={k: tuple(v) for k, v in vocabulary.items()},
        templates={k: tuple(v) for k, v in templates.items()},
        occasions=occasions,
        events=events,
        organisations=tuple(sorted(organisations, key=lambda o: (-len(o), o))),
        labels=labels,
        edits=edits,
    )


# --------------------------------------------------------------------------------------------------
# Calendar: the corpus's days, their weekdays and occasion windows


class Calendar(NamedTuple):
    start: dt.date  # Gregorian first day
    days: int
    jalali: tuple  # day offset -> jdatetime.date
    windows: dict  # occasion key -> list of (first day offset, last day offset)


def build_calendar(start_year: int, years: int, occasions) -> Calendar:
    """Days from 1 Farvardin ``start_year`` for ``years`` Jalali years, with occasion windows."""
    start = jdatetime.date(start_year, 1, 1).togregorian()
    end = jdatetime.date(start_year + years, 1, 1).togregorian()
    days = (end - start).days
    jalali = tuple(jdatetime.date.fromgregorian(date=start + dt.timedelta(d)) for d in range(days))
    windows = {}
    hijri_first = Gregorian.fromdate(start).to_hijri().year
    hijri_last = Gregorian.fromdate(end).to_hijri().year
    for occ in occasions:
        spans = []
        if occ.calendar == "jalali":
            firsts = [jdatetime.date(y, occ.month, occ.day).togregorian()
                      for y in range(start_year, start_year + years)]
        else:
            firsts = [Hijri(y, occ.month, occ.day).to_gregorian().datetuple()
                      for y in range(hijri_first, hijri_last + 1)]
            firsts = [dt.date(*t) for t in firsts]
        for first in firsts:
            a = (first - start).days
            b = a + occ.days - 1
            if b >= 0 and a < days:
                spans.append((max(a, 0), min(b, days - 1)))
        windows[occ.key] = spans
    return Calendar(start, days, jalali, windows)


# --------------------------------------------------------------------------------------------------
# Plan: who publishes what and when (cheap; computed identically in every worker)


class PlanRow(NamedTuple):
    plan_id: int  # seeds the article's text
    site: int  # index into lexicon.sites
    minute: int  # minutes since the corpus's first day
    topic: str
    occasion: str
    source: int  # plan_id of the original for a copy, else -1
    copy_kind: str
    damage: str
    event: str = ""  # key of the local event (events.csv) whose burst the article belongs to


class Event(NamedTuple):
    site: int
    kind: str  # burst | silence
    key: str  # event key for a burst ('' for a silence)
    first: int  # first day offset
    last: int  # last day offset


class Plan(NamedTuple):
    rows: tuple  # PlanRow in publishing order (index = file number)
    position: dict  # plan_id -> index
    node: tuple  # index -> Drupal node id
    events: tuple  # Event: each site's bursts and silences


def _site_day_weights(site: Site, cal: Calendar, silent: set) -> list[float]:
    cumulative, total = [], 0.0
    for offset, jday in enumerate(cal.jalali):
        w = 0.0
        if jday >= site.since and offset not in silent:
            w = site.weekday_weights[jday.weekday()]
            if jday.month == 1 and jday.day <= 13:  # Nowruz holidays: quiet newsrooms
                w *= 0.35
            w *= 1.0 + 0.25 * offset / cal.days  # slow growth over the years
        total += w
        cumulative.append(total)
    return cumulative


def _minute_of_day(rng: random.Random, site: Site) -> int:
    hour = min(23, max(7, round(rng.gauss(site.hour_mean, site.hour_sd))))
    return hour * 60 + rng.randrange(60)


def damaged_per_kind(n: int) -> int:
    """How many files of each damaged kind a corpus of ``n`` files holds."""
    if n < 4 * len(DAMAGE_KINDS):
        return 0
    return max(1, round(n * 0.0015))


def make_events(rng: random.Random, lex: Lexicon, cal: Calendar) -> list[Event]:
    """Per site and Jalali year: maybe a silence (3-9 days without articles) and maybe a local burst."""
    events = []
    years = sorted({(d.year) for d in cal.jalali})
    for s, site in enumerate(lex.sites):
        local = [e for e in lex.events if site.name in e.sites]
        for year in years:
            days = [i for i, d in enumerate(cal.jalali) if d.year == year and d >= site.since]
            if len(days) < 30:
                continue
            if rng.random() < 0.5:
                first = rng.choice(days[:-10])
                events.append(Event(s, "silence", "", first, first + rng.randint(2, 8)))
            if local and rng.random() < 0.6:
                event = rng.choice(local)
                first = rng.choice(days[:-10])
                last = first + rng.randint(event.days_min, event.days_max) - 1
                if not any(e.site == s and e.first <= last and first <= e.last for e in events):
                    events.append(Event(s, "burst", event.key, first, last))
    return events


def make_plan(n: int, seed: int, lex: Lexicon, cal: Calendar) -> Plan:
    """Decide every file's site, time, topic, occasion, event, copy source and damage."""
    rng = random.Random(seed)
    sites = lex.sites
    site_cum = list(_cumsum(s.weight for s in sites))
    events = make_events(rng, lex, cal)
    silent = [set() for _ in sites]
    for e in events:
        if e.kind == "silence":
            silent[e.site].update(range(e.first, e.last + 1))
    bursts = [e for e in events if e.kind == "burst"]
    event_topics = {e.key: e.topic for e in lex.events}
    day_cum = [_site_day_weights(s, cal, silent[i]) for i, s in enumerate(sites)]
    occasions = [o for o in lex.occasions if cal.windows[o.key]]
    occ_cum = list(_cumsum(o.weight for o in occasions))
    site_index = {s.name: i for i, s in enumerate(sites)}

    n_damaged = damaged_per_kind(n) * len(DAMAGE_KINDS)
    n_copies = round(COPY_SHARE * n) if n >= 20 else 0
    n_originals = n - n_copies
    rows = []
    for plan_id in range(n_originals):
        if bursts and rng.random() < BURST_SHARE:
            burst = rng.choice(bursts)
            day = rng.randint(burst.first, burst.last)
            minute = day * 1440 + _minute_of_day(rng, sites[burst.site])
            rows.append(PlanRow(plan_id, burst.site, minute, event_topics[burst.key], "", -1, "", "",
                                burst.key))
            continue
        s = bisect.bisect(site_cum, rng.random() * site_cum[-1])
        site = sites[s]
        topic = rng.choices(site.topics, site.topic_weights)[0]
        occasion = ""
        day = -1
        if occasions and rng.random() < OCCASION_SHARE:
            occ = occasions[bisect.bisect(occ_cum, rng.random() * occ_cum[-1])]
            spans = [sp for sp in cal.windows[occ.key] if cal.jalali[sp[1]] >= site.since]
            if spans:
                a, b = rng.choice(spans)
                for _ in range(4):  # the site's weekly habit holds on occasions too
                    day = rng.randint(a, b)
                    if rng.random() * max(site.weekday_weights) < site.weekday_weights[cal.jalali[day].weekday()]:
                        break
                if cal.jalali[day] < site.since or day in silent[s]:
                    day = -1
                else:
                    occasion = occ.key
                    if occ.topic != "*":
                        topic = occ.topic
        if day < 0:
            cum = day_cum[s]
            day = bisect.bisect(cum, rng.random() * cum[-1])
        minute = day * 1440 + _minute_of_day(rng, site)
        rows.append(PlanRow(plan_id, s, minute, topic, occasion, -1, "", ""))

    damaged_ids = rng.sample(range(n_originals), n_damaged) if n_damaged else []
    kinds = [k for k in DAMAGE_KINDS for _ in range(damaged_per_kind(n))]
    for plan_id, kind in zip(damaged_ids, kinds):
        rows[plan_id] = rows[plan_id]._replace(damage=kind)

    by_site = defaultdict(list)
    for row in rows:
        if not row.damage:
            by_site[row.site].append(row.plan_id)
    copy_kinds, copy_weights = tuple(COPY_KINDS), tuple(COPY_KINDS.values())
    for plan_id in range(n_originals, n):
        for _ in range(20):
            s = bisect.bisect(site_cum, rng.random() * site_cum[-1])
            site = sites[s]
            source_site = site_index[rng.choices(site.sources, site.source_weights)[0]]
            if not by_site[source_site]:
                continue
            original = rows[rng.choice(by_site[source_site])]
            lag = min(216 * 60, int(20 + rng.expovariate(1 / (18 * 60))))
            minute = original.minute + lag
            day = minute // 1440
            if day < cal.days:
                weekday = site.weekday_weights[cal.jalali[day].weekday()]
                if rng.random() * max(site.weekday_weights) > weekday:  # wait for the next working day
                    day += 1
                    minute = day * 1440 + rng.randint(8 * 60, 10 * 60)
            if day < cal.days and cal.jalali[day] >= site.since and day not in silent[s]:
                break
        else:  # no site could take the copy: publish one more original instead
            rows.append(rows[rng.randrange(n_originals)]._replace(plan_id=plan_id, damage=""))
            continue
        kind = rng.choices(copy_kinds, copy_weights)[0]
        rows.append(PlanRow(plan_id, s, minute, original.topic, original.occasion,
                            original.plan_id, kind, "", original.event))

    rows.sort(key=lambda r: (r.minute, r.plan_id))
    position = {row.plan_id: i for i, row in enumerate(rows)}
    counters = [s.first_node + rng.randrange(50) for s in sites]
    node = []
    for row in rows:
        counters[row.site] += rng.randint(1, 4)
        node.append(counters[row.site])
    return Plan(tuple(rows), position, tuple(node), tuple(events))


def _cumsum(values):
    total = 0.0
    for v in values:
        total += v
        yield total


# --------------------------------------------------------------------------------------------------
# Text: templates filled per article


class Paragraph(NamedTuple):
    text: str
    entities: tuple  # (text, type, canonical, title, form)
    quotes: tuple  # (speaker, speaker_title, text, kind: direct | indirect)
    kind: str  # lead | quote | fact


class Article(NamedTuple):
    title: str
    paragraphs: tuple
    categories: tuple
    tags: tuple
    secondary_topic: str  # a related topic a paragraph or two are about, or ''


class _Slots(dict):
    """Fills ``{slot}`` names of one sentence on demand, recording the entities it names."""

    def __init__(self, rng, lex, site, topic, occasion, entities, latin):
        super().__init__()
        self.rng, self.lex, self.site, self.topic = rng, lex, site, topic
        self.occasion, self.entities, self.latin = occasion, entities, latin

    def number(self, text: str) -> str:
        if self.latin and self.rng.random() < 0.6:
            return text
        return persian_digits(text)

    def __missing__(self, key):
        base = key.rstrip("0123456789")
        rng = self.rng
        if base == "city":
            value = rng.choice(self.site.cities)
            self.entities.append((value, "LOC", value, "", "name"))
        elif base in ("province", "capital"):
            value = getattr(self.site, base)
            self.entities.append((value, "LOC", value, "", "name"))
        elif base == "n_small":
            value = self.number(str(rng.randint(2, 30)))
        elif base == "n":
            value = self.number(str(rng.randint(10, 900)))
        elif base == "pct":
            value = self.number(str(rng.randint(5, 95)))
        elif base == "n_big":
            if rng.random() < 0.7:
                value = self.number(str(rng.randint(2, 90))) + " هزار"
            else:
                value = self.number(str(rng.randint(1000, 20000)))
        elif base == "occasion":
            value = self.occasion
        else:
            options = self.lex.vocabulary.get((self.topic, base)) or self.lex.vocabulary[("*", base)]
            value = rng.choice(options)
            if "{" in value:
                value = value.format_map(self)
            if base == "org":
                self.entities.append((value, "ORG", value, "", "name"))
            elif base == "leader":
                self.entities.append((value, "PER", LEADER_CANONICAL, "", "alias"))
            elif base == "martyr":
                name = value.removeprefix("شهید ").strip()
                self.entities.append((name, "PER", name, "شهید", "name"))
        self[key] = value
        return value


def _fill(template: str, rng, lex, site, topic, occasion, entities, latin) -> str:
    return template.format_map(_Slots(rng, lex, site, topic, occasion, entities, latin))


def _office(person: Person, site: Site) -> str:
    return person.office.format(province=site.province)


@lru_cache(maxsize=4096)
def _organisations_in(text: str, organisations: tuple[str, ...]) -> tuple[str, ...]:
    """The known organisations named in ``text``, longest first, none inside another."""
    found: list[str] = []
    for name in organisations:  # longest first
        if name in text and not any(name in longer for longer in found):
            found.append(name)
    return tuple(found)


def _office_entities(person: Person, site: Site, lex: Lexicon) -> list:
    """A title-and-office mention of ``person``, with the organisation and province it names."""
    office = _office(person, site)
    found = [(office, "PER", person.name, person.honorific, "office")]
    for organisation in _organisations_in(office, lex.organisations):
        found.append((organisation, "ORG", organisation, "", "name"))
    if "{province}" in person.office:
        found.append((site.province, "LOC", site.province, "", "name"))
    return found


def render_article(row: PlanRow, seed: int, lex: Lexicon, occasion_names: dict) -> Article:
    """The title, paragraphs (with their entities and quotes), categories and tags of one original."""
    rng = random.Random(seed * 1_000_003 + row.plan_id)
    site = lex.sites[row.site]
    topic = row.topic
    latin = rng.random() < 0.15
    occasion = occasion_names.get(row.occasion, "")
    special = row.occasion or row.event  # an occasion's or a local event's own templates

    slots = _Slots(rng, lex, site, topic, occasion, [], latin)

    def fill(template, entities):
        slots.clear()  # a fresh draw for every sentence; one {slot} twice in it reads the same
        slots.entities = entities
        return template.format_map(slots)

    def pick(role, k):
        """``k`` templates of the topic (one of the occasion's first), maybe one generic one."""
        pool = lex.templates.get((topic, role), ())
        chosen = rng.sample(pool, min(k, len(pool)))
        seasonal = lex.templates.get((special, role)) if special else None
        if seasonal and (role == "fact" or rng.random() < 0.6):
            chosen[-1:] = [rng.choice(seasonal)]  # used first: the lists are consumed with pop()
        extra = lex.templates.get(("*", role))
        if extra and rng.random() < 0.5:
            chosen.insert(rng.randrange(len(chosen)), rng.choice(extra))
        return chosen

    speaker = lex.people[(site.name, topic)]
    second = None
    if rng.random() < 0.35:
        second = lex.people.get(("*", topic))
    quotes_left = pick("quote", rng.randint(4, 7))
    facts_left = pick("fact", rng.randint(2, 4))
    verbs = lex.vocabulary[("*", "verb")]

    paragraphs = []

    def quote_paragraph(person, form, verb, text_prefix="", indirect=False):
        """A statement of ``person``: «subject verb: quote.», or reported «subject content verb.»"""
        entities = []
        if indirect:
            quote, verb = fill(rng.choice(lex.templates[("*", "indirect")]), entities).split("|")
        else:
            statements = [fill(quotes_left.pop(), entities)]
            if quotes_left and rng.random() < 0.3:
                statements.append(fill(quotes_left.pop(), entities))
            quote = ". ".join(statements)
        office = _office(person, site)
        if form == "office":
            subject = office
            entities[:0] = _office_entities(person, site, lex)
        elif form in ("full", "full_office"):
            subject = f"{person.honorific} {person.name}".strip()
            entities.insert(0, (person.name, "PER", person.name, person.honorific, "name"))
            if form == "full_office":  # «دکتر X، رئیس ...، در ...»: name with the office beside it
                subject = f"{subject}، {office}،"
                entities[1:1] = _office_entities(person, site, lex)[1:]
            context = fill(rng.choice(lex.vocabulary[("*", "context")]), entities)
            subject = f"{subject} {context}"
        elif form == "surname":
            subject = person.surname
            entities.insert(0, (person.surname, "PER", person.name, person.honorific, "surname"))
        else:  # "وی"
            subject = "وی"
            if rng.random() < 0.3:
                subject = f"وی با اشاره به {fill('{thing}', entities)}"
        if indirect:
            text = f"{text_prefix}{subject} {quote} {verb}."
        else:
            text = f"{text_prefix}{subject} {verb}: {quote}."
        kind = "indirect" if indirect else "direct"
        return Paragraph(text, tuple(entities), ((person.name, office, quote, kind),), "quote")

    def fact_paragraph():
        entities = []
        sentences = [fill(facts_left.pop(), entities)]
        return Paragraph(". ".join(sentences) + ".", tuple(entities), (), "fact")

    # lead
    if rng.random() < 0.75 and quotes_left:
        verb = rng.choice(lex.vocabulary[("*", "verb_first")])
        lead = quote_paragraph(speaker, "office", verb, LEAD_PREFIX)
        paragraphs.append(lead._replace(kind="lead"))
        first_form = "full"
    else:
        entities = []
        text = fill(rng.choice(lex.templates[("*", "lead")]), entities)
        paragraphs.append(Paragraph(f"{LEAD_PREFIX}{text}.", tuple(entities), (), "lead"))
        first_form = "office" if rng.random() < 0.5 else "full"
    # the main speaker: named in full early on, then continued in varied forms
    forms = [first_form] + rng.choices(["vi", "surname", "office"], [4, 3, 2], k=len(quotes_left))
    if first_form == "office":
        forms[1] = "full"
    second_at = rng.randint(2, 4) if second else -1
    for i, form in enumerate(forms):
        if not quotes_left:
            break
        if i == second_at and len(quotes_left) >= 2:
            paragraphs.append(quote_paragraph(second, "full_office", rng.choice(verbs)))
            if len(quotes_left) >= 2 and rng.random() < 0.6:
                paragraphs.append(quote_paragraph(second, "vi", rng.choice(verbs)))
            # the main speaker comes back by name
            form = "surname"
        if not quotes_left:
            break
        paragraphs.append(quote_paragraph(speaker, form, rng.choice(verbs)))
        if i and rng.random() < INDIRECT_SHARE:
            paragraphs.append(quote_paragraph(speaker, rng.choice(("vi", "surname")), "", indirect=True))
        if facts_left and rng.random() < 0.4:
            paragraphs.append(fact_paragraph())
    while facts_left:
        paragraphs.append(fact_paragraph())
    # a quarter of the articles touch on a related topic for a paragraph or two
    secondary = ""
    if rng.random() < SECONDARY_SHARE and lex.related.get(topic):
        secondary = rng.choice(lex.related[topic])
        slots.topic = secondary
        for _ in range(rng.randint(1, 2)):
            entities = []
            text = fill(rng.choice(lex.templates[(secondary, "fact")]), entities)
            at = rng.randint(2, len(paragraphs))
            paragraphs.insert(at, Paragraph(text + ".", tuple(entities), (), "fact"))
        slots.topic = topic

    title_pool = lex.templates[(topic, "title")]
    if special and rng.random() < 0.6:
        title_pool = lex.templates.get((special, "title"), title_pool)
    title = fill(rng.choice(title_pool), [])

    category = lex.topics[topic][0]
    categories = [category]
    extra = next((o.category for o in (*lex.occasions, *lex.events) if o.key == special), "")
    if extra and extra != category and rng.random() < 0.5:
        categories.append(extra)
    elif rng.random() < 0.1:
        categories.append("اخبار استان‌ها")
    tags = ()
    if rng.random() < 0.4:
        things = lex.vocabulary[(topic, "thing")]
        tags = tuple(rng.sample(things, rng.randint(2, 3))) + (site.province,)
    return Article(title, tuple(paragraphs), tuple(categories), tags, secondary)


def _edit_copy(article: Article, rng: random.Random, lex: Lexicon) -> Article:
    """A republished copy with a few words changed in its narrative paragraphs (or its title)."""
    paragraphs = list(article.paragraphs)
    editable = [i for i, p in enumerate(paragraphs) if p.kind == "fact"]
    n_edits = rng.randint(1, 3)
    for _ in range(n_edits):
        if not editable:
            break
        i = rng.choice(editable)
        p = paragraphs[i]
        words = p.text.split(" ")
        protected = " ".join(e[0] for e in p.entities)
        candidates = [j for j, w in enumerate(words) if w in lex.edits and w not in protected]
        if candidates:
            j = rng.choice(candidates)
            words[j] = lex.edits[words[j]]
        elif words[0] not in ("همچنین", "گفتنی"):
            words.insert(0, "همچنین")
        paragraphs[i] = p._replace(text=" ".join(words))
    title = article.title
    if not editable:
        title = title + " + عکس"
    return article._replace(title=title, paragraphs=tuple(paragraphs))


def copy_article(original: Article, kind: str, rng: random.Random, lex: Lexicon, row: PlanRow,
                 occasion_names: dict) -> Article:
    """The article another site publishes when it republishes ``original`` (see ``COPY_KINDS``)."""
    if kind == "edited":
        return _edit_copy(original, rng, lex)
    if kind == "truncated":
        keep = max(2, round(len(original.paragraphs) * rng.uniform(0.6, 0.85)))
        return original._replace(paragraphs=original.paragraphs[:keep])
    if kind == "retitled":
        site = lex.sites[row.site]
        for _ in range(5):
            title = _fill(rng.choice(lex.templates[(row.topic, "title")]), rng, lex, site,
                          row.topic, occasion_names.get(row.occasion, ""), [], False)
            if title != original.title:
                break
        return original._replace(title=title)
    return original


# --------------------------------------------------------------------------------------------------
# Files: layout, damage, names


def _label(lex: Lexicon, kind: str, rng: random.Random) -> str:
    labels, cum = lex.labels[kind]
    return labels[bisect.bisect(cum, rng.random() * cum[-1])]


def compose_file_text(article: Article, *, url: str, when: jdatetime.datetime, rng: random.Random,
                      lex: Lexicon, site: Site, title: bool = True, with_url: bool = True) -> str:
    """The article as the text of one file in the seed's layout, with the site's page habits."""
    digits = rng.random() < site.persian_digits
    date = f"{when.year:04d}/{when.month:02d}/{when.day:02d} - {when.hour:02d}:{when.minute:02d}"
    if digits:
        date = persian_digits(date)
    parts = ["", ""]
    if title:
        parts += [f"## {article.title}", "", "", ""]
    parts.append("\n\n".join(p.text for p in article.paragraphs))
    parts += ["", f"{_label(lex, 'date', rng)}: {date}", ""]
    if article.tags:
        links = ", ".join(f"[{t}](#)" for t in article.tags)
        parts += [f"**{_label(lex, 'tags', rng)}: {links}**", ""]
    links = ", ".join(f"[{c}](#)" for c in article.categories)
    label = site.category_label if rng.random() < 0.9 else _label(lex, "category", rng)
    parts.append(f"**{label}: {links}**")
    if with_url:
        parts += ["", f"<{url}>" if rng.random() < 0.95 else url]
    text = "\n".join(parts)
    return text + "\n" if rng.random() < 0.3 else text


def _damaged_bytes(kind: str, text: str, rng: random.Random) -> bytes:
    if kind == "empty":
        return b""
    if kind == "binary":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randint(200, 2000))
    if kind == "undecodable":
        junk = bytearray(rng.randrange(0x80, 0xC0) for _ in range(rng.randint(300, 3000)))
        for i in range(0, len(junk), rng.randint(5, 9)):
            junk[i] = 0x20
        return bytes(junk)
    if kind == "whitespace":
        return "".join(rng.choice([" ", "\n", "\t", "\u200c", "\u00a0", "\r\n"])
                       for _ in range(rng.randint(1, 200))).encode("utf-8")
    if kind == "cp1256":
        return text.translate(_CP1256_FIXES).encode("cp1256")
    if kind == "utf16":
        return text.encode("utf-16")
    if kind == "utf8_bom":
        return text.encode("utf-8-sig")
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    return text.encode("utf-8")  # no_title, no_url: the layout is unusual, the bytes are not


_ENCODINGS = {"cp1256": "cp1256", "utf16": "utf-16", "utf8_bom": "utf-8-sig"}


class _Writer:
    """Renders the files of one plan (one instance per process)."""

    def __init__(self, n: int, seed: int, start_year: int, years: int):
        self.seed = seed
        self.lex = load_lexicon()
        self.cal = build_calendar(start_year, years, self.lex.occasions)
        self.plan = make_plan(n, seed, self.lex, self.cal)
        self.by_plan_id = {row.plan_id: row for row in self.plan.rows}
        self.occasion_names = {o.key: o.name for o in self.lex.occasions}
        self.width = max(6, len(str(n - 1)))
        self._paths: dict[int, str] = {}

    def when(self, row: PlanRow) -> tuple[dt.datetime, jdatetime.datetime]:
        day, minute = divmod(row.minute, 1440)
        greg = dt.datetime.combine(self.cal.start + dt.timedelta(day), dt.time(minute // 60, minute % 60))
        jd = self.cal.jalali[day] if day < self.cal.days else jdatetime.date.fromgregorian(date=greg.date())
        return greg, jdatetime.datetime(jd.year, jd.month, jd.day, minute // 60, minute % 60)

    def url(self, index: int) -> str:
        row = self.plan.rows[index]
        return f"http://{self.lex.sites[row.site].name}.{AGENCY_DOMAIN}/node/{self.plan.node[index]}"

    def render(self, index: int):
        """(relative path, bytes, ground-truth record) of file ``index``."""
        row = self.plan.rows[index]
        lex = self.lex
        site = lex.sites[row.site]
        greg, jwhen = self.when(row)
        rng = random.Random((self.seed * 1_000_003 + row.plan_id) * 7 + 3)
        duplicate_of, lag_hours, jaccard = "", None, None
        if row.source >= 0:
            source = self.by_plan_id[row.source]
            original = render_article(source, self.seed, lex, self.occasion_names)
            article = copy_article(original, row.copy_kind, rng, lex, row, self.occasion_names)
            duplicate_of = self._paths.get(row.source) or self.render(self.plan.position[row.source])[0]
            lag_hours = round((row.minute - source.minute) / 60, 2)
            jaccard = round(shingle_jaccard(_body(original), _body(article)), 4)
        else:
            article = render_article(row, self.seed, lex, self.occasion_names)
        url = self.url(index)
        text = compose_file_text(article, url=url, when=jwhen, rng=rng, lex=lex, site=site,
                                 title=row.damage != "no_title", with_url=row.damage != "no_url")
        data = _damaged_bytes(row.damage, text, rng) if row.damage else text.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=8).hexdigest()
        path = f"{site.name}/{jwhen.year}/{index:0{self.width}d}_{digest}.txt"
        if row.source < 0 and not row.damage:
            self._paths[row.plan_id] = path  # copies published later name it as their original
        readable = DAMAGE_KINDS.get(row.damage, True)
        record = {
            "file": path,
            "site": site.name,
            "url": url if readable and row.damage != "no_url" else "",
            "article_id": str(self.plan.node[index]) if readable and row.damage != "no_url" else "",
            "published": greg.isoformat(),
            "published_jalali": f"{jwhen.year:04d}-{jwhen.month:02d}-{jwhen.day:02d}",
            "title": article.title if readable and row.damage != "no_title" else "",
            "lead": article.paragraphs[0].text if readable else "",
            "categories": list(article.categories) if readable else [],
            "tags": list(article.tags) if readable else [],
            "topic": row.topic if readable else "",
            "secondary_topic": article.secondary_topic if readable else "",
            "occasion": row.occasion if readable else "",
            "event": row.event if readable else "",
            "entities": _entity_records(article) if readable else [],
            "quotes": [{"speaker": s, "speaker_title": t, "text": q, "kind": k}
                       for p in article.paragraphs for s, t, q, k in p.quotes] if readable else [],
            "duplicate_of": duplicate_of,
            "duplicate_kind": row.copy_kind,
            "duplicate_lag_hours": lag_hours,
            "duplicate_jaccard": jaccard,
            "damaged": row.damage,
            "readable": readable,
            "encoding": _ENCODINGS.get(row.damage, "utf-8") if readable else "",
            "n_paragraphs": len(article.paragraphs) if readable else 0,
        }
        return path, data, record

    def write(self, out_dir: Path, start: int, stop: int, sink) -> Counter:
        """Write files ``start:stop`` and their ground-truth lines to ``sink``; return counts by kind."""
        counts = Counter()
        made = set()
        for index in range(start, stop):
            path, data, record = self.render(index)
            target = out_dir / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["files"] += 1
            counts["copies"] += bool(record["duplicate_of"])
            counts["damaged"] += bool(record["damaged"])
            counts["unreadable"] += not record["readable"]
        return counts


def _body(article: Article) -> str:
    return "\n\n".join(p.text for p in article.paragraphs)


def _entity_records(article: Article) -> list[dict]:
    counts: dict = {}
    for p in article.paragraphs:
        for entity in p.entities:
            counts[entity] = counts.get(entity, 0) + 1
    return [{"text": t, "type": ty, "canonical": c, "title": ti, "form": f, "count": k}
            for (t, ty, c, ti, f), k in counts.items()]


# --------------------------------------------------------------------------------------------------
# Public API


_WORKER: dict = {}


def _init_worker(n, seed, start_year, years):
    _WORKER["writer"] = _Writer(n, seed, start_year, years)


def _worker_pool(processes: int, n: int, seed: int, start_year: int, years: int) -> ProcessPoolExecutor:
    """Workers that hold the corpus plan: forked from this process where that is safe (Linux, no
    other thread running: they share the plan built here), else spawned (each builds its own)."""
    if sys.platform == "linux" and threading.active_count() == 1:
        _WORKER["writer"] = _Writer(n, seed, start_year, years)
        return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(n, seed, start_year, years))


def _write_chunk(args):
    """Write one chunk in a worker; its truth lines go to a part file the parent appends in order."""
    out_dir, start, stop = args
    part = Path(out_dir) / f"{GROUND_TRUTH_FILE}.part-{start:010d}"
    with part.open("w", encoding="utf-8") as sink:
        counts = _WORKER["writer"].write(Path(out_dir), start, stop, sink)
    return str(part), counts


def _clear_previous(out_dir: Path) -> None:
    truth = out_dir / GROUND_TRUTH_FILE
    if not out_dir.exists():
        return
    if not truth.exists():
        if any(p for p in out_dir.iterdir() if not p.name.startswith(".")):
            raise FileExistsError(
                f"{out_dir} is not empty and holds no demo corpus ({GROUND_TRUTH_FILE} missing); "
                "choose an empty or new folder"
            )
        return
    with truth.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                (out_dir / json.loads(line)["file"]).unlink(missing_ok=True)
    truth.unlink()
    (out_dir / EVENTS_FILE).unlink(missing_ok=True)
    for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()


def write_demo_corpus(out_dir, n: int = 600, seed: int = 7, *, start_year: int = 1400, years: int = 3,
                      processes: int | None = None, progress: bool = True) -> Path:
    """Write ``n`` demo article files and their ground truth into ``out_dir``; return ``out_dir``.

    Articles span the Jalali years ``start_year`` .. ``start_year + years - 1``. A previous demo corpus
    in ``out_dir`` is replaced; any other non-empty folder is refused. ``processes`` (default: all
    cores from 20,000 files) only changes the speed, never the bytes.
    """
    write_demo_files(out_dir, n, seed, start_year, years, processes, progress)
    return Path(out_dir)


#: the size and seed of the project's demo corpus (``analysis._core.cache.DEMO_CORPUS``), as ``make demo``
DEMO_N, DEMO_SEED = 600, 7


def ensure_demo_corpus(folder=None) -> Path:
    """The project's demo corpus (``data/demo``: 600 articles, seed 7, as ``make demo``), written
    first when the folder is missing or empty; its path."""
    from analysis._core.cache import DEMO_CORPUS, project_root

    folder = Path(folder) if folder is not None else project_root() / DEMO_CORPUS
    if not folder.is_dir() or not any(folder.iterdir()):
        write_demo_corpus(folder, n=DEMO_N, seed=DEMO_SEED)
    return folder


def write_demo_files(out_dir, n: int = 600, seed: int = 7, start_year: int = 1400, years: int = 3,
                     processes: int | None = None, progress: bool = True) -> Counter:
    """:func:`write_demo_corpus`, returning the counts of what was written (``files``, ``copies``,
    ``damaged``, ``unreadable``)."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    out_dir = Path(out_dir)
    _clear_previous(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if processes is None:
        processes = (os.cpu_count() or 1) if n >= PARALLEL_MIN_ARTICLES else 1
    chunks = [(str(out_dir), a, min(a + CHUNK_SIZE, n)) for a in range(0, n, CHUNK_SIZE)]
    from analysis._core.progress import progress_bar

    totals = Counter()
    partial = out_dir / (GROUND_TRUTH_FILE + ".partial")
    bar = None
    try:
        with partial.open("w", encoding="utf-8") as truth:
            if processes <= 1:
                writer = _Writer(n, seed, start_year, years)
                bar = progress_bar(total=n, desc="demo corpus", unit="file", show=progress)
                for _, a, b in chunks:
                    counts = writer.write(out_dir, a, b, truth)
                    totals.update(counts)
                    bar.update(counts["files"])
            else:
                with _worker_pool(processes, n, seed, start_year, years) as pool:
                    try:
                        results = pool.map(_write_chunk, chunks)  # starts the workers
                        bar = progress_bar(total=n, desc="demo corpus", unit="file", show=progress)
                        for part, counts in results:
                            with open(part, encoding="utf-8") as fh:
                                shutil.copyfileobj(fh, truth)
                            os.unlink(part)
                            totals.update(counts)
                            bar.update(counts["files"])
                    except BaseException:
                        pool.shutdown(cancel_futures=True)
                        raise
                    finally:
                        _WORKER.clear()
    except BaseException:
        partial.unlink(missing_ok=True)
        for part in out_dir.glob(f"{GROUND_TRUTH_FILE}.part-*"):
            part.unlink(missing_ok=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    _write_events(out_dir / EVENTS_FILE, seed, start_year, years)
    partial.replace(out_dir / GROUND_TRUTH_FILE)
    return totals


def _write_events(path: Path, seed: int, start_year: int, years: int) -> None:
    """The planted bursts and silences (the same draws ``make_plan`` starts with)."""
    lex = load_lexicon()
    cal = build_calendar(start_year, years, lex.occasions)
    names = {e.key: (e.name, e.topic) for e in lex.events}
    with path.open("w", encoding="utf-8") as fh:
        for e in make_events(random.Random(seed), lex, cal):
            first, last = cal.jalali[e.first], cal.jalali[min(e.last, cal.days - 1)]
            name, topic = names.get(e.key, ("", ""))
            record = {
                "site": lex.sites[e.site].name, "kind": e.kind, "event": e.key, "name": name,
                "topic": topic,
                "first_day": (cal.start + dt.timedelta(e.first)).isoformat(),
                "last_day": (cal.start + dt.timedelta(e.last)).isoformat(),
                "first_jalali": f"{first.year:04d}-{first.month:02d}-{first.day:02d}",
                "last_jalali": f"{last.year:04d}-{last.month:02d}-{last.day:02d}",
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_ground_truth_events(out_dir) -> pd.DataFrame:
    """The bursts (a local event's extra articles) and silences (days without articles) of each site."""
    path = Path(out_dir) / EVENTS_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: no demo-corpus events here (write a corpus with demo-corpus)")
    df = pd.read_json(path, lines=True, dtype=False)
    for column in ("first_day", "last_day"):
        df[column] = pd.to_datetime(df[column])
    return df


def read_ground_truth(out_dir, columns=None) -> pd.DataFrame:
    """The ground truth of a demo corpus: one row a file (see docs/demo.md for the columns).

    ``columns``: keep only these (saves memory on large corpora; ``file`` is always kept).
    """
    path = Path(out_dir) / GROUND_TRUTH_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: no demo-corpus ground truth here (write one with demo-corpus)")
    keep = None if columns is None else ["file", *[c for c in columns if c != "file"]]
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
        if keep is not None:
            records = [{c: r[c] for c in keep} for r in records]
    df = pd.DataFrame.from_records(records, columns=keep)
    if "published" in df:
        df["published"] = pd.to_datetime(df["published"])
    for column in ("duplicate_lag_hours", "duplicate_jaccard"):
        if column in df:
            df[column] = pd.to_numeric(df[column])
    return df


# --------------------------------------------------------------------------------------------------
# CLI
