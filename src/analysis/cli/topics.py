"""``topics``: fit a topic model to a corpus and write its tables as CSV."""

from __future__ import annotations

from analysis.cli._common import add_source_argument, command_articles, write_tables
from analysis.text import add_tokens
from analysis.topics import TopicModel, document_topics, dominant_topics, topic_tree


def _run_topics(args) -> int:
    articles = command_articles(args.source)
    articles = add_tokens(articles, punctuation=True)
    k = args.k if args.k == "auto" else int(args.k)
    model = TopicModel(method=args.method, k=k, random_state=args.seed).fit(articles)
    write_tables(args.out, {
        "topic_terms.csv": model.topic_terms_,
        "coherence.csv": model.coherence_,
        "dominant_topics.csv": dominant_topics(model, articles),
        "document_topics.csv": document_topics(model, articles, min_weight=0.05),
        "topic_tree.csv": topic_tree(model),
    })
    print(f"{len(articles)} articles, {model.k_} topics ({model.fine_k_} fine) -> {args.out}")
    for topic, label in enumerate(model.labels_):
        print(f"  {topic + 1:>2}. {label}")
    return 0


def configure_topics(parser) -> None:
    parser.description = ("Load SOURCE, fit a topic model (k chosen from the corpus unless given: fine topics by "
                          "coherence among stable k, grouped into coarse subjects) and write topic_terms.csv, "
                          "coherence.csv, dominant_topics.csv, document_topics.csv and topic_tree.csv into OUT.")
    add_source_argument(parser)
    parser.add_argument("--k", default="auto", help='number of topics or "auto" (default)')
    parser.add_argument("--method", choices=["nmf", "lda"], default="nmf")
    parser.add_argument("--seed", type=int, default=0, help="random state (default 0)")
    parser.add_argument("--out", default="topics", help="output folder (default ./topics)")
    parser.set_defaults(func=_run_topics)
