"""Speed of entity recognition plus quote attribution on demo articles, per core.

Writes a demo corpus (``analysis.demo``), loads it, warms the shipped model up on a few articles,
then times ``quotes(articles)`` (tokens, CRF tags, rules, title links, statements) and
``entities(articles)`` on the rest in this one process (one core), and then the CRF step alone, side
by side: python-crfsuite's ``Tagger.tag`` against the project's ``FastTagger`` on the same sentences. CPU time (``process_time``) is
what the per-core figure uses; wall time is reported beside it (other jobs may share the machine).
Target: at least 200 articles a second per core.

Usage: python bench/speed/ner_speed.py [--n 600] [--seed 7] [--out bench/results/ner_speed.md]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _results import write_results

os.environ.setdefault("TQDM_DISABLE", "1")

TARGET = 200.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600, help="demo articles to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "results" / "ner_speed.md"))
    args = parser.parse_args(argv)

    from analysis.corpus import load_corpus
    from analysis.demo import write_demo_corpus
    from analysis.entities import entities
    from analysis.entities.tables import _cached_analysis  # its cache is cleared between timed runs
    from analysis.entities.ner import load_model
    from analysis.entities.quotes import quotes
    from analysis.text import sentences, tokenize

    with tempfile.TemporaryDirectory() as tmp:
        write_demo_corpus(Path(tmp) / "demo", n=args.n, seed=args.seed)
        articles = load_corpus(Path(tmp) / "demo", progress=False)
    articles = articles[articles["body"].str.len() > 0].reset_index(drop=True)
    warm, timed = articles.iloc[:20], articles.iloc[20:]
    load_model()
    quotes(warm)
    _cached_analysis.cache_clear()

    n_tokens = sum(len(tokenize(s, punctuation=True, join_verb_parts=False)) for b in timed["body"] for s in sentences(b))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for body in timed["body"]:  # the text pipeline alone, for reference
        for sentence in sentences(body):
            tokenize(sentence, punctuation=True, join_verb_parts=False)
    cpu_tok, wall_tok = time.process_time() - cpu0, time.perf_counter() - wall0

    cpu0, wall0 = time.process_time(), time.perf_counter()
    table = quotes(timed)
    cpu_q, wall_q = time.process_time() - cpu0, time.perf_counter() - wall0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    ents = entities(timed)  # reuses the per-text analysis cached by quotes()
    cpu_e, wall_e = time.process_time() - cpu0, time.perf_counter() - wall0

    # then (word caches warm for both) the tagging step alone, two ways, on the same sentences:
    # python-crfsuite's Tagger (feature strings looked up token by token) and the project's FastTagger
    from analysis.entities.mentions import split_sentences

    model = load_model()
    texts = [[[t.text for t in tokens] for _, _, tokens in split_sentences(b)] for b in timed["body"]]
    tagger, featurizer = model.tagger_, model.featurizer_
    cpu0 = time.process_time()
    slow = [[tagger.tag(featurizer.sentence(words)) for words in text] for text in texts]
    cpu_crfsuite = time.process_time() - cpu0
    cpu0 = time.process_time()
    fast = [model.predict(text) for text in texts]
    cpu_fast = time.process_time() - cpu0
    same = sum(list(a) == b for x, y in zip(slow, fast) for a, b in zip(x, y))
    n_sentences = sum(map(len, texts))


    n = len(timed)
    rate = n / (cpu_q + cpu_e)
    lines = [
        "# Entity recognition + quotes speed (one core)",
        "",
        f"Command: `python bench/speed/ner_speed.py --n {args.n} --seed {args.seed}`",
        "",
        f"{n} demo articles ({n_tokens:,} tokens, {n_tokens / n:.0f} a article) after 20 warm-up articles. "
        f"Machine load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(wall time suffers from other jobs; the per-core figure uses this process's CPU time).",
        "",
        "| step | CPU s | wall s | articles/s (CPU) |",
        "|---|---:|---:|---:|",
        f"| sentences + tokens only (reference) | {cpu_tok:.2f} | {wall_tok:.2f} | {n / cpu_tok:,.0f} |",
        f"| quotes(): tokens, CRF tags, rules, statements | {cpu_q:.2f} | {wall_q:.2f} | {n / cpu_q:,.0f} |",
        f"| entities() after quotes() (cached analysis) | {cpu_e:.2f} | {wall_e:.2f} | {n / cpu_e:,.0f} |",
        f"| **recognition + quotes + entities table** | **{cpu_q + cpu_e:.2f}** | {wall_q + wall_e:.2f} | **{rate:,.0f}** |",
        "",
        "The CRF step alone (features + tags of the same sentences, word caches warm), side by side:",
        "",
        "| tagger | CPU s | articles/s (CPU) |",
        "|---|---:|---:|",
        f"| python-crfsuite `Tagger.tag` on feature strings (baseline) | {cpu_crfsuite:.2f} | {n / cpu_crfsuite:,.0f} |",
        f"| `FastTagger`: per-word score rows + batched Viterbi | {cpu_fast:.2f} | {n / cpu_fast:,.0f} |",
        "",
        f"Speed-up {cpu_crfsuite / cpu_fast:.2f}×; identical tags in {same:,} of {n_sentences:,} sentences.",
        "",
        f"Target ≥ {TARGET:.0f} articles/s per core: **{'met' if rate >= TARGET else 'NOT met'}** "
        f"({rate / TARGET:.2f}× the target). {len(ents):,} entity mentions, {len(table):,} statements.",
        "",
    ]
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
