"""``entities``, ``train-ner``, ``eval-ner`` and ``learn-clusters``: the entities stage."""

from __future__ import annotations

from pathlib import Path

from analysis._core.progress import progress_bar
from analysis.cli._common import CommandError, add_source_argument, command_articles, write_tables
from analysis.entities import cooccurrence, entities, source_mentions, top_entities
from analysis.entities.quotes import quotes, speakers
from analysis.entities.ner import (BASELINE_GROUPS, COMBINE_STRATEGIES, FEATURE_GROUPS, CrfRecognizer, IOBError,
                                   WordClusters, combine_corpora, corpus_texts, detect_format, evaluate,
                                   format_scores, holdout_split, iob_training_tokens, load_model, read_annotated,
                                   restrict_types)
from analysis.text import normalize, tokenize


def _entities_command(args) -> int:
    articles = command_articles(args.source)
    model = None
    if args.model:
        model = load_model(args.model)
    mentions = entities(articles, model=model)
    statements = quotes(articles, model=model)
    keep = args.include_sources
    tables = {
        "mentions.csv": mentions,
        "top_entities.csv": top_entities(mentions, n=args.top, include_sources=keep),
        "top_entities_by_site.csv": top_entities(mentions, articles, by="site", n=args.top, include_sources=keep),
        "top_sources.csv": top_entities(source_mentions(mentions), n=args.top, include_sources=True),
        "cooccurrence.csv": cooccurrence(mentions, level="sentence", include_sources=keep),
        "quotes.csv": statements,
        "speakers.csv": speakers(statements, n=args.top),
    }
    print(f"{len(articles)} articles: {len(mentions)} mentions of {mentions['canonical'].nunique()} entities, "
          f"{len(statements)} statements by {statements['speaker'].nunique()} speakers")  # fmt: skip
    print(write_tables(args.out, tables))
    return 0


def configure_entities(parser) -> None:
    parser.description = ("Recognise people, organisations and places in a corpus (or in a Parquet table "
                          "written by 'ingest'), attribute statements to their speakers, and write the tables "
                          "as CSV files into DIR.")
    add_source_argument(parser)
    parser.add_argument("--out", required=True, help="folder for the CSV tables")
    parser.add_argument("--model", default=None, help="a model written by 'train-ner' (default: the shipped one)")
    parser.add_argument("--top", type=int, default=20, help="entities and speakers kept per table (default 20)")
    parser.add_argument("--include-sources", action="store_true",
                        help="count the mentions in bylines and datelines («به گزارش ...») in the tables too")
    parser.set_defaults(func=_entities_command)


def _cmd_train(args) -> int:
    try:
        sentences = [s for path in args.iob_files for s in read_annotated(path, args.format)]
        peyma = [s for path in args.peyma for s in read_annotated(path, "peyma")]
        helper = None
        if peyma and args.combine in ("drop", "impute"):
            if not args.helper:
                raise CommandError(f"--combine {args.combine} needs --helper MODEL (trained on Arman alone)", exit_code=2)
            helper = load_model(args.helper)
    except (IOBError, FileNotFoundError) as error:
        raise CommandError(str(error), exit_code=2) from error
    held = []
    if args.holdout:
        sentences, held = holdout_split(sentences)
    if peyma:
        sentences = combine_corpora(sentences, peyma, args.combine, helper=helper)
    groups = BASELINE_GROUPS if args.baseline else FEATURE_GROUPS
    model = CrfRecognizer(groups=groups, clusters=args.clusters, c1=args.c1, c2=args.c2,
                          max_iterations=args.max_iterations, dictionary_types=args.dictionary_types,
                          dictionary_min_evidence=args.dictionary_min_evidence)  # fmt: skip
    model.fit(sentences, progress=True)
    base = model.save(args.out)
    left_out = f" ({len(held)} held-out sentences left out)" if args.holdout else ""
    print(f"trained on {len(sentences)} sentences{left_out}; model written to {base}.crfsuite / {base}.json")
    return 0


def _cmd_eval(args) -> int:
    try:
        model = load_model(None if args.model == "default" else args.model)
        fmt = detect_format(args.iob_file) if args.format == "auto" else args.format
        sentences = read_annotated(args.iob_file, fmt)
    except (IOBError, FileNotFoundError, OSError) as error:
        raise CommandError(str(error), exit_code=2) from error
    types = args.types.split(",") if args.types else (["PER", "ORG", "LOC"] if fmt == "peyma" else None)
    gold = [tags for _, tags in sentences]
    predicted = model.predict(tokens for tokens, _ in sentences)
    if types:
        gold = [restrict_types(tags, types) for tags in gold]
        predicted = [restrict_types(tags, types) for tags in predicted]
    print(f"{args.iob_file} ({fmt}, {len(sentences)} sentences" + (f"; types {','.join(types)}" if types else "") + ")")
    print(format_scores(evaluate(gold, predicted)))
    return 0


def configure_train_ner(train) -> None:
    train.add_argument("iob_files", nargs="+", metavar="IOB_FILE")
    train.add_argument("--format", choices=("auto", "iob", "peyma"), default="auto", help="format of IOB_FILE")
    train.add_argument("--peyma", nargs="+", default=[], metavar="PEYMA_FILE",
                       help="PEYMA files trained on together with IOB_FILE, combined as --combine says")
    train.add_argument("--combine", choices=COMBINE_STRATEGIES[1:], default="impute",
                       help="PEYMA's O may hide FAC/PRO/EVE: 'o' keeps it, 'drop' leaves out the sentences where "
                            "--helper finds one, 'impute' writes them into PEYMA's tags "
                            "(analysis.entities.ner.combine_corpora)")
    train.add_argument("--helper", default=None, metavar="MODEL",
                       help="recogniser trained on Arman alone (train-ner without --peyma), for --combine drop/impute")
    train.add_argument("--out", required=True, metavar="MODEL", help="model path (writes MODEL.crfsuite + MODEL.json)")
    train.add_argument("--clusters", default="default", help="word-cluster file ('default': shipped; 'none')")
    train.add_argument("--baseline", action="store_true", help="plain word/affix/context features only")
    train.add_argument("--holdout", action="store_true",
                       help="leave every fifth sentence out (analysis.entities.ner.holdout_split), as the shipped model does")
    defaults = CrfRecognizer()
    train.add_argument("--c1", type=float, default=defaults.c1, help="L1 regularisation")
    train.add_argument("--c2", type=float, default=defaults.c2, help="L2 regularisation")
    train.add_argument("--max-iterations", type=int, default=defaults.max_iterations)
    train.add_argument("--dictionary-types", type=float, default=defaults.dictionary_types,
                       help="learned phrases also mark each other type with at least this share of their tags")
    train.add_argument("--dictionary-min-evidence", type=int, default=defaults.dictionary_min_evidence,
                       help="learned phrases tagged fewer times than this get marks of their own (default 1: none)")
    train.set_defaults(func=_cmd_train)


def configure_eval_ner(ev) -> None:
    ev.add_argument("model", metavar="MODEL", help="model path, or 'default' for the shipped model")
    ev.add_argument("iob_file", metavar="FILE", help="annotated file: IOB (Arman, CoNLL) or PEYMA (token|TAG)")
    ev.add_argument("--format", choices=("auto", "iob", "peyma"), default="auto",
                    help="file format (auto: PEYMA when lines are token|TAG)")
    ev.add_argument("--types", default=None,
                    help="score these types only, comma-separated (default: all; PER,ORG,LOC for PEYMA, "
                         "which annotates no FAC/PRO/EVE)")
    ev.set_defaults(func=_cmd_eval)


def _cmd_learn(args) -> int:
    texts = list(corpus_texts(args.corpus))
    if not texts:
        raise CommandError("no .json or .txt corpus files found", exit_code=2)
    docs = [tokenize(normalize(t), punctuation=True, join_verb_parts=False) for t in progress_bar(texts, desc="tokens")]
    try:
        labelled = iob_training_tokens(args.iob_train) if args.iob_train else []
        whole = [tokens for path in args.labelled for tokens, _ in read_annotated(path)]
    except IOBError as error:
        raise CommandError(str(error), exit_code=2) from error
    labelled += whole
    k = tuple(args.k) if args.k else ((32, 128, 512, 2048) if args.method == "fasttext" else (32, 128, 512, 1024))
    if args.method == "fasttext":
        from analysis.entities.ner.vectors import FastTextClusters

        extra = [t for tokens in labelled for t in tokens]
        model = FastTextClusters(n_clusters=k, epochs=args.epochs, random_state=args.random_state)
        model.fit(docs + labelled, extra_words=extra)
        method = "analysis.entities.ner.vectors (FastText skip-gram with character 2-5-grams + k-means)"
    else:
        model = WordClusters(n_clusters=k, random_state=args.random_state).fit(docs + labelled)
        method = "analysis.entities.ner.clusters (PPMI + SVD + k-means)"
    sources = [Path(p).name for p in args.corpus]
    header = (
        f"Word clusters learned by {method} from the unlabeled text of:\n"
        + "\n".join(f"  {name}" for name in sources)
        + f"\n{len(texts)} articles, {sum(map(len, docs))} tokens"
        + (f"; plus the tokens (not the tags) of {len(labelled)} annotated sentences of "
           + " + ".join(Path(p).name for p in [*args.iob_train, *args.labelled])
           + (" (held-out fifth of the --iob-train files excluded)" if args.iob_train else "")
           if labelled else "")
        + f"; {len(model.words_)} words clustered."
        + f"\nCommand: python -m analysis learn-clusters {' '.join(sources)} --method {args.method}"
        + (" --iob-train " + " ".join(Path(p).name for p in args.iob_train) if args.iob_train else "")
        + (" --labelled " + " ".join(Path(p).name for p in args.labelled) if args.labelled else "")
        + " --out " + Path(args.out).name
    )  # fmt: skip
    model.write(args.out, header=header)
    print(f"{len(model.words_)} words clustered from {len(texts)} articles"
          + (f" and {len(labelled)} IOB sentences" if labelled else "") + f" -> {args.out}")  # fmt: skip
    return 0


def configure_learn_clusters(cmd) -> None:
    cmd.add_argument("corpus", nargs="+", help="corpus files or folders (.json record lists or .txt articles)")
    cmd.add_argument("--out", required=True, help="cluster file to write")
    cmd.add_argument("--iob-train", nargs="+", default=[], metavar="IOB_FILE",
                     help="IOB files whose tokens join the text (tags unused; the held-out fifth left out)")
    cmd.add_argument("--labelled", nargs="+", default=[], metavar="FILE",
                     help="annotated files (IOB or PEYMA, read whole: leave evaluation files out) whose tokens "
                          "join the text; with --method fasttext each of their words gets a cluster")
    cmd.add_argument("--method", choices=("ppmi", "fasttext"), default="ppmi",
                     help="ppmi: PPMI + SVD + k-means (default; scored higher in bench/eval/ner_cv.py); "
                          "fasttext: gensim FastText vectors (subwords) + k-means")
    cmd.add_argument("--epochs", type=int, default=10, help="FastText training passes")
    cmd.add_argument("--k", type=int, nargs="+", default=None,
                     help="k of each granularity (default 32 128 512 2048 for fasttext, 32 128 512 1024 for ppmi)")
    cmd.add_argument("--random-state", type=int, default=0)
    cmd.set_defaults(func=_cmd_learn)
