"""Made-up survey data (labelled synthetic wherever shown): a seeded generator of survey exports whose
aggregates match the deck's published figures, and the templates of its free text.

The entry for the rest of the code is ``write_survey(path, respondents, ...)``: it writes an export to a
file, which is then loaded like any real export; nothing else needs to know how the data is made.
"""

from __future__ import annotations

from pathlib import Path

from graph.synthetic.generator import COLUMNS, generate_survey, quota, write_csv, write_xlsx

__all__ = ["COLUMNS", "generate_survey", "quota", "write_csv", "write_survey", "write_xlsx"]


def write_survey(path: Path, respondents: int, *, seed: int = 2021, figures_path: Path) -> Path:
    """A synthetic export of ``respondents`` rows written to ``path`` (CSV, or XLSX for ``.xlsx``).

    ``figures_path`` is the published figures the shares follow (``data/published_figures.csv``); the
    same seed gives the same bytes. Name the file so that it says synthetic (``survey-2021-synthetic.csv``).
    """
    rows = generate_survey(respondents, seed, figures_path=figures_path)
    return write_xlsx(rows, path) if path.suffix.lower() == ".xlsx" else write_csv(rows, path)
