"""Shared by the bench scripts: write a results page under bench/results/ and show it."""

from __future__ import annotations

from pathlib import Path


def write_results(out, lines: list[str]) -> None:
    """Write ``lines`` as the Markdown page ``out`` (creating its folder) and print them."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
