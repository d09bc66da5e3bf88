"""PEP 562 exports: a package names its public API in ``__all__`` and imports a submodule only when
one of its names is first used, so ``import analysis`` and the CLI's ``--help`` stay cheap."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping


def lazy_exports(package: str, public: Iterable[str], sources: Mapping[str, Iterable[str]]
                 ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: each name of ``sources[submodule]`` is read from
    ``package.submodule`` on first use (then kept in the package); a submodule's own name gives
    the submodule. Raises ``ValueError`` when ``public`` and ``sources`` disagree."""
    where = {name: module for module, names in sources.items() for name in names}
    public = list(public)
    missing = {name for name in public if not name.startswith("__")} - set(where) - set(sources)
    if missing:
        raise ValueError(f"{package}: no submodule given for {sorted(missing)}")

    def __getattr__(name: str):
        if name in where:
            value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        elif name in sources:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(public) | set(vars(sys.modules[package])))

    return __getattr__, __dir__
