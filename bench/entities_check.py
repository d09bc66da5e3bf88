"""Entities and quotes on the real seed article and on the demo corpus (planted ground truth).

Seed (``../shared/seeds``): the persons, organisations and place the issue names must be found, and the
statements attributed to احمد احمدی with his office title. Demo corpus: per-article sets of
(canonical form, type) found vs planted (``analysis.demo`` ground truth), precision and recall a type;
quotes: planted statements whose text is found with the right speaker.

Usage: python bench/entities_check.py [--seeds ../shared/seeds] [--n 400] [--seed 3]
       [--out bench/results/entities.md]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from _results import write_results

os.environ.setdefault("TQDM_DISABLE", "1")

REPO = Path(__file__).resolve().parent.parent

SEED_EXPECTED = {
    "PER": ["احمد احمدی", "عبدالحسین برونسی"],
    "ORG": ["سازمان بسیج کارگری", "خبرگزاری بسیج"],
    "LOC": ["سمنان"],
}
SEED_SPEAKER = ("احمد احمدی", "رئیس سازمان بسیج کارگری استان سمنان")


def seed_report(seeds: Path) -> list[str]:
    from analysis.corpus import load_corpus
    from analysis.entities import entities
    from analysis.entities.quotes import quotes

    articles = load_corpus(seeds, progress=False)
    ents, said = entities(articles), quotes(articles)
    lines = ["## Seed article", "", f"`{seeds}`: {len(articles)} article(s), {len(ents)} mentions, "
             f"{len(said)} statements.", "", "| expected | type | found |", "|---|---|---|"]  # fmt: skip
    ok = True
    for kind, names in SEED_EXPECTED.items():
        found = set(ents.loc[ents["type"] == kind, "canonical"])
        for name in names:
            ok &= name in found
            lines.append(f"| {name} | {kind} | {'yes' if name in found else '**no**'} |")
    speaker, title = SEED_SPEAKER
    his = said[said["speaker"] == speaker]
    titled = (his["speaker_title"] == title).sum()
    ok &= len(his) > 0 and titled == len(his)
    lines += ["", f"Statements: {len(said)}; attributed to {speaker}: {len(his)}, of which with the title "
              f"«{title}»: {titled}. Other speakers: {sorted(set(said['speaker']) - {speaker}) or 'none'}.",
              "", "| speaker | title | verb | kind | quote (start) |", "|---|---|---|---|---|"]  # fmt: skip
    for row in said.itertuples():
        lines.append(f"| {row.speaker} | {row.speaker_title} | {row.verb} | {row.kind} | {row.quote[:60]}… |")
    lines += ["", "All seed checks: **" + ("pass" if ok else "FAIL") + "**", ""]
    others = ents.groupby(["type", "canonical"]).size().reset_index(name="mentions")
    lines += ["All entities found (type, canonical, mentions): " +
              "; ".join(f"{r.type} {r.canonical} ×{r.mentions}" for r in others.itertuples()), ""]  # fmt: skip
    return lines


def demo_report(n: int, seed: int) -> list[str]:
    from analysis.corpus import load_corpus
    from analysis.demo import read_ground_truth, write_demo_corpus
    from analysis.entities import entities
    from analysis.entities.quotes import quotes

    with tempfile.TemporaryDirectory() as tmp:
        out = write_demo_corpus(Path(tmp) / "demo", n=n, seed=seed)
        truth = read_ground_truth(out)
        articles = load_corpus(out, progress=False)
    articles = articles[articles["body"].str.len() > 0]
    planted_by_file = {Path(f).name: e for f, e in zip(truth["file"], truth["entities"])}
    quotes_by_file = {Path(f).name: q for f, q in zip(truth["file"], truth["quotes"])}
    ents, said = entities(articles), quotes(articles)
    counts = {}
    dateline = [0, 0]  # dateline agency found but not planted (the demo does not list it)
    q_total = q_found = q_right = q_title = 0
    for row in articles.itertuples():
        name = Path(row.path).name
        if name not in planted_by_file:
            continue
        planted = {(e["canonical"], e["type"]) for e in planted_by_file[name]}
        mine = ents[ents["doc_id"] == row.doc_id]
        found = set(zip(mine["canonical"], mine["type"]))
        dateline[0] += ("خبرگزاری بسیج", "ORG") in found - planted
        for kind in ("PER", "ORG", "LOC"):
            p = {x for x in planted if x[1] == kind}
            f = {x for x in found if x[1] == kind}
            c = counts.setdefault(kind, [0, 0, 0])
            c[0] += len(p & f)
            c[1] += len(f)
            c[2] += len(p)
        got = said[said["doc_id"] == row.doc_id]
        for q in quotes_by_file.get(name, []):
            q_total += 1
            match = got[got["quote"].str.contains(q["text"][:30], regex=False)]
            if len(match):
                q_found += 1
                right = match[match["speaker"] == q["speaker"]]
                q_right += bool(len(right))
                q_title += bool(len(right) and (right["speaker_title"] == q["speaker_title"]).any())
    lines = ["## Demo corpus", "", f"`write_demo_corpus(n={n}, seed={seed})`: {len(articles)} readable articles. "
             "Per article, the set of (canonical form, type) found vs planted.", "",
             "| type | precision | recall | planted | found | correct |", "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    tot = [0, 0, 0]
    for kind, (c, f, p) in counts.items():
        tot = [tot[0] + c, tot[1] + f, tot[2] + p]
        lines.append(f"| {kind} | {c / max(f, 1):.3f} | {c / max(p, 1):.3f} | {p} | {f} | {c} |")
    lines.append(f"| **all** | **{tot[0] / max(tot[1], 1):.3f}** | **{tot[0] / max(tot[2], 1):.3f}** | {tot[2]} | {tot[1]} | {tot[0]} |")
    c, f, p = counts.get("ORG", [0, 0, 0])
    lines += ["", f"The demo's ground truth does not list the agency named in every dateline («خبرگزاری بسیج:»); "
              f"it is found, unplanted, in {dateline[0]} articles. Without it ORG precision is "
              f"{c / max(f - dateline[0], 1):.3f} and overall precision {tot[0] / max(tot[1] - dateline[0], 1):.3f}."]
    lines += ["", f"Quotes: {q_total} planted statements; text found {q_found} ({q_found / max(q_total, 1):.1%}); "
              f"right speaker {q_right} ({q_right / max(q_total, 1):.1%}); right speaker and title {q_title} "
              f"({q_title / max(q_total, 1):.1%}).", ""]  # fmt: skip
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default=str(REPO.parent / "shared" / "seeds"))
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "entities.md"))
    args = parser.parse_args(argv)
    lines = ["# Entities and quotes: seed article and demo corpus", "",
             f"Command: `python bench/entities_check.py --n {args.n} --seed {args.seed}`", ""]  # fmt: skip
    if Path(args.seeds).exists():
        lines += seed_report(Path(args.seeds))
    else:
        lines += [f"Seed folder {args.seeds} not found: seed checks skipped.", ""]
    lines += demo_report(args.n, args.seed)
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
