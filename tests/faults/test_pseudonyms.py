"""Issue 12, finding 6: pseudonyms are keyed per deployment; a guessed name or id does not give them away."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from api.settings import Settings
from graph.pseudonyms import KEY_FILE, load_or_create_key


def test_key_is_made_once_private_and_kept(tmp_path: Path) -> None:
    key = load_or_create_key(tmp_path)
    path = tmp_path / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 32
    assert load_or_create_key(tmp_path) == key  # a rebuild of the same deployment: same key


def test_ids_are_stable_per_deployment_and_differ_between_deployments(tmp_path: Path) -> None:
    one = Settings(data_dir=tmp_path / "a").iris()
    again = Settings(data_dir=tmp_path / "a").iris()
    other = Settings(data_dir=tmp_path / "b").iris()
    assert one.respondent("2021", "R-17") == again.respondent("2021", "R-17")
    assert one.organisation_key("City of Aarhus") == again.organisation_key("City of Aarhus")
    assert one.respondent("2021", "R-17") != other.respondent("2021", "R-17")
    assert one.organisation_key("City of Aarhus") != other.organisation_key("City of Aarhus")


def test_the_reported_unkeyed_hashes_no_longer_match(tmp_path: Path) -> None:
    """The report: organisation keys were sha256(name)[:16], respondent ids sha256(wave, id)[:16]."""
    iris = Settings(data_dir=tmp_path).iris()
    guessed_org = "o-" + hashlib.sha256(b"city of aarhus").hexdigest()[:16]
    guessed_respondent = hashlib.sha256(b"2021\x1fR-17").hexdigest()[:16]
    assert iris.organisation_key("City of Aarhus") != guessed_org
    assert iris.opaque("2021", "R-17") != guessed_respondent


def test_organisation_spellings_share_one_key(tmp_path: Path) -> None:
    iris = Settings(data_dir=tmp_path).iris()
    key = iris.organisation_key("City of Aarhus")
    assert iris.organisation_key("  CITY   of aarhus ") == key
    assert iris.organisation_key("ＣＩＴＹ of Aarhus") == key  # fullwidth letters (NFKC)
