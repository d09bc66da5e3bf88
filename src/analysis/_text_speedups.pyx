# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Compiled twins of the per-token passes of :mod:`analysis.text`.

Each function gives exactly what the pure-Python function named in its docstring gives (tests in
``tests/test_text_speedups.py`` compare them on generated and real text); ``analysis.text`` uses
these when the extension is built and falls back to its own code otherwise. They scan the text
once, character by character, and make each token once, where the Python code needs a regex
pass, a split and C-level ``map`` chains over every token.

Characters are classed as Python's ``re`` classes them for ``str`` patterns: ``\\d`` is
``Py_UNICODE_ISDECIMAL``, ``\\w`` is ``Py_UNICODE_ISALNUM`` or ``_``.
"""

from cpython.dict cimport PyDict_GetItem
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.object cimport PyObject
from cpython.set cimport PySet_Contains


cdef extern from "Python.h":
    int PyUnicode_KIND(object text)
    void *PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, void *data, Py_ssize_t index)
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch)
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch)
    int PyUnicode_4BYTE_KIND
    object PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size)


cdef str ZWNJ = "\u200c"
cdef str NEWLINE = "\n"


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


def raw_tokens(str text):
    """Tokens of ``text`` split at spaces, tabs and line breaks, with every punctuation group and
    number a token of its own: ``analysis.text._raw_tokens``."""
    cdef Py_ssize_t n = len(text), i = 0, start = -1
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    cdef list out = []
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if c == 0x20 or c == 0x0A or c == 0x09:
            if start >= 0:
                out.append(text[start:i])
                start = -1
            i += 1
        elif _starts_group(c):
            if start >= 0:
                out.append(text[start:i])
                start = -1
            j = _group_end(kind, data, n, i)
            out.append(text[i:j])
            i = j
        else:
            if start < 0:
                start = i
            i += 1
    if start >= 0:
        out.append(text[start:n])
    return out


def spacing_tokens(str text):
    """The tokens spacing correction starts from, ``"\\n"`` tokens between lines:
    ``analysis.text._spacing_tokens``.

    As :func:`raw_tokens`, except that a line break is a token (three or more in a row count as two),
    a run of ZWNJs stays as one ZWNJ when it stands between two letters and goes otherwise.
    """
    cdef Py_ssize_t n = len(text), i = 0, j, start = -1, breaks
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    cdef bint keep
    cdef list out = []
    cdef object head = None  # the part of the open token before a removed or shortened ZWNJ run
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if c == 0x20 or c == 0x09 or c == 0x0A or _starts_group(c):
            if start >= 0:
                out.append(text[start:i] if head is None else head + text[start:i])
                start = -1
                head = None
            if c == 0x0A:
                j = i + 1
                while j < n and PyUnicode_READ(kind, data, j) == 0x0A:
                    j += 1
                breaks = j - i
                out.append(NEWLINE)
                if breaks > 1:
                    out.append(NEWLINE)
                i = j
            elif c == 0x20 or c == 0x09:
                i += 1
            else:
                j = _group_end(kind, data, n, i)
                out.append(text[i:j])
                i = j
        elif c == 0x200C:
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
        out.append(text[start:n] if head is None else head + text[start:n])
    return out


def token_spacing(list tokens, lexicon):
    """``" ".join`` of the tokens with ZWNJ joins from the lexicon: ``analysis.text._token_spacing``
    (but ``tokens`` is not changed)."""
    cdef Py_ssize_t n = PyList_GET_SIZE(tokens), t, last = n - 1
    cdef PyObject *heads
    cdef list hits = []
    cdef dict merged
    cdef object token, previous, pair
    cdef bint joined
    if n < 2:
        return " ".join(tokens)
    cdef dict join_heads = lexicon.join_heads
    for t in range(1, n):
        heads = PyDict_GetItem(join_heads, <object>PyList_GET_ITEM(tokens, t))
        if heads is not NULL and PySet_Contains(<object>heads, <object>PyList_GET_ITEM(tokens, t - 1)):
            hits.append(t)
    if not hits:
        return " ".join(tokens)
    joinable, verbs, words, suffixes = (
        lexicon.joinable_words, lexicon.verbs, lexicon.words, lexicon.suffixes,
    )
    hit_set = set(hits)
    merged = {}  # index of a joined token -> the whole joined word ending there
    for t in hits:
        while True:
            token = tokens[t]
            previous = merged.get(t - 1, tokens[t - 1])
            pair = previous + ZWNJ + token
            if pair in joinable:
                joined = not (t < last and f"{token}_{tokens[t + 1]}" in verbs)
            else:
                joined = token in suffixes and previous in words
            if not joined:
                break
            merged[t] = pair
            if t < last and t + 1 not in hit_set and tokens[t + 1] in join_heads:
                t += 1
                continue
            break
    if not merged:
        return " ".join(tokens)
    cdef list out = list(tokens)
    for t, pair in merged.items():
        out[t] = pair
        out[t - 1] = None  # the head of a join: the joined word comes with its last part
    return " ".join(filter(None, out))


def join_verb_parts(list tokens, lexicon):
    """Verb parts joined with ``_``: ``analysis.text._join_verb_parts``."""
    cdef Py_ssize_t n = PyList_GET_SIZE(tokens), t
    cdef list candidates = []
    starts = lexicon.verb_part_starts
    for t in range(n - 1):  # the last token starts no group
        if PySet_Contains(starts, <object>PyList_GET_ITEM(tokens, t)):
            candidates.append(t)
    if not candidates:
        return tokens
    before, after, participles = lexicon.before_verbs, lexicon.after_verbs, lexicon.participles
    cdef dict groups = {}  # start index -> (joined text, end index)
    for t in reversed(candidates):
        token = tokens[t]
        right, right_end = groups.get(t + 1, (tokens[t + 1], t + 1))
        if token in before or (token in participles and right in after):
            groups.pop(t + 1, None)
            groups[t] = (f"{token}_{right}", right_end)
    if not groups:
        return tokens
    cdef list out = []
    cdef Py_ssize_t position = 0
    for start in sorted(groups):
        joined, end = groups[start]
        out.extend(tokens[position:start])
        out.append(joined)
        position = end + 1
    out.extend(tokens[position:])
    return out


def word_tokens(list tokens):
    """The tokens that have a word character: ``analysis.text._without_punctuation``."""
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


cdef inline bint _is_closing(Py_UCS4 c) noexcept:
    # . : ! ، ؛ ؟ » ] ) }   (hazm PUNC_AFTER)
    if c < 128:
        return c == 0x2E or c == 0x3A or c == 0x21 or c == 0x5D or c == 0x29 or c == 0x7D
    return c == 0x060C or c == 0x061B or c == 0x061F or c == 0xBB


cdef inline bint _is_opening(Py_UCS4 c) noexcept:
    # « [ ( {   (hazm PUNC_BEFORE)
    return c == 0xAB or c == 0x5B or c == 0x28 or c == 0x7B


def punctuation_spacing(str text):
    """hazm's punctuation spacing rules: ``analysis.text._punctuation_spacing``.

    Two passes, as the Python code's steps: first spaces go before a closing mark and after an
    opening one; then a space goes after a closing mark (after «.» and «:» unless a digit follows)
    and before an opening one, each decided on the neighbours the first pass left.
    """
    cdef Py_ssize_t n = len(text), i, m = 0, k = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c, before = 0, after
    cdef bint has_before = False
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
                if has_before and _is_opening(before):
                    has_before = True
                    before = c
                    continue
            middle[m] = c
            m += 1
            has_before = True
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
