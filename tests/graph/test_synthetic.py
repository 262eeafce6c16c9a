"""The synthetic survey: seeded, labelled synthetic, and matching the published figures at any size."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from graph.catalogue import read_catalogue
from graph.figures import read_figures
from graph.rdfterms import CODES
from graph.synthetic import COLUMNS, generate_survey, write_csv, write_survey, write_xlsx
from graph.synthetic.text import CITIES, MISSION_TEMPLATES, REGIONS
from ontology import vocab

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "data" / "survey" / "survey-2021-synthetic.csv"
EUROPE = {
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV"),
    *("LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "GB", "NO", "IS", "CH"),
}
FIGURE_COLUMN = {"involved": "involved", "sector": "sector", "external-driver": "external_driver",
                 "internal-driver": "internal_driver", "clear-target": "clear_target",
                 "me-plan": "me_plan"}  # fmt: skip
MULTI = {"challenge_fields": "challenge-field", "funding_sources": "funding-source", "risks": "risk",
         "challenges": "challenge", "learning_needs": "learning-need",
         "support_needs": "support-need"}  # fmt: skip
SINGLE = {"sector": "sector", "role": "role", "involved": "answer", "level": "level", "phase": "phase",
          "clear_target": "answer", "me_plan": "answer", "external_driver": "external-driver",
          "internal_driver": "internal-driver"}  # fmt: skip


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return generate_survey()


def recomputed(rows: list[dict[str, str]]) -> dict[str, float]:
    """Every published share recomputed from rows, in percent (base: all respondents)."""
    out: dict[str, float] = {}
    for fig in read_figures():
        if fig.concept is None:
            continue
        column = FIGURE_COLUMN[fig.question]
        code = fig.concept.split("/", 1)[1]
        out[fig.code] = 100 * sum(r[column] == code for r in rows) / len(rows)
    return out


@pytest.mark.parametrize("n", [227, 1000, 10_000])
def test_every_published_share_is_met_within_rounding(n: int) -> None:
    rows = generate_survey(n)
    assert len(rows) == n
    published = {f.code: f.value for f in read_figures()}
    for code, value in recomputed(rows).items():
        assert abs(value - published[code]) <= 50 / n + 1e-9, code  # at most half a respondent off
    assert len({r["country"] for r in rows}) == 40


def test_227_respondents_from_40_countries_mostly_europe_usa_australia(rows: list[dict[str, str]]) -> None:
    countries = Counter(r["country"] for r in rows)
    assert len(countries) == 40
    assert sum(v for c, v in countries.items() if c in EUROPE | {"US", "AU"}) > len(rows) / 2
    assert countries["US"] >= 10 and countries["AU"] >= 5
    sectors = Counter(r["sector"] for r in rows)
    assert (sectors["national-government"], sectors["private-sector"], sectors["foundation"]) == (68, 54, 9)


def test_same_seed_same_rows_other_seed_other_rows(rows: list[dict[str, str]]) -> None:
    assert generate_survey() == rows
    assert generate_survey(seed=7) != rows


def test_every_row_is_labelled_synthetic_with_fake_personal_data(rows: list[dict[str, str]]) -> None:
    assert list(rows[0]) == list(COLUMNS)
    assert {r["wave_note"] for r in rows} == {"synthetic"}
    assert len({r["respondent_id"] for r in rows}) == len(rows)
    assert all(r["email"].endswith("@example.org") for r in rows)
    assert all(r["organisation"].startswith("Example") for r in rows)
    assert all(r["phone"] == "" or r["phone"].startswith("00 555 ") for r in rows)
    consent = Counter(r["consent_contact"] for r in rows)
    assert set(consent) == {"yes", "no"} and min(consent.values()) > len(rows) / 5


def test_every_coded_answer_is_in_its_scheme(rows: list[dict[str, str]]) -> None:
    for r in rows:
        for column, scheme in SINGLE.items():
            assert r[column] == "" or r[column] in CODES[scheme], (column, r[column])
        for column, scheme in MULTI.items():
            for code in filter(None, r[column].split(";")):
                assert code in CODES[scheme], (column, code)
        assert r["target_year"] == "" or 2000 <= int(r["target_year"]) <= 2100


def _template_of(title: str) -> tuple[str, int]:
    """The (field, index) of the title template a synthetic mission title was made from."""
    found = [
        (field, i)
        for field, templates in MISSION_TEMPLATES.items()
        for i, (template, _goal) in enumerate(templates)
        if re.fullmatch(re.escape(template).replace(r"\{place\}", ".+").replace(r"\{year\}", r"\d{4}"), title)
    ]
    assert len(found) >= 1, title
    return found[0]


def test_every_respondent_describes_a_synthetic_mission_never_a_catalogue_one(
    rows: list[dict[str, str]],
) -> None:
    catalogue = {m.id for m in read_catalogue()}
    titles = {m.title for m in read_catalogue()}
    assert not any(r["mission_id"] for r in rows)  # made-up answers never describe a real mission
    holders = [r for r in rows if r["involved"] in ("yes", "partly")]
    assert len(holders) > 150 and all(r["mission_title"] and r["mission_goal"] for r in holders)
    assert not any(r["mission_title"] in titles or r["mission_title"] in catalogue for r in holders)
    assert not any(r["mission_title"] for r in rows if r not in holders)


def test_synthetic_missions_are_varied_shared_by_colleagues_and_placed(rows: list[dict[str, str]]) -> None:
    missions: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in rows:
        if r["mission_title"]:
            missions.setdefault((r["mission_title"], r["country"]), []).append(r)
    sizes = Counter(len(v) for v in missions.values())
    assert sizes[1] > 0 and sum(n for size, n in sizes.items() if size > 1) >= 20 and max(sizes) <= 4
    per_template = Counter(_template_of(title) for title, _country in missions)
    assert max(per_template.values()) <= 2  # no title template names more than two missions
    assert len(per_template) >= 50
    shared = ("mission_goal", "level", "phase", "challenge_fields", "funding_sources", "target_year",
              "clear_target", "me_plan")  # fmt: skip
    for (title, country), members in missions.items():
        for column in shared:
            assert len({m[column] for m in members}) == 1, (title, column)
        level = members[0]["level"]
        assert level in ("national", "regional", "local")  # never EU-level: the real EU missions are
        place = {
            "national": {vocab.country_label(vocab.country_iri(country) or "")},
            "regional": set(REGIONS[country]),
            "local": set(CITIES[country]),
        }[level]
        assert any(p and p in title for p in place), (title, country, level)
        assert len(members) == 1 or len({m["respondent_id"] for m in members}) == len(members)
    levels = Counter(members[0]["level"] for members in missions.values())
    assert min(levels.values()) >= 10


def test_free_texts_are_varied(rows: list[dict[str, str]]) -> None:
    texts = [r["challenge_text"] for r in rows if r["challenge_text"]]
    assert len(set(texts)) > 0.95 * len(texts)
    assert any("silos" in t for t in texts) and any("momentum" in t.lower() for t in texts)


def test_answers_are_plausibly_correlated() -> None:
    rows = generate_survey(5000)

    def share(group: list[dict[str, str]], column: str, code: str) -> float:
        return sum(code in r[column].split(";") for r in group) / len(group)

    target = [r for r in rows if r["clear_target"] == "yes"]
    no_target = [r for r in rows if r["clear_target"] not in ("yes", "")]
    assert share(target, "me_plan", "yes") > 2 * share(no_target, "me_plan", "yes")
    silos = [r for r in rows if "silos" in r["risks"].split(";")]
    no_silos = [r for r in rows if "silos" not in r["risks"].split(";")]
    assert share(silos, "support_needs", "governance") > share(no_silos, "support_needs", "governance") + 0.1
    no_plan = [r for r in rows if r["me_plan"] in ("no", "partly", "dont-know")]
    assert share(no_plan, "support_needs", "evaluation") > share(
        [r for r in rows if r["me_plan"] == "yes"], "support_needs", "evaluation"
    )


def test_the_committed_sample_regenerates_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "again.csv"
    done = subprocess.run(
        [sys.executable, str(ROOT / "data" / "generate_survey.py"), "--out", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "227 synthetic respondents" in done.stdout
    assert out.read_bytes() == COMMITTED.read_bytes()


def test_xlsx_holds_the_same_cells_as_csv(tmp_path: Path) -> None:
    rows = generate_survey(40)
    sheet = load_workbook(write_xlsx(rows, tmp_path / "s.xlsx"), read_only=True).active
    assert sheet is not None
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == list(COLUMNS)
    assert values[1:] == [[r[c] for c in COLUMNS] for r in rows]
    text = write_csv(rows, tmp_path / "s.csv").read_text(encoding="utf-8")
    assert text.count("\n") == 41


def test_write_survey_takes_a_file_path_and_writes_the_export_there(tmp_path: Path) -> None:
    """The entry the build uses: a path and a size in, the export on disk (CSV, or XLSX by suffix)."""
    figures = ROOT / "data" / "published_figures.csv"
    csv_path = write_survey(tmp_path / "survey-2021-synthetic-30.csv", 30, seed=7, figures_path=figures)
    assert csv_path == tmp_path / "survey-2021-synthetic-30.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",") == list(COLUMNS) and len(lines) == 31
    assert (
        csv_path.read_bytes()
        == write_csv(generate_survey(30, 7, figures_path=figures), tmp_path / "x.csv").read_bytes()
    )
    xlsx = write_survey(tmp_path / "survey.xlsx", 5, figures_path=figures)
    sheet = load_workbook(xlsx, read_only=True).active
    assert sheet is not None and len(list(sheet.iter_rows())) == 6
