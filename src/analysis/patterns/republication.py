"""Who republishes whom: near-duplicate articles across sites, found with MinHash and LSH.

An article's text (``body`` by default, so a new title does not hide a copy) is cut into word
shingles (``shingle_size`` consecutive words). Two articles are copies when the Jaccard similarity
of their shingle sets is at least ``threshold``. Comparing all pairs is quadratic, so:

1. MinHash signatures are computed for all articles at once with numpy (multiply-shift hashing of
   64-bit shingle hashes; one vectorised pass per block of permutations instead of Python per
   document);
2. LSH with numpy: each signature is cut into bands, a band is hashed to one 64-bit key, and
   articles with an equal (band, key) are candidates (found by sorting the keys); (bands, rows) are
   chosen so that a pair at exactly ``threshold`` becomes a candidate with probability at least
   ``1 - max_miss`` (the LSH curve is set *below* the decision threshold);
3. candidates are checked with their exact shingle Jaccard, so what is reported is measured, not
   estimated; verified pairs are joined into clusters (connected components).

In a cluster the *first publisher* is the earliest article (undated articles last; ties go to the
longer text, then the doc_id); every other member is a copy with its lag and its similarity to the
first. :func:`site_republication` and :func:`republication_graph` aggregate copies into a
site-to-site table and a directed graph (edge source -> copier).

Out of core (a dataset folder, a Dask collection or a list of chunks: :func:`find_republications`
through ``analysis.scale.engine.republication``), in two passes over the articles, part by part:

1. :func:`band_keys`: each part's signatures are computed and only their LSH band keys kept
   (``n_articles x bands x 8`` bytes in memory, about 170 MB a million articles at 21 bands);
   :func:`candidate_ids` keeps the articles sharing a (band, key) with another article;
2. :func:`candidate_sketch`: the word shingles of those candidates only are read again, and the
   in-memory detector runs on them. Articles that share no bucket with any other article can never
   be in a pair, so the tables equal the in-memory path's on the whole corpus.
"""

from __future__ import annotations

import re

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from analysis._core.progress import progress_bar

_NOT_WORD = re.compile(r"[^\w\s]+")
#: marks where one document ends in a chunk's joined text; \w-only and never produced by words()
#: of real text, because words() lower-cases and this contains upper-case letters
_SEPARATOR = "DOCSEPARATORQX7"
#: words a shingle: five-word shingles, as in Broder's near-duplicate detection (short enough for
#: news paragraphs, long enough that unrelated articles on one topic share few of them)
SHINGLE_SIZE = 5
#: LSH buckets up to this size give all their pairs as candidates; larger ones are linked in stars
_ALL_PAIRS_BUCKET = 50

COPY_COLUMNS = [
    "cluster_id", "doc_id", "site", "domain", "published", "title", "is_first", "first_doc_id",
    "first_site", "lag", "lag_hours", "similarity", "cluster_size",
]


def words(text: str) -> list[str]:
    """The words of a (normalised) text, as the shingler sees them."""
    return _NOT_WORD.sub(" ", str(text).lower()).split()  # runs of \w: same as findall(r"\w+"), faster


def shingle_set(text: str, shingle_size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """The set of word shingles of ``text`` (a text shorter than one shingle is one shingle)."""
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) < shingle_size:
        return {tuple(tokens)}
    return {tuple(tokens[i : i + shingle_size]) for i in range(len(tokens) - shingle_size + 1)}


def shingle_jaccard(text_a: str, text_b: str, shingle_size: int = SHINGLE_SIZE) -> float:
    """Exact Jaccard similarity of the word-shingle sets of two texts (0.0 when both are empty)."""
    a, b = shingle_set(text_a, shingle_size), shingle_set(text_b, shingle_size)
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def lsh_params(threshold: float, num_perm: int, max_miss: float = 0.005) -> tuple[int, int]:
    """(bands, rows) for LSH: a pair with Jaccard ``threshold`` is a candidate with probability
    ``1 - (1 - threshold**rows)**bands >= 1 - max_miss``; among those, the most rows per band (the
    fewest low-similarity candidates)."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= 1 - max_miss:
            best = (bands, rows)
    return best


class RepublicationDetector:
    """Near-duplicate (republished) articles by MinHash + LSH over word shingles.

    Parameters: ``threshold`` (shingle Jaccard for two texts to count as copies), ``shingle_size``
    (words a shingle), ``num_perm`` (MinHash permutations), ``max_miss`` (allowed LSH miss rate for
    a pair exactly at the threshold), ``text_column``, ``random_state``, ``chunk_size`` (articles
    hashed at a time), ``progress`` (tqdm bars).

    After :meth:`fit`: ``pairs_`` (verified pairs: ``doc_a``, ``doc_b`` as row positions,
    ``similarity``), ``copies_`` (one row per article in a cluster, see :data:`COPY_COLUMNS`),
    ``bands_``/``rows_`` (LSH layout), ``n_candidates_`` (pairs checked exactly).
    """

    def __init__(
        self,
        threshold: float = 0.8,
        shingle_size: int = SHINGLE_SIZE,
        num_perm: int = 128,
        max_miss: float = 0.005,
        text_column: str = "body",
        random_state: int = 0,
        chunk_size: int = 5000,
        progress: bool = True,
    ):
        self.threshold = threshold
        self.shingle_size = shingle_size
        self.num_perm = num_perm
        self.max_miss = max_miss
        self.text_column = text_column
        self.random_state = random_state
        self.chunk_size = chunk_size
        self.progress = progress

    # -- fitting -------------------------------------------------------------------------------

    def fit(self, articles: pd.DataFrame) -> "RepublicationDetector":
        """Find the copies in ``articles`` (the articles table; needs doc_id, published and the text)."""
        _check_columns(articles, self.text_column)
        texts = articles[self.text_column].astype("string").fillna("").tolist()
        offsets, shingles = shingle_hashes(texts, self.shingle_size, self.chunk_size, self.progress)
        return self._fit_shingles(articles, offsets, shingles)

    def fit_sketch(self, sketch: "Sketch") -> "RepublicationDetector":
        """:meth:`fit` on articles already cut into shingles (:func:`candidate_sketch` output)."""
        return self._fit_shingles(sketch.articles, sketch.offsets, sketch.shingles)

    def _fit_shingles(self, articles: pd.DataFrame, offsets: np.ndarray, shingles: np.ndarray):
        self.signatures_ = minhash_signatures(offsets, shingles, self.num_perm, self.random_state,
                                              self.chunk_size, self.progress)
        self.bands_, self.rows_ = lsh_params(self.threshold, self.num_perm, self.max_miss)
        candidates = self._candidates(self.signatures_, np.diff(offsets) > 0)
        self.n_candidates_ = len(candidates)
        sets = _ShingleSets(offsets, shingles)
        self.pairs_ = self._verify(candidates, sets)
        self.copies_ = self._clusters(articles, self.pairs_, sets)
        return self

    def _candidates(self, signatures: np.ndarray, usable: np.ndarray) -> np.ndarray:
        """Candidate pairs (i < j, row positions) sharing at least one LSH band bucket.

        Per band: the usable articles sorted by their band key; each run of equal keys is a bucket.
        Buckets up to ``_ALL_PAIRS_BUCKET`` members give all their pairs (grouped by bucket size,
        so one numpy step per size); larger ones are linked in stars (:meth:`_star_pairs`).
        """
        docs = np.flatnonzero(usable)
        keys = band_hashes(signatures[docs], self.bands_, self.rows_)
        pairs, seen_large = [], set()
        for band in range(keys.shape[1]):
            order = np.argsort(keys[:, band], kind="stable")  # equal keys keep ascending row order
            sorted_keys = keys[order, band]
            starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
            sizes = np.diff(np.r_[starts, len(sorted_keys)])
            members = docs[order]
            for size in np.unique(sizes[(sizes > 1) & (sizes <= _ALL_PAIRS_BUCKET)]):
                block = members[starts[sizes == size][:, None] + np.arange(size)]  # buckets x size
                i, j = np.triu_indices(int(size), k=1)
                pairs.append(np.stack([block[:, i].ravel(), block[:, j].ravel()], axis=1))
            for start, size in zip(starts[sizes > _ALL_PAIRS_BUCKET], sizes[sizes > _ALL_PAIRS_BUCKET]):
                ordered = members[start : start + size]
                if (digest := hash(ordered.tobytes())) not in seen_large:  # same bucket in other bands
                    seen_large.add(digest)
                    pairs.extend(self._star_pairs(ordered, signatures))
        if not pairs:
            return np.zeros((0, 2), dtype=np.int64)
        stacked = np.concatenate(pairs).astype(np.int64)
        width = np.int64(len(signatures))
        codes = np.unique(stacked[:, 0] * width + stacked[:, 1])
        return np.stack([codes // width, codes % width], axis=1)

    def _star_pairs(self, members: np.ndarray, signatures: np.ndarray) -> list[np.ndarray]:
        """Candidate pairs of a large bucket (many copies of one text, boilerplate) without all pairs.

        Each round pairs a representative with the members whose signatures agree with it enough to
        pass the verification filter; the others form the next round, until few enough are left for
        all pairs. Copies of one text are thus linked through one member in O(n) instead of O(n^2).
        """
        out = []
        rest = members
        while len(rest) > _ALL_PAIRS_BUCKET:
            estimate = (signatures[rest[1:]] == signatures[rest[0]]).mean(axis=1)
            near = estimate >= self._estimate_cutoff()
            out.append(np.stack([np.full(int(near.sum()), rest[0]), rest[1:][near]], axis=1))
            rest = rest[1:][~near]
        if len(rest) > 1:
            i, j = np.triu_indices(len(rest), k=1)
            out.append(np.stack([rest[i], rest[j]], axis=1))
        return out

    def _estimate_cutoff(self) -> float:
        """Signature agreement below which a pair is not checked exactly: four standard errors under
        the threshold (a pair at the threshold falls below it with probability < 0.01 %)."""
        return self.threshold - 4 * np.sqrt(self.threshold * (1 - self.threshold) / self.num_perm) - 1e-9

    def _verify(self, candidates: np.ndarray, sets: "_ShingleSets") -> pd.DataFrame:
        """Exact shingle Jaccard of candidate pairs likely to pass (signature estimate first)."""
        columns = {"doc_a": "int64", "doc_b": "int64", "similarity": "float64"}
        if len(candidates) == 0:
            return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
        sig = self.signatures_
        estimate = np.empty(len(candidates))
        for begin in range(0, len(candidates), 100_000):
            part = candidates[begin : begin + 100_000]
            estimate[begin : begin + len(part)] = (sig[part[:, 0]] == sig[part[:, 1]]).mean(axis=1)
        likely = candidates[estimate >= self._estimate_cutoff()]
        similarity = np.array([_jaccard(sets[i], sets[j]) for i, j in progress_bar(likely, desc="verifying", show=self.progress,
                                                unit="pair", miniters=10000)], dtype=float)
        keep = similarity >= self.threshold - 1e-12
        return pd.DataFrame({"doc_a": likely[keep, 0], "doc_b": likely[keep, 1], "similarity": similarity[keep]})

    def _clusters(self, articles: pd.DataFrame, pairs: pd.DataFrame, sets: "_ShingleSets") -> pd.DataFrame:
        """The copies table (:data:`COPY_COLUMNS`) from verified pairs of row positions of ``articles``."""
        if pairs.empty:
            return _empty_copies()
        parent = {}

        def find(x):
            root = x
            while parent.get(root, root) != root:
                root = parent[root]
            while parent.get(x, x) != root:
                parent[x], x = root, parent[x]
            return root

        for a, b in zip(pairs["doc_a"].to_numpy(), pairs["doc_b"].to_numpy()):
            ra, rb = find(int(a)), find(int(b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        members = np.unique(pairs[["doc_a", "doc_b"]].to_numpy())
        roots = np.array([find(int(m)) for m in members])
        frame = articles.iloc[members]
        published = frame["published"].to_numpy()
        table = pd.DataFrame({
            "row": members,
            "root": roots,
            "doc_id": frame["doc_id"].astype("string").to_numpy(),
            "site": _column(frame, "site"),
            "domain": _column(frame, "domain"),
            "published": published,
            "title": _column(frame, "title"),
            "n_shingles": [len(sets[m]) for m in members],
        })
        # first publisher: earliest; undated last; then the longer text; then the doc_id
        table["undated"] = table["published"].isna()
        table = table.sort_values(["root", "undated", "published", "n_shingles", "doc_id"],
                                  ascending=[True, True, True, False, True], kind="stable")
        first = table.groupby("root").head(1).set_index("root")
        table["first_row"] = table["root"].map(first["row"])
        table["first_doc_id"] = table["root"].map(first["doc_id"]).astype("string")
        table["first_site"] = table["root"].map(first["site"]).astype("string")
        table["is_first"] = table["row"] == table["first_row"]
        table["lag"] = table["published"] - table["root"].map(first["published"])
        table["lag_hours"] = table["lag"].dt.total_seconds() / 3600
        table["similarity"] = [
            1.0 if r == f else _jaccard(sets[r], sets[f])
            for r, f in zip(table["row"], table["first_row"])
        ]
        table["cluster_size"] = table.groupby("root")["row"].transform("size")
        order = table.groupby("root")["published"].transform("min").rename("cluster_start")
        table = table.assign(cluster_start=order).sort_values(["cluster_start", "root", "is_first", "published"],
                                                              ascending=[True, True, False, True], kind="stable")
        table["cluster_id"] = pd.factorize(table["root"])[0].astype("int64")
        return table[COPY_COLUMNS].reset_index(drop=True)


def _check_columns(articles: pd.DataFrame, text_column: str, dated: bool = True) -> None:
    for column in ("doc_id", *(["published"] if dated else []), text_column):
        if column not in articles.columns:
            raise KeyError(f"the articles table has no column {column!r}, needed to find republications")


def shingle_hashes(texts: list[str], shingle_size: int = SHINGLE_SIZE, chunk_size: int = 5000,
                   progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """CSR layout of each text's distinct 64-bit shingle hashes (sorted), in text order: (offsets, hashes).

    A word's id is a 64-bit hash of the word (``pandas.util.hash_array``), so the same shingle hashes
    the same in every chunk, part or process.
    """
    per_chunk, sizes = [], []
    chunks = range(0, len(texts), chunk_size)
    for begin in progress_bar(chunks, desc="shingling", show=progress, unit="chunk"):
        chunk = texts[begin : begin + chunk_size]
        # one regex pass and one split over the whole chunk; a separator token marks the documents
        joined = _NOT_WORD.sub(" ", f" {_SEPARATOR} ".join(t.lower() for t in chunk)).split()
        codes, uniques = pd.factorize(np.array(joined, dtype=object))
        word_ids = pd.util.hash_array(np.asarray(uniques, dtype=object), categorize=False)
        separator_code = np.flatnonzero(uniques == _SEPARATOR)
        cut = np.flatnonzero(codes == separator_code[0]) if len(separator_code) else np.zeros(0, dtype=np.int64)
        bounds = np.concatenate([[-1], cut, [len(codes)]])
        lengths = np.diff(bounds) - 1
        keep = np.ones(len(codes), dtype=bool)
        keep[cut] = False
        hashes, owners = _chunk_shingles(word_ids[codes[keep]], lengths, shingle_size)
        order = np.lexsort((hashes, owners))  # by document, then hash: duplicates side by side
        hashes, owners = hashes[order], owners[order]
        if len(hashes):
            distinct = np.r_[True, (owners[1:] != owners[:-1]) | (hashes[1:] != hashes[:-1])]
        else:  # no text of the chunk is long enough for a shingle
            distinct = np.zeros(0, dtype=bool)
        per_chunk.append(hashes[distinct])
        sizes.append(np.bincount(owners[distinct], minlength=len(chunk)))
    sizes_all = np.concatenate(sizes) if sizes else np.zeros(0, dtype=np.int64)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(sizes_all, out=offsets[1:])
    shingles = np.concatenate(per_chunk) if per_chunk else np.zeros(0, dtype=np.uint64)
    return offsets, shingles


def minhash_signatures(offsets: np.ndarray, shingles: np.ndarray, num_perm: int = 128, random_state: int = 0,
                       chunk_size: int = 5000, progress: bool = False) -> np.ndarray:
    """MinHash signatures (n_docs x num_perm, uint32; all-max for texts without words).

    Each 64-bit shingle hash is folded to 32 bits and permuted by ``a * h + b mod 2**32`` with
    ``a`` odd (a bijection, datasketch's "affine32" scheme); a signature is the minimum per
    permutation over the document's shingles.
    """
    rng = np.random.default_rng(random_state)
    a = (rng.integers(0, 2**31, size=num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1))[:, None]
    b = rng.integers(0, 2**32, size=num_perm, dtype=np.uint32)[:, None]
    n_docs = len(offsets) - 1
    signatures = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    nonempty = np.flatnonzero(np.diff(offsets) > 0)
    block = 16
    step = max(1, chunk_size)
    for begin in progress_bar(range(0, len(nonempty), step), desc="minhash", show=progress, unit="chunk"):
        docs = nonempty[begin : begin + step]
        lo, hi = offsets[docs[0]], offsets[docs[-1] + 1]
        values = (shingles[lo:hi] >> np.uint64(32)).astype(np.uint32)[None, :]
        starts = offsets[docs] - lo  # docs are consecutive apart from empty ones, which own nothing
        with np.errstate(over="ignore"):
            for p in range(0, num_perm, block):
                permuted = a[p : p + block] * values + b[p : p + block]
                signatures[docs, p : p + block] = np.minimum.reduceat(permuted, starts, axis=1).T
    return signatures


def band_hashes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per LSH band of each signature (n_docs x bands, uint64): equal bands, equal keys."""
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            key = np.full(len(signatures), np.uint64(band + 1))
            for column in range(band * rows, (band + 1) * rows):
                key = _mix64(key ^ (signatures[:, column].astype(np.uint64) + np.uint64(column + 1)))
            keys[:, band] = key
    return keys


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name in frame.columns:
        return frame[name].astype("string").fillna("").to_numpy()
    return np.full(len(frame), "", dtype=object)


def _empty_copies() -> pd.DataFrame:
    dtypes = {"cluster_id": "int64", "doc_id": "string", "site": "string", "domain": "string",
              "published": "datetime64[ns]", "title": "string", "is_first": "bool", "first_doc_id": "string",
              "first_site": "string", "lag": "timedelta64[ns]", "lag_hours": "float64",
              "similarity": "float64", "cluster_size": "int64"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in COPY_COLUMNS})


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads structured 64-bit integers over all bits."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _chunk_shingles(ids: np.ndarray, lengths: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every k-word shingle of each document and the document (chunk position) owning it.

    Word ids of all documents are concatenated; a shingle is kept when its k words belong to one
    document. A document shorter than k words gets one shingle of all its words.
    """
    n_docs = len(lengths)
    owner_of_word = np.repeat(np.arange(n_docs), lengths)
    if len(ids) >= k:
        with np.errstate(over="ignore"):
            h = np.zeros(len(ids) - k + 1, dtype=np.uint64)
            for offset in range(k):
                h = _mix64(h ^ _mix64(ids[offset : len(ids) - k + 1 + offset] + np.uint64(offset + 1)))
        valid = owner_of_word[: len(ids) - k + 1] == owner_of_word[k - 1 :]
        hashes, owners = h[valid], owner_of_word[: len(ids) - k + 1][valid]
    else:
        hashes, owners = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    short = np.flatnonzero((lengths > 0) & (lengths < k))
    if len(short):
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        extra = []
        for doc in short:
            h = np.uint64(0)
            with np.errstate(over="ignore"):
                for offset, word in enumerate(ids[starts[doc] : starts[doc] + lengths[doc]]):
                    h = _mix64(np.array([h ^ _mix64(np.array([word + np.uint64(offset + 1)]))[0]]))[0]
            extra.append(h)
        hashes = np.concatenate([hashes, np.array(extra, dtype=np.uint64)])
        owners = np.concatenate([owners, short])
        order = np.argsort(owners, kind="stable")
        hashes, owners = hashes[order], owners[order]
    return hashes, owners


class _ShingleSets:
    """Sorted distinct shingle hashes of document ``i`` (a view into the CSR arrays)."""

    def __init__(self, offsets: np.ndarray, shingles: np.ndarray):
        self.offsets, self.shingles = offsets, shingles

    def __getitem__(self, i) -> np.ndarray:
        i = int(i)
        return self.shingles[self.offsets[i] : self.offsets[i + 1]]


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard of two sorted arrays of unique values."""
    if len(a) == 0 and len(b) == 0:
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


# ----------------------------------------------------------------------------------------------
# functional API
# ----------------------------------------------------------------------------------------------


def find_republications(articles: pd.DataFrame, threshold: float = 0.8, **params) -> pd.DataFrame:
    """Clusters of republished articles: one row per article in a cluster (see :data:`COPY_COLUMNS`).

    ``is_first`` marks the first publisher; ``lag`` is how long after it each copy appeared and
    ``similarity`` its shingle Jaccard with it. Other keyword arguments go to
    :class:`RepublicationDetector`.

    ``articles``: the articles table in memory. For a dataset folder, a list of DataFrames or a
    ``dask.dataframe``, :func:`analysis.scale.engine.find_republications` gives the same table out of
    core, in two passes (see the module docstring).
    """
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(f"find_republications takes an articles DataFrame, not {type(articles).__name__}; "
                        "for a dataset or chunks use analysis.scale.engine.find_republications")
    return RepublicationDetector(threshold=threshold, **params).fit(articles).copies_


# ----------------------------------------------------------------------------------------------
# out of core: two passes over the articles, part by part (driven by analysis.scale.engine)
# ----------------------------------------------------------------------------------------------

#: article columns kept for the copies table (besides the text)
SKETCH_COLUMNS = ("doc_id", "published", "site", "domain", "title")


@dataclass
class Sketch:
    """Articles cut into shingles: ``articles`` (the :data:`SKETCH_COLUMNS` present, no text),
    ``offsets`` and ``shingles`` (CSR of each article's sorted distinct shingle hashes)."""

    articles: pd.DataFrame
    offsets: np.ndarray
    shingles: np.ndarray


def _detector(params: dict) -> RepublicationDetector:
    return RepublicationDetector(**{**params, "progress": False})


def band_keys(chunk: pd.DataFrame, **params) -> pd.DataFrame:
    """First pass, one chunk: ``doc_id`` and the LSH band keys (``band_0`` ...) of each article with
    words; ``params`` as for :class:`RepublicationDetector`."""
    detector = _detector(params)
    _check_columns(chunk, detector.text_column, dated=False)
    texts = chunk[detector.text_column].astype("string").fillna("").tolist()
    offsets, shingles = shingle_hashes(texts, detector.shingle_size, detector.chunk_size)
    signatures = minhash_signatures(offsets, shingles, detector.num_perm, detector.random_state, detector.chunk_size)
    bands, rows = lsh_params(detector.threshold, detector.num_perm, detector.max_miss)
    usable = np.diff(offsets) > 0
    keys = band_hashes(signatures[usable], bands, rows)
    table = pd.DataFrame(keys, columns=[f"band_{i}" for i in range(bands)])
    table.insert(0, "doc_id", chunk["doc_id"].astype("string").to_numpy()[usable])
    return table


def _id_hashes(doc_ids) -> np.ndarray:
    return pd.util.hash_array(np.asarray(pd.Series(doc_ids).astype("string").fillna(""), dtype=object),
                              categorize=False)


def candidate_ids(keys: pd.DataFrame) -> np.ndarray:
    """First pass, the end: the articles sharing a (band, key) with another article, as the sorted
    64-bit hashes of their doc_ids (8 bytes each, found by binary search in the second pass; a hash
    collision only adds an article, which cannot change the result)."""
    shared = np.zeros(len(keys), dtype=bool)
    for column in keys.columns.drop("doc_id"):
        shared |= keys[column].duplicated(keep=False).to_numpy()
    return np.unique(_id_hashes(keys["doc_id"].to_numpy()[shared]))


def candidate_sketch(chunk: pd.DataFrame, wanted: np.ndarray, **params) -> Sketch:
    """Second pass, one chunk: the :class:`Sketch` of the articles whose doc_id hash is in ``wanted``
    (:func:`candidate_ids`)."""
    detector = _detector(params)
    _check_columns(chunk, detector.text_column)
    hashes = _id_hashes(chunk["doc_id"])
    at = np.minimum(np.searchsorted(wanted, hashes), max(len(wanted) - 1, 0))
    picked = chunk[(wanted[at] == hashes) if len(wanted) else np.zeros(len(chunk), dtype=bool)]
    texts = picked[detector.text_column].astype("string").fillna("").tolist()
    offsets, shingles = shingle_hashes(texts, detector.shingle_size, detector.chunk_size)
    kept = [c for c in SKETCH_COLUMNS if c in picked.columns]
    return Sketch(picked[kept].reset_index(drop=True), offsets, shingles)


def combine_sketches(parts: list[Sketch]) -> Sketch:
    """Sketches of consecutive chunks as one, in order."""
    if len(parts) == 1:
        return parts[0]
    articles = pd.concat([p.articles for p in parts], ignore_index=True)
    sizes = np.concatenate([np.diff(p.offsets) for p in parts])
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return Sketch(articles, offsets, np.concatenate([p.shingles for p in parts]))


def sketch_copies(sketch: Sketch, **params) -> pd.DataFrame:
    """Second pass, the end: the copies table of the candidates (the in-memory detector on them)."""
    return RepublicationDetector(**{**params, "progress": False}).fit_sketch(sketch).copies_


def site_republication(copies: pd.DataFrame, by: str = "site", include_self: bool = True) -> pd.DataFrame:
    """Site-to-site republication table from :func:`find_republications` output.

    One row per (source, copier) pair of sites (``by`` = ``site`` or ``domain``): ``n_copies``,
    ``median_lag_hours``, ``mean_lag_hours``, ``mean_similarity``. ``include_self=False`` drops a
    site republishing itself. Sorted by ``n_copies``.
    """
    columns = ["source", "copier", "n_copies", "median_lag_hours", "mean_lag_hours", "mean_similarity"]
    if copies.empty:
        return pd.DataFrame({c: pd.Series(dtype="string" if c in ("source", "copier") else
                                          "int64" if c == "n_copies" else "float64") for c in columns})
    first_of = copies[copies["is_first"]].set_index("cluster_id")[by]
    moved = copies[~copies["is_first"]].assign(source=lambda t: t["cluster_id"].map(first_of), copier=lambda t: t[by])
    if not include_self:
        moved = moved[moved["source"] != moved["copier"]]
    table = moved.groupby(["source", "copier"]).agg(
        n_copies=("doc_id", "size"),
        median_lag_hours=("lag_hours", "median"),
        mean_lag_hours=("lag_hours", "mean"),
        mean_similarity=("similarity", "mean"),
    ).reset_index()
    table = table.astype({"source": "string", "copier": "string", "n_copies": "int64"})
    return table.sort_values(["n_copies", "source", "copier"], ascending=[False, True, True]).reset_index(drop=True)


def republication_graph(copies: pd.DataFrame, by: str = "site", include_self: bool = False) -> nx.DiGraph:
    """Directed graph of who copies whom: an edge source -> copier per pair of sites.

    Edge attributes: ``weight`` (= n_copies), ``n_copies``, ``median_lag_hours``, ``mean_similarity``.
    Node attributes: ``n_first`` (clusters the site published first), ``n_copies`` (copies it
    published).
    """
    graph = nx.DiGraph()
    if copies.empty:
        return graph
    for site, group in copies.groupby(by):
        graph.add_node(site, n_first=int(group["is_first"].sum()), n_copies=int((~group["is_first"]).sum()))
    for row in site_republication(copies, by=by, include_self=include_self).itertuples(index=False):
        graph.add_edge(row.source, row.copier, weight=int(row.n_copies), n_copies=int(row.n_copies),
                       median_lag_hours=float(row.median_lag_hours), mean_similarity=float(row.mean_similarity))
    return graph
