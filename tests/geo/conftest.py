"""Fixtures for the geoparser tests: a tiny gazetteer built from the GeoNames-format
fixture, and the real default index (built once per session only when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventscope.geo import gazetteer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index holding only the nine places of geonames_sample.txt."""
    path = tmp_path_factory.mktemp("gaz") / "sample.sqlite"
    return gazetteer.build(
        path,
        geonames=[FIXTURES / "geonames_sample.txt"],
        alternate_names=FIXTURES / "alternate_names_sample.txt",
        defaults=False,
    )


@pytest.fixture(scope="session")
def default_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged-data index the geoparser uses (as `make gazetteer` builds it)."""
    path = gazetteer.default_path()
    if not path.exists():
        path = gazetteer.build(tmp_path_factory.mktemp("gaz") / "default.sqlite")
    return path


@pytest.fixture()
def use_default_index(default_index: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(gazetteer.ENV_PATH, str(default_index))
    return default_index
