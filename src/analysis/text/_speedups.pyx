# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Compiled twins of the passes of :mod:`analysis.text` that touch every character or token.

Each public function gives exactly what the pure-Python function named in its docstring gives
(``tests/test_text_speedups.py`` compares them with hypothesis; ``tests/test_text.py`` runs with
either); ``analysis.text`` uses these where the extension is built and its own code otherwise.
Where the Python code needs a regex pass, a split and C-level ``map`` chains over every token,
these scan the text once, character by character, keep tokens as spans of the text, and make a
token string only where the result or a dictionary look-up needs one.

Characters are classed as Python's ``re`` classes them for ``str`` patterns: ``\\d`` is
``Py_UNICODE_ISDECIMAL``, ``\\w`` is ``Py_UNICODE_ISALNUM`` or ``_``.
"""

from cpython.dict cimport PyDict_GetItem
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.object cimport PyObject
from cpython.set cimport PySet_Contains
from libc.string cimport memcpy, memset


cdef extern from "Python.h":
    int PyUnicode_KIND(object text)
    void *PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, void *data, Py_ssize_t index)
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch)
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch)
    int PyUnicode_4BYTE_KIND
    object PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size)


cdef str ZWNJ = "\u200c"

ctypedef unsigned int uint32


# ---------------------------------------------------------------------------------------------
# Character classes, as Python's re sees them


cdef inline bint _is_decimal(Py_UCS4 c) noexcept:
    return c < 128 and 48 <= c <= 57 or c >= 128 and Py_UNICODE_ISDECIMAL(c)


cdef inline bint _is_asking(Py_UCS4 c) noexcept:
    # ؟ ! ?
    return c == 0x061F or c == 0x21 or c == 0x3F


cdef inline bint _is_numeric_part(Py_UCS4 c) noexcept:
    # \d . :
    return c == 0x2E or c == 0x3A or _is_decimal(c)


cdef inline bint _is_mark(Py_UCS4 c) noexcept:
    # : . ، ؛ » ] ) } " « [ ( { / \
    if c < 128:
        return (c == 0x3A or c == 0x2E or c == 0x5D or c == 0x29 or c == 0x7D or c == 0x22
                or c == 0x5B or c == 0x28 or c == 0x7B or c == 0x2F or c == 0x5C)
    return c == 0x060C or c == 0x061B or c == 0xBB or c == 0xAB


cdef inline bint _starts_group(Py_UCS4 c) noexcept:
    return _is_asking(c) or _is_numeric_part(c) or _is_mark(c)


cdef inline bint _is_letter(Py_UCS4 c) noexcept:
    # [^\W\d_]: a word character that is neither a digit nor "_"
    return Py_UNICODE_ISALNUM(c) and not _is_decimal(c)


cdef inline bint _is_word_char(Py_UCS4 c) noexcept:
    return c == 0x5F or Py_UNICODE_ISALNUM(c)


cdef inline Py_ssize_t _group_end(int kind, void *data, Py_ssize_t n, Py_ssize_t i) noexcept:
    """End of the punctuation group or number starting at ``i`` (hazm's tokenizer pattern)."""
    cdef Py_UCS4 c = PyUnicode_READ(kind, data, i), d
    cdef Py_ssize_t j = i + 1
    if _is_asking(c):
        while j < n and _is_asking(PyUnicode_READ(kind, data, j)):
            j += 1
    elif _is_numeric_part(c):
        while j < n:
            d = PyUnicode_READ(kind, data, j)
            if _is_numeric_part(d):
                j += 1
            elif d == 0x066B and j + 1 < n and _is_decimal(PyUnicode_READ(kind, data, j + 1)):
                j += 1  # «٫» between digits stays in the number
            else:
                break
    return j


cdef inline bint _is_closing(Py_UCS4 c) noexcept:
    # . : ! ، ؛ ؟ » ] ) }   (hazm PUNC_AFTER)
    if c < 128:
        return c == 0x2E or c == 0x3A or c == 0x21 or c == 0x5D or c == 0x29 or c == 0x7D
    return c == 0x060C or c == 0x061B or c == 0x061F or c == 0xBB


cdef inline bint _is_opening(Py_UCS4 c) noexcept:
    # « [ ( {   (hazm PUNC_BEFORE)
    return c == 0xAB or c == 0x5B or c == 0x28 or c == 0x7B


# ---------------------------------------------------------------------------------------------
# Prefilters: bit tables of word shapes (length, first and last character), so that most tokens
# need no hashing and no set look-up. They only ever skip look-ups that would fail: with or
# without them, the passes give the same results.

cdef enum:
    PAIR_BITS = 22  # one bit a (head, tail) pair code: 4 Mbit, about 6% set by hazm's 250,000 pairs
    WORD_BITS = 16  # one bit a word code


cdef inline uint32 _shape(str word) noexcept:
    return _shape_of(PyUnicode_KIND(word), PyUnicode_DATA(word), 0, len(word))


cdef inline uint32 _shape_of(int kind, void *data, Py_ssize_t start, Py_ssize_t end) noexcept:
    """A 32-bit code of the length and the first and last characters of ``text[start:end]``."""
    cdef uint32 h
    if end <= start:
        return 0
    h = <uint32>(end - start) * 0x9E3779B1u
    h ^= <uint32>PyUnicode_READ(kind, data, start) * 0x85EBCA77u
    h ^= <uint32>PyUnicode_READ(kind, data, end - 1) * 0xC2B2AE3Du
    h ^= h >> 15
    h *= 0x2C1B3C6Du
    h ^= h >> 12
    return h


cdef inline uint32 _pair(uint32 head, uint32 tail) noexcept:
    return (head * 0x9E3779B1u + tail) * 0x85EBCA77u


cdef inline bint _bit(const unsigned char *table, uint32 code, int bits) noexcept:
    cdef uint32 index = code >> (32 - bits)
    return table[index >> 3] & (1 << (index & 7))


cdef inline void _set_bit(unsigned char *table, uint32 code, int bits) noexcept:
    cdef uint32 index = code >> (32 - bits)
    table[index >> 3] |= 1 << (index & 7)


cdef class Prefilters:
    """Bit tables for a lexicon: which (head, tail) pairs could join with a ZWNJ, which tokens
    could be a suffix, which could start a verb group."""

    cdef bytearray pairs, suffixes, verb_starts

    def __init__(self, join_heads, suffixes, verb_starts):
        self.pairs = bytearray(1 << (PAIR_BITS - 3))
        self.suffixes = bytearray(1 << (WORD_BITS - 3))
        self.verb_starts = bytearray(1 << (WORD_BITS - 3))
        cdef unsigned char *pairs = self.pairs
        cdef uint32 tail_shape
        for tail, heads in join_heads.items():
            if tail in suffixes:  # their head set is every word: tested through the suffix table
                continue
            tail_shape = _shape(tail)
            for head in heads:
                _set_bit(pairs, _pair(_shape(head), tail_shape), PAIR_BITS)
        for word in suffixes:
            _set_bit(self.suffixes, _shape(word), WORD_BITS)
        for word in verb_starts:
            _set_bit(self.verb_starts, _shape(word), WORD_BITS)


def prefilters(lexicon):
    """:class:`Prefilters` of an ``analysis.text`` lexicon."""
    return Prefilters(lexicon.join_heads, lexicon.suffixes, lexicon.verb_part_starts)


# ---------------------------------------------------------------------------------------------
# Token spans


cdef class _Spans:
    """Where a text's tokens are: token ``t`` is ``text[starts[t]:ends[t]]``, or, where a ZWNJ run
    inside it was removed or shortened (``starts[t] == -1``), ``rebuilt[ends[t]]``."""

    cdef str text
    cdef int kind
    cdef void *data
    cdef Py_ssize_t *starts
    cdef Py_ssize_t *ends
    cdef Py_ssize_t count, capacity
    cdef list rebuilt

    def __cinit__(self, str text):
        self.text = text
        self.kind = PyUnicode_KIND(text)
        self.data = PyUnicode_DATA(text)
        self.capacity = len(text) + 1  # a text of n characters has at most n tokens
        self.starts = <Py_ssize_t *>PyMem_Malloc(2 * self.capacity * sizeof(Py_ssize_t))
        if self.starts is NULL:
            raise MemoryError()
        self.ends = self.starts + self.capacity
        self.count = 0
        self.rebuilt = []

    def __dealloc__(self):
        PyMem_Free(self.starts)

    cdef inline void add(self, Py_ssize_t start, Py_ssize_t end) noexcept:
        self.starts[self.count] = start
        self.ends[self.count] = end
        self.count += 1

    cdef inline void add_rebuilt(self, str token):
        self.starts[self.count] = -1
        self.ends[self.count] = len(self.rebuilt)
        self.rebuilt.append(token)
        self.count += 1

    def token_at(self, Py_ssize_t t):
        """Token ``t`` as a string."""
        return self.token(t)

    cdef inline str token(self, Py_ssize_t t):
        if self.starts[t] < 0:
            return self.rebuilt[self.ends[t]]
        return self.text[self.starts[t]:self.ends[t]]

    cdef inline uint32 shape(self, Py_ssize_t t):
        if self.starts[t] < 0:
            return _shape(self.rebuilt[self.ends[t]])
        return _shape_of(self.kind, self.data, self.starts[t], self.ends[t])


cdef _Spans _scan(str text, bint lines):
    """The tokens of ``text``: split at spaces and tabs, each punctuation group and number a token.

    ``lines=False``: as hazm's tokenizer, a line break is a space. ``lines=True``: as spacing
    correction, a line break is a token (three or more in a row count as two), and a run of ZWNJs
    stays as one ZWNJ between two letters and goes elsewhere.
    """
    cdef _Spans spans = _Spans(text)
    cdef Py_ssize_t n = len(text), i = 0, j, start = -1
    cdef int kind = spans.kind
    cdef void *data = spans.data
    cdef Py_UCS4 c
    cdef bint keep
    cdef object head = None  # the part of the open token before a removed or shortened ZWNJ run
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if c == 0x20 or c == 0x09 or c == 0x0A or _starts_group(c):
            if start >= 0:
                if head is None:
                    spans.add(start, i)
                else:
                    spans.add_rebuilt(head + text[start:i])
                    head = None
                start = -1
            if c == 0x0A and lines:
                j = i + 1
                while j < n and PyUnicode_READ(kind, data, j) == 0x0A:
                    j += 1
                spans.add(i, i + 1)
                if j - i > 1:
                    spans.add(i, i + 1)
                i = j
            elif c == 0x20 or c == 0x09 or c == 0x0A:
                i += 1
            else:
                j = _group_end(kind, data, n, i)
                spans.add(i, j)
                i = j
        elif c == 0x200C and lines:
            j = i + 1
            while j < n and PyUnicode_READ(kind, data, j) == 0x200C:
                j += 1
            keep = (i > 0 and j < n and _is_letter(PyUnicode_READ(kind, data, i - 1))
                    and _is_letter(PyUnicode_READ(kind, data, j)))
            if start >= 0 and not (keep and j == i + 1):
                head = (text[start:i] if head is None else head + text[start:i])
                if keep:
                    head = head + ZWNJ
                start = j
            i = j
        else:
            if start < 0:
                start = i
            i += 1
    if start >= 0:
        if head is None:
            spans.add(start, n)
        else:
            spans.add_rebuilt(head + text[start:n])
    return spans


# ---------------------------------------------------------------------------------------------
# The passes, in pipeline order: normalize


cdef enum:
    DELETE = 0xFFFE  # analysis.text._DELETE: the character goes
    EXPAND = 0xFFFF  # analysis.text._EXPAND: the character becomes several (str.translate does it)


def translate(str text, table):
    """``text`` through the character table, and whether it has a Persian letter three times in a
    row: ``analysis.text._translate``.

    One pass over the characters with the table's look-up array (characters beyond the BMP stay as
    they are); a text with a character that becomes several goes through ``str.translate``.
    """
    cdef const unsigned short[::1] lookup = table.lookup
    cdef const unsigned char[::1] letters = table.letters.view("uint8")
    cdef Py_ssize_t n = len(text), i, k = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    cdef unsigned short code
    if n == 0:
        return text, False
    cdef Py_UCS4 *out = <Py_UCS4 *>PyMem_Malloc(n * sizeof(Py_UCS4))
    if out is NULL:
        raise MemoryError()
    try:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c < 0x10000:
                code = lookup[c]
                if code == DELETE:
                    continue
                if code == EXPAND:
                    translated = text.translate(table.mapping)
                    return translated, _has_triple_letter(
                        PyUnicode_KIND(translated), PyUnicode_DATA(translated), len(translated),
                        letters,
                    )
                c = code
            out[k] = c
            k += 1
        return (
            PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, k),
            _has_triple_letter(PyUnicode_4BYTE_KIND, out, k, letters),
        )
    finally:
        PyMem_Free(out)


cdef bint _has_triple_letter(
    int kind, void *data, Py_ssize_t n, const unsigned char[::1] letters
) noexcept:
    """Whether the ``n`` characters at ``data`` have a Persian letter three times in a row."""
    cdef Py_ssize_t i, run = 0
    cdef Py_UCS4 c, previous = 0xFFFFFFFF
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == previous:
            run += 1
            if run >= 3 and c < 0x10000 and letters[c]:
                return True
        else:
            previous, run = c, 1
    return False


def lexicon_spacing(str text, lexicon, joins):
    """The text's spacing tokens joined by spaces, ZWNJ-joined where hazm's lexicon knows the
    compound: ``analysis.text._lexicon_spacing``; ``joins`` is ``analysis.text._lexicon_joins``.

    Token strings are made only for the pairs the prefilters cannot rule out; the output is
    written straight from the text.
    """
    cdef _Spans spans = _scan(text, True)
    cdef Py_ssize_t n = spans.count, t
    cdef PyObject *heads
    cdef list hits = []
    cdef dict join_heads = lexicon.join_heads
    cdef Prefilters filters = lexicon.prefilters
    cdef const unsigned char *pair_bits = NULL
    cdef const unsigned char *suffix_bits = NULL
    cdef uint32 shape, previous_shape = 0
    if n == 0:
        return ""
    if filters is not None:
        pair_bits, suffix_bits = filters.pairs, filters.suffixes
        previous_shape = spans.shape(0)
    for t in range(1, n):
        if filters is not None:
            shape = spans.shape(t)
            if not (_bit(suffix_bits, shape, WORD_BITS)
                    or _bit(pair_bits, _pair(previous_shape, shape), PAIR_BITS)):
                previous_shape = shape
                continue
            previous_shape = shape
        heads = PyDict_GetItem(join_heads, spans.token(t))
        if heads is not NULL and PySet_Contains(<object>heads, spans.token(t - 1)):
            hits.append(t)
    # hazm's left-to-right joins over the hits: the same Python code as the pure-Python pass
    return _joined_text(spans, joins(hits, spans.token_at, n, lexicon) if hits else {})


cdef str _joined_text(_Spans spans, dict merged):
    """The tokens, each after a ZWNJ where it was joined to the one before, else after a space."""
    cdef Py_ssize_t n = spans.count, t, i, size = 0, k = 0
    cdef str token
    for t in range(n):
        if spans.starts[t] >= 0:
            size += spans.ends[t] - spans.starts[t]
        else:
            size += len(<str>spans.rebuilt[spans.ends[t]])
    size += n - 1
    cdef Py_UCS4 *out = <Py_UCS4 *>PyMem_Malloc(max(size, 1) * sizeof(Py_UCS4))
    if out is NULL:
        raise MemoryError()
    cdef unsigned char *after_zwnj = <unsigned char *>PyMem_Malloc(n)
    if after_zwnj is NULL:
        PyMem_Free(out)
        raise MemoryError()
    cdef int kind
    cdef void *data
    try:
        memset(after_zwnj, 0, n)
        for t in merged:
            after_zwnj[<Py_ssize_t>t] = 1
        for t in range(n):
            if t:
                out[k] = 0x200C if after_zwnj[t] else 0x20
                k += 1
            if spans.starts[t] >= 0:
                kind, data = spans.kind, spans.data
                for i in range(spans.starts[t], spans.ends[t]):
                    out[k] = PyUnicode_READ(kind, data, i)
                    k += 1
            else:
                token = spans.rebuilt[spans.ends[t]]
                kind, data = PyUnicode_KIND(token), PyUnicode_DATA(token)
                for i in range(len(token)):
                    out[k] = PyUnicode_READ(kind, data, i)
                    k += 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, k)
    finally:
        PyMem_Free(out)
        PyMem_Free(after_zwnj)


# ---------------------------------------------------------------------------------------------
# Affix spacing: hazm's affix rules as passes over a character buffer, each reading the output
# of the one before (as the Python code's regexes do) and deciding every spot on that input.

cdef enum:
    HEH = 0x0647  # ه
    YEH = 0x06CC  # ی
    ALEF = 0x0627  # ا
    MEEM = 0x0645  # م
    NOON = 0x0646  # ن
    TEH = 0x062A  # ت
    REH = 0x0631  # ر
    GAF = 0x06AF  # گ
    SHEEN = 0x0634  # ش
    DAL = 0x062F  # د


cdef inline bint _at(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t i, Py_UCS4 c) noexcept:
    return i < n and s[i] == c


cdef Py_ssize_t _line_spaces(const Py_UCS4 *s, Py_ssize_t n, Py_UCS4 *out) noexcept:
    """``replace(" \\n", "\\n").replace("\\n ", "\\n")``."""
    cdef Py_ssize_t i, k = 0
    cdef Py_UCS4 before = 0  # the character before, as the first replacement leaves the text
    for i in range(n):
        if s[i] == 0x20:
            if _at(s, n, i + 1, 0x0A):
                continue
            if before == 0x0A:
                before = s[i]
                continue
        before = s[i]
        out[k] = s[i]
        k += 1
    return k


cdef Py_ssize_t _heh_yeh(const Py_UCS4 *s, Py_ssize_t n, Py_UCS4 *out) noexcept:
    """``([^ ]ه) ی `` -> ``\\1‌ی ``."""
    cdef Py_ssize_t i
    memcpy(out, s, n * sizeof(Py_UCS4))
    for i in range(1, n - 3):
        if (s[i] == HEH and s[i + 1] == 0x20 and s[i + 2] == YEH and s[i + 3] == 0x20
                and s[i - 1] != 0x20):
            out[i + 1] = 0x200C
    return n


cdef Py_ssize_t _mi_prefix(const Py_UCS4 *s, Py_ssize_t n, Py_UCS4 *out) noexcept:
    """``(^| )(ن?می) `` -> ``\\1\\2‌`` (``analysis.text._separate_mi_prefix``)."""
    cdef Py_ssize_t i, start, joined_end = -1
    memcpy(out, s, n * sizeof(Py_UCS4))
    for i in range(n - 2):
        if not (s[i] == MEEM and s[i + 1] == YEH and s[i + 2] == 0x20):
            continue
        if i == 0 or s[i - 1] == 0x20:
            start = i
        elif s[i - 1] == NOON and (i == 1 or s[i - 2] == 0x20):
            start = i - 1
        else:
            continue
        if start == joined_end:
            continue
        out[i + 2] = 0x200C
        joined_end = i + 3
    return n


cdef inline bint _suffix_boundary(
    const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t i, bint opening
) noexcept:
    """Whether ``i`` is the end of the text or a space, line break, closing mark (or, with
    ``opening``, an opening mark)."""
    if i >= n:
        return True
    return s[i] == 0x20 or s[i] == 0x0A or _is_closing(s[i]) or opening and _is_opening(s[i])


cdef Py_ssize_t _suffixes(const Py_UCS4 *s, Py_ssize_t n, Py_UCS4 *out) noexcept:
    """`` (تر(ین?)?|گری?|های?)`` -> ``‌\\1`` after two characters that are not a space, line break,
    digit or punctuation mark, before a space, line break, punctuation mark or the end."""
    cdef Py_ssize_t i
    cdef Py_UCS4 a, b
    cdef bint hit
    memcpy(out, s, n * sizeof(Py_UCS4))
    for i in range(2, n - 2):
        if s[i] != 0x20:
            continue
        a, b = s[i + 1], s[i + 2]
        if not (a == TEH and b == REH or a == GAF and b == REH or a == HEH and b == ALEF):
            continue
        if not (_plain(s[i - 1]) and _plain(s[i - 2])):
            continue
        if a == TEH:  # ترین, تری, تر: the longest that ends at a boundary
            hit = (_at(s, n, i + 3, YEH) and _at(s, n, i + 4, NOON)
                   and _suffix_boundary(s, n, i + 5, True)
                   or _at(s, n, i + 3, YEH) and _suffix_boundary(s, n, i + 4, True)
                   or _suffix_boundary(s, n, i + 3, True))
        elif a == GAF:  # گری, گر
            hit = (_at(s, n, i + 3, YEH) and _suffix_boundary(s, n, i + 4, True)
                   or _suffix_boundary(s, n, i + 3, True))
        else:  # های, ها
            hit = (_at(s, n, i + 3, YEH) and _suffix_boundary(s, n, i + 4, True)
                   or _suffix_boundary(s, n, i + 3, True))
        if hit:
            out[i] = 0x200C
    return n


cdef inline bint _plain(Py_UCS4 c) noexcept:
    """Not a space, line break, digit or punctuation mark:
    ``[^\\n\\d {PUNC_AFTER}{PUNC_BEFORE}]``."""
    return not (c == 0x20 or c == 0x0A or _is_decimal(c) or _is_closing(c) or _is_opening(c))


cdef Py_ssize_t _heh_enclitics(const Py_UCS4 *s, Py_ssize_t n, Py_UCS4 *out) noexcept:
    """``([^ ]ه) ا(م|یم|ش|ند|ی|ید|ت)`` -> ``\\1‌ا\\2`` before a space, line break, closing mark or
    the end."""
    cdef Py_ssize_t i, j
    memcpy(out, s, n * sizeof(Py_UCS4))
    for i in range(1, n - 3):
        if not (s[i] == HEH and s[i + 1] == 0x20 and s[i + 2] == ALEF and s[i - 1] != 0x20):
            continue
        j = i + 3
        if (s[j] == MEEM and _suffix_boundary(s, n, j + 1, False)
                or s[j] == YEH and _at(s, n, j + 1, MEEM) and _suffix_boundary(s, n, j + 2, False)
                or s[j] == SHEEN and _suffix_boundary(s, n, j + 1, False)
                or s[j] == NOON and _at(s, n, j + 1, DAL) and _suffix_boundary(s, n, j + 2, False)
                or s[j] == YEH and _suffix_boundary(s, n, j + 1, False)
                or s[j] == YEH and _at(s, n, j + 1, DAL) and _suffix_boundary(s, n, j + 2, False)
                or s[j] == TEH and _suffix_boundary(s, n, j + 1, False)):
            out[i + 1] = 0x200C
    return n


cdef Py_ssize_t _heh_heh(const Py_UCS4 *s, Py_ssize_t n, Py_UCS4 *out) noexcept:
    """``replace("هها", "ه‌ها")``."""
    cdef Py_ssize_t i = 0, k = 0
    while i < n:
        out[k] = s[i]
        k += 1
        if s[i] == HEH and i + 2 < n and s[i + 1] == HEH and s[i + 2] == ALEF:
            out[k] = 0x200C
            k += 1
        i += 1
    return k


cdef Py_ssize_t _spaced_quotes(const Py_UCS4 *s, Py_ssize_t n, Py_UCS4 *out) noexcept:
    """``" ([^\\n"]+) "`` -> ``"\\1"``."""
    cdef Py_ssize_t i = 0, k = 0, e
    while i < n:
        if s[i] == 0x22 and _at(s, n, i + 1, 0x20):
            e = i + 2
            while e < n and s[e] != 0x0A and s[e] != 0x22:
                e += 1
            if e < n and s[e] == 0x22 and e - 1 > i + 2 and s[e - 1] == 0x20:
                out[k] = 0x22
                k += 1
                memcpy(out + k, s + i + 2, (e - 1 - (i + 2)) * sizeof(Py_UCS4))
                k += e - 1 - (i + 2)
                out[k] = 0x22
                k += 1
                i = e + 1
                continue
        out[k] = s[i]
        k += 1
        i += 1
    return k


def affix_spacing(str text):
    """hazm's affix rules (ZWNJ before «ی»، after «می»، before «ها»، «تر» ...) after the spaces
    around line breaks go: ``analysis.text._affix_spacing``."""
    cdef Py_ssize_t n = len(text), i
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef bint quotes = False
    if n == 0:
        return text
    # «هها» gains a ZWNJ: at most one for every three characters
    cdef Py_ssize_t capacity = n + n // 3 + 1
    cdef Py_UCS4 *buffer = <Py_UCS4 *>PyMem_Malloc(2 * capacity * sizeof(Py_UCS4))
    if buffer is NULL:
        raise MemoryError()
    cdef Py_UCS4 *a = buffer
    cdef Py_UCS4 *b = buffer + capacity
    try:
        for i in range(n):
            a[i] = PyUnicode_READ(kind, data, i)
            quotes = quotes or a[i] == 0x22
        n = _line_spaces(a, n, b)
        n = _heh_yeh(b, n, a)
        n = _mi_prefix(a, n, b)
        n = _suffixes(b, n, a)
        n = _heh_enclitics(a, n, b)
        n = _heh_heh(b, n, a)
        if quotes:
            n = _spaced_quotes(a, n, b)
            a, b = b, a
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, a, n)
    finally:
        PyMem_Free(buffer)


def punctuation_spacing(str text):
    """hazm's punctuation spacing rules: ``analysis.text._punctuation_spacing``.

    Two passes, as the Python code's steps: first spaces go before a closing mark and after an
    opening one; then a space goes after a closing mark (after «.» and «:» unless a digit follows)
    and before an opening one, each decided on the neighbours the first pass left.
    """
    cdef Py_ssize_t n = len(text), i, m = 0, k = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c, before = 0, after  # before: the last character the first step keeps
    if n == 0:
        return text
    cdef Py_UCS4 *middle = <Py_UCS4 *>PyMem_Malloc(3 * n * sizeof(Py_UCS4))
    if middle is NULL:
        raise MemoryError()
    cdef Py_UCS4 *out = middle + n
    try:
        # pass 1: " " before a closing mark goes; then " " after an opening mark (as left by that)
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c == 0x20:
                if i + 1 < n and _is_closing(PyUnicode_READ(kind, data, i + 1)):
                    continue
                if _is_opening(before):
                    before = c
                    continue
            middle[m] = c
            m += 1
            before = c
        # pass 2: one space after a closing mark and before an opening one
        for i in range(m):
            c = middle[i]
            if _is_opening(c):
                if i > 0 and not (middle[i - 1] == 0x20 or _is_closing(middle[i - 1])
                                  or _is_opening(middle[i - 1])):
                    out[k] = 0x20
                    k += 1
                out[k] = c
                k += 1
                continue
            out[k] = c
            k += 1
            if _is_closing(c) and i + 1 < m:
                after = middle[i + 1]
                if not (after == 0x20 or _is_closing(after)
                        or (c == 0x2E or c == 0x3A) and _is_decimal(after)):
                    out[k] = 0x20
                    k += 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, k)
    finally:
        PyMem_Free(middle)


# ---------------------------------------------------------------------------------------------
# The passes, in pipeline order: tokenize


def raw_tokens(str text):
    """Tokens of ``text`` split at spaces, tabs and line breaks, with every punctuation group and
    number a token of its own: ``analysis.text._raw_tokens``."""
    cdef _Spans spans = _scan(text, False)
    return [text[spans.starts[t]:spans.ends[t]] for t in range(spans.count)]


def join_verb_parts(list tokens, lexicon, joined):
    """Verb parts joined with ``_``: ``analysis.text._join_verb_parts``; ``joined`` is
    ``analysis.text._verb_groups_joined``, which joins the groups from the candidates found here."""
    cdef Py_ssize_t n = PyList_GET_SIZE(tokens), t
    cdef list candidates = []
    starts = lexicon.verb_part_starts
    cdef Prefilters filters = lexicon.prefilters
    cdef const unsigned char *start_bits = NULL
    if filters is not None:
        start_bits = filters.verb_starts
    for t in range(n - 1):  # the last token starts no group
        token = <object>PyList_GET_ITEM(tokens, t)
        if start_bits is not NULL and not _bit(start_bits, _shape(<str>token), WORD_BITS):
            continue
        if PySet_Contains(starts, token):
            candidates.append(t)
    if not candidates:
        return tokens
    return joined(tokens, candidates, lexicon)


def word_tokens(list tokens):
    """The tokens that have a word character: ``analysis.text._word_tokens``."""
    cdef list out = []
    cdef Py_ssize_t i, n
    cdef int kind
    cdef void *data
    for token in tokens:
        n = len(<str>token)
        kind = PyUnicode_KIND(token)
        data = PyUnicode_DATA(token)
        for i in range(n):
            if _is_word_char(PyUnicode_READ(kind, data, i)):
                out.append(token)
                break
    return out


def spacing_tokens(str text):
    """The tokens spacing correction starts from, ``"\\n"`` tokens between lines:
    ``analysis.text._spacing_tokens`` (:func:`lexicon_spacing` works on their spans; this shows
    them, for the tests)."""
    cdef _Spans spans = _scan(text, True)
    return [spans.token(t) for t in range(spans.count)]
