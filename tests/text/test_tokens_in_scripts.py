"""``add_tokens`` on all cores from a user's script with no ``if __name__ == "__main__":`` guard,
and from ``python -`` (standard input): the workers never import the caller's main module."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = """\
import pandas as pd
from analysis.text import add_tokens
from analysis.text import tokens as module
pools = []
start_pool = module.worker_pool
module.worker_pool = lambda *args, **kwargs: pools.append(start_pool(*args, **kwargs)) or pools[-1]
table = pd.DataFrame({"doc_id": [str(i) for i in range(300)],
                      "body": [f"کتاب ها را خوانده است {i}" for i in range(300)]})
out = add_tokens(table, n_jobs=2, cache=False, progress=False)
print(len(out), out["tokens"].iloc[0][:2], "pool" if any(pools) else "no pool")
"""


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_add_tokens_in_parallel_from_an_unguarded_script(tmp_path, how):
    if how == "file":
        (tmp_path / "script.py").write_text(SCRIPT, encoding="utf-8")
        done = subprocess.run([sys.executable, "script.py"], cwd=tmp_path, capture_output=True, text=True, timeout=180)
    else:
        done = subprocess.run([sys.executable, "-"], input=SCRIPT, cwd=tmp_path, capture_output=True, text=True,
                              timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "300" and done.stdout.strip().endswith(" pool")
