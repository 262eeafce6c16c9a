"""The docs name real things: every dotted name of our packages resolves, links point at files, and
decision records have one number each (as datasette's tests/test_docs.py keeps its docs honest)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
#: `api.pages.search`, `graph.network.who_can_help.helpers(model, ...)`, `search.index.Index.search`
_DOTTED = re.compile(r"`((?:api|graph|search|ontology)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)[`(\[ ]")
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
#: `api/pages/search.py`, `tests/graph/network/`, `data/missions.csv` (not IRI paths such as graph/restricted)
_PATH = re.compile(r"`((?:api|graph|search|ontology|tests|data)/[A-Za-z0-9_./-]*(?:\.[a-z]{2,5}|/))`")


def _dotted_names() -> list[tuple[str, str]]:
    found = set()
    for doc in DOCS:
        for name in _DOTTED.findall(doc.read_text(encoding="utf-8")):
            found.add((doc.relative_to(ROOT).as_posix(), name))
    return sorted(found)


def resolve(name: str) -> object:
    """The object a dotted name stands for: the longest importable module, then attributes."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr) and attr in getattr(obj, "__annotations__", {}):
                return obj  # an instance attribute the class declares (``AppContext.index_provider``)
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(name)


def test_the_docs_name_dotted_names() -> None:
    assert len(_dotted_names()) > 20  # the pattern finds the docs' references


@pytest.mark.parametrize(("doc", "name"), _dotted_names())
def test_every_dotted_name_in_the_docs_resolves(doc: str, name: str) -> None:
    try:
        resolve(name)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"{doc} names `{name}`, which does not resolve: {exc}")


def test_relative_links_in_the_docs_point_at_files() -> None:
    broken = []
    for doc in DOCS:
        for target in _LINK.findall(doc.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (doc.parent / target).exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_file_paths_in_the_docs_exist() -> None:
    missing = [
        f"{doc.relative_to(ROOT)} -> {path}"
        for doc in DOCS
        for path in _PATH.findall(doc.read_text(encoding="utf-8"))
        if not (ROOT / path).exists()
    ]
    assert missing == []


def test_decision_records_have_one_number_each() -> None:
    numbers: dict[str, list[str]] = {}
    for record in sorted((ROOT / "docs" / "decisions").glob("*.md")):
        numbers.setdefault(record.name[:4], []).append(record.name)
        assert record.read_text(encoding="utf-8").startswith(f"# {record.name[:4]} "), record.name
    assert {n: names for n, names in numbers.items() if len(names) > 1} == {}
