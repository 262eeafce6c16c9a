"""Full-text engines as plug-ins: the protocol in `base`, the name → class registry in `registry`."""

from __future__ import annotations

from search.engines.base import EXPANSION_WEIGHT, FIELD_BOOSTS, LexicalQuery, SearchEngine
from search.engines.registry import ENGINES, engine_class, open_engine, register

__all__ = [
    "ENGINES",
    "EXPANSION_WEIGHT",
    "FIELD_BOOSTS",
    "LexicalQuery",
    "SearchEngine",
    "engine_class",
    "open_engine",
    "register",
]
