"""The SPARQL query editor (Yasgui) with the ontology's query catalogue as examples.

It shares ``GET /sparql`` with the protocol handler: ``api.pages.install`` adds it with
``HtmlPageRoute`` in front, so only a browser asking for HTML without a ``query`` gets the page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.pages.rendering import render

__all__ = ["sparql_page", "query_examples", "FIRST_QUERY"]


def query_examples() -> list[dict[str, Any]]:
    """The ontology's query catalogue as editor examples, parameters filled with their defaults."""
    from ontology.errors import VocabularyError
    from ontology.queries import catalogue

    examples: list[dict[str, Any]] = []
    for q in catalogue():
        try:
            text = q.render()
        except VocabularyError:  # a parameter without a default: show it as a variable to fill in
            text = q.text
        examples.append(
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "query": text,
                "figure": q.figure,
                # a shareable link: Yasgui reads the query from the fragment when the page opens
                "link": "/sparql#query=" + quote(text, safe=""),
            }
        )
    return examples


#: the query the editor opens with: real, prefix-free (mg:, skos: ... are predeclared), quick to run
FIRST_QUERY = """# Missions per challenge field. No PREFIX lines needed: mg:, dct:, skos:, field:, answer: ...
# are predeclared (the list is below the editor). Press the run button (or Ctrl+Enter).
SELECT ?field ?label (COUNT(DISTINCT ?mission) AS ?missions)
WHERE {
  ?mission a mg:Mission ;
    mg:challengeField ?field .
  ?field skos:prefLabel ?label .
}
GROUP BY ?field ?label
ORDER BY DESC(?missions) ?label"""


def sparql_page(request: Request) -> HTMLResponse:
    from ontology.prefixes import PREDECLARED, prefix_map

    endpoint = str(request.url_for("page_sparql"))
    examples = query_examples()
    tabs = [{"title": ex["title"], "query": ex["query"]} for ex in examples if not ex["figure"]]
    return render(
        request,
        "sparql.html",
        {
            "active": "page_sparql",
            "examples": examples,
            "endpoint": endpoint,
            "first_query": FIRST_QUERY,
            "tabs": tabs,
            "prefixes": PREDECLARED,
            "prefix_map": prefix_map(),
        },
    )
