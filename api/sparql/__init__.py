"""The SPARQL 1.1 Protocol endpoint: request parsing, datasets, service description, execution."""

from __future__ import annotations

from api.sparql.dataset import lab_graphs, public_graphs
from api.sparql.endpoint import SparqlCall, answer_sparql, get_runner

__all__ = ["SparqlCall", "answer_sparql", "get_runner", "public_graphs", "lab_graphs"]
