"""Entities and quotes on the real seed article, the demo corpus (planted ground truth) and real Fars news.

Seed (``../shared/seeds``): the persons, organisations and place the issue names must be found, and the
statements attributed to احمد احمدی with his office title. Demo corpus: per-article sets of
(canonical form, type) found vs planted (``analysis.demo`` ground truth), precision and recall a type;
quotes: planted statements whose text is found with the right speaker. Fars News
(``../shared/corpora/fars-news``, loaded normalised as the notebooks do): the top-20 entity table and
the checks of issue 16 (the agency is not among the top entities, no top-30 canonical carries two
types, «آمریکا» and «امریکا» are one entity, no adjective of nationality is an entity).

``--before FILE``: a results page this script wrote on the code before entity resolution (main at
f2f58ca); its demo and Fars sections are copied under "Before" so both stand side by side.

Usage: python bench/eval/entities_check.py [--seeds ../shared/seeds] [--n 400] [--seed 3]
       [--fars ../shared/corpora/fars-news] [--before bench/results/entities_before.md]
       [--out bench/results/entities.md]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _results import write_results

os.environ.setdefault("TQDM_DISABLE", "1")

REPO = Path(__file__).resolve().parents[2]
#: the shared data folder beside the repository (or beside the folder of a git worktree)
SHARED = next((p / "shared" for p in (REPO.parent, REPO.parent.parent) if (p / "shared").exists()), REPO.parent / "shared")

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


def _demo_scores(articles, ents, planted_by_file):
    """Per type [correct, found, planted] of (canonical, type) sets per article, and the articles where
    the unplanted dateline agency is found."""
    counts = {}
    dateline = 0
    by_doc = {doc: group for doc, group in ents.groupby("doc_id")}
    for row in articles.itertuples():
        name = Path(row.path).name
        if name not in planted_by_file:
            continue
        planted = {(e["canonical"], e["type"]) for e in planted_by_file[name]}
        mine = by_doc.get(row.doc_id, ents.iloc[0:0])
        found = set(zip(mine["canonical"], mine["type"]))
        dateline += ("خبرگزاری بسیج", "ORG") in found - planted
        for kind in ("PER", "ORG", "LOC"):
            p = {x for x in planted if x[1] == kind}
            f = {x for x in found if x[1] == kind}
            c = counts.setdefault(kind, [0, 0, 0])
            c[0] += len(p & f)
            c[1] += len(f)
            c[2] += len(p)
    return counts, dateline


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
    content = ents[ents["role"] != "source"] if "role" in ents else ents
    lines = ["## Demo corpus", "", f"`write_demo_corpus(n={n}, seed={seed})`: {len(articles)} readable articles. "
             "Per article, the set of (canonical form, type) found vs planted."]
    tables = [("every mention of the entities table", ents)]
    if "role" in ents:
        tables.append(("content mentions only (`role != \"source\"`, what the top tables count)", content))
    for label, table in tables:
        counts, dateline = _demo_scores(articles, table, planted_by_file)
        lines += ["", f"{label}:", "", "| type | precision | recall | planted | found | correct |",
                  "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
        tot = [0, 0, 0]
        for kind, (c, f, p) in counts.items():
            tot = [tot[0] + c, tot[1] + f, tot[2] + p]
            lines.append(f"| {kind} | {c / max(f, 1):.3f} | {c / max(p, 1):.3f} | {p} | {f} | {c} |")
        lines.append(f"| **all** | **{tot[0] / max(tot[1], 1):.3f}** | **{tot[0] / max(tot[2], 1):.3f}** | {tot[2]} | {tot[1]} | {tot[0]} |")
        c, f, p = counts.get("ORG", [0, 0, 0])
        lines += ["", f"The demo's ground truth does not list the agency named in every dateline («خبرگزاری بسیج:»); "
                  f"it is found, unplanted, in {dateline} articles. Without it ORG precision is "
                  f"{c / max(f - dateline, 1):.3f} and overall precision {tot[0] / max(tot[1] - dateline, 1):.3f}."]
    q_total = q_found = q_right = q_title = 0
    for row in articles.itertuples():
        name = Path(row.path).name
        if name not in planted_by_file:
            continue
        got = said[said["doc_id"] == row.doc_id]
        for q in quotes_by_file.get(name, []):
            q_total += 1
            match = got[got["quote"].str.contains(q["text"][:30], regex=False)]
            if len(match):
                q_found += 1
                right = match[match["speaker"] == q["speaker"]]
                q_right += bool(len(right))
                q_title += bool(len(right) and (right["speaker_title"] == q["speaker_title"]).any())
    lines += ["", f"Quotes: {q_total} planted statements; text found {q_found} ({q_found / max(q_total, 1):.1%}); "
              f"right speaker {q_right} ({q_right / max(q_total, 1):.1%}); right speaker and title {q_title} "
              f"({q_title / max(q_total, 1):.1%}).", ""]  # fmt: skip
    return lines


AGENCY = ("خبرگزاری فارس", "فارس")  # the publishing agency of the Fars corpus, as the tagger names it


def fars_report(source: Path, agency=AGENCY, n_top: int = 20) -> list[str]:
    from analysis.corpus import load_corpus
    from analysis.entities import entities, entity_counts, top_entities
    from analysis.entities.resolution import nationality_adjectives, place_adjectives, resolution_key
    from analysis.entities.mentions import first_names
    from analysis._core.persian import fold_letters

    articles = load_corpus(source, normalize=True, progress=False)
    ents = entities(articles)
    counts = entity_counts(ents)  # what the top tables count (sources left out where the table marks them)
    types_of = counts.groupby("canonical")["type"].nunique()
    top30 = top_entities(ents, n=30)
    top = top30.head(n_top)
    agency_keys = {resolution_key(a) for a in agency}
    lines = [f"## Fars News: top {n_top} entities", "",
             f"`{source}`: {len(articles)} articles (loaded with `normalize=True`), {len(ents)} mentions"
             + (f" ({(ents['role'] == 'source').sum()} of them `role = \"source\"`)" if "role" in ents else "")
             + f"; `top_entities(entities(articles), n={n_top})`.", "",
             "| rank | canonical | type | articles | mentions | types of this canonical |",
             "|---:|---|---|---:|---:|---:|"]  # fmt: skip
    for row in top.itertuples():
        lines.append(f"| {row.rank} | {row.canonical} | {row.type} | {row.articles} | {row.mentions} | "
                     f"{types_of.get(row.canonical, 1)} |")  # fmt: skip
    agency_rows = [f"{r.canonical} ({r.type}, rank {r.rank})" for r in top30.itertuples()
                   if resolution_key(r.canonical) in agency_keys]  # fmt: skip
    split = sorted({r.canonical for r in top30.itertuples() if types_of.get(r.canonical, 1) > 1})
    america = sorted(set(ents.loc[ents["canonical"].map(resolution_key) == resolution_key("امریکا"), "canonical"]))
    keys = ents["canonical"].map(resolution_key)
    adjective_rows = ents[keys.isin(nationality_adjectives()) | (keys.isin(place_adjectives()) & (ents["type"] != "PER"))]
    names = first_names()
    lone = [r.canonical for r in top30.itertuples()
            if r.type == "PER" and len(r.canonical.split()) == 1 and fold_letters(r.canonical) in names]  # fmt: skip
    adjective_list = adjective_rows["canonical"].value_counts().head(8)
    lines += ["", "| check (issue 16) | result |", "|---|---|",
              f"| the agency ({' / '.join(agency)}) among the top 30 | "
              f"{'**yes**: ' + '; '.join(agency_rows) if agency_rows else 'no'} |",
              f"| top-30 rows whose canonical carries two or more types | {len(top30[top30['canonical'].isin(split)])}"
              f"{' (' + '، '.join(split) + ')' if split else ''} |",
              f"| canonical forms of «آمریکا» / «امریکا» | {len(america)} ({'، '.join(america) or 'none'}) |",
              f"| mentions whose canonical is an adjective of nationality (or of a place, not as a person's surname) | {len(adjective_rows)} in "
              f"{adjective_rows['canonical'].nunique()} canonicals"
              f"{' (' + '، '.join(f'{k} ×{v}' for k, v in adjective_list.items()) + ' ...)' if len(adjective_list) else ''} |",
              f"| a given name alone among the top 30 | {'، '.join(lone) or 'none'} |", ""]  # fmt: skip
    if "role" in ents:
        sources = ents[ents["role"] == "source"]["canonical"].value_counts().head(12)
        lines += ["Most frequent canonicals among the `role = \"source\"` mentions: "
                  + "، ".join(f"{k} ×{v}" for k, v in sources.items()) + ".", ""]
    return lines


def _before_sections(path: Path) -> list[str]:
    """The demo and Fars sections of an earlier results page, headings moved one level down."""
    text = path.read_text(encoding="utf-8").splitlines()
    out, keep = [], False
    for line in text:
        if line.startswith("## "):
            keep = line.startswith("## Demo corpus") or line.startswith("## Fars")
            if keep:
                out.append("#" + line + " (before)")
            continue
        if keep:
            out.append(line)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default=str(SHARED / "seeds"))
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--fars", default=str(SHARED / "corpora" / "fars-news"))
    parser.add_argument("--before", default=None, help="results page written by this script before resolution")
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "entities.md"))
    args = parser.parse_args(argv)
    lines = ["# Entities and quotes: seed article, demo corpus, Fars News", "",
             f"Command: `python bench/eval/entities_check.py --n {args.n} --seed {args.seed}"
             + (f" --before {Path(args.before).relative_to(REPO) if Path(args.before).is_relative_to(REPO) else args.before}"
                if args.before else "") + "`", ""]  # fmt: skip
    if Path(args.seeds).exists():
        lines += seed_report(Path(args.seeds))
    else:
        lines += [f"Seed folder {args.seeds} not found: seed checks skipped.", ""]
    lines += demo_report(args.n, args.seed)
    if Path(args.fars).exists():
        lines += fars_report(Path(args.fars))
    else:
        lines += [f"Fars corpus {args.fars} not found: Fars checks skipped.", ""]
    if args.before and Path(args.before).exists():
        lines += ["## Before entity resolution", "", f"Copied from `{Path(args.before).name}`, written by this script "
                  "on the code before entity resolution (main at f2f58ca).", ""] + _before_sections(Path(args.before))
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
