"""The SHACL shapes shipped with the ontology (validation itself runs in graph.shacl, where pyshacl lives)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from rdflib import Graph

__all__ = ["SHAPES_NAMESPACE", "shape_files", "shapes_graph"]

SHAPES_NAMESPACE = "https://w3id.org/missiongraph/shapes#"
#: shapes that hold only in the public graphs (no personal data)
PUBLIC_ONLY = "public.ttl"


def shape_files(*, public: bool = True) -> list[str]:
    """Names of the shape files (``mission.ttl`` ...); ``public.ttl`` only when checking public graphs."""
    root = resources.files("ontology").joinpath("shapes")
    names = sorted(p.name for p in root.iterdir() if p.name.endswith(".ttl"))
    return [n for n in names if public or n != PUBLIC_ONLY]


@cache
def _shapes(public: bool) -> Graph:
    graph = Graph(bind_namespaces="core")
    root = resources.files("ontology").joinpath("shapes")
    for name in shape_files(public=public):
        graph.parse(data=root.joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


def shapes_graph(*, public: bool = True) -> Graph:
    """Every shape, as a fresh graph; with ``public=False`` the no-personal-data shapes are left out."""
    copy = Graph(bind_namespaces="core")
    for triple in _shapes(public):
        copy.add(triple)
    return copy
