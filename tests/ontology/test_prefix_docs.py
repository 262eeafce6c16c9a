"""The predeclared prefixes are documented in one table (docs/vocabulary.md) that matches the code."""

from __future__ import annotations

import re
from pathlib import Path

from ontology.prefixes import PREDECLARED

DOC = Path(__file__).resolve().parents[2] / "docs" / "vocabulary.md"


def test_the_docs_table_lists_exactly_the_predeclared_prefixes() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Predeclared prefixes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w-]+):` \| `([^`]+)` \|", section, flags=re.MULTILINE)
    assert rows == [(p.name, p.namespace) for p in PREDECLARED]


def test_no_invalid_prefixed_names_in_the_docs() -> None:
    docs = DOC.parent
    for path in [DOC, *sorted((docs / "decisions").glob("*.md")), docs / "api.md"]:
        text = path.read_text(encoding="utf-8")
        # v:{scheme}/{code} is not valid SPARQL; the docs write answer:yes, risk:silos
        assert not re.search(r"(?<![\w`'])v:[a-z-]+/[a-z]", text), path.name
