"""Progress bars for long work: tqdm on stderr (a widget in Jupyter) that a caller hides with
``show=False`` and that ``TQDM_DISABLE=1`` in the environment always silences."""

from __future__ import annotations


def progress_bar(iterable=None, *, show: bool = True, **options):
    """``tqdm(iterable, **options)``, hidden when ``show`` is false.

    A shown bar leaves ``disable`` to tqdm, whose default reads ``TQDM_DISABLE``: passing
    ``disable=False`` would override the environment.
    """
    from tqdm.auto import tqdm

    if not show:
        options["disable"] = True
    return tqdm(iterable, **options)
