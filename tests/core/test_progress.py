"""Progress bars: hidden on request, and TQDM_DISABLE=1 silences every shown bar."""

from __future__ import annotations

import os
import subprocess
import sys

from analysis._core.progress import progress_bar


def test_a_hidden_bar_still_iterates():
    with progress_bar(range(3), show=False, desc="hidden") as bar:
        assert bar.disable and list(bar) == [0, 1, 2]


def _shown_bar_is_disabled(environment: dict) -> bool:
    # tqdm reads TQDM_* when it is imported, so each case runs in a fresh interpreter
    code = "from analysis._core.progress import progress_bar; print(progress_bar(total=3, show=True).disable)"
    env = {key: value for key, value in os.environ.items() if key != "TQDM_DISABLE"} | environment
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def test_the_environment_silences_a_shown_bar():
    assert _shown_bar_is_disabled({"TQDM_DISABLE": "1"})
    assert not _shown_bar_is_disabled({})
