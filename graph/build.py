"""Build the store from data/: vocabulary, missions catalogue, published figures, synthetic survey wave."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.catalogue import load_catalogue
from graph.disclosure import DEFAULT_K
from graph.figures import load_figures
from graph.ingest import load_survey
from graph.iris import Iris
from graph.store.base import Store
from graph.synthetic import write_survey
from graph.tempfiles import private_tempdir

__all__ = ["DATA_DIR", "SURVEY_SAMPLE", "BuildReport", "BuildProgress", "build_store", "STEPS"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
#: the committed synthetic sample, relative to the data directory
SURVEY_SAMPLE = Path("survey") / "survey-2021-synthetic.csv"
SAMPLE_SIZE = 227
STEPS = ("vocabulary", "catalogue", "figures", "survey")

#: progress(step, done, total): ``step`` is one of STEPS; ``total`` is None when not known yet
BuildProgress = Callable[[str, int, int | None], None]


@dataclass
class BuildReport:
    """What a build loaded: triples per graph, respondents, time per step."""

    graphs: dict[str, int] = field(default_factory=dict)
    respondents: int = 0
    synthetic: bool = True
    survey_file: str = ""
    #: how the public graph shows the respondents (k-anonymity, graph.disclosure.DisclosureReport)
    disclosure: dict[str, Any] = field(default_factory=dict)
    #: respondents whose name, e-mail or phone were dropped for want of consent
    contacts_dropped: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def build_store(
    store: Store,
    iris: Iris,
    *,
    data_dir: Path = DATA_DIR,
    respondents: int | None = None,
    seed: int = 2021,
    wave: str = "2021",
    rebuild: bool = False,
    progress: BuildProgress | None = None,
    k: int = DEFAULT_K,
) -> BuildReport:
    """Load everything missiongraph ships into ``store``; each step is one atomic write.

    ``respondents`` None (or 227) loads the committed sample ``data/survey/survey-2021-synthetic.csv``;
    another number generates a synthetic export of that size (same seed, same shares) and loads it.
    ``rebuild`` first drops every graph the store holds (a build is from data/ only).
    """
    report = BuildReport()

    def tick(step: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(step, done, total)

    if rebuild:
        for graph in store.named_graphs():
            store.update(f"DROP SILENT GRAPH <{graph}>")

    from ontology.vocab import write_vocabulary_ntriples  # parses the Turtle once, on use

    def step(name: str, graph: str, write: Callable[[], object]) -> None:
        """One small graph written in one go, timed and counted in the report."""
        started = time.perf_counter()
        tick(name, 0, 1)
        write()
        report.graphs[name] = store.count(graph)
        report.seconds[name] = time.perf_counter() - started
        tick(name, 1, 1)

    step(
        "vocabulary",
        iris.vocabulary_graph,
        lambda: store.replace_graph(
            iris.vocabulary_graph, write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES
        ),
    )
    step("catalogue", iris.catalogue_graph, lambda: load_catalogue(store, iris, data_dir / "missions.csv"))
    step(
        "figures",
        iris.figures_graph,
        lambda: load_figures(store, iris, data_dir / "published_figures.csv"),
    )

    started = time.perf_counter()
    tick("survey", 0, None)
    with private_tempdir("missiongraph-build-") as tmp:
        if respondents is None or (respondents == SAMPLE_SIZE and seed == 2021):
            path = data_dir / SURVEY_SAMPLE
        else:
            # the file name says synthetic, as every generated export does
            path = write_survey(
                Path(tmp) / f"survey-{wave}-synthetic-{respondents}.csv",
                respondents,
                seed=seed,
                figures_path=data_dir / "published_figures.csv",
            )
        loaded = load_survey(
            store, iris, path, wave=wave, k=k, progress=lambda done, total: tick("survey", done, total)
        )
    report.respondents = loaded.rows
    report.synthetic = loaded.synthetic
    report.survey_file = path.name
    report.disclosure = loaded.disclosure
    report.contacts_dropped = loaded.contacts_dropped
    report.graphs[f"survey/{wave}"] = store.count(iris.survey_graph(wave))
    report.graphs["restricted"] = store.count(iris.restricted_graph)
    report.seconds["survey"] = time.perf_counter() - started
    return report
