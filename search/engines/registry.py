"""Engine plug-ins by name: a name maps to a "module:Class" target imported only when first opened.

Modelled on ``rdflib.plugin``: the registry knows names and import paths, never the engine modules
themselves, so ``search`` imports no engine library until one is used and engines cannot import back
into a module that imports them (an import-linter contract keeps it so).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol, cast

from search.engines.base import SearchEngine

__all__ = ["ENGINES", "EngineFactory", "engine_class", "open_engine", "register"]


class EngineFactory(Protocol):
    """What an engine class offers the registry: open or create the index at ``path``."""

    def __call__(self, path: Path, *, create: bool = False) -> SearchEngine: ...


_TARGETS: dict[str, str] = {
    "whoosh": "search.engines.whoosh:WhooshEngine",
    "tantivy": "search.engines.tantivy:TantivyEngine",
}
_LOADED: dict[str, EngineFactory] = {}

#: the engine names built in (settings accept these); `register` may add more at run time
ENGINES = tuple(_TARGETS)


def register(name: str, target: str) -> None:
    """Make ``name`` open the class at ``target`` ("package.module:Class"), imported when first used."""
    module, _, attr = target.partition(":")
    if not module or not attr:
        raise ValueError(f"engine target {target!r} for {name!r}: expected 'package.module:Class'")
    _TARGETS[name] = target
    _LOADED.pop(name, None)


def engine_class(name: str) -> EngineFactory:
    """The class registered as ``name``, importing its module on first use."""
    if name in _LOADED:
        return _LOADED[name]
    try:
        target = _TARGETS[name]
    except KeyError:
        raise ValueError(
            f"unknown search engine {name!r}: expected one of {', '.join(sorted(_TARGETS))}"
        ) from None
    module, _, attr = target.partition(":")
    factory = cast(EngineFactory, getattr(importlib.import_module(module), attr))
    _LOADED[name] = factory
    return factory


def open_engine(name: str, path: Path, *, create: bool = False) -> SearchEngine:
    """Open (or, with ``create``, make empty) the engine ``name`` stored at ``path``."""
    return engine_class(name)(path, create=create)
