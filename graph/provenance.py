"""Where a mission or a fact comes from: ``synthetic`` (bool) and ``source`` (``catalogue`` or a wave)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.errors import InvalidInputError
from graph.iris import Iris
from graph.store import Dataset, Store
from ontology.namespaces import MG_NS

__all__ = [
    "CATALOGUE",
    "SYNTHETIC_CHOICES",
    "Provenance",
    "check_synthetic",
    "keeps",
    "mission_provenance",
    "synthetic_waves",
    "graph_source",
    "combined",
    "wave_source",
]

#: the ``source`` of everything the missions catalogue states
CATALOGUE = "catalogue"
#: the values of the ``synthetic`` filter: include made-up data, leave it out, or show only it
SYNTHETIC_CHOICES = ("include", "exclude", "only")
_MG = MG_NS


@dataclass(frozen=True)
class Provenance:
    synthetic: bool
    #: ``catalogue`` or the survey wave (``survey-2021``, the wave's dataset id, as search results say)
    source: str


def check_synthetic(value: str | None, *, where: str = "query parameter synthetic") -> str:
    """The filter value, or a 400 (``InvalidInputError``) naming the valid ones."""
    choice = (value or "include").strip().lower()
    if choice not in SYNTHETIC_CHOICES:
        raise InvalidInputError(
            f"{where}: {value!r} is not one of {', '.join(SYNTHETIC_CHOICES)}",
            parameter="synthetic",
            expected=", ".join(SYNTHETIC_CHOICES),
        )
    return choice


def keeps(choice: str, synthetic: bool) -> bool:
    """Whether an item of this provenance passes the ``synthetic`` filter."""
    return choice == "include" or (choice == "only") == synthetic


def wave_source(wave: str) -> str:
    """The ``source`` of what a survey wave says: ``survey-2021`` for wave 2021."""
    return f"survey-{wave}"


def graph_source(iris: Iris, graph: str) -> str:
    """``catalogue`` for the catalogue graph, ``survey-{wave}`` for a survey graph, else the graph."""
    if graph == iris.catalogue_graph:
        return CATALOGUE
    prefix = iris.survey_graph("")
    return wave_source(graph[len(prefix) :]) if graph.startswith(prefix) else graph


def synthetic_waves(store: Store, iris: Iris, graphs: Iterable[str]) -> set[str]:
    """Sources (``survey-2021``) of the survey waves described as synthetic (``mg:synthetic true``)."""
    graphs = tuple(graphs)
    prefix = iris.wave("")
    rows = store.select(
        f'SELECT DISTINCT ?w WHERE {{ ?w <{_MG}synthetic> true . FILTER(STRSTARTS(STR(?w), "{prefix}")) }}',
        dataset=Dataset(default=graphs),
    )
    return {wave_source(str(r["w"])[len(prefix) :]) for r in rows}


def mission_provenance(store: Store, iris: Iris, graphs: Iterable[str]) -> dict[str, Provenance]:
    """Mission IRI → provenance. A mission the catalogue states comes from the catalogue; one first
    declared in a survey wave comes from that wave. Synthetic: ``mg:synthetic true`` on the mission, or
    declared only by a synthetic wave."""
    graphs = tuple(graphs)
    waves = synthetic_waves(store, iris, graphs)
    declared: dict[str, set[str]] = {}
    for r in store.select(
        f"SELECT ?m ?g WHERE {{ GRAPH ?g {{ ?m a <{_MG}Mission> }} }}", dataset=Dataset(named=graphs)
    ):
        declared.setdefault(str(r["m"]), set()).add(graph_source(iris, str(r["g"])))
    flagged = {
        str(r["m"])
        for r in store.select(
            f"SELECT DISTINCT ?m WHERE {{ ?m a <{_MG}Mission> ; <{_MG}synthetic> true }}",
            dataset=Dataset(default=graphs),
        )
    }
    out: dict[str, Provenance] = {}
    for m, sources in declared.items():
        source = CATALOGUE if CATALOGUE in sources else sorted(sources)[0]
        synthetic = m in flagged or (source != CATALOGUE and all(s in waves for s in sources))
        out[m] = Provenance(synthetic, source)
    return out


def combined(items: Iterable[Provenance]) -> Provenance:
    """The provenance of a figure counted over several items: synthetic when any input is, and every
    source named (``catalogue + 2021``), catalogue first."""
    found = list(items)
    sources = sorted({p.source for p in found}, key=lambda s: (s != CATALOGUE, s))
    return Provenance(any(p.synthetic for p in found), " + ".join(sources) or CATALOGUE)
